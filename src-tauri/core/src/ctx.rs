//! [`Ctx`]: the handle every core API call takes.

use std::{
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::{
    clock::{Clock, SystemClock},
    store, Error, Result,
};

/// Owns the local database connection, the clock and the acting user.
pub struct Ctx {
    conn: Mutex<Connection>,
    clock: Arc<dyn Clock>,
    actor: String,
    data_dir: PathBuf,
}

impl std::fmt::Debug for Ctx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ctx").field("data_dir", &self.data_dir).field("actor", &self.actor).finish()
    }
}

/// A write transaction with the instant and actor of the mutation it carries.
pub struct Tx<'a> {
    /// The SQLite transaction.
    pub sql: rusqlite::Transaction<'a>,
    /// When the mutation happens (from the context's clock).
    pub now: DateTime<Utc>,
    /// Who performs it (recorded in the audit log).
    pub actor: &'a str,
}

impl Tx<'_> {
    /// The mutation's instant as stored: RFC 3339 UTC with milliseconds.
    pub fn stamp(&self) -> String {
        self.now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    }
}

impl Ctx {
    /// Opens the store in `data_dir` with the system clock, acting as the local OS user.
    pub fn open(data_dir: &Path) -> Result<Self> {
        Self::open_with_clock(data_dir, Arc::new(SystemClock))
    }

    /// Opens the store in `data_dir` with an injected clock.
    pub fn open_with_clock(data_dir: &Path, clock: Arc<dyn Clock>) -> Result<Self> {
        let conn = store::open(data_dir)?;
        let actor = std::env::var("USER").ok().filter(|u| !u.is_empty()).unwrap_or_else(|| "local".into());
        Ok(Self { conn: Mutex::new(conn), clock, actor, data_dir: data_dir.to_path_buf() })
    }

    /// This context acting as `actor` instead of the local OS user (e.g. the signed-in user of the
    /// desktop app; a second user in tests). Memories, copilot threads and actions are private to
    /// the actor.
    pub fn with_actor(mut self, actor: impl Into<String>) -> Self {
        self.actor = actor.into();
        self
    }

    /// The data directory this context was opened on.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The acting user recorded in audit rows.
    pub fn actor(&self) -> &str {
        &self.actor
    }

    /// The current instant according to the injected clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Runs `f` inside one immediate write transaction; commits only if `f` succeeds, so a failed
    /// validation or constraint leaves the database exactly as it was.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Tx<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.conn.lock().map_err(|_| Error::Poisoned)?;
        let sql = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let tx = Tx { sql, now: self.clock.now(), actor: &self.actor };
        let value = f(&tx)?;
        tx.sql.commit()?;
        Ok(value)
    }

    /// Runs `f` on the connection outside any transaction, for statements that cannot run in one
    /// (VACUUM, WAL checkpoints).
    pub(crate) fn without_transaction<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.conn.lock().map_err(|_| Error::Poisoned)?;
        f(&conn)
    }

    /// Runs a read-only closure against the connection.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.conn.lock().map_err(|_| Error::Poisoned)?;
        f(&conn)
    }
}
