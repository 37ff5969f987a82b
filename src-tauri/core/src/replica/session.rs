//! Talking to the sync server: connect, one-shot sync (push the outbox, pull since the cursor),
//! status, and the long-running live session.
//!
//! Every pulled page is applied in ONE transaction together with the new cursor, so a crash in
//! the middle re-pulls the page (applying an update twice is harmless) and never skips one.

use std::collections::HashSet;
use std::str::FromStr;
use std::time::Duration;

use outpost_sync::client::{ClientError, SubscriptionEvent, SyncClient};
use outpost_sync::doc::DocId;
use outpost_sync::protocol::{DocUpdate, ErrorCode, PushItem, PushOutcome, Visibility};
use serde::Serialize;

use super::device::{self, set_setting, setting};
use super::{apply_remote, backfill, token, Applied};
use crate::{Ctx, Error, Result};

const SERVER_URL: &str = "sync.server_url";
const CURSOR: &str = "sync.cursor";
const LAST_SYNC_AT: &str = "sync.last_sync_at";
const LAST_ERROR: &str = "sync.last_error";
const BACKFILLED: &str = "sync.backfilled";
/// Outbox entries pushed per request.
const PUSH_BATCH: usize = 500;

/// The server's answer to `sync connect`.
#[derive(Debug, Clone, Serialize)]
pub struct Connected {
    /// Server URL stored in the settings.
    pub server: String,
    /// Organisation of the device's user.
    pub org: String,
    /// The device's user.
    pub email: String,
    /// The user's role.
    pub role: String,
    /// Where the device token is kept: `keychain` or `environment`.
    pub token_store: String,
}

/// Counts of one `sync now`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// Records written before sync was set up and queued now (first sync only).
    pub backfilled: u64,
    /// Outbox entries the server stored (or already had).
    pub pushed: u64,
    /// Outbox entries the server refused (dropped; see `last_error`).
    pub rejected: u64,
    /// Updates received.
    pub pulled: u64,
    /// Received updates that changed a record here (others were already known, e.g. our own).
    pub applied: u64,
    /// Records removed because they were deleted elsewhere.
    pub deleted: u64,
    /// Records whose received state does not form a valid row yet (kept until it does).
    pub deferred: u64,
    /// Records erased here because they were erased elsewhere (GDPR).
    pub erased: u64,
    /// Records changed both here and elsewhere since the last sync, merged field by field.
    pub conflicts: u64,
    /// Pull cursor after the sync.
    pub cursor: u64,
}

/// What `sync status` shows.
#[derive(Debug, Clone, Serialize)]
pub struct SyncStatus {
    /// Server URL, if connected.
    pub server: Option<String>,
    /// When the last successful sync finished (RFC 3339).
    pub last_sync_at: Option<String>,
    /// Local changes waiting to be pushed.
    pub pending: u64,
    /// The last sync failure, cleared by the next success.
    pub last_error: Option<String>,
    /// Pull cursor.
    pub cursor: u64,
}

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
    let server = ctx.read(|conn| setting(conn, SERVER_URL))?.ok_or_else(|| {
        Error::Sync(
            "this device is not connected to a sync server; run `outpost sync connect --server URL --token T`".into(),
        )
    })?;
    Ok(SyncClient::new(&server, &token::load(ctx.data_dir())?))
}

/// Sync status from the local database (no network).
pub async fn status(ctx: &Ctx) -> Result<SyncStatus> {
    ctx.read(|conn| {
        let pending: u64 = conn.query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))?;
        Ok(SyncStatus {
            server: setting(conn, SERVER_URL)?,
            last_sync_at: setting(conn, LAST_SYNC_AT)?,
            pending,
            last_error: setting(conn, LAST_ERROR)?,
            cursor: setting(conn, CURSOR)?.and_then(|c| c.parse().ok()).unwrap_or(0),
        })
    })
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

