//! The two halves of a running import: a reader thread that parses and normalises rows in
//! chunks, and the writer that plans and stores them, many chunks per transaction.
//!
//! Chunks ([`CHUNK_ROWS`]) bound memory and are the granularity of progress reports and
//! cancelling. Transactions grow: the first holds one chunk, each next one twice as many, up to
//! [`MAX_CHUNKS_PER_TRANSACTION`]. Big transactions matter at scale: every contact row lands on a
//! random page of four B-trees (id, e-mail, company and name, phone), and a commit writes
//! each page it dirtied to the WAL (and the checkpoint copies it again), so ten 100k-row commits
//! write a fraction of what a hundred 10k-row ones do (see BENCHMARKS.md). Memory does not grow
//! with the transaction: SQLite spills dirty pages beyond its cache to the WAL. Every transaction
//! carries the job's progress marker, so a crash at any point still loses and duplicates nothing.
//! Search indexing is deferred to one bulk statement per chunk ([`crate::store::search::deferred`]):
//! indexed row by row, FTS5 wrote and merged one index segment per row.

use std::sync::mpsc::{Receiver, Sender, SyncSender};
use std::sync::LazyLock;

use rusqlite::params;

use crate::{
    error::import::ImportError,
    import::{
        apply::{apply_row, ImportMode, Outcome, RowOutcome},
        company_rows::apply_company,
        deal_rows::apply_deal,
        key_filter::KeyFilter,
        lookup::FilteredExisting,
        plan::plan_row,
        record_type::RecordType,
        records::{normalize_record, Record},
        source::Source,
        Mapping, NormalizeOptions, RawRow, RowFailure, RowIssue,
    },
};
use crate::{store::ctx::Tx, store::ids::ImportJobId, Ctx, Result};

/// Rows read and normalised per chunk: the granularity of progress reports and cancelling.
pub const CHUNK_ROWS: usize = 10_000;

/// Most chunks one transaction takes (transactions start at one chunk and double).
pub const MAX_CHUNKS_PER_TRANSACTION: usize = 16;

/// Rows of the per-row report written by one statement. Every statement in a transaction
/// saves the pages it first touches in a statement journal and releases it at its end; one
/// statement per report row did that 100,000 times in a 100k-row import. 100 rows bind 501
/// values, well below SQLite's limit of 32,766.
const REPORT_ROWS_PER_STATEMENT: usize = 100;

/// One row of the import's per-row report (`import_rows`), waiting to be written.
struct ReportRow {
    row: u64,
    outcome: Outcome,
    record_id: Option<String>,
    message: Option<String>,
}

/// A row read and normalised, ready to plan and write.
type Normalized = std::result::Result<Record, RowFailure>;
type Prepared = (RawRow, Normalized);

/// A chunk of rows and the byte position of the reader after it, or why reading stopped.
pub(crate) type Chunk = std::result::Result<(Vec<Prepared>, u64), ImportError>;

/// The writer's ends of the pipe to the reader thread: chunks come in, and their spent rows go
/// back to be freed by the reader, which allocated them (glibc frees a block into the arena that
/// allocated it, under that arena's lock: freeing them on the writer contended with the reader).
pub(crate) struct FromReader {
    /// Chunks read and normalised, in file order.
    pub(crate) chunks: Receiver<Chunk>,
    /// Rows written, to be dropped on the reader thread.
    pub(crate) spent: Sender<Vec<Prepared>>,
}

