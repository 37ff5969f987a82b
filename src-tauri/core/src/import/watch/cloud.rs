//! Polling a cloud folder source (Google Drive, Dropbox): the saved change cursor, backoff after
//! rate limiting or provider failures, the page-by-page loop over the listing the adapter reads
//! ([`super::remote::RemoteFolders`], in `outpost-integrations`), and the hand-off of a downloaded
//! file to the import ledger. No provider's API is spoken here.
//!
//! A file is recorded in `processed_files` under its provider file id and the provider's checksum
//! (Drive `md5Checksum` or sheet version, Dropbox `content_hash`), so it is imported once across
//! restarts and renames; an edited file (new checksum) is looked at again. The cursor is saved
//! after each page is fully handled, so a restart resumes where it stopped.

use std::{
    path::PathBuf,
    sync::atomic::{AtomicBool, Ordering},
};

use chrono::{DateTime, Duration as ChronoDuration, Utc};
use rusqlite::{params, OptionalExtension};

use super::{
    ledger::{self, LocalFile},
    remote::{RemoteError, RemoteFile, RemoteFolders, RemoteSource},
    WatchEvent, WatchedSource,
};
use crate::{integrations::connections, integrations::outbound, store::ids::ConnectionId, Ctx, Error, Result};

/// The saved cursor and backoff of a source.
pub(super) struct CursorState {
    pub cursor: Option<String>,
    pub failures: u32,
    pub next_poll_at: Option<DateTime<Utc>>,
}

