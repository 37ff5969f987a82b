//! Pushing this device's changes: the one push path of `sync now` and the live loop.
//!
//! **Pipelined.** The server decides every pushed update (authorisation, validation, digest
//! receipts; issue 14), so a batch spends real time there. While one batch is at the server, the
//! next is prepared here — records documented, outbox rows read — and the previous answer is
//! written, so the device and the server work at the same time instead of taking turns. At most
//! one batch is in flight; the request runs as its own task, so on a multi-threaded runtime it
//! progresses while this thread is in the database.
//!
//! **In document order.** The oldest [`WINDOW`] outbox entries are pushed sorted by kind, parents
//! first (companies, contacts, deals, … as [`EntityKind::ALL`]), then by document id, each
//! document's entries still in their own order. The server keeps every document's updates,
//! digests and state under id-keyed indexes; an edit list in any other order (contacts' ids are
//! hashes of their natural keys) scatters each batch over every page of those indexes, while a
//! sorted window lands each batch on a narrow range of them: 40 % less server CPU for 10k offline
//! edits (BENCHMARKS.md). Parents first, because a device receiving a record before the one it
//! refers to has to hold the reference aside and link it later (a deferred reference), which made
//! a new device's initial sync 30 % slower when kinds were mixed; the server decides each document
//! on its own.
//!
//! An entry leaves the outbox only when the server confirms it holds exactly the bytes sent (the
//! digest in its answer), refused it for good, or (an erasure) has nothing to erase. Entries
//! leave in sequence order, with each window and when the push stops, rather than in the document
//! order they were sent in, which would rewrite most of the outbox's pages with every answer; an
//! entry confirmed and still queued after a crash is pushed again and answered as a duplicate. When the
//! server says this database's sequence numbers were used before (a restored database), the batch
//! prepared meanwhile is dropped, a new epoch is drawn and the refused entries are pushed again.

use std::str::FromStr;

use rusqlite::OptionalExtension as _;

use outpost_sync::client::{ClientError, SyncClient};
use outpost_sync::doc::DocId;
use outpost_sync::entity::EntityKind;
use outpost_sync::protocol::{
    hex_digest, update_digest_bytes, ErrorCode, PushAck, PushItem, PushOutcome, PushResult, Visibility,
};

use super::{client_error, set_setting, setting, SyncReport, BACKFILLED, LAST_ERROR};
use crate::replica::{backfill, device};
use crate::{store::ctx::Tx, Ctx, Error, Result};

/// Outbox entries pushed per request.
const PUSH_BATCH: usize = outpost_sync::protocol::MAX_PUSH_ITEMS;

/// How many outbox entries, oldest first, are sorted into push order at a time: enough for a day of
/// offline edits to go in one sorted pass, ~5 MB of ids and sequence numbers in memory.
const WINDOW: usize = 50 * PUSH_BATCH;

/// How many times one push may draw a new epoch before giving up (a server that keeps refusing).
const MAX_EPOCH_ROTATIONS: u32 = 2;

/// An outbox entry: sequence number, document id, kind, visibility, update bytes, erase, compact.
pub(super) type OutboxRow = (i64, String, String, String, Vec<u8>, bool, bool);

/// Pushes everything changed here: documents every record written without a sync document yet
/// (records written before sync was set up, and bulk-imported records, `import-document-max`)
/// and pushes the outbox, batch by batch. Records are documented [`PUSH_BATCH`] at a time, each
/// in its own transaction, only when fewer than a batch of outbox entries wait, so a big backlog
/// neither holds the database from other writers nor waits for the whole backlog before the first
/// records leave. `report.backfilled` counts the records documented.
pub(crate) async fn push_local(ctx: &Ctx, client: &SyncClient, report: &mut SyncReport) -> Result<()> {
    report.backfilled += initial_backfill(ctx)?;
    let epoch = ctx.write(|tx| device::epoch(&tx.sql))?;
    let mut outbox = Outbox { after: 0, window: Vec::new(), done: Vec::new(), documenting: true, epoch, rotations: 0 };
    let pushed = push_outbox(ctx, client, &mut outbox, report).await;
    let cleared = ctx.write(|tx| outbox.clear_done(tx));
    pushed.and(cleared)
}