/// Reads, skips what a previous run committed, and normalises rows on its own thread, handing
/// chunks to the writer through a small bounded queue: parsing and normalising (phone numbers
/// especially) overlap with the SQLite writes instead of adding to them.
pub(crate) fn read_ahead(
    source: Source,
    resume_row: u64,
    kind: RecordType,
    mapping: &Mapping,
    headers: &[String],
    options: &NormalizeOptions,
    (out, spent): (SyncSender<Chunk>, Receiver<Vec<Prepared>>),
) {
    let mut chunk = Vec::with_capacity(CHUNK_ROWS);
    let mut records = source.records();
    while let Some(record) = records.next() {
        if chunk.len() % 1_000 == 0 {
            while let Ok(rows) = spent.try_recv() {
                drop(rows);
            }
        }
        let raw = match record {
            Ok(raw) => raw,
            Err(error) => {
                let _ = out.send(Err(error));
                return;
            }
        };
        if raw.row <= resume_row {
            continue;
        }
        let lead = normalize_record(kind, mapping, headers, &raw, options);
        chunk.push((raw, lead));
        if chunk.len() == CHUNK_ROWS
            && out
                .send(Ok((std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_ROWS)), records.byte_position())))
                .is_err()
        {
            return;
        }
    }
    if !chunk.is_empty() {
        let _ = out.send(Ok((chunk, records.byte_position())));
    }
}

/// Why a transaction ended.
pub(crate) enum End {
    /// It took its share of chunks; more may follow.
    Full,
    /// The file is done.
    Exhausted,
    /// The user asked to stop.
    Cancelled,
    /// The reader failed after the rows committed so far.
    ReadFailed(ImportError),
}

/// Writes chunks for one job.
pub(crate) struct Writer<'a> {
    pub(crate) job: ImportJobId,
    pub(crate) kind: RecordType,
    pub(crate) mode: ImportMode,
    pub(crate) source_label: &'a str,
    /// Every de-duplication key of the store (built in the first transaction).
    pub(crate) keys: Option<KeyFilter>,
    /// Keys the file will add, roughly (sizes the filter).
    pub(crate) expected_keys: u64,
    /// Chunks the next transaction takes.
    pub(crate) chunks: usize,
}

