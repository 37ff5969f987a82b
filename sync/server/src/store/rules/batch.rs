//! Deciding many pushed items at once, on several threads.
//!
//! Deciding an item (applying its update to the document's decoded state with `yrs`, reading the
//! fields before and after, checking them, deriving keys) is most of a push's CPU since issue 14,
//! and the SQLite store does it on its one writer thread: a device pushing its first 100k
//! records kept one core busy deciding while the other idled. Decisions are pure functions of the
//! item and the stored document, so the items of a push whose stored documents are known can be
//! decided side by side; the store then writes them in order on its one connection.
//!
//! The caller passes only items it may decide early: the first item of each document in a push
//! (nothing earlier in the same push can have changed that document). Later items of a document
//! are decided in order by the store, against what the earlier ones stored.

use std::sync::OnceLock;

use super::{decide_push_cached, DocCache, ExistingDoc, PushDecision};
use crate::authz::Principal;
use outpost_sync::protocol::PushItem;

/// Each deciding thread gets at least this many items, so a batch of fewer than twice as many is
/// decided on the calling thread (starting threads would cost more than it saves).
pub const MIN_ITEMS_PER_THREAD: usize = 64;

/// At most this many threads decide one batch.
const MAX_THREADS: usize = 4;

/// The cores this process may use, asked once.
fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Decides every `(item, stored document)` of `work`, in parallel when it is big enough, and
/// answers the decisions in the same order. A panic while deciding is carried to the caller as if
/// it had happened on its thread.
pub fn decide_all(
    who: &Principal,
    work: &[(&PushItem, Option<ExistingDoc>)],
    cache: Option<&DocCache>,
) -> Vec<PushDecision> {
    let decide_chunk = |chunk: &[(&PushItem, Option<ExistingDoc>)]| -> Vec<PushDecision> {
        chunk.iter().map(|(item, existing)| decide_push_cached(who, item, existing.as_ref(), cache)).collect()
    };
    // Most pushes are small (a live edit is one item): they never ask how many cores there are,
    // which reads the cgroup's CPU quota files on Linux.
    let wanted = work.len() / MIN_ITEMS_PER_THREAD;
    let threads = if wanted < 2 { 1 } else { cores().min(MAX_THREADS).min(wanted) };
    if threads < 2 {
        return decide_chunk(work);
    }
    let chunk_len = work.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let mut chunks = work.chunks(chunk_len);
        let own = chunks.next().unwrap_or_default();
        let helpers: Vec<_> = chunks
            .map(|chunk| {
                let spawned = std::thread::Builder::new()
                    .name("push-decider".into())
                    .spawn_scoped(scope, move || decide_chunk(chunk));
                // A thread that cannot start leaves its chunk to this one.
                spawned.map_err(|_| chunk)
            })
            .collect();
        let mut decisions = decide_chunk(own);
        for helper in helpers {
            match helper {
                Ok(handle) => match handle.join() {
                    Ok(part) => decisions.extend(part),
                    Err(panic) => std::panic::resume_unwind(panic),
                },
                Err(chunk) => decisions.extend(decide_chunk(chunk)),
            }
        }
        decisions
    })
}
