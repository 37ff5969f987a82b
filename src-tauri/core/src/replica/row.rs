//! Writing a replicated record's row from its entity definition: the columns written are the
//! definition's ([`outpost_sync::entity`]), every value is checked against its field before it
//! is stored, and the INSERT/UPDATE is built from those names — so a field added to the
//! definition (and to the record's struct) is stored by every writer (the entity's API and the
//! importer alike) with no SQL column list to keep in step.

mod fields;

use outpost_sync::entity::{check_value, EntityKind, FieldType, Storage};
use rusqlite::types::Value as SqlValue;
use serde::Serialize;
use serde_json::Value;

use super::sql_text::Shape;
use crate::{store::ctx::Tx, Error, Result};

/// Whether [`write`] creates the row or changes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    /// `INSERT` a new row.
    Insert,
    /// `UPDATE` the existing row (its `created_at` stays).
    Update,
}

/// A record's columns, each checked against its field of the definition: what [`check`] found
/// and [`write_checked`] stores. An importer checks a row before it writes anything else for it
/// (its company) and then stores these values, so each value is serialised and checked once.
#[derive(Debug, Clone)]
pub struct Checked {
    kind: EntityKind,
    columns: Vec<(&'static str, SqlValue)>,
}

impl Checked {
    /// Sets column `name` to `value`, checked against its field first (a reference known only
    /// once the record it points to is written). A refused value changes nothing.
    pub fn set(&mut self, name: &'static str, value: Value) -> Result<()> {
        let kind = self.kind;
        let field = kind
            .entity()
            .fields
            .iter()
            .find(|f| f.name == name && f.storage != Storage::Carried)
            .ok_or_else(|| Error::invalid(name, format!("is not a column of {kind}")))?;
        check_value(field, &value).map_err(|message| Error::invalid(field.name, message))?;
        let value = sql_of(value);
        match self.columns.iter_mut().find(|(column, _)| *column == name) {
            Some((_, slot)) => *slot = value,
            None => self.columns.push((field.name, value)),
        }
        Ok(())
    }
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
    write_checked(tx, id, check(kind, record)?, local, mode)
}

/// Writes row `id` from the columns [`check`] found (on [`Write::Update`] all but `created_at`),
/// then the `local` (derived, never replicated) columns.
pub fn write_checked(
    tx: &Tx<'_>,
    id: &impl std::fmt::Display,
    checked: Checked,
    local: &[(&'static str, SqlValue)],
    mode: Write,
) -> Result<()> {
    let table = checked.kind.entity().table;
    let written = |name: &&'static str| mode == Write::Insert || *name != "created_at";
    let names =
        checked.columns.iter().map(|(name, _)| *name).filter(written).chain(local.iter().map(|(name, _)| *name));
    let shape = match mode {
        Write::Insert => Shape::Insert,
        Write::Update => Shape::Update,
    };
    let sql = super::sql_text::sql(table, shape, names);
    let values = checked.columns.into_iter().filter(|(name, _)| written(name)).map(|(_, value)| value);
    let params = std::iter::once(SqlValue::Text(id.to_string()))
        .chain(values)
        .chain(local.iter().map(|(_, value)| value.clone()));
    tx.sql.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(params))?;
    Ok(())
}

/// Checks `record` against `kind`'s definition without writing it: the definition's columns that
/// `record` has a field for, with their checked values, for [`write_checked`]. The refusal
/// names the field.
pub fn check(kind: EntityKind, record: &impl Serialize) -> Result<Checked> {
    let mut fields = fields::fields(record)
        .map_err(|e| Error::invalid("record", format!("a {kind} must serialise to an object ({e})")))?;
    let mut columns = Vec::with_capacity(fields.len());
    for field in kind.entity().fields.iter().filter(|f| f.storage != Storage::Carried) {
        let Some((_, value)) = fields.iter_mut().find(|(name, _)| *name == field.name) else { continue };
        let value = match (field.ty, std::mem::take(value)) {
            // A JSON column travels and is stored as its text.
            (FieldType::JsonObject { .. }, object @ Value::Object(_)) => Value::String(object.to_string()),
            (_, value) => value,
        };
        check_value(field, &value).map_err(|message| Error::invalid(field.name, message))?;
        columns.push((field.name, sql_of(value)));
    }
    Ok(Checked { kind, columns })
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

#[cfg(test)]
mod tests {
    use serde::Serialize;
    use serde_json::Value;

    use super::{check, EntityKind, SqlValue};

    #[derive(Serialize)]
    struct Lead {
        first_name: Option<String>,
        company_id: Option<String>,
    }

    fn column<'a>(checked: &'a super::Checked, name: &str) -> Option<&'a SqlValue> {
        checked.columns.iter().find(|(column, _)| *column == name).map(|(_, value)| value)
    }

    #[test]
    fn a_reference_set_after_the_check_is_checked_too_and_a_refused_one_changes_nothing() {
        let lead = Lead { first_name: Some("Ada".into()), company_id: None };
        let mut checked = check(EntityKind::Contact, &lead).expect("a valid contact");
        assert_eq!(column(&checked, "company_id"), Some(&SqlValue::Null));

        let refused = checked.set("company_id", Value::String("acme".into())).expect_err("not an id");
        assert!(refused.to_string().contains("company_id"), "{refused}");
        assert_eq!(column(&checked, "company_id"), Some(&SqlValue::Null));
        assert!(checked.set("no_such_column", Value::Null).is_err());

        let id = uuid::Uuid::now_v7().to_string();
        checked.set("company_id", Value::String(id.clone())).expect("an id");
        assert_eq!(column(&checked, "company_id"), Some(&SqlValue::Text(id)));
        assert_eq!(column(&checked, "first_name"), Some(&SqlValue::Text("Ada".into())));
    }

    #[derive(Serialize)]
    struct Named {
        first_name: Option<String>,
        last_name: Option<String>,
        created_at: String,
        updated_at: String,
    }

    /// Statements are built once per shape of row: writes of different column sets of one table,
    /// in any order on one thread, each store exactly their own columns.
    #[test]
    fn writes_of_different_column_sets_each_store_their_own_columns() {
        use super::{write, Write};
        let dir = tempfile::tempdir().expect("tmp");
        let ctx = crate::Ctx::open(dir.path()).expect("open");
        let stamp = || "2026-12-07T00:00:00Z".to_owned();
        let named = |first: &str, last: Option<&str>| Named {
            first_name: Some(first.into()),
            last_name: last.map(Into::into),
            created_at: stamp(),
            updated_at: stamp(),
        };
        let (a, b) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
        let read = |id: uuid::Uuid| -> (Option<String>, Option<String>, Option<String>, String) {
            ctx.read(|conn| {
                Ok(conn.query_row(
                    "SELECT first_name, last_name, name_key, created_at FROM contacts WHERE id = ?1",
                    [id.to_string()],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )?)
            })
            .expect("row")
        };
        ctx.write(|tx| {
            write(tx, EntityKind::Contact, &a, &named("Ada", Some("Lovelace")), &[], Write::Insert)?;
            let key = [("name_key", SqlValue::Text("grace".into()))];
            write(tx, EntityKind::Contact, &b, &named("Grace", None), &key, Write::Insert)?;
            let later = Named { created_at: "2030-01-01T00:00:00Z".into(), ..named("Augusta", Some("King")) };
            write(tx, EntityKind::Contact, &a, &later, &[], Write::Update)?;
            Ok(())
        })
        .expect("writes");
        assert_eq!(read(a), (Some("Augusta".into()), Some("King".into()), None, stamp()), "an update keeps created_at");
        assert_eq!(read(b), (Some("Grace".into()), None, Some("grace".into()), stamp()));
    }
}
