//! Group commit for the SQLite store: every push is queued to one writer thread that owns the
//! store's write connection and applies everything queued so far in ONE transaction.
//!
//! Before, each push paid for a wake-up of tokio's blocking pool, the connection mutex and its
//! own transaction (the update, a receipt with its digest, a row in `update_digests`, the
//! document's state, the quota counters, the organisation's sequence). With 50 concurrent
//! clients that per-push overhead, not the work, bounded throughput. Now the writer takes the
//! first queued push, drains whatever else is queued (bounded by [`MAX_ITEMS_PER_COMMIT`]), and:
//!
//! - applies each push in turn inside one immediate transaction, each under its own savepoint,
//!   so each item is still authorised and validated individually against the stored state
//!   *including the earlier pushes of the same batch* (they are visible to the transaction);
//! - a refused item changes nothing, as before; a push whose statements fail is rolled back to
//!   its savepoint alone and answered with that error, never taking the others with it;
//! - answers every push only after the batch commits (a failed commit answers all of them with
//!   the error, and nothing of them is stored), so a `stored` outcome is always durable state;
//! - keeps its statements prepared on its own connection for the life of the store;
//! - survives a panic while deciding one push (that push alone is answered with an error);
//! - decides the first item of each document of a push on several threads before writing any
//!   of it ([`decide_all`]): nothing earlier in the push can change that document, and deciding
//!   is most of the CPU a push costs; later items of a document are decided in order.
//!
//! Sequence numbers stay committed in order: there is exactly one writer of pushes. The decoded
//! document cache stays safe: it is used only when its state equals the stored one, so an entry
//! left by a rolled-back push is a miss.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use tokio::sync::oneshot;

use super::super::results::{done, epoch_i64, receipt_outcome, rejected};
use super::super::{decide_all, decide_push_cached, utc_day, DocCache, PushDecision, Quotas, StoreError, Usage};
use super::checkpointer::{self, CheckpointPolicy};
use super::{existing_doc, insert_doc, move_owner, seq_i64, seq_u64};
use crate::authz::Principal;
use outpost_sync::protocol::{update_digest, PushItem, PushOutcome, PushResult};

/// Most items one group commit applies; pushes queued beyond it wait for the next commit (bounds
/// the latency a big batch adds to the pushes committed with it).
pub(super) const MAX_ITEMS_PER_COMMIT: usize = 4096;

/// One queued push and where its answer goes.
struct Job {
    who: Principal,
    items: Vec<PushItem>,
    quotas: Quotas,
    reply: oneshot::Sender<Result<Vec<PushResult>, StoreError>>,
}

/// The handle pushes are queued through; the writer thread ends when the last handle is dropped.
#[derive(Clone)]
pub(super) struct Writer {
    jobs: mpsc::Sender<Job>,
    /// Transactions committed so far (one per group).
    commits: Arc<AtomicU64>,
}

impl Writer {
    /// Starts the writer thread owning `conn`, with its checkpoints run on `checkpoint_conn` as
    /// `checkpoints` says ([`checkpointer`]).
    pub(super) fn start(
        mut conn: Connection,
        checkpoint_conn: Connection,
        checkpoints: CheckpointPolicy,
        cache: Arc<DocCache>,
    ) -> Result<Self, StoreError> {
        checkpointer::start(checkpoint_conn, &mut conn, checkpoints)?;
        let (jobs, queue) = mpsc::channel();
        let commits = Arc::new(AtomicU64::new(0));
        let counter = Arc::clone(&commits);
        std::thread::Builder::new()
            .name("sqlite-push-writer".into())
            .spawn(move || run(conn, &cache, &queue, &counter))
            .map_err(|e| StoreError::Task(format!("cannot start the SQLite push writer thread: {e}")))?;
        Ok(Writer { jobs, commits })
    }

    /// Group transactions committed so far.
    pub(super) fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    /// Queues a push and waits for its results (given once the group it joined has committed).
    pub(super) fn submit(
        &self,
        who: Principal,
        items: Vec<PushItem>,
        quotas: Quotas,
    ) -> impl std::future::Future<Output = Result<Vec<PushResult>, StoreError>> + Send + 'static {
        let (reply, answer) = oneshot::channel();
        let queued = self.jobs.send(Job { who, items, quotas, reply }).is_ok();
        async move {
            if !queued {
                return Err(StoreError::Task("the SQLite push writer has stopped".into()));
            }
            answer.await.map_err(|_| StoreError::Task("the SQLite push writer stopped before answering".into()))?
        }
    }
}

