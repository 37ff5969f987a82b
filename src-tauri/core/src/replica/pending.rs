//! Lazily recorded changes: bulk writers (CSV import) mark a record as changed in the row's own
//! transaction instead of building its CRDT document there; the document is built from the row
//! when the markers are flushed — before every push, and before remote updates are applied (so a
//! remote edit always merges with the local version, never overwrites it).
//!
//! This keeps the write path's guarantee (row and CRDT can never disagree after a crash: the
//! marker commits with the row, and the document is a pure function of the row at flush time)
//! while an import of a million rows does not build a million documents while the rep waits.

use outpost_sync::entity::EntityKind;

use crate::replica::record;
use crate::{store::ctx::Tx, Ctx, Result};

/// How many records one flush transaction documents (bounded transaction size and memory; other
/// writers get the database between two batches).
pub(crate) const FLUSH_BATCH: usize = 5_000;

/// Marks record `id` of `kind` as changed; its document is built at the next flush.
pub fn mark_changed(tx: &Tx<'_>, kind: EntityKind, id: &impl std::fmt::Display) -> Result<()> {
    tx.sql
        .prepare_cached("INSERT INTO sync_pending (doc_id, kind) VALUES (?1, ?2)")?
        .execute(rusqlite::params![id.to_string(), kind.name()])?;
    Ok(())
}

/// How many records wait for their documents.
pub fn pending_count(conn: &rusqlite::Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT count(*) FROM sync_pending", [], |r| r.get(0))?)
}

/// The records waiting for their documents (they count as changed here until pushed).
pub(crate) fn pending_docs(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT DISTINCT doc_id FROM sync_pending")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Builds the documents of the oldest `limit` marked records in one transaction; returns how many
/// markers were flushed (fewer than `limit`: none are left). The push path documents a push
/// batch's worth at a time, while the previous batch is at the server.
pub(crate) fn flush_up_to(ctx: &Ctx, limit: usize) -> Result<usize> {
    ctx.write(|tx| flush_batch(tx, limit))
}

/// Builds the documents of every marked record, oldest first (parents before children), in
/// transactions of [`FLUSH_BATCH`] markers. Returns how many markers were flushed.
pub fn flush_all(ctx: &Ctx) -> Result<u64> {
    let mut total = 0u64;
    loop {
        let flushed = flush_up_to(ctx, FLUSH_BATCH)?;
        total += flushed as u64;
        if flushed < FLUSH_BATCH {
            return Ok(total);
        }
    }
}

/// Flushes every marker inside `tx` (before a remote update is applied in it, so a remote edit
/// always merges with the local version instead of overwriting it). Cheap when nothing is marked.
pub(crate) fn flush_in(tx: &Tx<'_>) -> Result<u64> {
    let mut total = 0u64;
    loop {
        let flushed = flush_batch(tx, FLUSH_BATCH)?;
        total += flushed as u64;
        if flushed < FLUSH_BATCH {
            return Ok(total);
        }
    }
}

fn flush_batch(tx: &Tx<'_>, limit: usize) -> Result<usize> {
    let markers: Vec<(i64, String, String)> = {
        // The limit is part of the SQL text, not a bound parameter: SQLite plans with a bound
        // LIMIT's value, so rebinding it expired the statement and every call (one per remote
        // update applied) re-prepared it.
        let sql = format!("SELECT seq, doc_id, kind FROM sync_pending ORDER BY seq LIMIT {limit}");
        let mut stmt = tx.sql.prepare_cached(&sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let Some(last) = markers.last().map(|m| m.0) else { return Ok(0) };
    for (_, doc_id, kind) in &markers {
        // A marker of a kind this version does not replicate (written by a newer one) is dropped.
        if let Some(kind) = EntityKind::parse(kind) {
            record::record_row(tx, kind, doc_id)?;
        }
    }
    tx.sql.prepare_cached("DELETE FROM sync_pending WHERE seq <= ?1")?.execute([last])?;
    Ok(markers.len())
}
