//! The audit log: one row per mutation, written in the mutation's own transaction.

use std::fmt::Display;

use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use crate::{store::ctx::Tx, Ctx, Result};

/// One audit-log row.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    /// Monotonic sequence number.
    pub seq: i64,
    /// When it happened (RFC 3339).
    pub at: String,
    /// Who did it.
    pub actor: String,
    /// `create`, `update`, `delete`, `move`, `complete`, …
    pub action: String,
    /// `contact`, `deal`, …
    pub entity_type: String,
    /// The record's id.
    pub entity_id: String,
    /// What changed, as JSON.
    #[ts(type = "Record<string, unknown>")]
    pub changes: serde_json::Value,
}

/// Records a mutation inside the transaction that performs it.
pub fn record(
    tx: &Tx<'_>,
    action: &str,
    entity_type: &str,
    entity_id: &impl Display,
    changes: &impl Serialize,
) -> Result<()> {
    let changes = serde_json::to_string(changes)?;
    tx.sql
        .prepare_cached(
            "INSERT INTO audit_log (at, actor, action, entity_type, entity_id, changes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![tx.stamp(), tx.actor, action, entity_type, entity_id.to_string(), changes])?;
    Ok(())
}

/// The audit trail of one record (or of everything when `entity_id` is `None`), newest first.
pub fn list(ctx: &Ctx, entity_id: Option<String>, limit: u32) -> Result<Vec<AuditEntry>> {
    ctx.read(|conn| {
        let mut stmt = conn.prepare(
            "SELECT seq, at, actor, action, entity_type, entity_id, changes FROM audit_log
             WHERE ?1 IS NULL OR entity_id = ?1 ORDER BY seq DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![entity_id, limit], |row| {
            let changes: String = row.get(6)?;
            Ok(AuditEntry {
                seq: row.get(0)?,
                at: row.get(1)?,
                actor: row.get(2)?,
                action: row.get(3)?,
                entity_type: row.get(4)?,
                entity_id: row.get(5)?,
                changes: serde_json::from_str(&changes).unwrap_or(serde_json::Value::Null),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })
}

/// The fields that differ between two versions of a record, as `{field: [old, new]}`; timestamps
/// that change on every write are left out.
pub fn diff(old: &impl Serialize, new: &impl Serialize) -> Result<serde_json::Value> {
    let (serde_json::Value::Object(old), serde_json::Value::Object(new)) =
        (serde_json::to_value(old)?, serde_json::to_value(new)?)
    else {
        return Ok(serde_json::Value::Null);
    };
    let changed = new
        .iter()
        .filter(|(key, value)| key.as_str() != "updated_at" && old.get(key.as_str()) != Some(value))
        .map(|(key, value)| {
            let before = old.get(key.as_str()).cloned().unwrap_or(serde_json::Value::Null);
            (key.clone(), serde_json::json!([before, value]))
        })
        .collect();
    Ok(serde_json::Value::Object(changed))
}
