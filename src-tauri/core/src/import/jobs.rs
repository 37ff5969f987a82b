//! Import jobs: one per file, with status, counts, per-row outcomes and errors. Rows are written in
//! transactions of growing size (see the `batch` module), each together with the job's progress
//! marker, so a crash at any point loses nothing and duplicates nothing: running the same file
//! again resumes after the last committed row. A completed file (by checksum) is never imported
//! twice unless forced.

use std::{
    path::{Path, PathBuf},
    sync::atomic::{AtomicBool, Ordering},
    time::Instant,
};

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::import::batch::CHUNK_ROWS;
use crate::import::{
    apply::ImportMode,
    batch::{read_ahead, End, FromReader, Writer},
    file_plan::{plan_file, JobReading, PlanRequest},
    record_type::RecordType,
    region::PhoneRegion,
    sheet_choice,
    source::Source,
    templates::SaveTemplate,
    Mapping, NormalizeOptions,
};
use crate::{store::audit, store::ids::ImportJobId, Ctx, Error, Result};

/// A rejected row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RowError {
    /// 1-based data row number.
    pub row: u64,
    /// Why it was rejected.
    pub message: String,
}

/// An import job and its summary.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportJob {
    /// Id.
    pub id: ImportJobId,
    /// `previewed`, `importing`, `completed`, `failed` or `cancelled`.
    pub status: String,
    /// `skip` or `update`.
    pub mode: ImportMode,
    /// `file`, `folder`, `s3`, …
    pub source_kind: String,
    /// Where the file came from.
    pub source_path: String,
    /// SHA-256 of the file's bytes (a workbook's is followed by `#` and the sheet read).
    pub checksum: String,
    /// File size.
    pub size_bytes: u64,
    /// Detected encoding.
    pub encoding: String,
    /// Detected delimiter.
    pub delimiter: String,
    /// What the rows became: `contacts`, `companies` or `deals`.
    pub record_type: Option<RecordType>,
    /// Region used to read national phone numbers, and why.
    pub phone_region: Option<PhoneRegion>,
    /// Notices about the file as a whole (a guessed or mixed encoding).
    pub notices: Vec<String>,
    /// Data rows seen.
    pub total: u64,
    /// New contacts created.
    pub imported: u64,
    /// Existing contacts updated.
    pub updated: u64,
    /// Duplicates left alone.
    pub skipped: u64,
    /// Rows rejected.
    pub failed: u64,
    /// Rejected rows with reasons (all of them for `show`, the first 100 in lists).
    pub errors: Vec<RowError>,
    /// Rows imported with something left out or guessed (an invalid email, a phone mangled by a
    /// spreadsheet, an unknown stage…), with what (all for `show`, the first 100 in lists).
    pub warnings: Vec<RowError>,
    /// Why the whole job failed, if it did.
    pub error: Option<String>,
    /// Time spent importing.
    pub duration_ms: u64,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Finished (RFC 3339).
    pub finished_at: Option<String>,
}

/// What to import and how.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct ImportRequest {
    /// The CSV file or workbook.
    #[ts(type = "string")]
    pub path: PathBuf,
    /// Column mapping; default: the saved template for these headers, else auto-mapping.
    #[serde(default)]
    pub mapping: Option<Mapping>,
    /// Column mapping as JSON text (a `--mapping FILE.json`), validated against the file's headers.
    #[serde(default)]
    pub mapping_json: Option<String>,
    /// What to do with duplicates.
    #[serde(default)]
    pub mode: ImportMode,
    /// Import even if this exact file was imported before.
    #[serde(default)]
    pub force: bool,
    /// Region for phone numbers without a country code; default: inferred from the file (its
    /// country columns and international numbers), else GB.
    #[serde(default)]
    pub region: Option<String>,
    /// Encoding to read the file with instead of detecting it (`windows-1250`, `utf-8`…).
    #[serde(default)]
    pub encoding: Option<String>,
    /// Record type instead of detecting it from the headers: `contacts`, `companies` or `deals`.
    #[serde(default)]
    pub record_type: Option<String>,
    /// Where it came from (`file`, `folder`, `s3`, `drop`); default `file`.
    #[serde(default)]
    pub source_kind: Option<String>,
    /// Workbooks: the sheet to read (default: the remembered or best one); remembered for
    /// workbooks with the same sheet names.
    #[serde(default)]
    pub sheet: Option<String>,
}

