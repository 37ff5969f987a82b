//! Embedded, append-only schema migrations.
//!
//! Each `migrations/local/NNNN_name.sql` is compiled into the binary, applied in its own
//! transaction and recorded in `schema_migrations` with a checksum. A database that records a
//! migration this build does not know fails to open with [`Error::DatabaseTooNew`]; an applied
//! migration whose text has since changed fails with [`Error::MigrationChanged`].

use std::{collections::HashMap, path::Path};

use rusqlite::{params, Connection, OptionalExtension};

use crate::{Error, Result};

/// One embedded migration.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// 1-based, gap-free version number.
    pub version: u32,
    /// Name after the number in the file name.
    pub name: &'static str,
    /// The SQL text.
    pub sql: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// FNV-1a 64-bit hash of the migration text: enough to notice an edited migration.
fn checksum(sql: &str) -> String {
    let hash = sql
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3));
    format!("{hash:016x}")
}

/// The highest version recorded in the database (0 for a fresh one).
pub fn current_version(conn: &Connection) -> Result<u32> {
    ensure_table(conn)?;
    let version: Option<u32> = conn.query_row("SELECT max(version) FROM schema_migrations", [], |row| row.get(0))?;
    Ok(version.unwrap_or(0))
}

fn ensure_table(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             name       TEXT NOT NULL,
             checksum   TEXT NOT NULL,
             applied_at TEXT NOT NULL
         )",
    )?;
    Ok(())
}

/// Applies every migration in `migrations` that the database lacks, each in its own transaction.
/// Every recorded migration's checksum is compared with this build's text first; the records are
/// read in one query, since every command of the CLI opens the store and pays for this.
pub fn apply_all(conn: &mut Connection, path: &Path, migrations: &[Migration]) -> Result<()> {
    ensure_table(conn)?;
    let recorded: HashMap<u32, String> = conn
        .prepare("SELECT version, checksum FROM schema_migrations")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let found = recorded.keys().copied().max().unwrap_or(0);
    let known = migrations.last().map_or(0, |m| m.version);
    if found > known {
        return Err(Error::DatabaseTooNew { path: path.to_path_buf(), found, known });
    }
    for migration in migrations {
        match recorded.get(&migration.version) {
            Some(sum) if *sum == checksum(migration.sql) => continue,
            Some(_) => {
                return Err(Error::MigrationChanged { version: migration.version, name: migration.name.to_owned() })
            }
            None => apply_one(conn, migration)?,
        }
    }
    Ok(())
}

fn apply_one(conn: &mut Connection, migration: &Migration) -> Result<()> {
    let failed =
        |source| Error::MigrationFailed { version: migration.version, name: migration.name.to_owned(), source };
    // IMMEDIATE takes the write lock first, and the version is checked again under it: another
    // process opening the same new data directory at the same moment may have applied it already.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(failed)?;
    let recorded: Option<String> = tx
        .query_row("SELECT checksum FROM schema_migrations WHERE version = ?1", [migration.version], |row| row.get(0))
        .optional()
        .map_err(failed)?;
    match recorded {
        Some(sum) if sum == checksum(migration.sql) => return Ok(()),
        Some(_) => return Err(Error::MigrationChanged { version: migration.version, name: migration.name.to_owned() }),
        None => {}
    }
    tx.execute_batch(migration.sql).map_err(failed)?;
    tx.execute(
        "INSERT INTO schema_migrations (version, name, checksum, applied_at)
         VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        params![migration.version, migration.name, checksum(migration.sql)],
    )
    .map_err(failed)?;
    tx.commit().map_err(failed)?;
    tracing::debug!(version = migration.version, name = migration.name, "applied migration");
    Ok(())
}