async fn push_outbox(ctx: &Ctx, client: &SyncClient, outbox: &mut Outbox, report: &mut SyncReport) -> Result<()> {
    let mut in_flight: Option<InFlight> = None;
    loop {
        let next = outbox.next_batch(ctx, report)?;
        let Some(sent) = in_flight.take() else {
            match next {
                Some(batch) => in_flight = Some(InFlight::send(client, batch)),
                None => return Ok(()),
            }
            continue;
        };
        let (rows, ack) = sent.answer().await?;
        let acked = acknowledge(&ack.results, &rows);
        if !acked.sequence_reused && acked.unconfirmed.is_empty() {
            in_flight = next.map(|batch| InFlight::send(client, batch));
        }
        outbox.record(ctx, acked, report)?;
    }
}

fn initial_backfill(ctx: &Ctx) -> Result<u64> {
    ctx.write(|tx| {
        if setting(&tx.sql, BACKFILLED)?.is_some() {
            return Ok(0);
        }
        let count = backfill(tx)?;
        set_setting(&tx.sql, BACKFILLED, "1")?;
        Ok(count as u64)
    })
}

/// Where the push has got to in the outbox.
struct Outbox {
    /// The last sequence number read into the window.
    after: i64,
    /// Entries read and not yet prepared, in push order reversed (the next one to send is at
    /// the end).
    window: Vec<WindowEntry>,
    /// Entries the server answered for good, to remove from the outbox.
    done: Vec<i64>,
    /// Whether marked records may still wait for their documents.
    documenting: bool,
    /// The epoch the prepared items carry.
    epoch: u64,
    rotations: u32,
}

/// A prepared push request and the outbox rows it carries.
struct Batch {
    rows: Vec<OutboxRow>,
    items: Vec<PushItem>,
}

