//! The pool of read-only connections behind [`Ctx::read`](super::Ctx::read).
//!
//! SQLite in WAL mode lets any number of readers see the last committed snapshot while one writer
//! holds its transaction open, but only on separate connections: one shared connection behind a
//! lock makes every screen wait for the longest write (a million-row import commits 160,000 rows
//! at a time). The writer stays one connection (SQLite allows one writer anyway); reads take a
//! connection from this small `r2d2` pool instead. Reader connections are opened only after the
//! writer has run the migrations, and are `query_only`, so a write slipped into a read fails loudly
//! instead of racing the writer.

use std::{
    path::PathBuf,
    sync::{Arc, OnceLock},
    time::Duration,
};

use rusqlite::{Connection, OpenFlags};
use scheduled_thread_pool::ScheduledThreadPool;

/// How many reader connections a context keeps at most unless `OUTPOST_DB_READERS` says otherwise:
/// the desktop app's screens, the watcher, live sync and the agent rarely read at the same moment.
pub(crate) const DEFAULT_READERS: u32 = 4;

/// Overrides [`DEFAULT_READERS`]; `0` turns the pool off, so reads share the writer connection
/// (and wait behind its transactions) as before the pool existed. The read-latency benchmark uses
/// it to measure both.
pub const READERS_ENV: &str = "OUTPOST_DB_READERS";

/// Opens reader connections on the database file with Outpost's read settings.
#[derive(Debug)]
pub(crate) struct Readers {
    path: PathBuf,
}

impl r2d2::ManageConnection for Readers {
    type Connection = Connection;
    type Error = rusqlite::Error;

    fn connect(&self) -> rusqlite::Result<Connection> {
        // Read-write at the file level (a WAL reader maintains the shared-memory index) but
        // `query_only` at the SQL level; never creates the file: the writer already has.
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(&self.path, flags)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.set_prepared_statement_cache_capacity(64);
        conn.pragma_update(None, "query_only", "ON")?;
        // 16 MiB of page cache each (the writer has 64 MiB): lists and boards touch few pages.
        conn.pragma_update(None, "cache_size", -16_384)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut Connection) -> rusqlite::Result<()> {
        conn.execute_batch("")
    }

    fn has_broken(&self, _conn: &mut Connection) -> bool {
        false
    }
}

/// One background thread shared by every context's pool (r2d2 would start three per pool) to open
/// reader connections.
fn maintenance() -> Arc<ScheduledThreadPool> {
    static POOL: OnceLock<Arc<ScheduledThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        Arc::new(ScheduledThreadPool::builder().num_threads(1).thread_name_pattern("outpost-db-readers").build())
    })
    .clone()
}

/// How many readers to keep: `OUTPOST_DB_READERS` if it is a number, else `default`.
pub(crate) fn configured_size(default: u32) -> Result<u32, crate::Error> {
    match std::env::var(READERS_ENV) {
        Err(_) => Ok(default),
        Ok(value) => value.trim().parse::<u32>().ok().filter(|n| *n <= 64).ok_or_else(|| {
            crate::Error::invalid(READERS_ENV, format!("{value:?} is not a reader count; use 0 (no pool) to 64"))
        }),
    }
}

/// A pool of up to `size` readers on `path` (which must already be migrated); one is opened now so
/// a file readers cannot open fails here, not on the first read.
pub(crate) fn pool(path: PathBuf, size: u32) -> Result<r2d2::Pool<Readers>, r2d2::Error> {
    r2d2::Pool::builder()
        .max_size(size)
        .min_idle(Some(1))
        .test_on_check_out(false)
        .connection_timeout(Duration::from_secs(30))
        // Readers live as long as the context: with no idle timeout or lifetime r2d2 schedules no
        // reaper job, which would otherwise outlive the pool on the shared thread.
        .idle_timeout(None)
        .max_lifetime(None)
        .thread_pool(maintenance())
        .build(Readers { path })
}

#[cfg(test)]
mod tests {
    use std::{sync::mpsc, time::Duration};

    use crate::{Ctx, Error};

    fn count(ctx: &Ctx) -> crate::Result<i64> {
        ctx.read(|conn| Ok(conn.query_row("SELECT count(*) FROM companies", [], |r| r.get(0))?))
    }

