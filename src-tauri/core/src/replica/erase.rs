//! GDPR erasure at the document level: forget a record's CRDT document (state, outbox entries)
//! keeping only a content-free tombstone, queue the erasure for the server, and scrub the
//! database files afterwards so no freed page or WAL frame still holds the erased bytes.
//!
//! Which records an erasure of a *person* reaches (linked activities, tasks, deals, …) is decided
//! in [`crate::erasure`]; this module only knows documents.

use outpost_sync::doc::{RecordDoc, RecordView};
use rusqlite::{params, Connection, OptionalExtension};

use crate::replica::{device, kinds, record};
use crate::{store::ctx::Tx, Ctx, Result};

/// Whether document `doc_id` was erased on this replica.
pub fn is_erased(conn: &Connection, doc_id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM sync_erased WHERE doc_id = ?1")?
        .query_row([doc_id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The materialised view of `doc_id`'s document, if this replica has one (also for records whose
/// row is gone, e.g. deleted ones: their document still holds their fields).
pub(crate) fn view(tx: &Tx<'_>, doc_id: &str) -> Result<Option<RecordView>> {
    let client = device::client_id_in(tx)?;
    Ok(record::load(&tx.sql, client, doc_id)?.map(|doc: RecordDoc| doc.view()))
}

/// Forgets document `doc_id` of `kind`: removes its row from the kind's table, its stored state
/// and its unsent outbox entries, and records the tombstone. Returns false if it was already erased.
pub(crate) fn forget(tx: &Tx<'_>, kind: &str, doc_id: &str) -> Result<bool> {
    if is_erased(&tx.sql, doc_id)? {
        return Ok(false);
    }
    if let Some(spec) = kinds::kind(kind) {
        tx.sql.execute(&format!("DELETE FROM {} WHERE id = ?1", spec.table), [doc_id])?;
    }
    tx.sql.execute("DELETE FROM sync_docs WHERE doc_id = ?1", [doc_id])?;
    tx.sql.execute("DELETE FROM sync_outbox WHERE doc_id = ?1", [doc_id])?;
    tx.sql.execute("DELETE FROM sync_pending_refs WHERE doc_id = ?1", [doc_id])?;
    tx.sql.execute("DELETE FROM sync_pending WHERE doc_id = ?1", [doc_id])?;
    tx.sql.execute("DELETE FROM sync_quarantine WHERE doc_id = ?1", [doc_id])?;
    tx.sql.execute("DELETE FROM audit_log WHERE entity_id = ?1", [doc_id])?;
    tx.sql.execute(
        "INSERT INTO sync_erased (doc_id, kind, erased_at) VALUES (?1, ?2, ?3)",
        params![doc_id, kind, tx.stamp()],
    )?;
    Ok(true)
}

/// Queues the erasure of `doc_id` for the server (sent by the next sync, even if offline now).
pub(crate) fn queue(tx: &Tx<'_>, kind: &str, doc_id: &str) -> Result<()> {
    tx.sql.execute(
        "INSERT INTO sync_outbox (doc_id, kind, visibility, \"update\", created_at, erase) VALUES (?1, ?2, ?3, x'', ?4, 1)",
        params![doc_id, kind, kinds::visibility(kind), tx.stamp()],
    )?;
    Ok(())
}

/// Rewrites the database so erased bytes are gone from the files too: rebuilds the contact, company
/// and memory search indexes (FTS5 keeps deleted tokens in old segments until merged), VACUUMs (every page rewritten,
/// free pages dropped; `secure_delete` is on for every connection so deleted cells are zeroed in
/// the meantime), and truncates the WAL, whose old frames still hold pre-erasure page images.
pub fn scrub(ctx: &Ctx) -> Result<()> {
    ctx.without_transaction(|conn| {
        conn.execute("INSERT INTO contacts_fts (contacts_fts) VALUES ('rebuild')", [])?;
        conn.execute("INSERT INTO companies_fts (companies_fts) VALUES ('rebuild')", [])?;
        conn.execute("INSERT INTO memories_fts (memories_fts) VALUES ('rebuild')", [])?;
        conn.execute_batch("VACUUM")?;
        let (busy, _, _): (i64, i64, i64) =
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        if busy != 0 {
            return Err(crate::Error::Sync(
                "the erasure is done, but another Outpost process kept the database busy so its write-ahead log \
                 could not be emptied; close other Outpost windows and run `outpost contacts erase ID` again"
                    .into(),
            ));
        }
        Ok(())
    })
}
