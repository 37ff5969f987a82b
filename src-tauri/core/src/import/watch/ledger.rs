//! The `processed_files` ledger and the hand-off of one local file to the import engine.
//!
//! A file is recorded once it is handled for good (imported, duplicate or failed), keyed by
//! (source, key, checksum). A cancelled import (the watcher was stopped mid-file) and a storage
//! failure are *not* recorded, so the next scan picks the file up again (the import job resumes).

use std::{
    io::Read,
    path::{Path, PathBuf},
    sync::atomic::AtomicBool,
};

use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

use super::{SkippedFile, WatchEvent, WatchEventKind, WatchedSource};
use crate::{
    import::{
        apply::ImportMode,
        jobs::{self, ImportJob, ImportRequest},
    },
    meetings::ics::{self, CalendarImportRequest, SkipReason},
    store::ids::{ImportJobId, SourceId},
    Ctx, Error, Result,
};

/// A blank event of `kind` about `key` in `source`.
pub(super) fn event(ctx: &Ctx, source: &WatchedSource, kind: WatchEventKind, key: &str) -> WatchEvent {
    WatchEvent {
        event: kind,
        source_id: source.id,
        location: source.location.clone(),
        key: key.to_owned(),
        job_id: None,
        status: None,
        imported: 0,
        updated: 0,
        skipped: 0,
        failed: 0,
        message: None,
        at: ctx.now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    }
}

fn with_job(mut event: WatchEvent, job: &ImportJob) -> WatchEvent {
    event.job_id = Some(job.id);
    event.status = Some(job.status.clone());
    event.imported = job.imported;
    event.updated = job.updated;
    event.skipped = job.skipped;
    event.failed = job.failed;
    event.message = job.error.clone();
    event
}

/// SHA-256 of a file's bytes, streamed.
pub(super) fn sha256(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0_u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(format!("{:x}", hasher.finalize()))
}

