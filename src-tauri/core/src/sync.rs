//! Talking to the sync server: connect, one-shot sync (push the outbox, pull since the cursor),
//! status, and the long-running live session.
//!
//! Every pulled page is applied in ONE transaction together with the new cursor, so a crash in
//! the middle re-pulls the page (applying an update twice is harmless) and never skips one.

use std::collections::HashSet;

use outpost_sync::client::{ClientError, SyncClient};
use outpost_sync::protocol::DocUpdate;
use rusqlite::OptionalExtension;

mod live;
mod push;
mod types;

pub use live::{background, run, run_until};
pub(crate) use push::push_local;
pub use types::{ConnectRequest, Connected, Disconnected, SyncReport, SyncState, SyncStatus};

use crate::replica::device::{self, set_setting, setting};
use crate::replica::{apply_remote, token, Applied};
use crate::{store::ctx::Tx, Ctx, Error, Result};

const SERVER_URL: &str = "sync.server_url";
const CURSOR: &str = "sync.cursor";
const LAST_SYNC_AT: &str = "sync.last_sync_at";
const LAST_ERROR: &str = "sync.last_error";
const BACKFILLED: &str = "sync.backfilled";
/// `1` while the live connection is up, `0` while it is reconnecting (absent: not known yet).
const ONLINE: &str = "sync.online";
/// When this device last connected (a new token or server restarts the desktop's live loop).
const CONNECTED_AT: &str = "sync.connected_at";
/// Pulled updates applied per transaction (several pages): every commit writes each page it
/// dirtied to the WAL again, so bigger transactions write shared index pages fewer times.
const APPLY_BATCH: usize = 5_000;
/// ... or fewer, once they hold this many bytes (memory stays bounded whatever the documents).
const APPLY_BATCH_BYTES: usize = 16 * 1024 * 1024;

fn client_error(e: ClientError) -> Error {
    Error::Sync(e.to_string())
}

/// Checks `server` and `device_token` with the server, then stores the URL in the settings and
/// the token in the OS keychain (or relies on `OUTPOST_SYNC_TOKEN`).
pub async fn connect(ctx: &Ctx, server: &str, device_token: &str) -> Result<Connected> {
    let welcome = SyncClient::new(server, device_token).hello().await.map_err(client_error)?;
    let token_store = token::store(ctx.data_dir(), device_token)?;
    ctx.write(|tx| {
        device::client_id(&tx.sql)?;
        set_setting(&tx.sql, CONNECTED_AT, &tx.stamp())?;
        set_setting(&tx.sql, SERVER_URL, server.trim_end_matches('/'))
    })?;
    Ok(Connected {
        server: server.trim_end_matches('/').to_string(),
        org: welcome.org,
        email: welcome.email,
        role: welcome.role.as_str().to_string(),
        token_store: token_store.to_string(),
    })
}

/// The client for the connected server.
fn client(ctx: &Ctx) -> Result<SyncClient> {
    let server = connected_server(ctx)?;
    Ok(SyncClient::new(&server, &token::load(ctx.data_dir())?))
}

/// The server this device was connected to, or the refusal for a device never set up for sync.
fn connected_server(ctx: &Ctx) -> Result<String> {
    ctx.read(|conn| setting(conn, SERVER_URL))?.ok_or_else(|| {
        Error::Sync(
            "this device is not connected to a sync server; run `outpost sync connect --server URL --token -` (the token on standard input)".into(),
        )
    })
}

/// Sync status from the local database (no network).
pub fn status(ctx: &Ctx) -> Result<SyncStatus> {
    ctx.read(|conn| {
        let pending = conn.query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get::<_, u64>(0))?
            + crate::replica::pending_count(conn)?;
        let server = setting(conn, SERVER_URL)?;
        let online = setting(conn, ONLINE)?.map(|v| v == "1");
        let last_error = setting(conn, LAST_ERROR)?;
        let (quarantined, quarantine) = crate::replica::quarantine::list(conn, 50)?;
        Ok(SyncStatus {
            state: SyncState::of(server.as_deref(), online, last_error.as_deref(), pending),
            server,
            online,
            last_sync_at: setting(conn, LAST_SYNC_AT)?,
            pending,
            last_error,
            cursor: setting(conn, CURSOR)?.and_then(|c| c.parse().ok()).unwrap_or(0),
            quarantined,
            quarantine,
        })
    })
}

