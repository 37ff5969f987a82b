//! Materialisation: writes a document's view into the relational row the UI and queries read.
//!
//! A live view is upserted (FTS triggers fire as for any write); a deleted view deletes the row
//! (delete wins over concurrent edits). Derived local columns (`name_key`, `phone_e164`,
//! `last_contacted_at`) are recomputed here, never replicated. References to rows this replica
//! does not have (yet) are stored as NULL, as `ON DELETE SET NULL` would leave them, and noted in
//! `sync_pending_refs`: when the referenced row arrives later ([`relink`]), the referencing rows
//! are re-materialised from their documents, so every replica ends with the same links whatever
//! order the updates came in.

use outpost_sync::doc::RecordView;
use rusqlite::{types::Value as SqlValue, Connection, OptionalExtension};
use serde_json::Value;

use crate::replica::kinds::{InsertOnly, Kind, ATTENDEES, MEMORY_LINKS, MESSAGE_PREFIX};
use crate::replica::sql_text::{self, Shape};
use crate::Result;

/// What materialising one view did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The row was inserted or updated.
    Upserted,
    /// The row was deleted (or was already absent).
    Deleted,
    /// The view does not form a valid row yet (e.g. a required field has not arrived); the
    /// document is kept and the row is written once later updates complete it.
    Deferred,
}

fn sql_of(value: &Value) -> SqlValue {
    match value {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        Value::Number(n) => {
            n.as_i64().map(SqlValue::Integer).unwrap_or_else(|| SqlValue::Real(n.as_f64().unwrap_or(0.0)))
        }
        Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

fn exists(conn: &Connection, table: &str, id: &SqlValue) -> Result<bool> {
    crate::store::ids::row_exists(conn, table, id)
}

fn text<'a>(view: &'a RecordView, name: &str) -> Option<&'a str> {
    view.fields.get(name).and_then(Value::as_str)
}

/// Derived local columns of `kind`, recomputed from the view; owner-only kinds belong to this
/// device's acting user `actor` (see [`Kind::owner_only`]).
fn derived(kind: &Kind, view: &RecordView, actor: &str) -> Vec<(&'static str, SqlValue)> {
    let opt = |v: Option<String>| v.map_or(SqlValue::Null, SqlValue::Text);
    if kind.owner_only {
        return vec![("owner", SqlValue::Text(actor.to_string()))];
    }
    match kind.name {
        "contact" => vec![
            (
                "phone_e164",
                opt(text(view, "phone").and_then(|p| {
                    crate::canonical::contact_info::phone_to_e164(p, crate::canonical::contact_info::region_of("GB"))
                })),
            ),
            ("name_key", opt(crate::canonical::names::name_key(text(view, "first_name"), text(view, "last_name")))),
        ],
        "company" => {
            vec![("name_key", opt(text(view, "name").map(crate::canonical::company::normalized_company_name)))]
        }
        _ => Vec::new(),
    }
}