/// Whether this exact (key, checksum) was already handled.
pub(super) fn is_processed(ctx: &Ctx, source: &WatchedSource, key: &str, checksum: &str) -> Result<bool> {
    ctx.read(|conn| {
        Ok(conn
            .query_row(
                "SELECT 1 FROM processed_files WHERE source_id = ?1 AND key = ?2 AND checksum = ?3",
                params![source.id, key, checksum],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    })
}

/// Records a handled file.
pub(super) fn record(
    ctx: &Ctx,
    source: &WatchedSource,
    key: &str,
    checksum: &str,
    job: Option<ImportJobId>,
    outcome: &str,
    message: Option<&str>,
) -> Result<()> {
    ctx.write(|tx| {
        tx.sql.execute(
            "INSERT OR REPLACE INTO processed_files (source_id, key, checksum, job_id, outcome, processed_at, message)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![source.id, key, checksum, job, outcome, tx.stamp(), message],
        )?;
        // A file's failure stays the source's last error until a newer problem replaces it (a
        // later successful import does not hide it); source-level errors clear on recovery.
        if let ("failed", Some(message)) = (outcome, message) {
            tx.sql.execute(
                "UPDATE watched_sources SET last_error = ?2 WHERE id = ?1",
                params![source.id, format!("{key}: {message}")],
            )?;
        }
        Ok(())
    })
}

/// Marks a scan of `source` as completed; clears a previous source-level error.
pub(super) fn scan_ok(ctx: &Ctx, source: &WatchedSource) -> Result<()> {
    ctx.write(|tx| {
        tx.sql.execute(
            "UPDATE watched_sources SET last_scan_at = ?2,
                 last_error = CASE WHEN status = 'error' THEN NULL ELSE last_error END, status = 'ok'
             WHERE id = ?1",
            params![source.id, tx.stamp()],
        )?;
        Ok(())
    })
}

/// Records a source-level failure (retried at the next scan) and returns its event.
pub(super) fn scan_failed(ctx: &Ctx, source: &WatchedSource, message: String) -> Result<WatchEvent> {
    ctx.write(|tx| {
        tx.sql.execute(
            "UPDATE watched_sources SET status = 'error', last_error = ?2 WHERE id = ?1",
            params![source.id, message],
        )?;
        Ok(())
    })?;
    let mut event = event(ctx, source, WatchEventKind::SourceError, "");
    event.message = Some(message);
    Ok(event)
}

/// Skipped files are `processed_files` rows with this outcome and an empty checksum (no real
/// checksum is empty, so they never match a file being imported).
const SKIPPED: &str = "skipped";

/// Makes the source's skipped-file rows match what the latest scan skipped: new ones are added
/// (keeping when they were first seen), ones no longer there are removed.
pub(super) fn sync_skipped(ctx: &Ctx, source: &WatchedSource, skipped: &[(String, String)]) -> Result<()> {
    let stored: Vec<(String, Option<String>)> = ctx.read(|conn| {
        let mut stmt =
            conn.prepare_cached("SELECT key, message FROM processed_files WHERE source_id = ?1 AND outcome = ?2")?;
        let rows = stmt.query_map(params![source.id, SKIPPED], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    let unchanged = stored.len() == skipped.len()
        && skipped.iter().all(|(key, reason)| stored.iter().any(|(k, m)| k == key && m.as_deref() == Some(reason)));
    if unchanged {
        return Ok(());
    }
    ctx.write(|tx| {
        for (key, _) in stored.iter().filter(|(k, _)| !skipped.iter().any(|(key, _)| key == k)) {
            tx.sql.execute(
                "DELETE FROM processed_files WHERE source_id = ?1 AND key = ?2 AND outcome = ?3",
                params![source.id, key, SKIPPED],
            )?;
        }
        for (key, reason) in skipped {
            tx.sql.execute(
                "INSERT INTO processed_files (source_id, key, checksum, job_id, outcome, processed_at, message)
                 VALUES (?1, ?2, '', NULL, ?3, ?4, ?5)
                 ON CONFLICT (source_id, key, checksum) DO UPDATE SET message = excluded.message",
                params![source.id, key, SKIPPED, tx.stamp(), reason],
            )?;
        }
        Ok(())
    })
}

/// The files a source skipped, first 100 by key.
pub(super) fn skipped(conn: &rusqlite::Connection, source: SourceId) -> Result<Vec<SkippedFile>> {
    let mut stmt = conn.prepare_cached(
        "SELECT key, coalesce(message, ''), processed_at FROM processed_files
         WHERE source_id = ?1 AND outcome = ?2 ORDER BY key LIMIT 100",
    )?;
    let rows = stmt.query_map(params![source, SKIPPED], |r| {
        Ok(SkippedFile { key: r.get(0)?, reason: r.get(1)?, seen_at: r.get(2)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// An earlier ledger row with the same content.
struct Earlier {
    key: String,
    job: Option<ImportJobId>,
    outcome: String,
    message: Option<String>,
}

/// The earlier outcome of the same content in this source, under any key.
fn earlier(ctx: &Ctx, source: &WatchedSource, checksum: &str) -> Result<Option<Earlier>> {
    ctx.read(|conn| {
        Ok(conn
            .query_row(
                "SELECT key, job_id, outcome, message FROM processed_files
                 WHERE source_id = ?1 AND checksum = ?2 AND outcome != 'skipped'
                 ORDER BY (outcome = 'imported') DESC, processed_at LIMIT 1",
                params![source.id, checksum],
                |r| Ok(Earlier { key: r.get(0)?, job: r.get(1)?, outcome: r.get(2)?, message: r.get(3)? }),
            )
            .optional()?)
    })
}

fn completed_job_with(ctx: &Ctx, sha: &str) -> Result<Option<ImportJobId>> {
    ctx.read(|conn| {
        Ok(conn
            .query_row(
                "SELECT id FROM import_jobs WHERE checksum = ?1 AND status = 'completed' ORDER BY created_at DESC LIMIT 1",
                [sha],
                |r| r.get(0),
            )
            .optional()?)
    })
}

/// One local file ready to import.
pub(super) struct LocalFile<'a> {
    /// Ledger key: file name or object key.
    pub key: &'a str,
    /// Ledger checksum: SHA-256 (folders) or ETag (S3).
    pub checksum: &'a str,
    /// SHA-256 of the bytes.
    pub sha: &'a str,
    /// Where the bytes are.
    pub path: PathBuf,
    /// Recorded as the job's source path instead of `path` (S3 downloads).
    pub display: Option<String>,
}

/// Imports one file unless its content was handled before. `None` means nothing to report (the
/// watcher was stopped mid-import: the job resumes at the next scan).
pub(super) async fn import_local(
    ctx: &Ctx,
    source: &WatchedSource,
    file: LocalFile<'_>,
    stop: &AtomicBool,
) -> Result<Option<WatchEvent>> {
    if let Some(earlier) = earlier(ctx, source, file.sha)? {
        let (kind, outcome, message) = if earlier.outcome == "failed" {
            (WatchEventKind::Failed, "failed", earlier.message.unwrap_or_else(|| "could not be imported".into()))
        } else {
            (WatchEventKind::Duplicate, "duplicate", format!("same content as {}, imported before", earlier.key))
        };
        record(ctx, source, file.key, file.checksum, earlier.job, outcome, Some(&message))?;
        let mut event = event(ctx, source, kind, file.key);
        event.job_id = earlier.job;
        event.message = Some(message);
        return Ok(Some(event));
    }
    if is_calendar(file.key) {
        return import_calendar(ctx, source, &file).map(Some);
    }
    let req = ImportRequest {
        path: file.path.clone(),
        mapping: None,
        mapping_json: None,
        mode: ImportMode::Skip,
        force: false,
        region: None,
        source_kind: Some(source.kind.clone()),
        ..ImportRequest::default()
    };
    match jobs::import_file(ctx, req, &|_| {}, stop).await {
        Ok(job) if job.status == "cancelled" => Ok(None),
        Ok(job) => {
            if let Some(display) = &file.display {
                ctx.write(|tx| {
                    tx.sql
                        .execute("UPDATE import_jobs SET source_path = ?2 WHERE id = ?1", params![job.id, display])?;
                    Ok(())
                })?;
            }
            let (kind, outcome) = if job.status == "completed" {
                (WatchEventKind::Imported, "imported")
            } else {
                (WatchEventKind::Failed, "failed")
            };
            record(ctx, source, file.key, file.checksum, Some(job.id), outcome, job.error.as_deref())?;
            Ok(Some(with_job(event(ctx, source, kind, file.key), &job)))
        }
        Err(Error::Conflict { .. }) => {
            let job = completed_job_with(ctx, file.sha)?;
            let message = match job {
                Some(id) => format!("same content was already imported (job {id})"),
                None => "same content was already imported".to_owned(),
            };
            record(ctx, source, file.key, file.checksum, job, "duplicate", Some(&message))?;
            let mut event = event(ctx, source, WatchEventKind::Duplicate, file.key);
            event.job_id = job;
            event.message = Some(message);
            Ok(Some(event))
        }
        Err(Error::Import(error)) => {
            let message = error.to_string().replace(&file.path.display().to_string(), file.key);
            Ok(Some(fail(ctx, source, file.key, file.checksum, message)?))
        }
        Err(other) => Err(other),
    }
}

/// Whether a file is an iCalendar file (imported as meetings rather than leads).
pub(super) fn is_calendar(key: &str) -> bool {
    key.rsplit_once('.').is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("ics"))
}

/// Imports an `.ics` file as meetings ([`ics::import_text`]); counts in the event are
/// meetings (imported = created, updated = updated or cancelled, skipped = events left alone).
fn import_calendar(ctx: &Ctx, source: &WatchedSource, file: &LocalFile<'_>) -> Result<WatchEvent> {
    let text = match std::fs::read(&file.path) {
        Ok(bytes) => ics::decode_ics(&bytes),
        Err(e) => return fail(ctx, source, file.key, file.checksum, format!("cannot read it: {e}")),
    };
    match ics::import_text(ctx, file.key, &text, &CalendarImportRequest::default()) {
        Ok(report) => {
            let unreadable: Vec<String> = report
                .skipped
                .iter()
                .filter(|s| {
                    matches!(s.reason, SkipReason::Unreadable | SkipReason::OccurrenceLimit | SkipReason::Reply)
                })
                .map(|s| format!("{} (line {}): {}", s.uid, s.line.unwrap_or(0), s.detail.as_deref().unwrap_or("")))
                .collect();
            let mut message = format!(
                "calendar: {} events; {} meetings created, {} updated, {} cancelled, {} unchanged, {} skipped",
                report.events,
                report.created,
                report.updated,
                report.cancelled,
                report.unchanged,
                report.skipped.len()
            );
            if !unreadable.is_empty() {
                message.push_str(&format!("; not imported: {}", unreadable.join("; ")));
            }
            record(ctx, source, file.key, file.checksum, None, "imported", Some(&message))?;
            let mut event = event(ctx, source, WatchEventKind::Imported, file.key);
            event.status = Some("completed".into());
            event.imported = u64::from(report.created);
            event.updated = u64::from(report.updated + report.cancelled);
            event.skipped = u64::try_from(report.skipped.len()).unwrap_or(u64::MAX);
            event.message = Some(message);
            Ok(event)
        }
        Err(Error::Invalid { message, .. }) => fail(ctx, source, file.key, file.checksum, message),
        Err(other) => Err(other),
    }
}

/// Records a file that cannot be imported and returns its event.
pub(super) fn fail(
    ctx: &Ctx,
    source: &WatchedSource,
    key: &str,
    checksum: &str,
    message: String,
) -> Result<WatchEvent> {
    record(ctx, source, key, checksum, None, "failed", Some(&message))?;
    let mut event = event(ctx, source, WatchEventKind::Failed, key);
    event.message = Some(message);
    Ok(event)
}