impl Writer<'_> {
    fn outcome(
        &self,
        tx: &Tx<'_>,
        raw: &RawRow,
        record: &Normalized,
        keys: &mut KeyFilter,
    ) -> Result<(RowOutcome, Vec<String>)> {
        let record = match record {
            Ok(record) => record,
            Err(failure) => return Ok((RowOutcome::failed(failure.message.clone()), Vec::new())),
        };
        let mut warnings = record.warnings().to_vec();
        let outcome = match record {
            Record::Contact(lead) => {
                let plan = plan_row(lead, &mut FilteredExisting::new(&tx.sql, keys))?;
                apply_row(tx, lead, &plan, self.mode, self.source_label, keys)?
            }
            Record::Company(company) => apply_company(tx, company, self.mode, keys)?,
            Record::Deal(deal) => {
                let (outcome, more) = apply_deal(tx, deal, self.mode, self.source_label, keys)?;
                warnings.extend(more);
                outcome
            }
        };
        if let Some(RowIssue::Padded { expected, found }) = &raw.issue {
            warnings.push(format!("row had {found} of {expected} fields; the missing ones were left empty"));
        }
        Ok((outcome, warnings))
    }

    fn write_chunk(&self, tx: &Tx<'_>, rows: &[Prepared], keys: &mut KeyFilter, counts: &mut [u64; 4]) -> Result<()> {
        let mut report = Vec::with_capacity(REPORT_ROWS_PER_STATEMENT);
        for (raw, record) in rows {
            let (outcome, warnings) = self.outcome(tx, raw, record, keys)?;
            // An imported or updated row's message is its warnings; a skipped or failed one's says why.
            let message = match (outcome.message, warnings.is_empty()) {
                (Some(why), true) => Some(why),
                (Some(why), false) => Some(format!("{why}; {}", warnings.join("; "))),
                (None, false) => Some(warnings.join("; ")),
                (None, true) => None,
            };
            let slot = match outcome.outcome {
                Outcome::Imported => 0,
                Outcome::Updated => 1,
                Outcome::Skipped => 2,
                Outcome::Failed => 3,
            };
            counts[slot] += 1;
            report.push(ReportRow { row: raw.row, outcome: outcome.outcome, record_id: outcome.record_id, message });
            if report.len() == REPORT_ROWS_PER_STATEMENT {
                self.write_report(tx, &mut report)?;
            }
        }
        self.write_report(tx, &mut report)
    }

    /// Writes (and empties) `report`, rows of the import's per-row report:
    /// [`REPORT_ROWS_PER_STATEMENT`] of them with one statement, fewer one by one (a chunk's end).
    fn write_report(&self, tx: &Tx<'_>, report: &mut Vec<ReportRow>) -> Result<()> {
        use rusqlite::types::Value;
        // The job is `?1` in every row; each `?` after it takes the next number.
        const INSERT_ONE: &str =
            "INSERT OR REPLACE INTO import_rows (job_id, row, outcome, record_type, record_id, message)
             VALUES (?1, ?, ?, ?, ?, ?)";
        static INSERT_FULL: LazyLock<String> =
            LazyLock::new(|| format!("{INSERT_ONE}{}", ", (?1, ?, ?, ?, ?, ?)".repeat(REPORT_ROWS_PER_STATEMENT - 1)));
        let record_type = self.kind.record();
        let values = |row: ReportRow| {
            [
                Value::Integer(i64::try_from(row.row).unwrap_or(i64::MAX)),
                Value::Text(row.outcome.as_str().to_owned()),
                row.record_id.as_ref().map_or(Value::Null, |_| Value::Text(record_type.to_owned())),
                row.record_id.map_or(Value::Null, Value::Text),
                row.message.map_or(Value::Null, Value::Text),
            ]
        };
        let job = Value::Text(self.job.to_string());
        if report.len() == REPORT_ROWS_PER_STATEMENT {
            let params = std::iter::once(job).chain(report.drain(..).flat_map(values));
            tx.sql.prepare_cached(&INSERT_FULL)?.execute(rusqlite::params_from_iter(params))?;
        } else {
            let mut stmt = tx.sql.prepare_cached(INSERT_ONE)?;
            for row in report.drain(..) {
                stmt.execute(rusqlite::params_from_iter(std::iter::once(job.clone()).chain(values(row))))?;
            }
        }
        Ok(())
    }

    /// Writes up to `self.chunks` chunks from `reader` and the job's progress marker in one
    /// transaction. `after_chunk` is called after each chunk (inside the transaction, so it must
    /// not use `ctx`) with its row count, its failed rows and the reader's byte position, and
    /// returns true to stop.
    pub(crate) fn write(
        &mut self,
        ctx: &Ctx,
        reader: &FromReader,
        after_chunk: &mut dyn FnMut(u64, u64, u64) -> bool,
    ) -> Result<End> {
        let mut cached = self.keys.take();
        let written = ctx.write(|tx| {
            let mut keys = match cached.take() {
                Some(keys) if !keys.is_stale(&tx.sql)? => keys,
                _ => KeyFilter::load(&tx.sql, self.expected_keys)?,
            };
            crate::store::search::deferred::defer(tx)?;
            let (mut counts, mut rows, mut last) = ([0_u64; 4], 0_usize, None);
            let mut end = End::Full;
            for _ in 0..self.chunks {
                let (chunk, bytes_done) = match reader.chunks.recv() {
                    Err(_) => {
                        end = End::Exhausted;
                        break;
                    }
                    Ok(Err(error)) => {
                        end = End::ReadFailed(error);
                        break;
                    }
                    Ok(Ok(chunk)) => chunk,
                };
                let failed_before = counts[3];
                self.write_chunk(tx, &chunk, &mut keys, &mut counts)?;
                crate::store::search::deferred::index_dirty(tx)?;
                rows += chunk.len();
                last = chunk.last().map(|(raw, _)| raw.row).or(last);
                let stop = after_chunk(chunk.len() as u64, counts[3] - failed_before, bytes_done);
                // Once the reader is done the rows are simply dropped here.
                let _ = reader.spent.send(chunk);
                if stop {
                    end = End::Cancelled;
                    break;
                }
            }
            if let Some(last) = last {
                tx.sql.execute(
                    "UPDATE import_jobs SET imported = imported + ?2, updated = updated + ?3, skipped = skipped + ?4,
                         failed = failed + ?5, total = total + ?6, resume_row = ?7 WHERE id = ?1",
                    params![self.job, counts[0], counts[1], counts[2], counts[3], rows, last],
                )?;
            }
            end_transaction(tx, &mut keys)?;
            Ok((end, keys))
        });
        // A failed transaction is rolled back: its keys must not stay in the filter (rebuilt next time).
        let (end, keys) = written?;
        self.keys = Some(keys);
        self.chunks = (self.chunks * 2).min(MAX_CHUNKS_PER_TRANSACTION);
        Ok(end)
    }
}