/// Writes `view` of record `id` into `kind`'s table (`actor`: this device's acting user).
/// Fields whose value breaks the kind's definition are left out (the row keeps its last valid
/// value) and quarantined ([`super::quarantine`]).
pub(crate) fn materialise(conn: &Connection, kind: &Kind, id: &str, view: &RecordView, actor: &str) -> Result<Outcome> {
    conn.prepare_cached("DELETE FROM sync_pending_refs WHERE doc_id = ?1")?.execute([id])?;
    let original = view;
    let screened = super::quarantine::screen(conn, kind, id, view)?;
    let view: &RecordView = &screened;
    if view.deleted {
        conn.prepare_cached(&format!("DELETE FROM {} WHERE id = ?1", kind.table))?.execute([id])?;
        return Ok(Outcome::Deleted);
    }
    // A new record whose natural-key id does not derive from its key is refused. The derivation is
    // checked first: it needs no look-up, and it matches for nearly every record.
    if let Some((field, reason)) = super::natural::mismatch(kind.entity_kind, id, original) {
        if !exists(conn, kind.table, &SqlValue::Text(id.to_string()))? {
            let value = original.fields.get(field).cloned().unwrap_or(Value::Null);
            super::quarantine::refuse(conn, kind, id, field, &reason, &value)?;
            return Ok(Outcome::Deferred);
        }
    }
    // Room for the fields, the texts and the derived columns (at most two: `derived`).
    let width = kind.columns.len() + kind.texts.len() + 2;
    let mut columns: Vec<&'static str> = Vec::with_capacity(width);
    let mut values: Vec<SqlValue> = Vec::with_capacity(width);
    for column in &kind.columns {
        let Some(value) = view.fields.get(*column) else { continue };
        let mut value = sql_of(value);
        if let Some((_, table)) = kind.refs.iter().find(|(c, _)| c == column) {
            if value != SqlValue::Null && !exists(conn, table, &value)? {
                conn.prepare_cached(
                    "INSERT OR IGNORE INTO sync_pending_refs (doc_id, kind, ref_id) VALUES (?1, ?2, ?3)",
                )?
                .execute(rusqlite::params![id, kind.name, value])?;
                value = SqlValue::Null;
            }
        }
        columns.push(column);
        values.push(value);
    }
    for name in &kind.texts {
        if original.fields.contains_key(*name) && !view.fields.contains_key(*name) {
            continue; // refused: the row keeps its last valid text
        }
        columns.push(name);
        values.push(text(view, name).map_or(SqlValue::Null, |t| SqlValue::Text(t.to_string())));
    }
    let refused = |field: &str| original.fields.contains_key(field) && !view.fields.contains_key(field);
    for (column, value) in derived(kind, view, actor) {
        // A derived key follows the stored value: when its source was refused, it stays too.
        let sources: &[&str] = match column {
            "phone_e164" => &["phone"],
            "name_key" => &["first_name", "last_name", "name"],
            _ => &[],
        };
        if sources.iter().any(|f| refused(f)) {
            continue;
        }
        columns.push(column);
        values.push(value);
    }
    // Only the columns whose value differs are written: an update re-writes every index and fires
    // every trigger on the columns it names, and a synced edit usually changes one field of a row.
    // A failed write is undone by SQLite's statement rollback, so a constraint violation leaves
    // the row as it was.
    let written = match current_row(conn, kind.table, id, &columns)? {
        None => insert(conn, kind, id, columns, values, view),
        Some(current) => {
            let changed: Vec<usize> = (0..columns.len()).filter(|&i| !same_value(&current[i], &values[i])).collect();
            update(conn, kind.table, id, &changed, &columns, &values)
        }
    };
    match written {
        Ok(()) => {
            after_upsert(conn, kind, id, view)?;
            relink(conn, actor, id)?;
            Ok(Outcome::Upserted)
        }
        Err(rusqlite::Error::SqliteFailure(e, msg)) if e.code == rusqlite::ErrorCode::ConstraintViolation => {
            tracing::debug!("record {id} not materialised yet: {}", msg.unwrap_or_default());
            Ok(Outcome::Deferred)
        }
        Err(other) => Err(other.into()),
    }
}

/// The stored values of `columns` of row `id`, if the row exists.
fn current_row(
    conn: &Connection,
    table: &'static str,
    id: &str,
    columns: &[&'static str],
) -> Result<Option<Vec<SqlValue>>> {
    let sql = sql_text::sql(table, Shape::Select, columns.iter().copied());
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], |row| (0..columns.len()).map(|i| row.get::<_, SqlValue>(i)).collect())
        .optional()?)
}

/// Equal as stored (an integer column may come back from the CRDT as a float).
fn same_value(stored: &SqlValue, new: &SqlValue) -> bool {
    match (stored, new) {
        (SqlValue::Integer(i), SqlValue::Real(f)) | (SqlValue::Real(f), SqlValue::Integer(i)) => *i as f64 == *f,
        _ => stored == new,
    }
}

fn insert(
    conn: &Connection,
    kind: &Kind,
    id: &str,
    mut columns: Vec<&'static str>,
    mut values: Vec<SqlValue>,
    view: &RecordView,
) -> rusqlite::Result<()> {
    for (column, source) in super::kinds::insert_only(kind.name) {
        columns.push(column);
        values.push(match source {
            InsertOnly::Field(from) => view.fields.get(*from).map_or(SqlValue::Null, sql_of),
            InsertOnly::Value(constant) => SqlValue::Text((*constant).to_string()),
        });
    }
    let sql = sql_text::sql(kind.table, Shape::Insert, columns.iter().copied());
    let params = std::iter::once(SqlValue::Text(id.to_string())).chain(values);
    conn.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(params))?;
    Ok(())
}

/// Sets the `changed` columns of row `id` (nothing to do when none changed).
fn update(
    conn: &Connection,
    table: &'static str,
    id: &str,
    changed: &[usize],
    columns: &[&'static str],
    values: &[SqlValue],
) -> rusqlite::Result<()> {
    if changed.is_empty() {
        return Ok(());
    }
    let sql = sql_text::sql(table, Shape::Update, changed.iter().map(|&i| columns[i]));
    let params = std::iter::once(SqlValue::Text(id.to_string())).chain(changed.iter().map(|&i| values[i].clone()));
    conn.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(params))?;
    Ok(())
}

