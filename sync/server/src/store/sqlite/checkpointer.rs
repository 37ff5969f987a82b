//! WAL checkpoints off the push writer's path, and a bound on the WAL's size.
//!
//! SQLite's automatic checkpoint runs inside the COMMIT of whichever transaction takes the WAL
//! past its threshold. For the push writer that was a sixth of its time in an end-to-end push
//! (copying pages back into the database file and syncing it) while every queued push waited for
//! its answer. Here the writer's connection only notes, after each commit, how big its WAL is (a
//! WAL hook, which replaces the automatic checkpoint on that connection); past
//! [`CHECKPOINT_PAGES`] a checkpointer thread on its own connection runs the same PASSIVE
//! checkpoint meanwhile. Durability is unchanged: a commit is durable in the WAL exactly as
//! before; a checkpoint only copies committed pages back.
//!
//! A PASSIVE checkpoint never waits, so under pushes back to back with pulls reading beside them
//! it never catches up with the end of the WAL, and the WAL only restarts from its beginning when
//! a checkpoint has caught up: a 100k-record first push grew it to 700 MB, and every commit and
//! read slowed with it (twice the server's CPU). Past [`RESTART_PAGES`] the checkpointer
//! therefore runs a RESTART checkpoint: it holds new commits back (the push writer waits, as for
//! any lock, up to its busy timeout) until the readers of old pages are done (pulls are short),
//! copies the rest, and the next commit writes the WAL from its start again.

use std::ffi::c_int;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{mpsc, Arc};

use rusqlite::Connection;

use super::super::StoreError;

/// WAL size (in pages) that wakes the checkpointer: SQLite's own automatic-checkpoint default,
/// which keeps the WAL near 4 MiB (a much larger one made single checkpoints stall pushes).
const CHECKPOINT_PAGES: c_int = 1000;

/// WAL size (in pages, ~32 MiB) past which the checkpointer runs a RESTART checkpoint.
const RESTART_PAGES: c_int = 8 * CHECKPOINT_PAGES;

/// Starts the checkpointer thread on `own` (a connection to the same file) and hooks `writer`'s
/// commits to it. The thread ends when `writer` is dropped.
pub(super) fn start(own: Connection, writer: &mut Connection) -> Result<(), StoreError> {
    let (wake, woken) = mpsc::sync_channel::<()>(1);
    let wal_pages = Arc::new(AtomicI32::new(0));
    let seen = Arc::clone(&wal_pages);
    std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            while woken.recv().is_ok() {
                let restart = wal_pages.load(Ordering::Relaxed) >= RESTART_PAGES;
                let sql = if restart { "PRAGMA wal_checkpoint(RESTART)" } else { "PRAGMA wal_checkpoint(PASSIVE)" };
                match own.query_row(sql, [], |r| r.get::<_, i64>(0)) {
                    Ok(0) if restart => wal_pages.store(0, Ordering::Relaxed),
                    // Done, or busy (a reader held on past the busy timeout): the next commit
                    // past the threshold wakes this thread again.
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%error, "WAL checkpoint failed; the next commit retries it"),
                }
            }
        })
        .map_err(|e| StoreError::Task(format!("cannot start the SQLite checkpoint thread: {e}")))?;
    writer.wal_hook(Some(move |_: &mut rusqlite::hooks::Wal, pages: c_int| {
        seen.store(pages, Ordering::Relaxed);
        if pages >= CHECKPOINT_PAGES {
            // Already woken and not yet running: that checkpoint covers this commit too.
            let _ = wake.try_send(());
        }
        Ok(())
    }))?;
    Ok(())
}