impl Outbox {
    /// Prepares the next batch from the window (refilled, documenting marked records first when
    /// fewer than a batch wait); `None` when nothing is left.
    fn next_batch(&mut self, ctx: &Ctx, report: &mut SyncReport) -> Result<Option<Batch>> {
        let rows = loop {
            if self.window.len() < PUSH_BATCH {
                self.refill(ctx, report)?;
            }
            if self.window.is_empty() {
                return Ok(None);
            }
            let take = self.window.split_off(self.window.len().saturating_sub(PUSH_BATCH));
            // Entries erased since they were read are gone from the outbox: skipped.
            let rows = read_entries(ctx, take.iter().rev().map(|entry| entry.seq))?;
            if rows.is_empty() {
                continue;
            }
            let rows = within_push_body(rows);
            let sent: std::collections::HashSet<i64> = rows.iter().map(|row| row.0).collect();
            self.window.extend(take.into_iter().filter(|entry| !sent.contains(&entry.seq)));
            break rows;
        };
        let items = rows
            .iter()
            .map(|(seq, doc_id, kind, visibility, update, erase, compact)| {
                Ok(PushItem {
                    doc_id: DocId::from_str(doc_id).map_err(|e| Error::Sync(e.to_string()))?,
                    kind: kind.clone(),
                    visibility: Visibility::parse(visibility),
                    update: update.clone(),
                    client_seq: seq.unsigned_abs(),
                    epoch: self.epoch,
                    erase: *erase,
                    compact: *compact,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Some(Batch { rows, items }))
    }

    /// Reads the outbox's next entries into the window (documenting marked records first while
    /// fewer than a batch wait) and sorts it into push order ([`WindowEntry`]).
    fn refill(&mut self, ctx: &Ctx, report: &mut SyncReport) -> Result<()> {
        if !self.done.is_empty() {
            ctx.write(|tx| self.clear_done(tx))?;
        }
        loop {
            let keys = read_keys(ctx, self.after, WINDOW.saturating_sub(self.window.len()))?;
            if let Some(last) = keys.last() {
                self.after = last.seq;
            }
            self.window.extend(keys);
            if self.window.len() >= PUSH_BATCH || !self.documenting {
                break;
            }
            let documented = crate::replica::pending::flush_up_to(ctx, PUSH_BATCH)?;
            report.backfilled += documented as u64;
            if documented < PUSH_BATCH {
                self.documenting = false;
            }
            if documented == 0 {
                break;
            }
        }
        self.window.sort_unstable_by(|a, b| b.cmp(a));
        Ok(())
    }

    /// Removes the entries answered for good from the outbox, in sequence order.
    fn clear_done(&mut self, tx: &Tx<'_>) -> Result<()> {
        self.done.sort_unstable();
        let mut stmt = tx.sql.prepare_cached("DELETE FROM sync_outbox WHERE seq = ?1")?;
        for seq in &self.done {
            stmt.execute([seq])?;
        }
        self.done.clear();
        Ok(())
    }

    /// Writes what the server's answer means: confirmed and refused entries are done, own pushes
    /// are remembered, records erased elsewhere are erased here. A reuse of sequence numbers
    /// draws a new epoch and rewinds to what is still queued.
    fn record(&mut self, ctx: &Ctx, acked: Acknowledged, report: &mut SyncReport) -> Result<()> {
        report.pushed += acked.pushed;
        self.done.extend_from_slice(&acked.done);
        ctx.write(|tx| {
            remember_own_pushes(tx, &acked.own_seqs)?;
            for doc_id in &acked.never_stored {
                tx.sql.execute("DELETE FROM sync_erased WHERE doc_id = ?1", [doc_id])?;
            }
            for (kind, doc_id) in &acked.erased_elsewhere {
                if crate::erasure::erase_remote(tx, kind, doc_id)? {
                    report.erased += 1;
                }
            }
            report.rejected += acked.refused.len() as u64;
            if let Some(first) = acked.refused.first() {
                let message = format!("the server refused {} change(s), e.g. {first}", acked.refused.len());
                set_setting(&tx.sql, LAST_ERROR, &message)?;
            }
            if acked.sequence_reused {
                // The rewind reads the outbox again: what is done must be gone from it first.
                self.clear_done(tx)?;
                self.epoch = device::rotate_epoch(&tx.sql)?;
            }
            Ok(())
        })?;
        if let Some(unconfirmed) = acked.unconfirmed.first() {
            return Err(Error::Sync(format!(
                "the server did not confirm storing {} change(s) exactly as sent (e.g. {unconfirmed}); \
                 they stay queued and are pushed again at the next sync",
                acked.unconfirmed.len()
            )));
        }
        if acked.sequence_reused {
            self.rotations += 1;
            if self.rotations > MAX_EPOCH_ROTATIONS {
                return Err(Error::Sync(
                    "the server keeps refusing this device's sequence numbers as reused; the changes stay queued"
                        .into(),
                ));
            }
            // Push everything still queued again, under the new epoch: the refused entries, the
            // batch prepared meanwhile (it carried the old epoch and was not sent) and the rest
            // of the window. Entries the server confirmed have left the outbox.
            self.after = 0;
            self.window.clear();
            self.documenting = true;
        }
        Ok(())
    }
}

/// An outbox entry in the window; the field order is the push order.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct WindowEntry {
    /// The kind's place in [`EntityKind::ALL`], parents first (a kind this version does not know,
    /// written by a newer one, goes last).
    kind_rank: usize,
    doc_id: String,
    seq: i64,
}

impl WindowEntry {
    fn new(kind: &str, doc_id: String, seq: i64) -> Self {
        let kind_rank = EntityKind::ALL.iter().position(|k| k.name() == kind).unwrap_or(EntityKind::ALL.len());
        WindowEntry { kind_rank, doc_id, seq }
    }
}

/// Up to `limit` outbox entries after `after`, oldest first.
fn read_keys(ctx: &Ctx, after: i64, limit: usize) -> Result<Vec<WindowEntry>> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    ctx.read(|conn| {
        let mut stmt =
            conn.prepare_cached("SELECT kind, doc_id, seq FROM sync_outbox WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
        let rows = stmt.query_map(rusqlite::params![after, limit as i64], |r| {
            Ok(WindowEntry::new(&r.get::<_, String>(0)?, r.get(1)?, r.get(2)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}

/// The outbox entries `seqs`, in that order, leaving out those no longer queued.
/// Read on the writer connection when it is free ([`Ctx::read_warm`]): a batch's entries lie all
/// over the outbox's pages, and a reader's page cache is dropped by the previous answer's commit.
fn read_entries(ctx: &Ctx, seqs: impl Iterator<Item = i64>) -> Result<Vec<OutboxRow>> {
    ctx.read_warm(|conn| {
        let mut stmt = conn.prepare_cached(
            "SELECT o.seq, o.doc_id, o.kind, o.visibility,
                    CASE WHEN o.erase THEN x'' ELSE coalesce(o.\"update\", d.state, x'') END, o.erase, o.compact
             FROM sync_outbox o LEFT JOIN sync_docs d ON d.doc_id = o.doc_id
             WHERE o.seq = ?1",
        )?;
        let mut rows = Vec::with_capacity(PUSH_BATCH);
        for seq in seqs {
            let row = stmt
                .query_row([seq], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))
                .optional()?;
            rows.extend(row);
        }
        Ok(rows)
    })
}

/// A batch at the server: the request runs as its own task (aborted if the push stops early).
struct InFlight {
    rows: Vec<OutboxRow>,
    answer: tokio::task::JoinHandle<std::result::Result<PushAck, ClientError>>,
}

impl InFlight {
    fn send(client: &SyncClient, batch: Batch) -> Self {
        let client = client.clone();
        let items = batch.items;
        InFlight { rows: batch.rows, answer: tokio::spawn(async move { client.push(items).await }) }
    }

    /// Waits for the server's answer.
    async fn answer(mut self) -> Result<(Vec<OutboxRow>, PushAck)> {
        let rows = std::mem::take(&mut self.rows);
        let ack = (&mut self.answer)
            .await
            .map_err(|e| Error::Sync(format!("the push stopped before the server answered: {e}")))?
            .map_err(client_error)?;
        Ok((rows, ack))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        // A push abandoned after an error: its entries stay queued and are pushed again (the
        // server answers a repeat by sequence number, so nothing is stored twice).
        self.answer.abort();
    }
}

/// What the server's answer to one pushed batch means for the outbox.
#[derive(Default)]
struct Acknowledged {
    /// Outbox entries to remove.
    done: Vec<i64>,
    /// Entries the server holds (stored or duplicate, digest confirmed).
    pushed: u64,
    /// Server sequence numbers and digests of this device's own stored updates.
    own_seqs: Vec<(u64, [u8; 32])>,
    /// Documents erased on the server: erase them here too.
    erased_elsewhere: Vec<(String, String)>,
    /// Erasures of documents the server never had: their local tombstones are lifted.
    never_stored: Vec<String>,
    /// Refusals for good (reported).
    refused: Vec<String>,
    /// Entries the server answered without confirming their exact bytes: kept.
    unconfirmed: Vec<String>,
    /// The server refused sequence numbers as reused: draw a new epoch, push again.
    sequence_reused: bool,
}

fn acknowledge(results: &[PushResult], rows: &[OutboxRow]) -> Acknowledged {
    let mut acked = Acknowledged::default();
    for (result, row) in results.iter().zip(rows) {
        match &result.outcome {
            PushOutcome::Stored { seq } | PushOutcome::Duplicate { seq } => {
                let sent = update_digest_bytes(&row.4);
                if result.digest.as_deref() != Some(hex_digest(&sent).as_str()) {
                    acked.unconfirmed.push(format!("{} {}", row.2, row.1));
                    continue;
                }
                acked.pushed += 1;
                acked.own_seqs.push((*seq, sent));
                acked.done.push(row.0);
            }
            PushOutcome::Rejected { error } if error.code == ErrorCode::SequenceReused => {
                acked.sequence_reused = true;
            }
            PushOutcome::Rejected { error } if error.code == ErrorCode::Erased => {
                acked.erased_elsewhere.push((row.2.clone(), row.1.clone()));
                acked.done.push(row.0);
            }
            PushOutcome::Rejected { error } if error.code == ErrorCode::NotFound && row.5 => {
                // An erasure of a record the server never had: nothing left to erase there, and
                // nothing to keep out either — a colleague may create that natural-key id later.
                acked.never_stored.push(row.1.clone());
                acked.done.push(row.0);
            }
            PushOutcome::Rejected { error } => {
                acked.refused.push(format!("{} {}: {}", row.2, row.1, error.message));
                acked.done.push(row.0);
            }
        }
    }
    acked
}

/// Bytes one push item takes in a request besides its base64 update (keys, ids, flags).
const PUSH_ITEM_OVERHEAD: usize = 256;

/// The longest prefix of `rows` whose push request stays under the server's body limit
/// ([`outpost_sync::protocol::MAX_PUSH_BODY_BYTES`]); always at least one row (a single update
/// is at most `MAX_UPDATE_BYTES`, which the limit allows, see `record::within_limit`).
fn within_push_body(mut rows: Vec<OutboxRow>) -> Vec<OutboxRow> {
    let budget = outpost_sync::protocol::MAX_PUSH_BODY_BYTES - outpost_sync::protocol::PUSH_FRAMING_BYTES;
    let mut used = 0usize;
    let keep = rows
        .iter()
        .position(|row| {
            used += row.4.len().div_ceil(3) * 4 + row.1.len() + row.2.len() + PUSH_ITEM_OVERHEAD;
            used > budget
        })
        .unwrap_or(rows.len())
        .max(1);
    rows.truncate(keep);
    rows
}

/// Notes the server sequence numbers and digests of this device's own updates, so pulls skip
/// them (see migration `0014`). Numbers the cursor has already passed are pruned with each page.
fn remember_own_pushes(tx: &Tx<'_>, pushed: &[(u64, [u8; 32])]) -> Result<()> {
    let mut stmt = tx.sql.prepare_cached("INSERT OR REPLACE INTO sync_own_pushes (seq, digest) VALUES (?1, ?2)")?;
    for (seq, digest) in pushed {
        stmt.execute(rusqlite::params![i64::try_from(*seq).unwrap_or(i64::MAX), digest])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(seq: i64, bytes: usize) -> OutboxRow {
        (
            seq,
            "0190a1b2-0000-7000-8000-000000000abc".into(),
            "activity".into(),
            "org".into(),
            vec![7; bytes],
            false,
            false,
        )
    }

    #[test]
    fn pushes_are_batched_by_bytes_under_the_servers_message_limit() {
        let note = 400 * 1024; // a 100k-character note in UTF-8 with room to spare
        let rows: Vec<OutboxRow> = (1..=100).map(|seq| row(seq, note)).collect();
        let batch = within_push_body(rows);
        let wire: usize = batch.iter().map(|r| r.4.len().div_ceil(3) * 4 + PUSH_ITEM_OVERHEAD + 100).sum();
        assert!(batch.len() > 1 && batch.len() < 100, "{} items", batch.len());
        assert!(
            wire + outpost_sync::protocol::PUSH_FRAMING_BYTES <= outpost_sync::protocol::MAX_PUSH_BODY_BYTES,
            "{wire} bytes"
        );
        let one = within_push_body(vec![row(1, outpost_sync::protocol::MAX_UPDATE_BYTES), row(2, 10)]);
        assert_eq!(one.len(), 1, "a maximal update goes alone");
        let small = within_push_body((1..=1000).map(|seq| row(seq, 100)).collect());
        assert_eq!(small.len(), 1000, "small updates still go 1,000 at a time");
    }
}
