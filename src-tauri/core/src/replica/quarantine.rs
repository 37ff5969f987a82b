//! The quarantine of refused remote values (migration `0015`): a remote field whose value breaks
//! its definition ([`outpost_sync::entity`]) is never written into the row. The update is still
//! applied to the record's CRDT document (replicas keep converging), the row keeps its last valid
//! value, and the refusal is listed here until a valid value replaces it.

use std::borrow::Cow;

use outpost_sync::doc::RecordView;
use outpost_sync::entity::check_value;
use rusqlite::{params, Connection};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::replica::kinds::Kind;
use crate::Result;

/// The `field` of a quarantine entry for a whole remote update this device could not apply
/// (see [`crate::replica::Applied::Refused`]); cleared with the record's other entries when a
/// later update of it applies.
pub const UPDATE_FIELD: &str = "(update)";

/// Longest preview of a refused value kept (characters).
const PREVIEW: usize = 200;

/// One refused remote value.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Quarantined {
    /// The record's id.
    pub doc_id: String,
    /// Its kind (`deal`, `contact`, …).
    pub kind: String,
    /// The refused field.
    pub field: String,
    /// Why it was refused.
    pub reason: String,
    /// The start of the refused value.
    pub value: Option<String>,
    /// When it was received (RFC 3339).
    pub received_at: String,
}

fn preview(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    text.chars().take(PREVIEW).collect()
}

/// `view` without the fields that break `kind`'s definition; each refused field is recorded in
/// the quarantine, and entries of record `id` whose field is valid now are cleared. Fields the
/// definition does not know (written by a newer version) pass through: nothing reads them. A view
/// with nothing refused (nearly every one) is answered as it is, not copied.
pub(crate) fn screen<'v>(
    conn: &Connection,
    kind: &Kind,
    id: &str,
    view: &'v RecordView,
) -> Result<Cow<'v, RecordView>> {
    conn.prepare_cached("DELETE FROM sync_quarantine WHERE doc_id = ?1")?.execute([id])?;
    let refusal = |name: &str, value: &Value| kind.entity.field(name).and_then(|field| check_value(field, value).err());
    if view.deleted || view.fields.iter().all(|(name, value)| refusal(name, value).is_none()) {
        return Ok(Cow::Borrowed(view));
    }
    let mut clean =
        RecordView { deleted: view.deleted, fields: serde_json::Map::new(), creation_key: view.creation_key.clone() };
    for (name, value) in &view.fields {
        match refusal(name, value) {
            None => {
                clean.fields.insert(name.clone(), value.clone());
            }
            Some(reason) => refuse(conn, kind, id, name, &reason, value)?,
        }
    }
    Ok(Cow::Owned(clean))
}

/// Quarantines `value` of `field` of record `id`, refused for `reason`.
pub(crate) fn refuse(conn: &Connection, kind: &Kind, id: &str, field: &str, reason: &str, value: &Value) -> Result<()> {
    tracing::warn!("refused {} {id} field {field}: {reason}", kind.name);
    conn.prepare_cached(
        "INSERT OR REPLACE INTO sync_quarantine (doc_id, kind, field, reason, value, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
    )?
    .execute(params![id, kind.name, field, reason, preview(value)])?;
    Ok(())
}

/// Clears the entries of record `id` for `fields`, which this device just wrote with valid values.
pub(crate) fn resolved<'a>(conn: &Connection, id: &str, fields: impl IntoIterator<Item = &'a str>) -> Result<()> {
    // One indexed lookup on every local write; the per-field deletes only for quarantined records.
    let any: bool = conn
        .prepare_cached("SELECT EXISTS(SELECT 1 FROM sync_quarantine WHERE doc_id = ?1)")?
        .query_row([id], |r| r.get(0))?;
    if !any {
        return Ok(());
    }
    let mut stmt = conn.prepare_cached("DELETE FROM sync_quarantine WHERE doc_id = ?1 AND field = ?2")?;
    for field in fields {
        stmt.execute(params![id, field])?;
    }
    Ok(())
}

/// How many refused values there are, and the most recent `limit` of them.
pub fn list(conn: &Connection, limit: u32) -> Result<(u64, Vec<Quarantined>)> {
    let count = conn.query_row("SELECT count(*) FROM sync_quarantine", [], |r| r.get::<_, u64>(0))?;
    let mut stmt = conn.prepare_cached(
        "SELECT doc_id, kind, field, reason, value, received_at FROM sync_quarantine
         ORDER BY received_at DESC, doc_id, field LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| {
        Ok(Quarantined {
            doc_id: r.get(0)?,
            kind: r.get(1)?,
            field: r.get(2)?,
            reason: r.get(3)?,
            value: r.get(4)?,
            received_at: r.get(5)?,
        })
    })?;
    Ok((count, rows.collect::<rusqlite::Result<_>>()?))
}
