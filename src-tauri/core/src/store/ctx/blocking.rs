//! Calling the synchronous core API from async code without holding the async runtime.
//!
//! The core's database functions are synchronous: they wait on SQLite, and a write waits for the
//! one writer connection, which a long import holds for seconds. Called straight from an async
//! task, such a call holds one of the runtime's few worker threads for as long, and everything
//! else scheduled there (the UI's other commands, timers, sync's network I/O) waits with it.
//! [`off_runtime`] runs the call on tokio's blocking pool instead, where waiting costs one pool
//! thread; the desktop's command adapters go through it.

use std::sync::Arc;

use crate::{Ctx, Error, Result};

/// Runs `call` with `ctx` on tokio's blocking pool and waits for it without blocking the runtime.
/// A call that panics fails with [`Error::Interrupted`] (an internal error) instead of taking the
/// caller down.
pub async fn off_runtime<T, F>(ctx: &Arc<Ctx>, call: F) -> Result<T>
where
    T: Send + 'static,
    F: FnOnce(&Ctx) -> Result<T> + Send + 'static,
{
    let ctx = Arc::clone(ctx);
    tokio::task::spawn_blocking(move || call(&ctx)).await.map_err(|error| {
        tracing::error!(%error, "a core call stopped before it finished");
        Error::Interrupted(error.to_string())
    })?
}

#[cfg(test)]
mod tests {
    use std::{sync::mpsc, time::Duration};

    use super::*;
    use crate::{
        crm::companies::{self, NewCompany},
        store::search::ListQuery,
    };

    /// More reads at once than there are reader connections, as when every open screen refreshes.
    const READS: usize = 32;

    fn names(ctx: &Ctx) -> Result<Vec<String>> {
        Ok(companies::list(ctx, ListQuery::default())?.into_iter().map(|c| c.name).collect())
    }

    /// Core calls ran on the runtime's worker threads: a long write held a worker, and every
    /// command scheduled behind it waited for the write to end. With one worker, a write that
    /// waits inside its transaction until the reads are done and reads all issued through
    /// [`off_runtime`] (the desktop adapters' path) only finish if the write left the worker free
    /// and the readers do not wait for the writer.
    #[test]
    fn reads_through_off_runtime_finish_while_a_long_write_holds_the_writer() {
        let dir = tempfile::tempdir().expect("tmp");
        let ctx = Arc::new(Ctx::open(dir.path()).expect("open"));
        companies::add(&ctx, NewCompany { name: "Committed".into(), ..Default::default() }).expect("seed");
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("rt");

        let (inside, wait_inside) = mpsc::channel();
        let (release, wait_release) = mpsc::channel::<()>();
        let writer = runtime.spawn({
            let ctx = Arc::clone(&ctx);
            async move {
                off_runtime(&ctx, move |ctx| {
                    ctx.write(|tx| {
                        tx.sql.execute(
                            "INSERT INTO companies (id, name, created_at, updated_at) \
                             VALUES (?1, 'Uncommitted', 'x', 'x')",
                            [uuid::Uuid::now_v7().to_string()],
                        )?;
                        inside.send(()).expect("signal");
                        // Holds the transaction open until the reads are done (or the test gave up).
                        let _ = wait_release.recv();
                        Ok(())
                    })
                })
                .await
            }
        });
        // A bound so a regression fails instead of hanging; a working path answers at once.
        let bound = Duration::from_secs(60);
        wait_inside.recv_timeout(bound).expect("the writer entered its transaction");

        let (reads_done, wait_reads) = mpsc::channel();
        runtime.spawn({
            let ctx = Arc::clone(&ctx);
            async move {
                let reads: Vec<_> = (0..READS)
                    .map(|_| {
                        let ctx = Arc::clone(&ctx);
                        tokio::spawn(async move { off_runtime(&ctx, names).await })
                    })
                    .collect();
                let mut seen = Vec::new();
                for read in reads {
                    seen.push(read.await.expect("read task").expect("read"));
                }
                let _ = reads_done.send(seen);
            }
        });
        let seen = wait_reads.recv_timeout(bound);
        release.send(()).expect("release the writer");
        runtime.block_on(writer).expect("writer task").expect("the write commits");
        let seen = seen.expect("the reads waited for the long write (or for the runtime it held)");

        assert_eq!(seen.len(), READS);
        for names in &seen {
            assert_eq!(names, &["Committed"], "each read sees the committed state, not the write in progress");
        }
        let after = runtime.block_on(off_runtime(&ctx, names)).expect("read after commit");
        assert_eq!(after.len(), 2, "the commit is visible to the next read: {after:?}");
    }

    /// A core call that panics becomes an internal error for the caller, not a crash.
    #[test]
    fn a_panicking_call_is_an_internal_error() {
        let dir = tempfile::tempdir().expect("tmp");
        let ctx = Arc::new(Ctx::open(dir.path()).expect("open"));
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("rt");
        let failed = runtime.block_on(off_runtime(&ctx, |_| -> Result<()> { panic!("a bug in a core call") }));
        assert!(matches!(&failed, Err(Error::Interrupted(_))), "got {failed:?}");
        assert_eq!(failed.err().map(|e| e.kind()), Some("internal"));
    }
}