    fn insert(tx: &crate::store::ctx::Tx<'_>, id: &str) -> crate::Result<()> {
        tx.sql.execute("INSERT INTO companies (id, name, created_at, updated_at) VALUES (?1, ?1, 'x', 'x')", [id])?;
        Ok(())
    }

    /// The one-lock store made every screen wait for the longest write: a read must finish while
    /// another thread holds a write transaction open, seeing the last committed state.
    #[test]
    fn a_read_completes_while_a_write_transaction_is_held_open() {
        let dir = tempfile::tempdir().expect("tmp");
        let ctx = Ctx::open(dir.path()).expect("open");
        ctx.write(|tx| insert(tx, "committed")).expect("seed");
        let (inside, wait_inside) = mpsc::channel();
        let (release, wait_release) = mpsc::channel::<()>();
        let (read_done, wait_read) = mpsc::channel();
        let ctx = &ctx;
        std::thread::scope(|scope| {
            let writer = scope.spawn(move || {
                ctx.write(|tx| {
                    insert(tx, "uncommitted")?;
                    inside.send(()).expect("signal");
                    // Holds the transaction open until the reader has finished (or given up).
                    let _ = wait_release.recv();
                    Ok(())
                })
            });
            wait_inside.recv().expect("the writer entered its transaction");
            scope.spawn(move || read_done.send(count(ctx)).expect("report"));
            // A bound so a regression fails instead of hanging; a working pool answers at once.
            let seen = wait_read.recv_timeout(Duration::from_secs(20));
            release.send(()).expect("release the writer");
            writer.join().expect("writer thread").expect("write commits");
            let seen = seen.expect("the read waited for the write transaction to end").expect("read");
            assert_eq!(seen, 1, "the read sees the committed row, not the write in progress");
        });
        assert_eq!(count(ctx).expect("read after commit"), 2, "the commit is visible to the next read");
    }

    /// Reader connections are `query_only`: a write slipped into `Ctx::read` fails and changes
    /// nothing instead of racing the writer.
    #[test]
    fn a_write_inside_a_read_is_refused() {
        let dir = tempfile::tempdir().expect("tmp");
        let ctx = Ctx::open(dir.path()).expect("open");
        let refused = ctx.read(|conn| {
            conn.execute("INSERT INTO companies (id, name, created_at, updated_at) VALUES ('a', 'a', 'x', 'x')", [])?;
            Ok(())
        });
        assert!(matches!(refused, Err(Error::Sqlite(_))), "got {refused:?}");
        assert_eq!(count(&ctx).expect("count"), 0);
    }

    /// A CLI command's context opens no reader connection (each would parse the whole schema
    /// again), yet its reads stay read-only: a write slipped into one is refused, and the writer
    /// connection they ran on writes again afterwards.
    #[test]
    fn a_sequential_context_reads_on_the_writer_and_still_refuses_writes_in_reads() {
        let dir = tempfile::tempdir().expect("tmp");
        let ctx =
            Ctx::open_sequential(dir.path(), std::sync::Arc::new(crate::store::clock::SystemClock)).expect("open");
        if std::env::var(super::READERS_ENV).is_err() {
            assert!(ctx.readers.is_none(), "no reader pool unless OUTPOST_DB_READERS asks for one");
        }
        ctx.write(|tx| insert(tx, "before")).expect("seed");
        let refused = ctx.read(|conn| {
            conn.execute("INSERT INTO companies (id, name, created_at, updated_at) VALUES ('a', 'a', 'x', 'x')", [])?;
            Ok(())
        });
        assert!(matches!(refused, Err(Error::Sqlite(_))), "got {refused:?}");
        assert_eq!(count(&ctx).expect("count"), 1, "the refused write changed nothing");
        ctx.write(|tx| insert(tx, "after")).expect("the writer writes again after a read");
        assert_eq!(count(&ctx).expect("count"), 2);
    }

    /// Many threads reading at once share the few readers without error.
    #[test]
    fn more_concurrent_reads_than_readers_all_complete() {
        let dir = tempfile::tempdir().expect("tmp");
        let ctx = Ctx::open(dir.path()).expect("open");
        ctx.write(|tx| insert(tx, "one")).expect("seed");
        std::thread::scope(|scope| {
            let readers: Vec<_> =
                (0..super::DEFAULT_READERS * 3).map(|_| scope.spawn(|| count(&ctx).expect("read"))).collect();
            for reader in readers {
                assert_eq!(reader.join().expect("reader thread"), 1);
            }
        });
    }
}
