//! Talking to the sync server: connect, one-shot sync (push the outbox, pull since the cursor),
//! status, and the long-running live session.
//!
//! Every pulled page is applied in ONE transaction together with the new cursor, so a crash in
//! the middle re-pulls the page (applying an update twice is harmless) and never skips one.

use std::collections::HashSet;
use std::str::FromStr;

use outpost_sync::client::{ClientError, SyncClient};
use outpost_sync::doc::DocId;
use outpost_sync::protocol::{DocUpdate, ErrorCode, PushItem, PushOutcome, Visibility};
use rusqlite::OptionalExtension;

mod live;
mod types;

pub use live::{background, run, run_until};
pub use types::{ConnectRequest, Connected, Disconnected, SyncReport, SyncState, SyncStatus};

use crate::replica::device::{self, set_setting, setting};
use crate::replica::{apply_remote, backfill, token, Applied};
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
/// Outbox entries pushed per request.
const PUSH_BATCH: usize = outpost_sync::protocol::MAX_PUSH_ITEMS;
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
            "this device is not connected to a sync server; run `outpost sync connect --server URL --token T`".into(),
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

/// The one push path, shared by [`sync_now`] and the live loop ([`run_until`]): documents every
/// record written here without a sync document yet — records written before sync was set up,
/// and bulk-imported records (`import-document-max`) — and pushes the outbox. Documents are
/// built [`crate::replica::pending::FLUSH_BATCH`] records per transaction, each batch pushed before the
/// next is built, so a big backlog neither holds the database from other writers nor waits
/// for the whole backlog before the first records leave. `report.backfilled` counts the records
/// documented.
pub(crate) async fn push_local(ctx: &Ctx, client: &SyncClient, report: &mut SyncReport) -> Result<()> {
    report.backfilled += initial_backfill(ctx)?;
    loop {
        let documented = crate::replica::pending::flush_some(ctx)?;
        report.backfilled += documented as u64;
        push_outbox(ctx, client, report).await?;
        if documented < crate::replica::pending::FLUSH_BATCH {
            return Ok(());
        }
    }
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

fn initial_backfill(ctx: &Ctx) -> Result<u64> {
    ctx.write(|tx| {
        if setting(&tx.sql, BACKFILLED)?.is_some() {
            return Ok(0);
        }
        let count = backfill(tx)?;
        set_setting(&tx.sql, BACKFILLED, "1")?;
        Ok(count as u64)
    })
}

type OutboxRow = (i64, String, String, String, Vec<u8>, bool, bool);

/// Pushes the whole outbox, batch by batch. An entry leaves the outbox only when the server
/// confirms it holds exactly the bytes sent (the digest in its answer), refused it for good, or
/// (an erasure) has nothing to erase; when the server says this database's sequence numbers were
/// used before (a restored database), a new epoch is drawn and the same entries are pushed again.
async fn push_outbox(ctx: &Ctx, client: &SyncClient, report: &mut SyncReport) -> Result<()> {
    let mut after = 0i64;
    let mut epoch = ctx.write(|tx| device::epoch(&tx.sql))?;
    let mut rotations = 0;
    loop {
        let rows: Vec<OutboxRow> = ctx.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT o.seq, o.doc_id, o.kind, o.visibility,
                        CASE WHEN o.erase THEN x'' ELSE coalesce(o.\"update\", d.state, x'') END, o.erase, o.compact
                 FROM sync_outbox o LEFT JOIN sync_docs d ON d.doc_id = o.doc_id
                 WHERE o.seq > ?1 ORDER BY o.seq LIMIT ?2",
            )?;
            let rows = stmt.query_map(rusqlite::params![after, PUSH_BATCH as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })?;
        let rows = within_push_body(rows);
        let Some(last) = rows.last() else { return Ok(()) };
        let first = rows[0].0;
        after = last.0;
        let mut items = Vec::with_capacity(rows.len());
        for (seq, doc_id, kind, visibility, update, erase, compact) in &rows {
            let doc = DocId::from_str(doc_id).map_err(|e| Error::Sync(e.to_string()))?;
            let client_seq = seq.unsigned_abs();
            let visibility = Visibility::parse(visibility);
            let (update, erase, compact) = (update.clone(), *erase, *compact);
            items.push(PushItem {
                doc_id: doc,
                kind: kind.clone(),
                visibility,
                update,
                client_seq,
                epoch,
                erase,
                compact,
            });
        }
        let ack = client.push(items).await.map_err(client_error)?;
        let acked = acknowledge(&ack.results, &rows);
        report.pushed += acked.pushed;
        ctx.write(|tx| {
            let mut stmt = tx.sql.prepare_cached("DELETE FROM sync_outbox WHERE seq = ?1")?;
            for seq in &acked.done {
                stmt.execute([seq])?;
            }
            remember_own_pushes(tx, &acked.own_seqs)?;
            for doc_id in &acked.never_stored {
                tx.sql.execute("DELETE FROM sync_erased WHERE doc_id = ?1", [doc_id])?;
            }
            for (kind, doc_id) in &acked.erased_elsewhere {
                if crate::erasure::erase_remote(tx, kind, doc_id)? {
                    report.erased += 1;
                }
            }
            report.rejected += acked.refused.len() as u64;
            if let Some(first) = acked.refused.first() {
                let message = format!("the server refused {} change(s), e.g. {first}", acked.refused.len());
                set_setting(&tx.sql, LAST_ERROR, &message)?;
            }
            if acked.sequence_reused {
                epoch = device::rotate_epoch(&tx.sql)?;
            }
            Ok(())
        })?;
        if let Some(unconfirmed) = acked.unconfirmed.first() {
            return Err(Error::Sync(format!(
                "the server did not confirm storing {} change(s) exactly as sent (e.g. {unconfirmed}); \
                 they stay queued and are pushed again at the next sync",
                acked.unconfirmed.len()
            )));
        }
        if acked.sequence_reused {
            rotations += 1;
            if rotations > 2 {
                return Err(Error::Sync(
                    "the server keeps refusing this device's sequence numbers as reused; the changes stay queued"
                        .into(),
                ));
            }
            // Push the entries it refused again, under the new epoch.
            after = first - 1;
        }
    }
}

/// What the server's answer to one pushed batch means for the outbox.
#[derive(Default)]
struct Acknowledged {
    /// Outbox entries to remove.
    done: Vec<i64>,
    /// Entries the server holds (stored or duplicate, digest confirmed).
    pushed: u64,
    /// Server sequence numbers and digests of this device's own stored updates.
    own_seqs: Vec<(u64, [u8; 32])>,
    /// Documents erased on the server: erase them here too.
    erased_elsewhere: Vec<(String, String)>,
    /// Erasures of documents the server never had: their local tombstones are lifted.
    never_stored: Vec<String>,
    /// Refusals for good (reported).
    refused: Vec<String>,
    /// Entries the server answered without confirming their exact bytes: kept.
    unconfirmed: Vec<String>,
    /// The server refused sequence numbers as reused: draw a new epoch, push again.
    sequence_reused: bool,
}

fn acknowledge(results: &[outpost_sync::protocol::PushResult], rows: &[OutboxRow]) -> Acknowledged {
    let mut acked = Acknowledged::default();
    for (result, row) in results.iter().zip(rows) {
        match &result.outcome {
            PushOutcome::Stored { seq } | PushOutcome::Duplicate { seq } => {
                let sent = digest(&row.4);
                let sent_hex: String = sent.iter().map(|b| format!("{b:02x}")).collect();
                if result.digest.as_deref() != Some(sent_hex.as_str()) {
                    acked.unconfirmed.push(format!("{} {}", row.2, row.1));
                    continue;
                }
                acked.pushed += 1;
                acked.own_seqs.push((*seq, sent));
                acked.done.push(row.0);
            }
            PushOutcome::Rejected { error } if error.code == ErrorCode::SequenceReused => {
                acked.sequence_reused = true;
            }
            PushOutcome::Rejected { error } if error.code == ErrorCode::Erased => {
                acked.erased_elsewhere.push((row.2.clone(), row.1.clone()));
                acked.done.push(row.0);
            }
            PushOutcome::Rejected { error } if error.code == ErrorCode::NotFound && row.5 => {
                // An erasure of a record the server never had: nothing left to erase there, and
                // nothing to keep out either — a colleague may create that natural-key id later.
                acked.never_stored.push(row.1.clone());
                acked.done.push(row.0);
            }
            PushOutcome::Rejected { error } => {
                acked.refused.push(format!("{} {}: {}", row.2, row.1, error.message));
                acked.done.push(row.0);
            }
        }
    }
    acked
}

/// Bytes one push item takes in a request besides its base64 update (keys, ids, flags).
const PUSH_ITEM_OVERHEAD: usize = 256;

/// The longest prefix of `rows` whose push request stays under the server's body limit
/// ([`outpost_sync::protocol::MAX_PUSH_BODY_BYTES`]); always at least one row (a single update
/// is at most `MAX_UPDATE_BYTES`, which the limit allows, see `record::within_limit`).
fn within_push_body(mut rows: Vec<OutboxRow>) -> Vec<OutboxRow> {
    let budget = outpost_sync::protocol::MAX_PUSH_BODY_BYTES - outpost_sync::protocol::PUSH_FRAMING_BYTES;
    let mut used = 0usize;
    let keep = rows
        .iter()
        .position(|row| {
            used += row.4.len().div_ceil(3) * 4 + row.1.len() + row.2.len() + PUSH_ITEM_OVERHEAD;
            used > budget
        })
        .unwrap_or(rows.len())
        .max(1);
    rows.truncate(keep);
    rows
}

fn digest(update: &[u8]) -> [u8; 32] {
    use sha2::Digest as _;
    sha2::Sha256::digest(update).into()
}

/// Notes the server sequence numbers and digests of this device's own updates, so pulls skip
/// them (see migration `0014`). Numbers the cursor has already passed are pruned with each page.
fn remember_own_pushes(tx: &Tx<'_>, pushed: &[(u64, [u8; 32])]) -> Result<()> {
    let mut stmt = tx.sql.prepare_cached("INSERT OR REPLACE INTO sync_own_pushes (seq, digest) VALUES (?1, ?2)")?;
    for (seq, digest) in pushed {
        stmt.execute(rusqlite::params![i64::try_from(*seq).unwrap_or(i64::MAX), digest])?;
    }
    Ok(())
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
    Ok(stored.is_some_and(|stored| stored == digest(update)))
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
            if !matches!(applied, Applied::Unchanged | Applied::UnknownKind) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row(seq: i64, bytes: usize) -> OutboxRow {
        (
            seq,
            "0190a1b2-0000-7000-8000-000000000abc".into(),
            "activity".into(),
            "org".into(),
            vec![7; bytes],
            false,
            false,
        )
    }

    #[test]
    fn pushes_are_batched_by_bytes_under_the_servers_message_limit() {
        let note = 400 * 1024; // a 100k-character note in UTF-8 with room to spare
        let rows: Vec<OutboxRow> = (1..=100).map(|seq| row(seq, note)).collect();
        let batch = within_push_body(rows);
        let wire: usize = batch.iter().map(|r| r.4.len().div_ceil(3) * 4 + PUSH_ITEM_OVERHEAD + 100).sum();
        assert!(batch.len() > 1 && batch.len() < 100, "{} items", batch.len());
        assert!(
            wire + outpost_sync::protocol::PUSH_FRAMING_BYTES <= outpost_sync::protocol::MAX_PUSH_BODY_BYTES,
            "{wire} bytes"
        );
        let one = within_push_body(vec![row(1, outpost_sync::protocol::MAX_UPDATE_BYTES), row(2, 10)]);
        assert_eq!(one.len(), 1, "a maximal update goes alone");
        let small = within_push_body((1..=1000).map(|seq| row(seq, 100)).collect());
        assert_eq!(small.len(), 1000, "small updates still go 1,000 at a time");
    }
}
