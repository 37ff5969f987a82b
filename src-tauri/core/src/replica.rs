//! Local-first replication: every replicated record is backed by one small yrs CRDT document
//! ([`outpost_sync::doc::RecordDoc`]), and the relational row is its materialised view.
//!
//! **Local write path.** Each mutation of a company, contact, deal, task, activity, meeting,
//! copilot memory or copilot conversation (owner-only kinds, see [`kinds`]) calls
//! `tx.changed(EntityKind::Deal, &id, Action::Update, &diff)` ([`change`]) inside its own
//! `ctx.write` transaction, after writing the row (or [`record_row`] alone when the change is
//! audited elsewhere): the row's replicated columns (see [`kinds`]) are set in the record's document, the
//! document's new state goes to `sync_docs` and the update to ship goes to `sync_outbox`, all in
//! the SAME SQLite transaction as the row. A crash can therefore never leave row and CRDT state
//! disagreeing: either all three are written or none.
//!
//! Bulk writers (CSV import) call [`mark_changed`] instead: a marker in the same transaction, and
//! the document is built from the row before the next push or before a remote update of that
//! record is applied (see `pending`).
//!
//! **Remote path.** [`apply_remote`] applies a pulled update to the document, stores its state
//! and re-materialises the row (upsert, or delete when the document is deleted: delete wins over
//! concurrent edits) in one transaction together with the pull cursor. Replayed remote updates are
//! never queued in the outbox.
//!
//! **One lead, one contact.** A contact with an e-mail address gets a deterministic id: the UUIDv5
//! [`outpost_sync::doc::natural_key_doc_id`] of its normalised (trimmed, lower-cased) e-mail, so
//! the same lead created offline on two devices is ONE document everywhere and the two versions
//! merge field by field. Companies are keyed the same way by their normalised domain, or by their
//! normalised name when they have no domain. The key scope (the `org` argument) is the constant
//! [`NATURAL_KEY_SCOPE`], not the organisation's name: a device may create records before it has
//! ever connected, and the server keeps documents per organisation anyway. The natural id is used
//! only for a new record; when a record or a (deleted) document with that id already exists here,
//! a random id is used instead (deletion is final, so a re-created lead is a new record). The id
//! stays when the e-mail later changes.
//!
//! Derived values (search keys, `last_contacted_at`, scores) never enter the CRDT.

pub(crate) mod change;
pub(crate) mod device;
pub mod erase;
pub(crate) mod kinds;
pub(crate) mod materialise;
pub(crate) mod natural;
pub(crate) mod pending;
pub mod quarantine;
pub(crate) mod record;
pub mod row;
pub(crate) mod sql_text;
pub mod token;

use outpost_sync::doc::RecordDoc;
use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

pub use change::Action;
pub use outpost_sync::entity::EntityKind;
pub use pending::{flush_all as flush_pending, mark_changed, pending_count};
pub use record::{record_change, record_delete, record_row};

use crate::{store::ctx::Tx, Result};

/// The `org` scope of natural-key document ids (see the module docs). Never change it.
pub use outpost_sync::entity::natural_key::NATURAL_KEY_SCOPE;

/// Whether `id` is used by a row of `table` or by a (possibly deleted) document here.
pub fn id_taken(conn: &Connection, table: &str, id: &str) -> Result<bool> {
    let in_table = crate::store::ids::row_exists(conn, table, id)?;
    let has_doc = in_table
        || conn
            .prepare_cached("SELECT 1 FROM sync_docs WHERE doc_id = ?1")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some();
    Ok(has_doc || erase::is_erased(conn, id)?)
}

/// Whether this replica holds a CRDT document for `doc_id`.
pub(crate) fn has_document(conn: &Connection, doc_id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM sync_docs WHERE doc_id = ?1")?
        .query_row([doc_id], |_| Ok(()))
        .optional()?
        .is_some())
}

pub(crate) use kinds::visibility;

/// The natural id of a contact with this e-mail address, or of a company with this domain, else
/// this name (see the module docs); whether it is free still has to be checked with [`id_taken`].
pub use outpost_sync::entity::natural_key::{natural_company_id, natural_contact_id};

fn free(conn: &Connection, table: &str, natural: Option<Uuid>) -> Result<Option<Uuid>> {
    match natural {
        Some(id) if !id_taken(conn, table, &id.to_string())? => Ok(Some(id)),
        _ => Ok(None),
    }
}

/// The id for a new contact: derived from its e-mail address when it has one (see the module
/// docs), otherwise `fallback`.
pub fn contact_id<T: From<Uuid>>(tx: &Tx<'_>, email: Option<&str>, fallback: T) -> Result<T> {
    let natural = email.and_then(natural_contact_id);
    Ok(free(&tx.sql, "contacts", natural)?.map_or(fallback, T::from))
}

