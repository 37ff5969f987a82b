//! WAL checkpoints off the push writer's path, and a bound on the WAL's size.
//!
//! SQLite's automatic checkpoint runs inside the COMMIT of whichever transaction takes the WAL
//! past its threshold. For the push writer that was a sixth of its time in an end-to-end push
//! (copying pages back into the database file and syncing it) while every queued push waited for
//! its answer. Here the writer's connection only notes, after each commit, how big its WAL is (a
//! WAL hook, which replaces the automatic checkpoint on that connection); past
//! [`CheckpointPolicy::passive_pages`] a checkpointer thread on its own connection runs the same
//! PASSIVE checkpoint meanwhile. Durability is unchanged: a commit is durable in the WAL exactly as
//! before; a checkpoint only copies committed pages back.
//!
//! A PASSIVE checkpoint never waits, so under pushes back to back with pulls reading beside them
//! it never catches up with the end of the WAL, and the WAL only restarts from its beginning when
//! a checkpoint has caught up: a 100k-record first push grew it to 700 MB, and every commit and
//! read slowed with it (twice the server's CPU). Past [`CheckpointPolicy::restart_pages`] the
//! checkpointer therefore runs a RESTART checkpoint: it holds new commits back until the readers
//! of old pages are done (pulls are short), copies the rest, and the next commit writes the WAL
//! from its start again. It waits [`CHECKPOINT_WAIT`] for them at first, since pushes wait
//! meanwhile, longer after each attempt that gave up. It first
//! has to take the write lock between two group commits, so the WAL ends somewhat past the
//! threshold (the tests bound it at four thresholds; without the RESTART it grew without bound).
//!
//! A checkpoint that cannot finish (a reader held on past the busy timeout, or an error, which is
//! logged) is never fatal: the WAL keeps its pages and the next commit past the threshold wakes
//! the checkpointer again. The thread ends when the writer's connection is dropped (its hook holds
//! the only way to wake it).
//!
//! The thresholds are the [`CheckpointPolicy`]'s: the production store always uses its
//! [`Default`]; only tests choose smaller ones, to see many restarts in a few megabytes.

use std::ffi::c_int;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use rusqlite::Connection;

use super::super::StoreError;

/// When the checkpointer runs, and when it restarts the WAL (both in WAL pages, as SQLite's WAL
/// hook counts them; a page is 4 KiB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CheckpointPolicy {
    /// WAL size that wakes the checkpointer for a PASSIVE checkpoint.
    pub(crate) passive_pages: c_int,
    /// WAL size past which the checkpointer runs a RESTART checkpoint instead.
    pub(crate) restart_pages: c_int,
}

impl Default for CheckpointPolicy {
    /// PASSIVE from 1,000 pages: SQLite's own automatic-checkpoint default, which keeps the WAL
    /// near 4 MiB (a much larger one made single checkpoints stall pushes). RESTART from 8,000
    /// pages (~32 MiB): with it a 100k-record first push peaked at a 43 MB WAL, not 700 MB.
    fn default() -> Self {
        CheckpointPolicy { passive_pages: 1000, restart_pages: 8000 }
    }
}

/// How long a RESTART first waits for the write lock and for readers before giving up until the
/// next commit. It holds every push back while it waits, and with pulls reading back to back it
/// could keep missing the gaps between them for the whole of the connections' 10 s busy timeout:
/// an end-to-end benchmark run saw a device's 20,000 pushes take 16 s instead of 2. Each RESTART
/// that gives up doubles the next one's wait, up to [`MAX_CHECKPOINT_WAIT`], so under a load that
/// never leaves a gap the WAL is still restarted, at the cost of one bounded stall.
const CHECKPOINT_WAIT: Duration = Duration::from_millis(100);

/// The longest a RESTART waits (after several gave up in a row).
const MAX_CHECKPOINT_WAIT: Duration = Duration::from_millis(1_600);

/// Starts the checkpointer thread on `own` (a connection to the same file) and hooks `writer`'s
/// commits to it. The thread ends when `writer` is dropped.
pub(super) fn start(own: Connection, writer: &mut Connection, policy: CheckpointPolicy) -> Result<(), StoreError> {
    // Nothing waits for the thread: it ends by itself once `writer` (and with it the hook) is gone.
    spawn(own, writer, policy).map(drop)
}

/// [`start`], returning the thread's handle (tests join it to see it end cleanly).
fn spawn(
    own: Connection,
    writer: &mut Connection,
    policy: CheckpointPolicy,
) -> Result<std::thread::JoinHandle<()>, StoreError> {
    let (wake, woken) = mpsc::sync_channel::<()>(1);
    let wal_pages = Arc::new(AtomicI32::new(0));
    let seen = Arc::clone(&wal_pages);
    let thread = std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            let mut wait = CHECKPOINT_WAIT;
            while woken.recv().is_ok() {
                if let Err(error) = own.busy_timeout(wait) {
                    tracing::warn!(%error, "cannot set the checkpoint's wait");
                }
                wait = match checkpoint(&own, &wal_pages, policy) {
                    Checkpointed::Busy => (wait * 2).min(MAX_CHECKPOINT_WAIT),
                    Checkpointed::Restarted => CHECKPOINT_WAIT,
                    Checkpointed::Passive | Checkpointed::Failed => wait,
                };
            }
        })
        .map_err(|e| StoreError::Task(format!("cannot start the SQLite checkpoint thread: {e}")))?;
    writer.wal_hook(Some(move |_: &mut rusqlite::hooks::Wal, pages: c_int| {
        seen.store(pages, Ordering::Relaxed);
        if pages >= policy.passive_pages {
            // Already woken and not yet running: that checkpoint covers this commit too.
            let _ = wake.try_send(());
        }
        Ok(())
    }))?;
    Ok(thread)
}

/// What one checkpoint did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checkpointed {
    /// A PASSIVE checkpoint copied what no reader still needed.
    Passive,
    /// A RESTART checkpoint copied everything: the next commit writes the WAL from its start.
    Restarted,
    /// A RESTART checkpoint gave up on a reader (or on the writer) after the busy timeout; the
    /// WAL keeps its pages and the next commit past the threshold wakes the checkpointer again.
    Busy,
    /// The checkpoint failed (logged); the next commit past the threshold retries it.
    Failed,
}

/// Runs one checkpoint on `own`: RESTART when the last commit left `wal_pages` past the policy's
/// restart threshold (and then notes the WAL as empty), PASSIVE otherwise.
fn checkpoint(own: &Connection, wal_pages: &AtomicI32, policy: CheckpointPolicy) -> Checkpointed {
    let restart = wal_pages.load(Ordering::Relaxed) >= policy.restart_pages;
    let sql = if restart { "PRAGMA wal_checkpoint(RESTART)" } else { "PRAGMA wal_checkpoint(PASSIVE)" };
    match own.query_row(sql, [], |r| r.get::<_, i64>(0)) {
        Ok(0) if restart => {
            wal_pages.store(0, Ordering::Relaxed);
            Checkpointed::Restarted
        }
        Ok(0) => Checkpointed::Passive,
        Ok(_) => Checkpointed::Busy,
        Err(error) => {
            tracing::warn!(%error, "WAL checkpoint failed; the next commit retries it");
            Checkpointed::Failed
        }
    }
}

#[cfg(test)]
mod tests;
