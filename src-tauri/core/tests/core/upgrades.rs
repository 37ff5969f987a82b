//! "Upgrades from every earlier version", with data: for every prefix of the embedded migration
//! list, a database at that version gets rows in every table it has (generated from the table's
//! own definition: column types, foreign keys, `IN (…)` checks), is upgraded by opening it, and
//! must then have exactly the schema of a freshly created database and still hold every row it
//! had. The versions come from `MIGRATIONS`, so a new migration is covered without editing this
//! file; a new table whose constraints the generator cannot satisfy fails loudly, naming it.

use std::{collections::BTreeMap, path::Path};

use outpost_core::{
    store,
    store::migrate::{self, MIGRATIONS},
};
use rusqlite::{types::Value, Connection};

/// Rows generated per table.
const ROWS: usize = 2;

/// Tables that must stay empty at rest, and why.
const LEFT_EMPTY: &[(&str, &str)] =
    &[("search_deferred", "exists only inside one bulk-import transaction; a row at rest changes trigger behaviour")];

#[derive(Debug)]
struct Column {
    name: String,
    decl_type: String,
    not_null: bool,
}

fn strings(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).expect("prepare");
    let rows = stmt.query_map([], |r| r.get(0)).expect("query");
    rows.collect::<Result<_, _>>().expect("rows")
}

/// Ordinary tables (not virtual, not FTS shadow tables, not SQLite's own, not the migration log).
fn plain_tables(conn: &Connection) -> Vec<String> {
    strings(
        conn,
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
           AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations' ORDER BY name",
    )
}

/// Tables whose rows must survive an upgrade: ordinary and virtual (full-text) tables.
fn data_tables(conn: &Connection) -> Vec<String> {
    strings(
        conn,
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'virtual')
           AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations' ORDER BY name",
    )
}

fn columns(conn: &Connection, table: &str) -> Vec<Column> {
    let mut stmt =
        conn.prepare("SELECT name, type, \"notnull\" FROM pragma_table_info(?1) ORDER BY cid").expect("prepare");
    let rows = stmt
        .query_map([table], |r| Ok(Column { name: r.get(0)?, decl_type: r.get(1)?, not_null: r.get(2)? }))
        .expect("query");
    rows.collect::<Result<_, _>>().expect("columns")
}

/// (column, referenced table, referenced column or None for its primary key).
fn foreign_keys(conn: &Connection, table: &str) -> Vec<(String, String, Option<String>)> {
    let mut stmt =
        conn.prepare("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?1)").expect("prepare");
    let rows = stmt.query_map([table], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).expect("query");
    rows.collect::<Result<_, _>>().expect("foreign keys")
}

fn primary_key(conn: &Connection, table: &str) -> String {
    strings(conn, &format!("SELECT name FROM pragma_table_info('{table}') WHERE pk = 1")).pop().expect("primary key")
}

fn table_sql(conn: &Connection, table: &str) -> String {
    conn.query_row("SELECT sql FROM sqlite_master WHERE name = ?1", [table], |r| r.get(0)).expect("table sql")
}

