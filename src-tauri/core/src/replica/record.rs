//! The local write path: a mutation's new row values become a yrs update, stored in the outbox
//! together with the document's new state, inside the mutation's own transaction.

use outpost_sync::doc::RecordDoc;
use outpost_sync::entity::natural_key::ERASED_CREATION_KEY;
use outpost_sync::entity::EntityKind;
use outpost_sync::protocol::MAX_UPDATE_BYTES;
use rusqlite::{params, types::ValueRef, Connection, OptionalExtension};
use serde_json::{Map, Value};

use crate::replica::{device, kinds};
use crate::{store::ctx::Tx, Error, Result};

/// Loads the document of `doc_id` (None when this device has none yet).
pub(crate) fn load(conn: &Connection, client_id: u64, doc_id: &str) -> Result<Option<RecordDoc>> {
    let state: Option<Vec<u8>> = conn
        .prepare_cached("SELECT state FROM sync_docs WHERE doc_id = ?1")?
        .query_row([doc_id], |r| r.get(0))
        .optional()?;
    state.map(|state| RecordDoc::from_updates(client_id, &[state]).map_err(|e| doc_error(doc_id, e))).transpose()
}

/// Stores the compacted state of a document.
pub(crate) fn save(conn: &Connection, doc_id: &str, kind: &str, state: &[u8]) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_docs (doc_id, kind, state) VALUES (?1, ?2, ?3)
         ON CONFLICT (doc_id) DO UPDATE SET state = excluded.state",
    )?
    .execute(params![doc_id, kind, state])?;
    Ok(())
}

