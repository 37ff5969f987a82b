//! Writing a replicated record's row from its entity definition: the columns written are the
//! definition's ([`outpost_sync::entity`]), every value is checked against its field before it
//! is stored, and the INSERT/UPDATE is built from those names — so a field added to the
//! definition (and to the record's struct) is stored by every writer (the entity's API and the
//! importer alike) with no SQL column list to keep in step.

use outpost_sync::entity::{check_value, EntityKind, FieldType, Storage};
use rusqlite::types::Value as SqlValue;
use serde::Serialize;
use serde_json::Value;

use crate::{store::ctx::Tx, Error, Result};

/// Whether [`write`] creates the row or changes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    /// `INSERT` a new row.
    Insert,
    /// `UPDATE` the existing row (its `created_at` stays).
    Update,
}

/// Writes row `id` of `kind` from `record`: every column of the definition that `record`
/// serialises a field of (same name) is checked and written, then the `local` (derived,
/// never replicated) columns. A refused value is an [`Error::Invalid`] naming the field, and
/// nothing is written.
pub fn write(
    tx: &Tx<'_>,
    kind: EntityKind,
    id: &impl std::fmt::Display,
    record: &impl Serialize,
    local: &[(&'static str, SqlValue)],
    mode: Write,
) -> Result<()> {
    let entity = kind.entity();
    let (mut columns, mut values): (Vec<&str>, Vec<SqlValue>) = checked(kind, record)?
        .into_iter()
        .filter(|(name, _)| mode == Write::Insert || *name != "created_at")
        .map(|(name, value)| (name, sql_of(value)))
        .unzip();
    for (column, value) in local {
        columns.push(column);
        values.push(value.clone());
    }
    let sql = match mode {
        Write::Insert => {
            let marks: Vec<String> = (2..columns.len() + 2).map(|i| format!("?{i}")).collect();
            format!("INSERT INTO {} (id, {}) VALUES (?1, {})", entity.table, columns.join(", "), marks.join(", "))
        }
        Write::Update => {
            let sets: Vec<String> = columns.iter().enumerate().map(|(i, c)| format!("{c} = ?{}", i + 2)).collect();
            format!("UPDATE {} SET {} WHERE id = ?1", entity.table, sets.join(", "))
        }
    };
    let params = std::iter::once(SqlValue::Text(id.to_string())).chain(values);
    tx.sql.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(params))?;
    Ok(())
}

/// Checks `record` against `kind`'s definition without writing it (an importer refuses the row
/// before writing anything else for it). The refusal names the field.
pub fn check(kind: EntityKind, record: &impl Serialize) -> Result<()> {
    checked(kind, record).map(|_| ())
}

/// The definition's columns that `record` has a field for, with their checked values.
fn checked(kind: EntityKind, record: &impl Serialize) -> Result<Vec<(&'static str, Value)>> {
    let Value::Object(fields) = serde_json::to_value(record)? else {
        return Err(Error::invalid("record", format!("a {kind} must serialise to an object")));
    };
    let mut out = Vec::with_capacity(fields.len());
    for field in kind.entity().fields.iter().filter(|f| f.storage != Storage::Carried) {
        let Some(value) = fields.get(field.name) else { continue };
        let value = match (field.ty, value) {
            // A JSON column travels and is stored as its text.
            (FieldType::JsonObject { .. }, Value::Object(_)) => Value::String(value.to_string()),
            _ => value.clone(),
        };
        check_value(field, &value).map_err(|message| Error::invalid(field.name, message))?;
        out.push((field.name, value));
    }
    Ok(out)
}

/// Checks named values of a `kind` record against its definition (an importer's row before it
/// writes anything for it); absent values (`None`) are not checked. The refusal names the field.
pub fn check_fields(kind: EntityKind, values: &[(&'static str, Option<&str>)]) -> Result<()> {
    let entity = kind.entity();
    for (name, value) in values {
        let Some(value) = value else { continue };
        let field = entity.field(name).ok_or_else(|| Error::invalid(*name, format!("is not a field of {kind}")))?;
        check_value(field, &Value::String((*value).to_string())).map_err(|message| Error::invalid(*name, message))?;
    }
    Ok(())
}

fn sql_of(value: Value) -> SqlValue {
    match value {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(b)),
        Value::Number(n) => n.as_i64().map_or_else(|| SqlValue::Real(n.as_f64().unwrap_or(0.0)), SqlValue::Integer),
        Value::String(s) => SqlValue::Text(s),
        other => SqlValue::Text(other.to_string()),
    }
}