/// The writer loop: one group commit per wake-up, until every handle is dropped.
fn run(mut conn: Connection, cache: &DocCache, queue: &mpsc::Receiver<Job>, commits: &AtomicU64) {
    while let Ok(first) = queue.recv() {
        let mut group = vec![first];
        let mut items = group[0].items.len();
        while items < MAX_ITEMS_PER_COMMIT {
            match queue.try_recv() {
                Ok(job) => {
                    items += job.items.len();
                    group.push(job);
                }
                Err(_) => break,
            }
        }
        if commit_group(&mut conn, cache, group) {
            commits.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Applies `group` in one transaction and answers each push after the commit; false when the
/// transaction failed (every push of the group is then answered with the error).
fn commit_group(conn: &mut Connection, cache: &DocCache, group: Vec<Job>) -> bool {
    let mut answers: Vec<Result<Vec<PushResult>, StoreError>> = Vec::with_capacity(group.len());
    let committed = (|| -> Result<(), StoreError> {
        let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for job in &group {
            let mut savepoint = tx.savepoint()?;
            // A panic deciding one push (a hostile update tripping a library bug) fails that push
            // alone: the writer thread, and every other push, carry on.
            let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                apply_push(&savepoint, cache, &job.who, &job.items, &job.quotas)
            }))
            .unwrap_or_else(|_| {
                Err(StoreError::Task("deciding this push failed unexpectedly; nothing of it was stored".into()))
            });
            match applied {
                Ok(results) => {
                    savepoint.commit()?;
                    answers.push(Ok(results));
                }
                Err(error) => {
                    savepoint.rollback()?;
                    drop(savepoint);
                    answers.push(Err(error));
                }
            }
        }
        tx.commit()?;
        Ok(())
    })();
    match committed {
        Ok(()) => {
            for (job, answer) in group.into_iter().zip(answers) {
                // A client that went away no longer waits for its answer; its push is stored.
                let _ = job.reply.send(answer);
            }
            true
        }
        Err(error) => {
            let why = error.to_string();
            for job in group {
                let _ = job.reply.send(Err(StoreError::Task(format!("the push was not stored: {why}"))));
            }
            false
        }
    }
}

