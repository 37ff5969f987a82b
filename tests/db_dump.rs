//! A full dump of an SQLite database — its schema and every row of every table — for "this left
//! the database exactly as it was" checks. Comparing only what the CLI lists would miss tables it
//! never shows (outbox, documents, settings, memories, pending actions…).

use std::{collections::BTreeMap, path::Path};

use anyhow::{Context, Result};
use rusqlite::{types::Value, Connection, OpenFlags};

/// Every table's rows (each row rendered column by column, rows sorted), keyed by table name, plus
/// the schema itself under `sqlite_master`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbDump(pub BTreeMap<String, Vec<Vec<String>>>);

fn render(value: Value) -> String {
    match value {
        Value::Null => "NULL".to_owned(),
        Value::Integer(i) => format!("i:{i}"),
        Value::Real(f) => format!("r:{f:?}"),
        Value::Text(t) => format!("t:{t:?}"),
        Value::Blob(b) => format!("b:{b:02x?}"),
    }
}

/// Every row of `sql` (a query), each rendered as strings, sorted.
fn rows(conn: &Connection, sql: &str) -> Result<Vec<Vec<String>>> {
    let mut stmt = conn.prepare(sql).with_context(|| format!("prepare {sql}"))?;
    let width = stmt.column_count();
    let mut out = Vec::new();
    let mut query = stmt.query([])?;
    while let Some(row) = query.next()? {
        let mut rendered = Vec::with_capacity(width);
        for i in 0..width {
            rendered.push(render(row.get::<_, Value>(i)?));
        }
        out.push(rendered);
    }
    out.sort();
    Ok(out)
}

impl DbDump {
    /// Reads the database at `path` (opened read-only; the WAL is included).
    pub fn of(path: &Path) -> Result<Self> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .with_context(|| format!("open {}", path.display()))?;
        let mut all = BTreeMap::new();
        all.insert("sqlite_master".to_owned(), rows(&conn, "SELECT type, name, tbl_name, sql FROM sqlite_master")?);
        let tables: Vec<String> = {
            let mut stmt = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?;
            let names = stmt.query_map([], |r| r.get(0))?;
            names.collect::<rusqlite::Result<_>>()?
        };
        for table in tables {
            let quoted = table.replace('"', "\"\"");
            all.insert(table.clone(), rows(&conn, &format!("SELECT * FROM \"{quoted}\""))?);
        }
        Ok(DbDump(all))
    }

    /// Number of tables holding at least one row (to show a comparison is not vacuous).
    pub fn non_empty_tables(&self) -> usize {
        self.0.iter().filter(|(name, rows)| name.as_str() != "sqlite_master" && !rows.is_empty()).count()
    }

    /// A readable list of what differs from `other`: per table, rows only here and rows only there.
    pub fn diff(&self, other: &DbDump) -> String {
        let mut out = String::new();
        let empty = Vec::new();
        let names: std::collections::BTreeSet<&String> = self.0.keys().chain(other.0.keys()).collect();
        for name in names {
            let (mine, theirs) = (self.0.get(name).unwrap_or(&empty), other.0.get(name).unwrap_or(&empty));
            for row in mine.iter().filter(|r| !theirs.contains(r)) {
                out.push_str(&format!("  {name}: only before: {row:?}\n"));
            }
            for row in theirs.iter().filter(|r| !mine.contains(r)) {
                out.push_str(&format!("  {name}: only after:  {row:?}\n"));
            }
        }
        out
    }
}