/// [`connect`] with the Sync settings screen's request.
pub async fn connect_device(ctx: &Ctx, req: ConnectRequest) -> Result<Connected> {
    connect(ctx, req.server.trim(), req.token.trim()).await
}

/// Disconnects this device: forgets the server URL, the connection state and the device token
/// (keychain). Local data and queued changes stay; connecting again (to the same server) resumes.
pub fn disconnect(ctx: &Ctx) -> Result<Disconnected> {
    let (server, pending) = ctx.write(|tx| {
        let server = setting(&tx.sql, SERVER_URL)?;
        let pending: u64 = tx.sql.query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))?;
        for key in [SERVER_URL, ONLINE, LAST_ERROR, CONNECTED_AT] {
            tx.sql.execute("DELETE FROM settings WHERE key = ?1", [key])?;
        }
        Ok((server, pending))
    })?;
    token::forget(ctx.data_dir())?;
    Ok(Disconnected { server, pending })
}

/// Stores the outcome of a sync: the error, or the time of success (clearing the last error
/// unless the server refused changes in this sync, which `push_outbox` recorded).
fn record_outcome(ctx: &Ctx, result: std::result::Result<&SyncReport, &Error>) {
    let result = ctx.write(|tx| match result {
        Err(e) => set_setting(&tx.sql, LAST_ERROR, &e.to_string()),
        Ok(report) => {
            if report.rejected == 0 {
                tx.sql.execute("DELETE FROM settings WHERE key = ?1", [LAST_ERROR])?;
            }
            set_setting(&tx.sql, LAST_SYNC_AT, &tx.stamp())
        }
    });
    if let Err(e) = result {
        tracing::warn!("cannot record the sync outcome: {e}");
    }
}

/// One sync: push everything changed here ([`push_local`], the same routine the live loop runs)
/// and pull everything new at the same time. The two share this thread and connection (no write
/// waits on another), taking turns at their network waits: while the server stores a pushed
/// batch, pulled updates are applied here, so both cores work.
///
/// A device never connected is refused before anything is written: it has no sync state, so the
/// refusal is not recorded as the last sync error (status stays "not connected", no error).
pub async fn sync_now(ctx: &Ctx) -> Result<SyncReport> {
    connected_server(ctx)?;
    let result = async {
        let client = client(ctx)?;
        let mut report = SyncReport::default();
        let started = std::time::Instant::now();
        let changed_here = changed_here(ctx)?;
        let (mut pushed, mut pulled) = (SyncReport::default(), SyncReport::default());
        let (push, pull) = tokio::join!(
            push_local(ctx, &client, &mut pushed),
            pull_and_apply(ctx, &client, &mut pulled, &changed_here)
        );
        report.backfilled = pushed.backfilled;
        tracing::debug!(elapsed = ?started.elapsed(), pushed = pushed.pushed, pulled = pulled.pulled, "sync: done");
        push?;
        report.cursor = pull?;
        if pushed.pushed > 0 {
            // The pull may have finished before the server stored the last pushes: catch up, so
            // the cursor passes this device's own updates now rather than at the next sync.
            report.cursor = pull_and_apply(ctx, &client, &mut pulled, &changed_here).await?;
        }
        report.pushed = pushed.pushed;
        report.rejected = pushed.rejected;
        report.erased = pushed.erased + pulled.erased;
        report.pulled = pulled.pulled;
        report.applied = pulled.applied;
        report.deleted = pulled.deleted;
        report.deferred = pulled.deferred;
        report.conflicts = pulled.conflicts;
        if report.erased > 0 {
            crate::replica::erase::scrub(ctx)?;
        }
        Ok(report)
    }
    .await;
    record_outcome(ctx, result.as_ref());
    result
}