/// The last writes of an import transaction: the deferred search indexing, FTS5's pending terms
/// flushed (a savepoint makes FTS5 write them now rather than at COMMIT), then the key filter
/// marked in sync with the store. The filter counts the connection's row changes to notice
/// writes it did not make; marked before the indexing's and FTS5's own writes, it found such
/// "foreign" changes and was reloaded — every key in the store read again — at the start of
/// every transaction (about 5 % of a 1M-row import, BENCHMARKS.md issue 16).
fn end_transaction(tx: &Tx<'_>, keys: &mut KeyFilter) -> Result<()> {
    crate::store::search::deferred::resume(tx)?;
    tx.sql.execute_batch("SAVEPOINT fts_flush; RELEASE fts_flush")?;
    keys.mark_synced(&tx.sql)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    use super::{KeyFilter, CHUNK_ROWS};
    use crate::{
        import::jobs::{import_file, ImportRequest},
        Ctx,
    };

    /// Regression: the filter was marked in sync before the transaction's last write, so the
    /// next transaction found it stale and reloaded every key of the store.
    #[test]
    fn the_key_filter_is_still_in_sync_when_the_next_transaction_starts() {
        let dir = tempfile::tempdir().expect("tmp");
        let ctx = Ctx::open(dir.path()).expect("open");
        let keys = ctx
            .write(|tx| {
                let mut keys = KeyFilter::load(&tx.sql, 100)?;
                crate::store::search::deferred::defer(tx)?;
                tx.sql.execute(
                    "INSERT INTO companies (id, name, created_at, updated_at) VALUES ('co', 'Acme', 'x', 'x')",
                    [],
                )?;
                super::end_transaction(tx, &mut keys)?;
                Ok(keys)
            })
            .expect("first transaction");
        let stale = ctx.write(|tx| Ok(keys.is_stale(&tx.sql)?)).expect("second transaction");
        assert!(!stale, "nothing else wrote between the transactions");
        // A write the filter did not see still makes it stale.
        ctx.write(|tx| {
            tx.sql.execute("UPDATE companies SET name = 'Acme Ltd' WHERE id = 'co'", [])?;
            Ok(())
        })
        .expect("someone else's write");
        assert!(ctx.write(|tx| Ok(keys.is_stale(&tx.sql)?)).expect("third transaction"));
    }

    fn count(ctx: &Ctx, sql: &str) -> i64 {
        ctx.read(|conn| Ok(conn.query_row(sql, [], |r| r.get(0))?)).expect("count")
    }

    /// The second transaction takes two chunks; cancelling after its first commits that chunk
    /// (and no more), and the rerun resumes after it without duplicating or losing a row.
    #[test]
    fn cancelling_inside_a_multi_chunk_transaction_commits_the_chunks_written_so_far() {
        let dir = tempfile::tempdir().expect("tmp");
        let ctx = Ctx::open(dir.path()).expect("open");
        let csv = dir.path().join("leads.csv");
        let rows = CHUNK_ROWS * 4;
        let mut text = String::from("First Name,Email\n");
        for i in 0..rows {
            text.push_str(&format!("Lead{i},lead{i}@example.com\n"));
        }
        std::fs::write(&csv, text).expect("write");
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        let (reports, cancel) = (AtomicUsize::new(0), AtomicBool::new(false));
        let stop_at_second = |_: &_| {
            if reports.fetch_add(1, Ordering::SeqCst) == 1 {
                cancel.store(true, Ordering::SeqCst);
            }
        };
        let req = ImportRequest { path: csv.clone(), ..Default::default() };
        let job = runtime.block_on(import_file(&ctx, req, &stop_at_second, &cancel)).expect("import");
        assert_eq!((job.status.as_str(), job.total), ("cancelled", 2 * CHUNK_ROWS as u64));
        assert_eq!(count(&ctx, "SELECT count(*) FROM contacts"), 2 * CHUNK_ROWS as i64);
        assert_eq!(count(&ctx, "SELECT resume_row FROM import_jobs"), 2 * CHUNK_ROWS as i64);

        let never = AtomicBool::new(false);
        let req = ImportRequest { path: csv, ..Default::default() };
        let rest = runtime.block_on(import_file(&ctx, req, &|_| {}, &never)).expect("resume");
        assert_eq!((rest.id, rest.status.as_str(), rest.imported), (job.id, "completed", rows as u64));
        assert_eq!(count(&ctx, "SELECT count(DISTINCT email) FROM contacts"), rows as i64);
        assert_eq!(count(&ctx, "SELECT count(*) FROM import_rows"), rows as i64);
    }

    /// Report rows are written a hundred to a statement and the rest of a chunk one by one; either
    /// way every data row has exactly its own report row, with its outcome, record and message.
    #[test]
    fn every_data_row_has_its_own_report_row_whether_written_in_a_batch_or_alone() {
        let dir = tempfile::tempdir().expect("tmp");
        let ctx = Ctx::open(dir.path()).expect("open");
        let csv = dir.path().join("leads.csv");
        let rows = 2 * super::REPORT_ROWS_PER_STATEMENT + 50;
        let mut text = String::from("First Name,Email,Phone\n");
        for i in 1..=rows {
            match i {
                7 | 230 => text.push_str(&format!("Lead{i},lead{i}@example.com,,one too many\n")),
                120 | 240 => text.push_str("Lead3,lead3@example.com,\n"),
                _ => text.push_str(&format!("Lead{i},lead{i}@example.com,\n")),
            }
        }
        std::fs::write(&csv, text).expect("write");
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        let req = ImportRequest { path: csv, ..Default::default() };
        let job = runtime.block_on(import_file(&ctx, req, &|_| {}, &AtomicBool::new(false))).expect("import");
        assert_eq!((job.imported, job.skipped, job.failed), (rows as u64 - 4, 2, 2));
        type Report = (i64, String, Option<String>, Option<String>, Option<String>);
        let report: Vec<Report> = ctx
            .read(|conn| {
                let mut stmt = conn.prepare(
                    "SELECT row, outcome, record_type, record_id, message FROM import_rows WHERE job_id = ?1 ORDER BY row",
                )?;
                let rows = stmt
                    .query_map([job.id.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(rows)
            })
            .expect("report");
        assert_eq!(report.iter().map(|r| r.0).collect::<Vec<_>>(), (1..=rows as i64).collect::<Vec<_>>());
        let lead3 = report[2].3.clone().expect("row 3 made a contact");
        for (row, outcome, record_type, record_id, message) in &report {
            match row {
                7 | 230 => {
                    assert_eq!((outcome.as_str(), record_type, record_id), ("failed", &None, &None), "row {row}");
                    assert!(message.is_some(), "a failed row says why (row {row})");
                }
                120 | 240 => {
                    assert_eq!(outcome, "skipped", "row {row}");
                    assert_eq!((record_type.as_deref(), record_id.as_deref()), (Some("contact"), Some(lead3.as_str())));
                    assert!(message.as_deref().is_some_and(|m| m.contains("duplicate")), "row {row}: {message:?}");
                }
                _ => {
                    assert_eq!(
                        (outcome.as_str(), record_type.as_deref(), message),
                        ("imported", Some("contact"), &None)
                    );
                    let email: String = ctx
                        .read(|conn| {
                            let id = record_id.clone().unwrap_or_default();
                            Ok(conn.query_row("SELECT email FROM contacts WHERE id = ?1", [id], |r| r.get(0))?)
                        })
                        .expect("the reported record exists");
                    assert_eq!(email, format!("lead{row}@example.com"));
                }
            }
        }
    }
}