/// Queues `update` of `doc_id` (None: the document's whole state, see the migration).
fn enqueue(tx: &Tx<'_>, doc_id: &str, kind: &str, update: Option<&[u8]>) -> Result<()> {
    tx.sql
        .prepare_cached(
            "INSERT INTO sync_outbox (doc_id, kind, visibility, \"update\", created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![doc_id, kind, kinds::visibility(kind), update, tx.stamp()])?;
    Ok(())
}

pub(crate) fn doc_error(doc_id: &str, e: outpost_sync::doc::DocError) -> Error {
    Error::Sync(format!("the sync document of record {doc_id} cannot be used: {e}"))
}

/// Records a change of record `id` of `kind`: sets every field of `fields` and every text of
/// `texts` in its document and queues the resulting update. Nothing is queued when nothing changed.
/// Refused with a conflict when the record was deleted on another device (deletion is final).
pub fn record_change(
    tx: &Tx<'_>,
    kind: EntityKind,
    id: &str,
    fields: &Map<String, Value>,
    texts: &[(&str, &str)],
) -> Result<()> {
    if super::erase::is_erased(&tx.sql, id)? {
        return Err(Error::Conflict {
            message: format!("this {kind} ({id}) was erased (GDPR) and cannot be changed; create a new record instead"),
        });
    }
    let client = device::client_id_in(tx)?;
    let existing = load(&tx.sql, client, id)?;
    let is_new = existing.is_none();
    let doc = existing.unwrap_or_else(|| RecordDoc::new(client));
    let before = if is_new { Vec::new() } else { doc.state_vector() };
    let mut changed = false;
    let deleted = |_| Error::Conflict {
        message: format!("this {kind} ({id}) was deleted on another device; sync, then create a new one"),
    };
    // Only fields whose value differs from the document's are written: a write is a claim in the
    // merge, and re-writing an unchanged (or never set, i.e. null) field would override a
    // concurrent edit of that field on another device.
    let current = if is_new { Map::new() } else { doc.fields() };
    let writes = fields
        .iter()
        .filter(|(name, value)| !same(current.get(name.as_str()).unwrap_or(&Value::Null), value))
        .map(|(name, value)| (name.as_str(), value));
    let update = doc.set_fields(writes).map_err(|e| match e {
        outpost_sync::doc::DocError::Deleted => deleted(()),
        other => doc_error(id, other),
    })?;
    changed |= !update.is_empty();
    if is_new {
        record_creation_key(&doc, kind, id, fields)?;
    }
    for (name, value) in texts {
        let update = doc.set_text(name, value).map_err(|e| match e {
            outpost_sync::doc::DocError::Deleted => deleted(()),
            other => doc_error(id, other),
        })?;
        changed |= !update.is_empty();
    }
    if !changed {
        return Ok(());
    }
    let state = doc.snapshot();
    // A new record's first push normally carries its whole state at push time (None). A
    // natural-key (UUIDv5) record's carries the state it was created with instead, so the key its
    // id derives from reaches the server (which checks it on the first write) and every device
    // even when the key is edited before the first push; the edit follows as its own update.
    let update = if !is_new {
        Some(doc.diff_since(&before).map_err(|e| doc_error(id, e))?)
    } else if has_natural_key_id(id) {
        Some(state.clone())
    } else {
        None
    };
    within_limit(kind.name(), id, state.len().max(update.as_ref().map_or(0, Vec::len)), fields, texts)?;
    save(&tx.sql, id, kind.name(), &state)?;
    super::quarantine::resolved(&tx.sql, id, fields.keys().map(String::as_str).chain(texts.iter().map(|(n, _)| *n)))?;
    enqueue(tx, id, kind.name(), update.as_deref())
}

/// Records the creation key of new natural-key record `id` (the key its id derives from) in its
/// first state, so every device can check the id after the key is edited and the history
/// compacted (see [`outpost_sync::entity::natural_key`]). A record with a random id, or whose
/// fields no longer derive its id (it existed before sync and was edited since), gets none.
fn record_creation_key(doc: &RecordDoc, kind: EntityKind, id: &str, fields: &Map<String, Value>) -> Result<()> {
    let Some(uuid) = uuid::Uuid::parse_str(id).ok().filter(|u| u.get_version_num() == 5) else {
        return Ok(());
    };
    if let Some(key) = outpost_sync::entity::natural_key::creation_key_for(kind.name(), uuid, fields) {
        doc.set_creation_key(&key).map_err(|e| doc_error(id, e))?;
    }
    Ok(())
}

/// The creation key recorded in record `id`'s document, if this device has one.
pub(crate) fn creation_key(tx: &Tx<'_>, id: &str) -> Result<Option<String>> {
    let client = device::client_id_in(tx)?;
    Ok(load(&tx.sql, client, id)?.and_then(|doc| doc.creation_key()))
}

/// Replaces the creation key of record `id` with the erased one (GDPR: it spelt the erased
/// person's name or e-mail) and queues the update. The id stays; every device accepts the record
/// (its first write was checked when it was made).
pub(crate) fn erase_creation_key(tx: &Tx<'_>, kind: EntityKind, id: &str) -> Result<()> {
    let client = device::client_id_in(tx)?;
    let Some(doc) = load(&tx.sql, client, id)? else { return Ok(()) };
    let before = doc.state_vector();
    let update = doc.set_creation_key(ERASED_CREATION_KEY).map_err(|e| doc_error(id, e))?;
    if update.is_empty() {
        return Ok(());
    }
    let diff = doc.diff_since(&before).map_err(|e| doc_error(id, e))?;
    save(&tx.sql, id, kind.name(), &doc.snapshot())?;
    enqueue(tx, id, kind.name(), Some(&diff))
}

/// Whether `id` is a natural-key (UUIDv5) id, derived from the record's e-mail, domain or name.
fn has_natural_key_id(id: &str) -> bool {
    uuid::Uuid::parse_str(id).is_ok_and(|u| u.get_version_num() == 5)
}

/// Refuses a change whose update (or the record's whole document, which a first push carries)
/// is over the protocol's [`MAX_UPDATE_BYTES`]: the server would refuse it and the change would
/// never leave this device. The error names the record and its largest field.
fn within_limit(kind: &str, id: &str, bytes: usize, fields: &Map<String, Value>, texts: &[(&str, &str)]) -> Result<()> {
    if bytes <= MAX_UPDATE_BYTES {
        return Ok(());
    }
    let size = |v: &Value| v.as_str().map_or_else(|| v.to_string().len(), str::len);
    let largest = fields
        .iter()
        .map(|(name, v)| (name.as_str(), size(v)))
        .chain(texts.iter().map(|(name, t)| (*name, t.len())))
        .max_by_key(|(_, len)| *len)
        .map_or("record", |(name, _)| name);
    Err(Error::invalid(
        largest,
        format!(
            "makes {kind} {id} too large to sync ({bytes} bytes; a record can hold at most {MAX_UPDATE_BYTES} bytes); \
             shorten this field"
        ),
    ))
}

/// Equal as stored values (numbers compare by value: the CRDT may keep an integer as a float).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn json_of(value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Null | ValueRef::Blob(_) => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
    }
}