/// The documents changed here since the last sync, queued or waiting for their documents (a
/// received update of one is a conflict, merged field by field).
fn changed_here(ctx: &Ctx) -> Result<HashSet<String>> {
    ctx.read(|conn| {
        let mut stmt = conn.prepare_cached("SELECT DISTINCT doc_id FROM sync_outbox")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        let mut docs: HashSet<String> = rows.collect::<rusqlite::Result<_>>()?;
        docs.extend(crate::replica::pending::pending_docs(conn)?);
        Ok(docs)
    })
}

/// Pulls every page after the stored cursor and applies them, several pages per transaction;
/// returns the new cursor.
async fn pull_and_apply(
    ctx: &Ctx,
    client: &SyncClient,
    report: &mut SyncReport,
    changed_here: &HashSet<String>,
) -> Result<u64> {
    let mut cursor = cursor(ctx)?;
    let mut batch = Vec::new();
    loop {
        let page = client.pull(cursor, None).await.map_err(client_error)?;
        batch.extend(page.updates);
        cursor = page.next_cursor;
        let bytes: usize = batch.iter().map(|u| u.update.len()).sum();
        if page.more && batch.len() < APPLY_BATCH && bytes < APPLY_BATCH_BYTES {
            continue;
        }
        apply_page(ctx, &batch, cursor, report, changed_here)?;
        batch.clear();
        if !page.more {
            return Ok(cursor);
        }
    }
}

fn cursor(ctx: &Ctx) -> Result<u64> {
    ctx.read(|conn| Ok(setting(conn, CURSOR)?.and_then(|c| c.parse().ok()).unwrap_or(0)))
}

/// Whether the update stored under `seq` is exactly one this device pushed (so it is applied
/// here already). A compacted snapshot stored under that number since has other bytes.
fn is_own_push(tx: &Tx<'_>, seq: u64, update: &[u8]) -> Result<bool> {
    let seq = i64::try_from(seq).unwrap_or(i64::MAX);
    let stored: Option<Vec<u8>> = tx
        .sql
        .prepare_cached("SELECT digest FROM sync_own_pushes WHERE seq = ?1")?
        .query_row([seq], |r| r.get(0))
        .optional()?;
    Ok(stored.is_some_and(|stored| stored == outpost_sync::protocol::update_digest_bytes(update)))
}

/// Applies a batch of pulled updates and stores `next_cursor`, in one transaction. The batch's
/// rows are indexed for search in bulk at its end ([`crate::store::search::deferred`]).
fn apply_page(
    ctx: &Ctx,
    updates: &[DocUpdate],
    next_cursor: u64,
    report: &mut SyncReport,
    changed_here: &HashSet<String>,
) -> Result<()> {
    ctx.write(|tx| {
        crate::store::search::deferred::defer(tx)?;
        for update in updates {
            let doc_id = update.doc_id.to_string();
            report.pulled += 1;
            if is_own_push(tx, update.seq, &update.update)? {
                continue;
            }
            if update.erased {
                if crate::erasure::erase_remote(tx, &update.kind, &doc_id)? {
                    report.erased += 1;
                }
                continue;
            }
            let applied = apply_remote(tx, &update.kind, &doc_id, &update.update)?;
            if !matches!(applied, Applied::Unchanged | Applied::UnknownKind | Applied::Refused) {
                report.applied += 1;
                if changed_here.contains(&doc_id) {
                    report.conflicts += 1;
                }
            }
            match applied {
                Applied::Deleted => report.deleted += 1,
                Applied::Deferred => report.deferred += 1,
                _ => {}
            }
        }
        crate::store::search::deferred::resume(tx)?;
        let cursor = i64::try_from(next_cursor).unwrap_or(i64::MAX);
        tx.sql.prepare_cached("DELETE FROM sync_own_pushes WHERE seq <= ?1")?.execute([cursor])?;
        set_setting(&tx.sql, CURSOR, &next_cursor.to_string())
    })
}