/// Applies one push's items inside the open transaction `tx`: each item is checked for a
/// sequence-number replay, decided ([`decide_push_cached`]) against the stored state and counted
/// against the user's quotas; refused items change nothing.
fn apply_push(
    tx: &Connection,
    cache: &DocCache,
    who: &Principal,
    items: &[PushItem],
    quotas: &Quotas,
) -> Result<Vec<PushResult>, StoreError> {
    let mut results = Vec::with_capacity(items.len());
    let mut scrub_due = false;
    // The org's sequence and the user's usage are read once and stored once per batch:
    // the immediate transaction holds the only write lock, so no other push can interleave.
    let mut last_seq: i64 =
        tx.prepare_cached("SELECT last_seq FROM orgs WHERE id = ?1")?.query_row([who.org_id], |r| r.get(0))?;
    let day = utc_day();
    let (docs, bytes_today): (i64, i64) = tx
        .prepare_cached(
            "SELECT doc_count, coalesce((SELECT bytes FROM usage WHERE user_id = ?1 AND day = ?2), 0) \
                 FROM users WHERE id = ?1",
        )?
        .query_row(params![who.user_id, day], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let mut usage = Usage { docs: seq_u64(docs), bytes_today: seq_u64(bytes_today) };
    let start_usage = usage;
    let mut early = decide_early(tx, cache, who, items, EARLY_BYTES)?;
    for (index, item) in items.iter().enumerate() {
        let (client_seq, epoch) = (seq_i64(item.client_seq), epoch_i64(item.epoch));
        let digest = update_digest(&item.update);
        let earlier: Option<(i64, String)> = tx
            .prepare_cached(
                "SELECT seq, digest FROM push_receipts_v4 WHERE device_id = ?1 AND epoch = ?2 AND client_seq = ?3",
            )?
            .query_row(params![who.device_id, epoch, client_seq], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some(result) = receipt_outcome(item, earlier, &digest) {
            results.push(result);
            continue;
        }
        let doc_id = item.doc_id.to_string();
        let receipt = |tx: &Connection, seq: i64| -> Result<(), StoreError> {
            tx.prepare_cached(
                "INSERT INTO push_receipts_v4 (device_id, epoch, client_seq, seq, digest) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![who.device_id, epoch, client_seq, seq, digest])?;
            Ok(())
        };
        let decision = match early[index].take() {
            Some(decision) => decision,
            None => decide_push_cached(who, item, existing_doc(tx, who.org_id, &doc_id)?.as_ref(), Some(cache)),
        };
        match decision {
            PushDecision::Reject(error) => {
                results.push(rejected(item, error));
                continue;
            }
            PushDecision::AlreadyErased => {
                let seq: i64 = tx
                    .prepare_cached("SELECT coalesce(max(seq), 0) FROM updates WHERE org_id = ?1 AND doc_id = ?2")?
                    .query_row(params![who.org_id, doc_id], |r| r.get(0))?;
                results.push(done(item, PushOutcome::Duplicate { seq: seq_u64(seq) }, &digest));
                continue;
            }
            PushDecision::Create { state } => {
                if let Err(error) = usage.admit(quotas, item, true) {
                    results.push(rejected(item, error));
                    continue;
                }
                insert_doc(tx, who, item, &doc_id, &state)?;
            }
            PushDecision::Append { state, new_owner } => {
                let same: Option<i64> = tx
                    .prepare_cached("SELECT seq FROM update_digests WHERE org_id = ?1 AND doc_id = ?2 AND digest = ?3")?
                    .query_row(params![who.org_id, doc_id, digest], |r| r.get(0))
                    .optional()?;
                if let Some(seq) = same {
                    // The same bytes under a new sequence number: stored once.
                    receipt(tx, seq)?;
                    results.push(done(item, PushOutcome::Duplicate { seq: seq_u64(seq) }, &digest));
                    continue;
                }
                if let Err(error) = usage.admit(quotas, item, false) {
                    results.push(rejected(item, error));
                    continue;
                }
                tx.prepare_cached(
                    "UPDATE docs SET update_count = update_count + 1, state = ?3, \
                         compact_requested = max(compact_requested, ?4) WHERE org_id = ?1 AND doc_id = ?2",
                )?
                .execute(params![who.org_id, doc_id, state, item.compact])?;
                if let Some(email) = new_owner {
                    move_owner(tx, who.org_id, &doc_id, &email)?;
                }
            }
            PushDecision::Erase => {
                scrub_due = true;
                tx.prepare_cached("DELETE FROM updates WHERE org_id = ?1 AND doc_id = ?2")?
                    .execute(params![who.org_id, doc_id])?;
                tx.prepare_cached("DELETE FROM update_digests WHERE org_id = ?1 AND doc_id = ?2")?
                    .execute(params![who.org_id, doc_id])?;
                tx.prepare_cached(
                    "UPDATE docs SET erased = 1, update_count = 1, state = NULL, compact_requested = 0 \
                         WHERE org_id = ?1 AND doc_id = ?2",
                )?
                .execute(params![who.org_id, doc_id])?;
            }
        }
        scrub_due |= item.compact;
        last_seq += 1;
        let seq = last_seq;
        tx.prepare_cached("INSERT INTO updates (org_id, seq, doc_id, data) VALUES (?1, ?2, ?3, ?4)")?
            .execute(params![who.org_id, seq, doc_id, item.update])?;
        receipt(tx, seq)?;
        if !item.erase {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO update_digests (org_id, doc_id, digest, seq) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![who.org_id, doc_id, digest, seq])?;
        }
        results.push(done(item, PushOutcome::Stored { seq: seq_u64(seq) }, &digest));
    }
    tx.prepare_cached("UPDATE orgs SET last_seq = ?2 WHERE id = ?1")?.execute(params![who.org_id, last_seq])?;
    if usage.docs != start_usage.docs {
        tx.prepare_cached("UPDATE users SET doc_count = ?2 WHERE id = ?1")?
            .execute(params![who.user_id, seq_i64(usage.docs)])?;
    }
    if usage.bytes_today != start_usage.bytes_today {
        tx.prepare_cached(
            "INSERT INTO usage (user_id, day, bytes) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (user_id, day) DO UPDATE SET bytes = excluded.bytes",
        )?
        .execute(params![who.user_id, day, seq_i64(usage.bytes_today)])?;
    }
    if scrub_due {
        tx.prepare_cached("UPDATE maintenance SET scrub_due = 1 WHERE id = 1")?.execute([])?;
    }
    Ok(results)
}

/// At most this many bytes of stored states and updates are decided early per push; the rest of
/// the push is decided one item at a time as before. Without a bound, a push of small updates to
/// a thousand large documents would hold every one of their states (and the states after) in
/// memory at once.
const EARLY_BYTES: usize = 32 * 1024 * 1024;

/// The decisions of the first item of each document in `items`, made side by side
/// ([`decide_all`]) against the documents as stored before this push, until `budget` bytes of
/// states and updates are taken; `None` for every later item of a document, which is decided in
/// order against what the earlier ones stored (an earlier item may have been refused, stored, or
/// found to be a replay), and for every item past the budget.
fn decide_early(
    tx: &Connection,
    cache: &DocCache,
    who: &Principal,
    items: &[PushItem],
    budget: usize,
) -> Result<Vec<Option<PushDecision>>, StoreError> {
    let mut seen = HashSet::with_capacity(items.len());
    let mut positions = Vec::with_capacity(items.len());
    let mut work = Vec::with_capacity(items.len());
    let mut taken = 0usize;
    for (index, item) in items.iter().enumerate() {
        if taken >= budget {
            break;
        }
        if seen.insert(item.doc_id) {
            let existing = existing_doc(tx, who.org_id, &item.doc_id.to_string())?;
            taken += item.update.len() + existing.as_ref().map_or(0, |doc| doc.state.len());
            positions.push(index);
            work.push((item, existing));
        }
    }
    let mut early: Vec<Option<PushDecision>> = items.iter().map(|_| None).collect();
    for (index, decision) in positions.into_iter().zip(decide_all(who, &work, Some(cache))) {
        early[index] = Some(decision);
    }
    Ok(early)
}

#[cfg(test)]
mod tests;