/// Progress of a running import.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    /// Job id.
    pub job_id: ImportJobId,
    /// Data rows processed so far.
    pub rows_done: u64,
    /// Rows rejected so far.
    pub failed: u64,
    /// File size, for a rough fraction.
    pub size_bytes: u64,
    /// Bytes of (decoded) text behind the rows done: `bytes_done / size_bytes` is the fraction done
    /// for UTF-8 files (UTF-16 ones decode to about half their size).
    pub bytes_done: u64,
}

const SELECT: &str = "SELECT id, status, mode, source_kind, source_path, checksum, size_bytes, encoding, delimiter,
    total, imported, updated, skipped, failed, error, duration_ms, created_at, finished_at, mapping FROM import_jobs";

fn from_row(row: &Row<'_>) -> rusqlite::Result<ImportJob> {
    let mode: String = row.get(2)?;
    let reading: Option<JobReading> = serde_json::from_str(&row.get::<_, String>(18)?).ok();
    let (record_type, phone_region, notices) =
        reading.map_or((None, None, Vec::new()), |r| (r.record_type, r.phone_region, r.notices));
    Ok(ImportJob {
        record_type,
        phone_region,
        notices,
        warnings: Vec::new(),
        id: row.get(0)?,
        status: row.get(1)?,
        mode: if mode == "update" { ImportMode::Update } else { ImportMode::Skip },
        source_kind: row.get(3)?,
        source_path: row.get(4)?,
        checksum: row.get(5)?,
        size_bytes: row.get(6)?,
        encoding: row.get(7)?,
        delimiter: row.get(8)?,
        total: row.get(9)?,
        imported: row.get(10)?,
        updated: row.get(11)?,
        skipped: row.get(12)?,
        failed: row.get(13)?,
        errors: Vec::new(),
        error: row.get(14)?,
        duration_ms: row.get(15)?,
        created_at: row.get(16)?,
        finished_at: row.get(17)?,
    })
}

