//! WAL checkpoints off the push writer's path.
//!
//! SQLite's automatic checkpoint runs inside the COMMIT of whichever transaction takes the WAL
//! past its threshold. For the push writer that was a sixth of its time in an end-to-end push
//! (copying pages back into the database file and syncing it) while every queued push waited for
//! its answer. Here the writer's connection only notes, after each commit, that its WAL holds
//! [`CHECKPOINT_PAGES`] or more (a WAL hook, which replaces the automatic checkpoint on that
//! connection), and a checkpointer thread on its own connection runs the same PASSIVE checkpoint
//! meanwhile. Durability is unchanged: a commit is durable in the WAL exactly as before; a
//! checkpoint only copies committed pages back and never blocks the writer.

use std::ffi::c_int;
use std::sync::mpsc;

use rusqlite::Connection;

use super::super::StoreError;

/// WAL size (in pages) that wakes the checkpointer: SQLite's own automatic-checkpoint default,
/// which keeps the WAL near 4 MiB (a much larger one made single checkpoints stall pushes).
pub(super) const CHECKPOINT_PAGES: c_int = 1000;

/// Starts the checkpointer thread on `own` (a connection to the same file) and hooks `writer`'s
/// commits to it. The thread ends when `writer` is dropped.
pub(super) fn start(own: Connection, writer: &mut Connection) -> Result<(), StoreError> {
    let (wake, woken) = mpsc::sync_channel::<()>(1);
    std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            while woken.recv().is_ok() {
                if let Err(error) = own.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                    tracing::warn!(%error, "WAL checkpoint failed; the next commit retries it");
                }
            }
        })
        .map_err(|e| StoreError::Task(format!("cannot start the SQLite checkpoint thread: {e}")))?;
    writer.wal_hook(Some(move |_: &mut rusqlite::hooks::Wal, pages: c_int| {
        if pages >= CHECKPOINT_PAGES {
            // Already woken and not yet running: that checkpoint covers this commit too.
            let _ = wake.try_send(());
        }
        Ok(())
    }))?;
    Ok(())
}