/// Records the current row of record `id` of `kind` (a no-op when the row is gone). Call it
/// inside the mutation's transaction, after writing the row; a mutation that also audits calls
/// [`Tx::changed`] instead.
pub fn record_row(tx: &Tx<'_>, kind: EntityKind, id: &impl std::fmt::Display) -> Result<()> {
    let spec = kinds::of(kind);
    let id = id.to_string();
    if spec.owner_only && !owned_by_actor(tx, spec.table, &id)? {
        // Another local user's memory or conversation: this device's token is not theirs.
        return Ok(());
    }
    let columns: Vec<&str> = spec.columns.iter().chain(&spec.texts).copied().collect();
    let sql = format!("SELECT {} FROM {} WHERE id = ?1", columns.join(", "), spec.table);
    let mut stmt = tx.sql.prepare_cached(&sql)?;
    let row = stmt
        .query_row([&id], |row| {
            let values: Vec<Value> =
                (0..columns.len()).map(|i| row.get_ref(i).map(json_of)).collect::<Result<_, _>>()?;
            Ok(values)
        })
        .optional()?;
    let Some(values) = row else { return Ok(()) };
    let mut fields = Map::new();
    let n = spec.columns.len();
    for (name, value) in spec.columns.iter().zip(&values[..n]) {
        fields.insert((*name).to_string(), value.clone());
    }
    match spec.name {
        "meeting" => {
            fields.insert(kinds::ATTENDEES.into(), Value::String(attendees_json(&tx.sql, &id)?));
        }
        "copilot_memory" => {
            fields.insert(kinds::MEMORY_LINKS.into(), Value::String(memory_links_json(&tx.sql, &id)?));
        }
        "copilot_conversation" => messages(&tx.sql, &id, &mut fields)?,
        _ => {}
    }
    let texts: Vec<(&str, &str)> =
        spec.texts.iter().zip(&values[n..]).map(|(name, v)| (*name, v.as_str().unwrap_or(""))).collect();
    record_change(tx, kind, &id, &fields, &texts)?;
    // Rows received earlier that point at this record were stored unlinked: link them now.
    super::materialise::relink(&tx.sql, tx.actor, &id)
}

fn attendees_json(conn: &Connection, meeting: &str) -> Result<String> {
    Ok(conn.query_row(
        "SELECT coalesce(json_group_array(json_array(email, name, is_internal)), '[]')
         FROM (SELECT email, name, is_internal FROM meeting_attendees WHERE meeting_id = ?1 ORDER BY email)",
        [meeting],
        |r| r.get(0),
    )?)
}

fn owned_by_actor(tx: &Tx<'_>, table: &str, id: &str) -> Result<bool> {
    Ok(tx
        .sql
        .prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1 AND owner = ?2"))?
        .query_row(params![id, tx.actor], |_| Ok(()))
        .optional()?
        .is_some())
}

fn memory_links_json(conn: &Connection, memory: &str) -> Result<String> {
    Ok(conn.query_row(
        "SELECT coalesce(json_group_array(json_array(entity_type, entity_id)), '[]')
         FROM (SELECT entity_type, entity_id FROM memory_links WHERE memory_id = ?1 ORDER BY entity_type, entity_id)",
        [memory],
        |r| r.get(0),
    )?)
}

/// One field per message of conversation `thread` (see [`kinds`]).
fn messages(conn: &Connection, thread: &str, fields: &mut Map<String, Value>) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, json_object('role', role, 'content', content, 'response', response,
                                'compacted', compacted, 'created_at', created_at)
         FROM copilot_messages WHERE thread_id = ?1",
    )?;
    let rows = stmt.query_map([thread], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (id, message) = row?;
        fields.insert(format!("{}{id}", kinds::MESSAGE_PREFIX), Value::String(message));
    }
    Ok(())
}

/// Records the deletion of record `id` of `kind` (final on every replica). Call it inside the
/// mutation's transaction (see [`Tx::changed`]).
pub fn record_delete(tx: &Tx<'_>, kind: EntityKind, id: &impl std::fmt::Display) -> Result<()> {
    let id = id.to_string();
    if super::erase::is_erased(&tx.sql, &id)? {
        return Ok(());
    }
    let client = device::client_id_in(tx)?;
    let doc = load(&tx.sql, client, &id)?.unwrap_or_else(|| RecordDoc::new(client));
    let update = doc.delete();
    if update.is_empty() {
        return Ok(());
    }
    save(&tx.sql, &id, kind.name(), &doc.snapshot())?;
    enqueue(tx, &id, kind.name(), Some(&update))
}