/// One sync: queue records written before sync was set up, push the outbox, pull everything new.
pub async fn sync_now(ctx: &Ctx) -> Result<SyncReport> {
    let result = async {
        let client = client(ctx)?;
        let mut report = SyncReport::default();
        let mut pushed_docs = HashSet::new();
        report.backfilled = initial_backfill(ctx)?;
        push_outbox(ctx, &client, &mut report, &mut pushed_docs).await?;
        let mut cursor = cursor(ctx)?;
        loop {
            let page = client.pull(cursor, None).await.map_err(client_error)?;
            cursor = apply_page(ctx, &page.updates, page.next_cursor, &mut report, &pushed_docs)?;
            if !page.more {
                break;
            }
        }
        report.cursor = cursor;
        if report.erased > 0 {
            super::erase::scrub(ctx)?;
        }
        Ok(report)
    }
    .await;
    record_outcome(ctx, result.as_ref());
    result
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

type OutboxRow = (i64, String, String, String, Vec<u8>, bool);

/// Pushes the whole outbox, batch by batch; acknowledged (and refused) entries leave it.
async fn push_outbox(
    ctx: &Ctx,
    client: &SyncClient,
    report: &mut SyncReport,
    pushed_docs: &mut HashSet<String>,
) -> Result<()> {
    let mut after = 0i64;
    loop {
        let (rows, base): (Vec<OutboxRow>, u64) = ctx.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT o.seq, o.doc_id, o.kind, o.visibility,
                        CASE WHEN o.erase THEN x'' ELSE coalesce(o.\"update\", d.state, x'') END, o.erase
                 FROM sync_outbox o LEFT JOIN sync_docs d ON d.doc_id = o.doc_id
                 WHERE o.seq > ?1 ORDER BY o.seq LIMIT ?2",
            )?;
            let rows = stmt.query_map(rusqlite::params![after, PUSH_BATCH as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })?;
            Ok((rows.collect::<rusqlite::Result<_>>()?, device::seq_base(conn)?))
        })?;
        let Some(last) = rows.last() else { return Ok(()) };
        after = last.0;
        let mut items = Vec::with_capacity(rows.len());
        for (seq, doc_id, kind, visibility, update, erase) in &rows {
            let doc = DocId::from_str(doc_id).map_err(|e| Error::Sync(e.to_string()))?;
            let client_seq = base + seq.unsigned_abs();
            let visibility = Visibility::parse(visibility);
            let (update, erase) = (update.clone(), *erase);
            items.push(PushItem { doc_id: doc, kind: kind.clone(), visibility, update, client_seq, erase });
        }
        let ack = client.push(items).await.map_err(client_error)?;
        let mut refused = Vec::new();
        let mut erased_elsewhere = Vec::new();
        for (result, row) in ack.results.iter().zip(&rows) {
            match &result.outcome {
                PushOutcome::Stored { .. } | PushOutcome::Duplicate { .. } => {
                    report.pushed += 1;
                    pushed_docs.insert(row.1.clone());
                }
                PushOutcome::Rejected { error } if error.code == ErrorCode::Erased => {
                    erased_elsewhere.push((row.2.clone(), row.1.clone()));
                }
                PushOutcome::Rejected { error } => {
                    report.rejected += 1;
                    refused.push(format!("{} {}: {}", row.2, row.1, error.message));
                }
            }
        }
        let done: Vec<i64> = rows.iter().take(ack.results.len()).map(|r| r.0).collect();
        ctx.write(|tx| {
            let mut stmt = tx.sql.prepare_cached("DELETE FROM sync_outbox WHERE seq = ?1")?;
            for seq in &done {
                stmt.execute([seq])?;
            }
            for (kind, doc_id) in &erased_elsewhere {
                if crate::erasure::erase_remote(tx, kind, doc_id)? {
                    report.erased += 1;
                }
            }
            if let Some(first) = refused.first() {
                let message = format!("the server refused {} change(s), e.g. {first}", refused.len());
                set_setting(&tx.sql, LAST_ERROR, &message)?;
            }
            Ok(())
        })?;
    }
}

