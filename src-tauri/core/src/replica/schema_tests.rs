//! Every entity definition against the real schema: a migrated SQLite file must have a column
//! for every replicated field, and every column of an entity's table must be replicated or
//! declared local-only ([`super::kinds::local_columns`]). A field declared without its migration,
//! or a migration adding a column nobody decided about, fails here instead of silently not
//! syncing.

use std::collections::BTreeSet;

use outpost_sync::entity::{EntityKind, Storage};

use crate::replica::kinds;
use crate::Ctx;

fn table_columns(ctx: &Ctx, table: &str) -> BTreeSet<String> {
    ctx.read(|conn| {
        let mut stmt = conn.prepare("SELECT name FROM pragma_table_info(?1)")?;
        let rows = stmt.query_map([table], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<BTreeSet<_>>>()?)
    })
    .expect("table_info")
}

#[test]
fn every_replicated_column_exists_and_every_column_is_replicated_or_local() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("a migrated database file");
    let mut problems = Vec::new();
    for kind in EntityKind::ALL {
        let entity = kind.entity();
        let actual = table_columns(&ctx, entity.table);
        assert!(actual.contains("id"), "{} has no table {}", kind, entity.table);
        let replicated: BTreeSet<&str> =
            entity.fields.iter().filter(|f| f.storage != Storage::Carried).map(|f| f.name).collect();
        for column in &replicated {
            if !actual.contains(*column) {
                problems.push(format!("{kind}.{column} is replicated but {} has no such column", entity.table));
            }
        }
        let local = kinds::local_columns(kind);
        for column in local {
            if !actual.contains(*column) {
                problems.push(format!("{kind}: local-only column {column} is not in {}", entity.table));
            }
            if replicated.contains(column) {
                problems.push(format!("{kind}.{column} is declared both replicated and local-only"));
            }
        }
        for column in &actual {
            let known = column == "id" || replicated.contains(column.as_str()) || local.contains(&column.as_str());
            if !known {
                problems.push(format!(
                    "{}.{column} is neither a field of the {kind} definition (outpost_sync::entity) nor declared \
                     local-only (replica::kinds::local_columns)",
                    entity.table
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn carried_fields_are_not_columns() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    for kind in EntityKind::ALL {
        let actual = table_columns(&ctx, kind.table());
        for field in kind.entity().fields.iter().filter(|f| f.storage == Storage::Carried) {
            assert!(!actual.contains(field.name), "{kind}.{} is carried but also a column", field.name);
        }
    }
}