/// The literals of a `column IN (…)` check on this column, if the table has one.
fn allowed_values(sql: &str, column: &str) -> Option<Vec<Value>> {
    let needle = format!("{column} IN (");
    let start = sql
        .match_indices(&needle)
        .map(|(i, _)| i)
        .find(|&i| i == 0 || !sql[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_'))?;
    let list = &sql[start + needle.len()..];
    let list = &list[..list.find(')')?];
    Some(
        list.split(',')
            .map(str::trim)
            .map(|item| match item.strip_prefix('\'').and_then(|i| i.strip_suffix('\'')) {
                Some(text) => Value::Text(text.to_owned()),
                None => Value::Integer(item.parse().expect("numeric literal in an IN list")),
            })
            .collect(),
    )
}

/// A value for `column` of row `row` that the table's constraints accept.
fn value_for(table: &str, sql: &str, column: &Column, row: usize) -> Value {
    if let Some(allowed) = allowed_values(sql, &column.name) {
        return allowed[row % allowed.len()].clone();
    }
    let name = column.name.as_str();
    let decl = column.decl_type.to_ascii_uppercase();
    if decl.contains("INT") {
        return Value::Integer(row as i64 + 1);
    }
    if decl.contains("REAL") {
        return Value::Real(0.5 + row as f64 / 4.0);
    }
    if decl.contains("BLOB") {
        return Value::Blob(vec![row as u8, 0xab, 0xcd]);
    }
    if sql.contains(&format!("json_valid({name})")) {
        return Value::Text(format!("{{\"seed\":{row}}}"));
    }
    if name == "currency" {
        return Value::Text(["EUR", "GBP"][row % 2].to_owned());
    }
    if name == "at" || name.ends_with("_at") || name.ends_with("stamp") {
        return Value::Text(format!("2026-0{}-15T10:00:00Z", row + 1));
    }
    if name.contains("date") || name == "expected_close" || name == "as_of" {
        return Value::Text(format!("2026-0{}-15", row + 1));
    }
    Value::Text(format!("{table}.{name} #{row} — naïve café"))
}

/// Tables in an order where every referenced table comes first.
fn parents_first(conn: &Connection, tables: &[String]) -> Vec<String> {
    let mut ordered: Vec<String> = Vec::new();
    let mut left: Vec<String> = tables.to_vec();
    while !left.is_empty() {
        let before = left.len();
        left.retain(|table| {
            let ready = foreign_keys(conn, table)
                .iter()
                .all(|(_, parent, _)| parent == table || ordered.contains(parent) || !tables.contains(parent));
            if ready {
                ordered.push(table.clone());
            }
            !ready
        });
        assert!(left.len() < before, "foreign-key cycle among {left:?}");
    }
    ordered
}

/// Inserts [`ROWS`] rows into every table of the database; returns the number inserted per table.
fn seed(conn: &Connection, version: usize) -> BTreeMap<String, usize> {
    let tables = plain_tables(conn);
    let mut inserted: BTreeMap<String, Vec<BTreeMap<String, Value>>> = BTreeMap::new();
    for table in parents_first(conn, &tables) {
        if LEFT_EMPTY.iter().any(|(name, _)| *name == table) {
            continue;
        }
        let sql = table_sql(conn, &table);
        let columns = columns(conn, &table);
        let fks = foreign_keys(conn, &table);
        for row in 0..ROWS {
            let mut values = BTreeMap::new();
            for column in &columns {
                let value = match fks.iter().find(|(from, ..)| *from == column.name) {
                    Some((_, parent, to)) => {
                        let to = to.clone().unwrap_or_else(|| primary_key(conn, parent));
                        let parent_value = inserted.get(parent).and_then(|rows| rows.get(row)).and_then(|r| r.get(&to));
                        match parent_value {
                            Some(value) => value.clone(),
                            None if column.not_null => {
                                panic!("{table}.{} needs a row of {parent}, which is not seeded", column.name)
                            }
                            None => Value::Null,
                        }
                    }
                    None => value_for(&table, &sql, column, row),
                };
                values.insert(column.name.clone(), value);
            }
            let names: Vec<String> = values.keys().map(|n| format!("\"{n}\"")).collect();
            let marks: Vec<String> = (1..=values.len()).map(|i| format!("?{i}")).collect();
            let insert = format!("INSERT INTO \"{table}\" ({}) VALUES ({})", names.join(", "), marks.join(", "));
            conn.execute(&insert, rusqlite::params_from_iter(values.values())).unwrap_or_else(|e| {
                panic!(
                    "at version {version}, generated row {values:?} for {table} was refused ({e}); teach \
                     value_for in core/upgrades.rs about the new constraint"
                )
            });
            inserted.entry(table.clone()).or_default().push(values);
        }
    }
    inserted.into_iter().map(|(table, rows)| (table, rows.len())).collect()
}

/// Every row of every data table, by the columns the table has now.
fn contents(conn: &Connection) -> BTreeMap<String, (Vec<String>, Vec<Vec<String>>)> {
    data_tables(conn)
        .into_iter()
        .map(|table| {
            let cols: Vec<String> = columns(conn, &table).into_iter().map(|c| c.name).collect();
            let rows = select(conn, &table, &cols).expect("read table");
            (table, (cols, rows))
        })
        .collect()
}

fn select(conn: &Connection, table: &str, cols: &[String]) -> rusqlite::Result<Vec<Vec<String>>> {
    let list: Vec<String> = cols.iter().map(|c| format!("\"{c}\"")).collect();
    let mut stmt = conn.prepare(&format!("SELECT {} FROM \"{table}\"", list.join(", ")))?;
    let rows =
        stmt.query_map([], |r| (0..cols.len()).map(|i| r.get::<_, Value>(i).map(|v| format!("{v:?}"))).collect())?;
    let mut rows: Vec<Vec<String>> = rows.collect::<rusqlite::Result<_>>()?;
    rows.sort();
    Ok(rows)
}

/// The whole schema, whitespace-normalised, plus the migration log without its timestamps.
fn schema(conn: &Connection) -> Vec<String> {
    let mut all = strings(
        conn,
        "SELECT type || ' ' || name || ' ON ' || tbl_name || ': ' || coalesce(sql, '') FROM sqlite_master
          ORDER BY type, name",
    );
    for entry in &mut all {
        *entry = entry.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    all.extend(strings(
        conn,
        "SELECT version || ' ' || name || ' ' || checksum FROM schema_migrations ORDER BY version",
    ));
    all
}

fn upgrade(dir: &Path) -> Connection {
    store::open(dir).expect("upgrade to the latest version")
}

#[test]
fn every_earlier_version_with_data_upgrades_to_the_fresh_schema_keeping_every_row() {
    let fresh_dir = tempfile::tempdir().expect("temp dir");
    let fresh = schema(&upgrade(fresh_dir.path()));
    assert!(MIGRATIONS.len() >= 2, "nothing to upgrade from");
    for applied in 0..MIGRATIONS.len() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(store::DB_FILE);
        let before = {
            let mut conn = store::open_configured(&path).expect("open");
            migrate::apply_all(&mut conn, &path, &MIGRATIONS[..applied]).expect("apply prefix");
            assert_eq!(migrate::current_version(&conn).expect("version") as usize, applied);
            let seeded = seed(&conn, applied);
            for table in plain_tables(&conn) {
                let expected = if LEFT_EMPTY.iter().any(|(name, _)| *name == table) { 0 } else { ROWS };
                assert_eq!(seeded.get(&table).copied().unwrap_or(0), expected, "version {applied}: rows in {table}");
            }
            contents(&conn)
        };
        let upgraded = upgrade(dir.path());
        assert_eq!(schema(&upgraded), fresh, "schema after upgrading from version {applied} with data");
        for (table, (cols, rows)) in before {
            let after = select(&upgraded, &table, &cols)
                .unwrap_or_else(|e| panic!("version {applied}: {table}({cols:?}) unreadable after the upgrade: {e}"));
            let mut missing = rows.clone();
            for row in &after {
                if let Some(i) = missing.iter().position(|r| r == row) {
                    missing.remove(i);
                }
            }
            assert!(missing.is_empty(), "version {applied}: rows of {table} lost by the upgrade: {missing:?}");
        }
    }
}