fn warnings_of(conn: &Connection, id: ImportJobId, limit: u32) -> Result<Vec<RowError>> {
    let mut stmt = conn.prepare_cached(
        "SELECT row, message FROM import_rows WHERE job_id = ?1 AND outcome IN ('imported', 'updated')
           AND message IS NOT NULL ORDER BY row LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![id, limit], |r| Ok(RowError { row: r.get(0)?, message: r.get(1)? }))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn errors_of(conn: &Connection, id: ImportJobId, limit: u32) -> Result<Vec<RowError>> {
    let mut stmt = conn.prepare_cached(
        "SELECT row, message FROM import_rows WHERE job_id = ?1 AND outcome = 'failed' ORDER BY row LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![id, limit], |r| Ok(RowError { row: r.get(0)?, message: r.get(1)? }))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(crate) fn fetch(conn: &Connection, id: ImportJobId, error_limit: u32) -> Result<ImportJob> {
    let mut job = conn
        .query_row(&format!("{SELECT} WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: "import", id: id.to_string() })?;
    job.errors = errors_of(conn, id, error_limit)?;
    job.warnings = warnings_of(conn, id, error_limit)?;
    Ok(job)
}

/// Import jobs, newest first.
pub fn list(ctx: &Ctx, limit: u32) -> Result<Vec<ImportJob>> {
    ctx.read(|conn| {
        let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY created_at DESC LIMIT ?1"))?;
        let mut jobs = stmt.query_map([limit], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        for job in &mut jobs {
            job.errors = errors_of(conn, job.id, 100)?;
            job.warnings = warnings_of(conn, job.id, 100)?;
        }
        Ok(jobs)
    })
}

/// One job with every rejected row.
pub fn get(ctx: &Ctx, id: ImportJobId) -> Result<ImportJob> {
    ctx.read(|conn| fetch(conn, id, u32::MAX))
}

/// Every rejected row of a job.
pub fn errors(ctx: &Ctx, id: ImportJobId) -> Result<Vec<RowError>> {
    ctx.read(|conn| {
        fetch(conn, id, 0)?;
        errors_of(conn, id, u32::MAX)
    })
}

/// The job to continue for this file: an unfinished one with the same checksum, unless forced.
fn resume_or_create(
    ctx: &Ctx,
    source: &Source,
    req: &ImportRequest,
    reading: &JobReading,
) -> Result<(ImportJobId, u64)> {
    let checksum = source.job_checksum();
    let mapping = reading;
    ctx.write(|tx| {
        let latest: Option<(ImportJobId, String, u64, String)> = tx
            .sql
            .query_row(
                "SELECT id, status, resume_row, created_at FROM import_jobs WHERE checksum = ?1
                 ORDER BY (status = 'completed') DESC, created_at DESC LIMIT 1",
                [&checksum],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        match latest {
            Some((id, status, _, at)) if status == "completed" && !req.force => Err(Error::Conflict {
                message: format!(
                    "{} was already imported (job {id}, {at}); the same content is never imported twice — pass --force to import it again",
                    source.path().display()
                ),
            }),
            Some((id, status, resume_row, _)) if status != "completed" && !req.force => {
                tx.sql.execute(
                    "UPDATE import_jobs SET status = 'importing', mode = ?2, mapping = ?3, error = NULL WHERE id = ?1",
                    params![id, req.mode.as_str(), serde_json::to_string(mapping)?],
                )?;
                Ok((id, resume_row))
            }
            _ => {
                let id = ImportJobId::new();
                tx.sql.execute(
                    "INSERT INTO import_jobs (id, status, mode, source_kind, source_path, checksum, size_bytes, encoding,
                         delimiter, headers, mapping, forced, created_at)
                     VALUES (?1, 'importing', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    params![
                        id,
                        req.mode.as_str(),
                        req.source_kind.as_deref().unwrap_or("file"),
                        source.path().display().to_string(),
                        checksum,
                        source.size_bytes(),
                        source.encoding(),
                        source.delimiter(),
                        serde_json::to_string(source.headers())?,
                        serde_json::to_string(mapping)?,
                        req.force,
                        tx.stamp()
                    ],
                )?;
                Ok((id, 0))
            }
        }
    })
}

fn finish(ctx: &Ctx, job: ImportJobId, status: &str, error: Option<String>, elapsed_ms: u64) -> Result<ImportJob> {
    ctx.write(|tx| {
        tx.sql.execute(
            "UPDATE import_jobs SET status = ?2, error = ?3, duration_ms = duration_ms + ?4, finished_at = ?5
             WHERE id = ?1",
            params![job, status, error, elapsed_ms, tx.stamp()],
        )?;
        let summary = fetch(&tx.sql, job, 0)?;
        audit::record(
            tx,
            "import",
            "import_job",
            &job,
            &serde_json::json!({
                "status": status, "source": summary.source_path, "total": summary.total,
                "imported": summary.imported, "updated": summary.updated, "skipped": summary.skipped,
                "failed": summary.failed,
            }),
        )?;
        fetch(&tx.sql, job, u32::MAX)
    })
}

/// Imports one CSV file as a job. `progress` is called after every chunk of rows, while that
/// chunk's transaction is open (so it must not call into `ctx`); setting `cancel` stops the job
/// after the current chunk, which is committed (status `cancelled`; running it again resumes).
pub async fn import_file(
    ctx: &Ctx,
    req: ImportRequest,
    progress: &(dyn Fn(&ImportProgress) + Sync),
    cancel: &AtomicBool,
) -> Result<ImportJob> {
    let started = Instant::now();
    let plan = plan_file(
        ctx,
        &PlanRequest {
            path: &req.path,
            mapping: req.mapping.as_ref(),
            mapping_json: req.mapping_json.as_deref(),
            encoding: req.encoding.as_deref(),
            record_type: req.record_type.as_deref(),
            region: req.region.as_deref(),
            sheet: req.sheet.as_deref(),
            save: SaveTemplate::Yes,
        },
    )?;
    let (source, mapping, kind) = (plan.source, plan.mapping, plan.record_type);
    if let (Some(book), Some(_)) = (source.workbook(), req.sheet.as_deref()) {
        let names: Vec<String> = book.sheets.iter().map(|s| s.name.clone()).collect();
        sheet_choice::remember(ctx, &names, &book.sheet)?;
    }
    let headers = source.headers().to_vec();
    let size_bytes = source.size_bytes();
    let reading = JobReading {
        mapping: mapping.clone(),
        record_type: Some(kind),
        phone_region: Some(plan.phone_region.clone()),
        notices: plan.notices.clone(),
    };
    let (job, resume_row) = resume_or_create(ctx, &source, &req, &reading)?;
    let options = NormalizeOptions { default_region: plan.phone_region.region.clone() };
    let label = file_label(&req.path);
    // About five keys per row of ~80 bytes.
    let expected_keys = size_bytes / 16;
    let mut writer = Writer { job, kind, mode: req.mode, source_label: &label, keys: None, expected_keys, chunks: 1 };
    let (mut done, mut failed) = (resume_row, 0_u64);
    let elapsed = || u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let (sender, chunks) = std::sync::mpsc::sync_channel(2);
    let (spent, to_free) = std::sync::mpsc::channel();
    let cancelled = std::thread::scope(|scope| -> Result<bool> {
        // Owned here, so the reader stops (its sends fail) whenever the writer returns early.
        let reader = FromReader { chunks, spent };
        scope.spawn(|| read_ahead(source, resume_row, kind, &mapping, &headers, &options, (sender, to_free)));
        let mut after_chunk = |rows: u64, rows_failed: u64, bytes_done: u64| {
            done += rows;
            failed += rows_failed;
            progress(&ImportProgress { job_id: job, rows_done: done, failed, size_bytes, bytes_done });
            cancel.load(Ordering::Relaxed)
        };
        loop {
            match writer.write(ctx, &reader, &mut after_chunk)? {
                End::Full => {}
                End::Exhausted => return Ok(false),
                End::Cancelled => return Ok(true),
                End::ReadFailed(error) => {
                    let message = format!("reading stopped after row {done}: {error}");
                    finish(ctx, job, "failed", Some(message), elapsed())?;
                    return Err(error.into());
                }
            }
        }
    })?;
    if cancelled {
        return finish(ctx, job, "cancelled", None, elapsed());
    }
    let since: String =
        ctx.read(|conn| Ok(conn.query_row("SELECT created_at FROM import_jobs WHERE id = ?1", [job], |r| r.get(0))?))?;
    ctx.write(|tx| super::similar::suggest_since(tx, &since))?;
    // Up to `import-document-max` waiting records get their sync documents now, as every other
    // edit does in its own write, so the next sync (maybe after a flight) only pushes. Bigger
    // imports leave them to the next sync: the rep does not wait for a million documents.
    let (waiting, limit) = ctx
        .read(|conn| Ok((crate::replica::pending_count(conn)?, crate::store::settings::import_document_max(conn)?)))?;
    if waiting <= limit {
        crate::replica::flush_pending(ctx)?;
    }
    finish(ctx, job, "completed", None, elapsed())
}

fn file_label(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}