/// Re-materialises the rows whose references to `id` were stored as NULL because `id`'s row was
/// missing (see the module docs); call it once `id`'s row exists.
pub(crate) fn relink(conn: &Connection, actor: &str, id: &str) -> Result<()> {
    let waiting: Vec<(String, String)> = {
        let mut stmt = conn.prepare_cached("SELECT doc_id, kind FROM sync_pending_refs WHERE ref_id = ?1")?;
        let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (doc_id, kind) in waiting {
        let doc = match super::kinds::kind(&kind) {
            Some(spec) => super::record::load(conn, super::device::client_id(conn)?, &doc_id)?.map(|doc| (spec, doc)),
            None => None,
        };
        match doc {
            Some((spec, doc)) => {
                materialise(conn, spec, &doc_id, &doc.view(), actor)?;
            }
            None => {
                conn.prepare_cached("DELETE FROM sync_pending_refs WHERE doc_id = ?1")?.execute([&doc_id])?;
            }
        }
    }
    Ok(())
}

/// Per-kind follow-ups: meeting attendees, memory links, conversation messages, and a contact's
/// `last_contacted_at` from activities.
fn after_upsert(conn: &Connection, kind: &Kind, id: &str, view: &RecordView) -> Result<()> {
    match kind.name {
        "meeting" => {
            // Absent when refused (or never written): the stored attendees stay as they are.
            let Some(list) = text(view, ATTENDEES)
                .and_then(|s| serde_json::from_str::<Vec<(String, Option<String>, Option<i64>)>>(s).ok())
            else {
                return Ok(());
            };
            conn.prepare_cached("DELETE FROM meeting_attendees WHERE meeting_id = ?1")?.execute([id])?;
            for (email, name, internal) in list {
                conn.prepare_cached(
                    "INSERT OR IGNORE INTO meeting_attendees (meeting_id, email, name, contact_id, is_internal)
                     VALUES (?1, ?2, ?3, (SELECT id FROM contacts WHERE email = ?2 LIMIT 1), ?4)",
                )?
                .execute(rusqlite::params![id, email, name, internal.unwrap_or(0)])?;
            }
        }
        "copilot_memory" => {
            let Some(list) =
                text(view, MEMORY_LINKS).and_then(|s| serde_json::from_str::<Vec<(String, String)>>(s).ok())
            else {
                return Ok(());
            };
            conn.prepare_cached("DELETE FROM memory_links WHERE memory_id = ?1")?.execute([id])?;
            for (entity_type, entity_id) in list {
                conn.prepare_cached(
                    "INSERT OR IGNORE INTO memory_links (memory_id, entity_type, entity_id) VALUES (?1, ?2, ?3)",
                )?
                .execute(rusqlite::params![id, entity_type, entity_id])?;
            }
        }
        "copilot_conversation" => {
            // A message's text changes only when an erasure redacts it (on whichever device ran
            // it first): the document's version wins, so a replica that received the message
            // before the redaction does not keep the erased person's name.
            for (name, value) in &view.fields {
                let (Some(message_id), Some(json)) = (name.strip_prefix(MESSAGE_PREFIX), value.as_str()) else {
                    continue;
                };
                conn.prepare_cached(
                    "INSERT INTO copilot_messages (id, thread_id, role, content, response, compacted, created_at)
                     VALUES (?1, ?2, json_extract(?3, '$.role'), json_extract(?3, '$.content'),
                             json_extract(?3, '$.response'), json_extract(?3, '$.compacted'),
                             json_extract(?3, '$.created_at'))
                     ON CONFLICT (id) DO UPDATE SET content = excluded.content, response = excluded.response,
                                                    compacted = excluded.compacted",
                )?
                .execute(rusqlite::params![message_id, id, json])?;
            }
        }
        "activity" => {
            let reaches_out = matches!(text(view, "kind"), Some("call" | "email" | "meeting"));
            if let (true, Some(contact), Some(at)) = (reaches_out, text(view, "contact_id"), text(view, "occurred_at"))
            {
                conn.prepare_cached(
                    "UPDATE contacts SET last_contacted_at = ?2
                     WHERE id = ?1 AND (last_contacted_at IS NULL OR last_contacted_at < ?2)",
                )?
                .execute([contact, at])?;
            }
        }
        _ => {}
    }
    Ok(())
}
