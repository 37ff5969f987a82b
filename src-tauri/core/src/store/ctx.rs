//! [`Ctx`]: the handle every core API call takes.
//!
//! It owns one writer connection (SQLite allows one writer at a time; [`Ctx::write`] serialises on
//! it) and a small pool of WAL reader connections ([`readers`]), so [`Ctx::read`] sees the last
//! committed snapshot without waiting for a long write such as an import or a big sync flush.
//! The API over it is synchronous; async callers run it with [`off_runtime`] ([`blocking`]).
//!
//! A process that makes one core call at a time (the CLI) opens it with
//! [`Ctx::open_sequential`]: no call of its own can be writing while it reads, so reads share the
//! writer connection instead of each reader connection parsing the whole schema again.

pub mod blocking;
pub mod readers;

pub use blocking::off_runtime;

use std::{
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use crate::{
    store,
    store::clock::{Clock, SystemClock},
    Error, Result,
};

/// Owns the local database connections, the clock and the acting user.
pub struct Ctx {
    conn: Mutex<Connection>,
    /// `None` when `OUTPOST_DB_READERS=0`: reads then share the writer connection.
    readers: Option<r2d2::Pool<readers::Readers>>,
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
    /// This process's CRDT client id for the database, looked up once per transaction (the
    /// lookup checks the database file's identity, a system call, and a bulk flush documents
    /// thousands of records in one transaction).
    client: std::cell::OnceCell<u64>,
}

impl Tx<'_> {
    /// This process's CRDT client id for the database, looked up with `look_up` (the replica's
    /// `device::client_id`) the first time in this transaction.
    pub(crate) fn client_id_or(&self, look_up: impl FnOnce(&rusqlite::Connection) -> Result<u64>) -> Result<u64> {
        if let Some(id) = self.client.get() {
            return Ok(*id);
        }
        let id = look_up(&self.sql)?;
        Ok(*self.client.get_or_init(|| id))
    }

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
        Self::open_with_readers(data_dir, clock, readers::configured_size(readers::DEFAULT_READERS)?)
    }

    /// Opens the store for a process that makes one core call at a time, such as one CLI command:
    /// nothing of its own writes while it reads, so reads run on the writer connection (still
    /// `query_only` for the read) and no reader connection is opened. Each reader connection
    /// parses the whole schema again and the pool opens them on a thread of its own, which made a
    /// short command slower. `OUTPOST_DB_READERS`, if set, still decides.
    pub fn open_sequential(data_dir: &Path, clock: Arc<dyn Clock>) -> Result<Self> {
        Self::open_with_readers(data_dir, clock, readers::configured_size(0)?)
    }

    fn open_with_readers(data_dir: &Path, clock: Arc<dyn Clock>, readers: u32) -> Result<Self> {
        // The writer runs the migrations before any reader opens, so readers never see an old schema.
        let conn = store::open(data_dir)?;
        let readers = match readers {
            0 => None,
            size => Some(readers::pool(data_dir.join(store::DB_FILE), size)?),
        };
        let actor = std::env::var("USER").ok().filter(|u| !u.is_empty()).unwrap_or_else(|| "local".into());
        Ok(Self { conn: Mutex::new(conn), readers, clock, actor, data_dir: data_dir.to_path_buf() })
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
        let tx = Tx { sql, now: self.clock.now(), actor: &self.actor, client: std::cell::OnceCell::new() };
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

    /// Runs a read in one read transaction on the writer connection when it is free (read-only
    /// there too), else on a reader: for a read repeated between this process's own commits over the same scattered
    /// pages, such as the push reading a batch of outbox entries between its acknowledgements.
    /// The writer's page cache survives its own commits, while a reader's is dropped whenever
    /// anything commits; but a read never waits for the writer (a pull may be applying pages).
    pub(crate) fn read_warm<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let read = |conn: &Connection| {
            let snapshot = conn.unchecked_transaction()?;
            let value = f(&snapshot)?;
            snapshot.commit()?;
            Ok(value)
        };
        match self.conn.try_lock() {
            Ok(writer) => read_only_on(&writer, read),
            Err(std::sync::TryLockError::Poisoned(_)) => Err(Error::Poisoned),
            Err(std::sync::TryLockError::WouldBlock) => self.read(read),
        }
    }

    /// Runs a read-only closure on a reader connection: it sees the last committed state and does
    /// not wait for a write in progress. The connection is `query_only`, so `f` cannot write (a
    /// read that needs to see its own uncommitted writes belongs inside [`Ctx::write`]).
    ///
    /// Without readers (`OUTPOST_DB_READERS=0`, [`Ctx::open_sequential`]) the read runs on the
    /// writer connection between transactions, switched to `query_only` for its duration.
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        match &self.readers {
            Some(pool) => {
                let conn = pool.get()?;
                f(&conn)
            }
            None => read_only_on(&*self.conn.lock().map_err(|_| Error::Poisoned)?, f),
        }
    }
}

/// Runs `f` on the writer connection `conn` between transactions, switched to `query_only` for
/// its duration, so a read there cannot write either.
fn read_only_on<T>(conn: &Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    conn.pragma_update(None, "query_only", "ON")?;
    let value = f(conn);
    conn.pragma_update(None, "query_only", "OFF")?;
    value
}