/// The id for a new company: derived from its domain, else from its normalised name (see the
/// module docs), else `fallback`.
pub fn company_id<T: From<Uuid>>(tx: &Tx<'_>, domain: Option<&str>, name: &str, fallback: T) -> Result<T> {
    Ok(free(&tx.sql, "companies", natural_company_id(domain, name))?.map_or(fallback, T::from))
}

/// What applying one remote update did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// Nothing new (e.g. this device's own update coming back).
    Unchanged,
    /// The document changed and its row was written.
    Upserted,
    /// The document is deleted and its row was removed.
    Deleted,
    /// The document changed but does not form a valid row yet; kept for later updates.
    Deferred,
    /// A kind this version does not replicate; ignored.
    UnknownKind,
    /// The update itself cannot be applied (corrupt, or a shape no record has: see
    /// [`outpost_sync::doc::check_update_shape`]); set aside in the quarantine under
    /// [`quarantine::UPDATE_FIELD`], the record unchanged, so it cannot stall every later update.
    Refused,
}

/// Applies a remote update of document `doc_id` of `kind` and re-materialises its row, inside
/// `tx` (no outbox entry is written).
pub fn apply_remote(tx: &Tx<'_>, kind: &str, doc_id: &str, update: &[u8]) -> Result<Applied> {
    let Some(spec) = kinds::kind(kind) else { return Ok(Applied::UnknownKind) };
    if erase::is_erased(&tx.sql, doc_id)? {
        return Ok(Applied::Unchanged);
    }
    // Bulk-imported local versions not documented yet are documented first, so they merge with
    // the remote update instead of being overwritten by it.
    pending::flush_in(tx)?;
    let client = device::client_id_in(tx)?;
    let doc = record::load(&tx.sql, client, doc_id)?.unwrap_or_else(|| RecordDoc::new(client));
    let changed = match doc.apply_update_tracked(update) {
        Ok(changed) => changed,
        Err(e) => {
            // Failing here would fail the whole pulled page and pull it again forever: one bad
            // update from a peer would stop every later one from reaching this device.
            let reason = record::doc_error(doc_id, e).to_string();
            quarantine::refuse(&tx.sql, spec, doc_id, quarantine::UPDATE_FIELD, &reason, &serde_json::Value::Null)?;
            return Ok(Applied::Refused);
        }
    };
    if !changed {
        return Ok(Applied::Unchanged);
    }
    record::save(&tx.sql, doc_id, kind, &doc.snapshot())?;
    Ok(match materialise::materialise(&tx.sql, spec, doc_id, &doc.view(), tx.actor)? {
        materialise::Outcome::Upserted => Applied::Upserted,
        materialise::Outcome::Deleted => Applied::Deleted,
        materialise::Outcome::Deferred => Applied::Deferred,
    })
}

/// Records every existing row that has no document yet (records written before sync was set up),
/// parents first, then by creation and id. Returns how many were recorded.
///
/// Rows marked for a lazy document (a bulk import, [`pending`]) are documented here too (and
/// their markers dropped), not left to the batched flush: leaving them cut the first push's time
/// on the device but doubled the server's, because this order pushes a kind's records sorted by
/// id (most are created in the same millisecond), so each pushed batch lands on a few
/// neighbouring index pages on the server, while the import's order scattered every batch over
/// all of them (BENCHMARKS.md).
pub fn backfill(tx: &Tx<'_>) -> Result<usize> {
    let mut count = 0;
    let mut documented = std::collections::HashSet::new();
    for spec in kinds::KINDS.iter() {
        let ids: Vec<String> = {
            let mut stmt = tx.sql.prepare(&format!(
                "SELECT id FROM {} WHERE id NOT IN (SELECT doc_id FROM sync_docs) ORDER BY created_at, id",
                spec.table
            ))?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for id in &ids {
            record_row(tx, spec.entity_kind, id)?;
        }
        count += ids.len();
        documented.extend(ids);
    }
    // Their lazy-document markers are satisfied: each document was just built from the row.
    if !documented.is_empty() {
        let satisfied: Vec<i64> = {
            let mut stmt = tx.sql.prepare("SELECT seq, doc_id FROM sync_pending")?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
            let mut satisfied = Vec::new();
            for row in rows {
                let (seq, doc_id) = row?;
                if documented.contains(&doc_id) {
                    satisfied.push(seq);
                }
            }
            satisfied
        };
        let mut delete = tx.sql.prepare("DELETE FROM sync_pending WHERE seq = ?1")?;
        for seq in satisfied {
            delete.execute([seq])?;
        }
    }
    Ok(count)
}

#[cfg(test)]
pub(crate) mod copilot_tests;
#[cfg(test)]
pub(crate) mod quarantine_tests;
#[cfg(test)]
pub(crate) mod schema_tests;
#[cfg(test)]
pub(crate) mod tests;
