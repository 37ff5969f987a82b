//! The local database: where it lives and how it is opened (this file), and the modules that
//! work on it directly — migrations, the [`ctx::Ctx`] handle and its transactions, ids, audit,
//! settings, validation, list queries and the OS keychain.

pub mod audit;
pub mod changes;
pub mod clock;
pub mod ctx;
pub mod ids;
pub mod migrate;
pub mod search;
pub mod secrets;
pub mod settings;
pub mod validate;

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use rusqlite::Connection;

use crate::{Error, Result};

/// File name of the local database inside the data directory.
pub const DB_FILE: &str = "outpost.db";

/// Environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "OUTPOST_DATA_DIR";

/// Resolves the data directory: an explicit choice wins, then `OUTPOST_DATA_DIR`, then the OS
/// convention (`$XDG_DATA_HOME/outpost`, i.e. `~/.local/share/outpost` on Linux).
pub fn resolve_data_dir(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        return Ok(dir.to_path_buf());
    }
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::data_dir().map(|base| base.join("outpost")).ok_or_else(|| Error::DataDir {
        path: PathBuf::from("~/.local/share/outpost"),
        source: std::io::Error::new(std::io::ErrorKind::NotFound, "no home or XDG data directory is set"),
    })
}

/// Opens (creating if needed) `<data_dir>/outpost.db`, applies pending migrations and returns the
/// connection with WAL, foreign keys and a busy timeout configured.
pub fn open(data_dir: &Path) -> Result<Connection> {
    std::fs::create_dir_all(data_dir).map_err(|source| Error::DataDir { path: data_dir.to_path_buf(), source })?;
    let path = data_dir.join(DB_FILE);
    let mut conn = open_configured(&path)?;
    migrate::apply_all(&mut conn, &path, migrate::MIGRATIONS)?;
    Ok(conn)
}

/// Switches to WAL. Switching a brand-new file can report "database is locked" at once (without
/// the busy timeout) while another process switches it too, e.g. the desktop app and a CLI opening
/// a new data directory together; retried for up to the busy timeout.
fn set_wal(conn: &Connection) -> Result<()> {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(20));
            }
            other => return Ok(other?),
        }
    }
}

/// Opens a database file with Outpost's connection settings but runs no migrations.
pub fn open_configured(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path).map_err(|e| match e {
        rusqlite::Error::SqliteFailure(_, _) => {
            Error::DataDir { path: path.to_path_buf(), source: std::io::Error::other(e.to_string()) }
        }
        other => Error::Sqlite(other),
    })?;
    conn.busy_timeout(Duration::from_secs(5))?;
    // Imports and the API keep well over rusqlite's default 16 statements hot.
    conn.set_prepared_statement_cache_capacity(128);
    set_wal(&conn)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Deleted content is overwritten with zeros (GDPR erasure must leave no bytes behind; see
    // `replica::erase::scrub` for the rest: VACUUM and a truncated WAL).
    conn.pragma_update(None, "secure_delete", "ON")?;
    // 64 MiB of page cache (the default is 2 MiB): imports and searches touch many index pages,
    // and every miss is a read() system call.
    conn.pragma_update(None, "cache_size", -65_536)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "wal_autocheckpoint", 16_384)?;
    Ok(conn)
}

/// The steps of the plan SQLite picks for `sql` with `params` (the `detail` column of `EXPLAIN
/// QUERY PLAN`), for tests that a query reads through its index.
#[cfg(test)]
pub(crate) fn query_plan(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    let steps = stmt.query_map(params, |r| r.get::<_, String>(3))?;
    steps.collect()
}

#[cfg(test)]
mod tests {
    /// The settings [`super::open_configured`] promises, and SQLite built without allocation
    /// statistics (`.cargo/config.toml`): with them every SQLite allocation took a process-wide
    /// mutex.
    #[test]
    fn a_configured_connection_has_outposts_settings_and_sqlite_keeps_no_allocation_counts() {
        let dir = tempfile::tempdir().expect("tmp");
        let conn = super::open_configured(&dir.path().join("outpost.db")).expect("open");
        let pragma = |name: &str| -> String {
            conn.query_row(&format!("SELECT CAST({name} AS TEXT) FROM pragma_{name}"), [], |r| r.get(0)).expect(name)
        };
        assert_eq!(pragma("journal_mode"), "wal");
        assert_eq!(pragma("foreign_keys"), "1");
        assert_eq!(pragma("secure_delete"), "1");
        assert_eq!(pragma("synchronous"), "1", "NORMAL");
        let options: Vec<String> = conn
            .prepare("SELECT compile_options FROM pragma_compile_options")
            .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect())
            .expect("compile options");
        assert!(options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"), "SQLite was built with {options:?}");
    }
}