pub(super) fn load_cursor(ctx: &Ctx, source: &WatchedSource) -> Result<CursorState> {
    let row: Option<(Option<String>, u32, Option<String>)> = ctx.read(|conn| {
        Ok(conn
            .query_row(
                "SELECT cursor, failures, next_poll_at FROM source_cursors WHERE source_id = ?1",
                [source.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?)
    })?;
    let (cursor, failures, next) = row.unwrap_or_default();
    let next_poll_at = next.and_then(|n| DateTime::parse_from_rfc3339(&n).ok()).map(|d| d.with_timezone(&Utc));
    Ok(CursorState { cursor, failures, next_poll_at })
}

/// Saves the cursor reached (after a fully handled page) and clears any backoff.
pub(super) fn save_cursor(ctx: &Ctx, source: &WatchedSource, cursor: &str) -> Result<()> {
    ctx.write(|tx| {
        tx.sql.execute(
            "INSERT INTO source_cursors (source_id, cursor, failures, next_poll_at, updated_at) VALUES (?1, ?2, 0, NULL, ?3)
             ON CONFLICT (source_id) DO UPDATE SET cursor = ?2, failures = 0, next_poll_at = NULL, updated_at = ?3",
            params![source.id, cursor, tx.stamp()],
        )?;
        Ok(())
    })
}

/// Records a busy provider: the next poll waits `2^(n-1) × 30 s` (capped at an hour, scaled by
/// `OUTPOST_BACKOFF_SCALE`), or the provider's `Retry-After` if longer. Returns the source event.
pub(super) fn back_off(
    ctx: &Ctx,
    source: &WatchedSource,
    message: &str,
    retry_after: Option<ChronoDuration>,
) -> Result<WatchEvent> {
    let state = load_cursor(ctx, source)?;
    let failures = state.failures + 1;
    let scale = outbound::backoff_scale();
    let delay = ChronoDuration::from_std(outbound::backoff(failures, scale)).unwrap_or(ChronoDuration::hours(1));
    let hinted = retry_after.map(|r| ChronoDuration::milliseconds((r.num_milliseconds() as f64 * scale) as i64));
    let next = ctx.now() + hinted.map_or(delay, |h| h.max(delay));
    let next_text = outbound::stamp(next);
    ctx.write(|tx| {
        tx.sql.execute(
            "INSERT INTO source_cursors (source_id, cursor, failures, next_poll_at, updated_at) VALUES (?1, NULL, ?2, ?3, ?4)
             ON CONFLICT (source_id) DO UPDATE SET failures = ?2, next_poll_at = ?3, updated_at = ?4",
            params![source.id, failures, next_text, tx.stamp()],
        )?;
        Ok(())
    })?;
    ledger::scan_failed(ctx, source, format!("{message}; backing off until {next_text} (attempt {failures})"))
}

/// True while the source is backing off.
pub(super) fn backing_off(ctx: &Ctx, source: &WatchedSource) -> Result<bool> {
    Ok(load_cursor(ctx, source)?.next_poll_at.is_some_and(|at| at > ctx.now()))
}

/// The connection a cloud source reads through.
pub(super) fn connection_of(source: &WatchedSource) -> Result<ConnectionId> {
    source.settings.connection_id.ok_or_else(|| {
        Error::invalid("connection_id", format!("{} has no connection; remove it and add it again", source.location))
    })
}

/// Downloads `file` into a fresh folder under `<data_dir>/inbox/` through the adapter; returns
/// the folder and the file (the folder is removed again when the download fails).
pub(super) async fn fetch(
    ctx: &Ctx,
    remote: &dyn RemoteFolders,
    source: &RemoteSource,
    file: &RemoteFile,
) -> std::result::Result<(PathBuf, PathBuf), RemoteError> {
    let dir = ctx.data_dir().join("inbox").join(uuid::Uuid::now_v7().to_string());
    let safe: String = file.name.chars().map(|c| if c == '/' || c == '\\' { '_' } else { c }).collect();
    let path = dir.join(safe);
    std::fs::create_dir_all(&dir)
        .map_err(|e| RemoteError::Failed(format!("cannot write {}: {e}; check free disk space", path.display())))?;
    match remote.download(ctx, source, file, &path).await {
        Ok(()) => Ok((dir, path)),
        Err(e) => {
            let _ = std::fs::remove_dir_all(&dir);
            Err(e)
        }
    }
}

/// Imports a downloaded file through the ledger and removes the temporary copy.
pub(super) async fn import(
    ctx: &Ctx,
    source: &WatchedSource,
    file: &RemoteFile,
    (dir, path): (PathBuf, PathBuf),
    stop: &AtomicBool,
) -> Result<Option<WatchEvent>> {
    let sha = ledger::sha256(&path)
        .map_err(|e| Error::Import(crate::error::import::ImportError::Io { path: path.clone(), source: e }));
    let result = match sha {
        Ok(sha) => {
            let local = LocalFile {
                key: &file.id,
                checksum: &file.checksum,
                sha: &sha,
                path,
                display: Some(file.display.clone()),
            };
            ledger::import_local(ctx, source, local, stop).await
        }
        Err(e) => Err(e),
    };
    if let Err(e) = std::fs::remove_dir_all(&dir) {
        tracing::warn!("could not remove the temporary download {}: {e}", dir.display());
    }
    result
}

/// Ends one poll of a cloud folder: a provider failure becomes the source's error event (with
/// backoff when the provider is busy); otherwise the scan is recorded as good on the source and on
/// its connection.
pub(super) fn finish_poll(
    ctx: &Ctx,
    source: &WatchedSource,
    connection: ConnectionId,
    outcome: Option<RemoteError>,
    mut events: Vec<WatchEvent>,
) -> Result<Vec<WatchEvent>> {
    match outcome {
        Some(error) => events.push(report(ctx, source, error)?),
        None => {
            ledger::scan_ok(ctx, source)?;
            let _ = connections::record_sync(ctx, connection, None);
        }
    }
    Ok(events)
}

/// Handles a provider failure during a poll: a busy provider backs off; others become the error.
pub(super) fn report(ctx: &Ctx, source: &WatchedSource, error: RemoteError) -> Result<WatchEvent> {
    match error {
        RemoteError::Busy { message, retry_after } => back_off(ctx, source, &message, retry_after),
        RemoteError::Failed(message) => ledger::scan_failed(ctx, source, message),
    }
}

/// Polls one cloud folder once (skipped while backing off): reads the listing page by page from
/// the saved cursor, imports every file not handled before, saves each page's checkpoint once the
/// page is done, and ends with [`finish_poll`].
pub(super) async fn poll(
    ctx: &Ctx,
    remote: &dyn RemoteFolders,
    source: &WatchedSource,
    stop: &AtomicBool,
) -> Result<Vec<WatchEvent>> {
    if backing_off(ctx, source)? {
        return Ok(Vec::new());
    }
    let connection = connection_of(source)?;
    let target = match source.kind.as_str() {
        "gdrive" => {
            RemoteSource::GoogleDrive { connection, folder: source.location.trim_start_matches("gdrive://").to_owned() }
        }
        _ => RemoteSource::Dropbox {
            connection,
            path: super::sources::dropbox_path(&source.location),
            location: source.location.clone(),
        },
    };
    let mut events = Vec::new();
    let cursor = load_cursor(ctx, source)?.cursor;
    let outcome = pages(ctx, remote, source, &target, cursor, stop, &mut events).await?;
    finish_poll(ctx, source, connection, outcome, events)
}

async fn pages(
    ctx: &Ctx,
    remote: &dyn RemoteFolders,
    source: &WatchedSource,
    target: &RemoteSource,
    cursor: Option<String>,
    stop: &AtomicBool,
    events: &mut Vec<WatchEvent>,
) -> Result<Option<RemoteError>> {
    let mut listing = match remote.list(ctx, target, cursor).await {
        Ok(listing) => listing,
        Err(e) => return Ok(Some(e)),
    };
    loop {
        let page = match listing.next_page().await {
            Ok(Some(page)) => page,
            Ok(None) => return Ok(None),
            Err(e) => return Ok(Some(e)),
        };
        for file in &page.files {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            if ledger::is_processed(ctx, source, &file.id, &file.checksum)? {
                continue;
            }
            let downloaded = match fetch(ctx, remote, target, file).await {
                Ok(downloaded) => downloaded,
                Err(e) => return Ok(Some(e)),
            };
            events.extend(import(ctx, source, file, downloaded, stop).await?);
        }
        if stop.load(Ordering::Relaxed) {
            return Ok(None);
        }
        if let Some(checkpoint) = &page.checkpoint {
            save_cursor(ctx, source, checkpoint)?;
        }
    }
}
