//! What the cloud folder sources (Google Drive, Dropbox) share: the saved change cursor, backoff
//! after rate limiting or provider failures, authorised HTTP calls through the source's
//! connection, and the hand-off of a downloaded file to the import ledger.
//!
//! A file is recorded in `processed_files` under its provider file id and the provider's checksum
//! (Drive `md5Checksum` or sheet version, Dropbox `content_hash`), so it is imported once across
//! restarts and renames; an edited file (new checksum) is looked at again. The cursor is saved
//! after each page is fully handled, so a restart resumes where it stopped.

use std::{io::Write, path::PathBuf, sync::atomic::AtomicBool};

use chrono::{DateTime, Duration as ChronoDuration, Utc};
use rusqlite::{params, OptionalExtension};

use super::{
    ledger::{self, LocalFile},
    WatchEvent, WatchedSource,
};
use crate::{integrations::connections, integrations::outbound, store::ids::ConnectionId, Ctx, Error, Result};

/// Why a provider call failed.
#[derive(Debug)]
pub(super) enum CloudError {
    /// 429 or 5xx: back off (at least `retry_after`) and try again later.
    Busy { message: String, retry_after: Option<ChronoDuration> },
    /// Anything else: reported as the source's error; retried at the next poll.
    Failed(String),
}

impl From<Error> for CloudError {
    fn from(e: Error) -> Self {
        CloudError::Failed(e.to_string())
    }
}

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

/// Classifies a non-success response.
pub(super) async fn failure(what: &str, response: reqwest::Response) -> CloudError {
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .map(ChronoDuration::seconds);
    let body: String = response.text().await.unwrap_or_default().chars().take(200).collect();
    match status {
        429 => CloudError::Busy { message: format!("{what}: rate limited (HTTP 429)"), retry_after },
        500..=599 => CloudError::Busy { message: format!("{what}: the provider failed (HTTP {status})"), retry_after },
        401 => CloudError::Failed(format!(
            "{what}: the provider refused the connection's token (HTTP 401); check it with `outpost connections test`"
        )),
        _ => CloudError::Failed(format!("{what}: HTTP {status} {body}").trim_end().to_owned()),
    }
}

/// Sends `request` (authorised with the connection's fresh access token); non-2xx is a failure.
pub(super) async fn send(
    ctx: &Ctx,
    connection: ConnectionId,
    what: &str,
    request: reqwest::RequestBuilder,
) -> std::result::Result<reqwest::Response, CloudError> {
    let token = connections::access_token(ctx, connection).await?;
    let response = request
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| CloudError::Busy { message: format!("{what}: {}", e.without_url()), retry_after: None })?;
    if response.status().is_success() {
        Ok(response)
    } else {
        Err(failure(what, response).await)
    }
}

/// Streams a response body into a fresh folder under `<data_dir>/inbox/`; returns folder and file.
pub(super) async fn download(
    ctx: &Ctx,
    name: &str,
    mut response: reqwest::Response,
) -> std::result::Result<(PathBuf, PathBuf), CloudError> {
    let dir = ctx.data_dir().join("inbox").join(uuid::Uuid::now_v7().to_string());
    let safe: String = name.chars().map(|c| if c == '/' || c == '\\' { '_' } else { c }).collect();
    let path = dir.join(safe);
    let local =
        |e: std::io::Error| CloudError::Failed(format!("cannot write {}: {e}; check free disk space", path.display()));
    std::fs::create_dir_all(&dir).map_err(local)?;
    let mut file = std::fs::File::create(&path).map_err(local)?;
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => file.write_all(&chunk).map_err(local)?,
            Ok(None) => break,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(CloudError::Busy {
                    message: format!("download of {name} broke off: {}", e.without_url()),
                    retry_after: None,
                });
            }
        }
    }
    file.sync_all().map_err(local)?;
    Ok((dir, path))
}

/// A remote file that should be imported unless already handled.
pub(super) struct RemoteFile {
    /// Provider file id (ledger key).
    pub id: String,
    /// Provider checksum (ledger checksum).
    pub checksum: String,
    /// Display name, e.g. `leads.csv`.
    pub name: String,
    /// Shown as the import job's source, e.g. `gdrive://folder/leads.csv`.
    pub display: String,
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
    outcome: Option<CloudError>,
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
pub(super) fn report(ctx: &Ctx, source: &WatchedSource, error: CloudError) -> Result<WatchEvent> {
    match error {
        CloudError::Busy { message, retry_after } => back_off(ctx, source, &message, retry_after),
        CloudError::Failed(message) => ledger::scan_failed(ctx, source, message),
    }
}