/// Applies one page of updates and stores `next_cursor`, in one transaction.
fn apply_page(
    ctx: &Ctx,
    updates: &[DocUpdate],
    next_cursor: u64,
    report: &mut SyncReport,
    pushed_docs: &HashSet<String>,
) -> Result<u64> {
    ctx.write(|tx| {
        for update in updates {
            let doc_id = update.doc_id.to_string();
            report.pulled += 1;
            if update.erased {
                if crate::erasure::erase_remote(tx, &update.kind, &doc_id)? {
                    report.erased += 1;
                }
                continue;
            }
            let applied = apply_remote(tx, &update.kind, &doc_id, &update.update)?;
            if !matches!(applied, Applied::Unchanged | Applied::UnknownKind) {
                report.applied += 1;
                if pushed_docs.contains(&doc_id) {
                    report.conflicts += 1;
                }
            }
            match applied {
                Applied::Deleted => report.deleted += 1,
                Applied::Deferred => report.deferred += 1,
                _ => {}
            }
        }
        set_setting(&tx.sql, CURSOR, &next_cursor.to_string())?;
        Ok(next_cursor)
    })
}

/// Stays connected: syncs once, then applies live updates as they arrive and pushes local
/// changes every `push_every`, reconnecting with backoff, until Ctrl-C. `on_event` receives
/// one-line progress messages.
pub async fn run(ctx: &Ctx, push_every: Duration, mut on_event: impl FnMut(String)) -> Result<()> {
    match sync_now(ctx).await {
        Ok(report) => on_event(format!("synced: pushed {}, applied {}", report.pushed, report.applied)),
        Err(Error::Sync(e)) => on_event(format!("first sync failed ({e}); retrying live")),
        Err(other) => return Err(other),
    }
    let client = client(ctx)?;
    let mut subscription = client.subscribe(cursor(ctx)?);
    let mut tick = tokio::time::interval(push_every);
    let stop = tokio::signal::ctrl_c();
    tokio::pin!(stop);
    let mut report = SyncReport::default();
    loop {
        tokio::select! {
            _ = &mut stop => {
                on_event("stopped".into());
                return Ok(());
            }
            event = subscription.next() => match event {
                Some(SubscriptionEvent::Connected) => on_event("connected".into()),
                Some(SubscriptionEvent::Reconnecting(after)) => on_event(format!("connection lost; reconnecting in {after:?}")),
                Some(SubscriptionEvent::Updates(page)) => {
                    let (applied_before, erased_before) = (report.applied, report.erased);
                    apply_page(ctx, &page.updates, page.next_cursor, &mut report, &HashSet::new())?;
                    if report.erased > erased_before {
                        super::erase::scrub(ctx)?;
                    }
                    on_event(format!("applied {} update(s)", report.applied - applied_before));
                }
                Some(SubscriptionEvent::Stopped(e)) => {
                    let error = Error::Sync(format!("the sync server ended the session: {}", e.message));
                    record_outcome(ctx, Err(&error));
                    return Err(error);
                }
                None => return Err(Error::Sync("the live sync session ended unexpectedly; run it again".into())),
            },
            _ = tick.tick() => {
                let mut pushed = SyncReport::default();
                let pushed_result = push_outbox(ctx, &client, &mut pushed, &mut HashSet::new()).await;
                if pushed.erased > 0 {
                    super::erase::scrub(ctx)?;
                }
                match pushed_result {
                    Ok(()) if pushed.pushed > 0 => on_event(format!("pushed {} change(s)", pushed.pushed)),
                    Ok(()) => {}
                    Err(e) => {
                        record_outcome(ctx, Err(&e));
                        on_event(format!("push failed ({e}); will retry"));
                    }
                }
            }
        }
    }
}
