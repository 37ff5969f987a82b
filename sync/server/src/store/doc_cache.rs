//! Decoded documents kept between pushes, so a push to a document that was pushed to recently is
//! applied to the document in memory instead of decoding its stored state with `yrs` again (the
//! top cost of a push once issue 14 made every push authorised and validated per action).
//!
//! An entry is used only when the state stored in the database is byte for byte the state the
//! entry was decoded from or computed as ([`DocCache::take`] compares them), so a refused item, a
//! rolled-back transaction, an erasure, a compaction or another process writing the same store
//! can never make a decision run against anything but the stored state: a mismatch is a miss and
//! the stored state is decoded as before. An entry is taken out while it is used (a refused update
//! may have changed it) and put back only with the state it then holds.
//!
//! Memory is bounded by [`DocCache::new`]'s byte budget, least recently used entries going first.
//! An entry counts its state's bytes plus [`DECODED_DOC_BYTES`] for the decoded document, which
//! is far bigger than its state: counting the state alone (twice) let a 100k-record first push
//! keep every document, ~700 MB, and a third of the push writer's time went to growing the heap
//! (page faults, `mprotect`) for documents no push would touch again. New documents are not put
//! here at all (a first push of 100k records would only cycle through the cache, each one
//! evicting a document being edited): only documents that were pushed to again are kept.

use std::sync::Mutex;

use lru::LruCache;
use outpost_sync::doc::{DocId, RecordDoc};

/// A decoded document and the exact state bytes it holds.
pub struct CachedDoc {
    /// The state (one yrs update) the document holds.
    pub state: Vec<u8>,
    /// The document decoded from (or built up to) `state`.
    pub doc: RecordDoc,
}

/// Decoded documents by (organisation, document id), bounded in bytes.
pub struct DocCache {
    entries: Mutex<Entries>,
}

struct Entries {
    lru: LruCache<(i64, DocId), CachedDoc>,
    bytes: usize,
    max_bytes: usize,
}

/// The default budget: 64 MiB, some 7,000 recently pushed documents.
pub const DEFAULT_MAX_BYTES: usize = 64 * 1024 * 1024;

/// What a decoded document takes in memory besides its state, as measured: a server holding
/// 104,000 decoded contacts (states of ~0.5 KiB) had grown by ~700 MB.
pub const DECODED_DOC_BYTES: usize = 7 * 1024;

/// The bytes an entry holding `state` counts against the budget.
fn weight(state: &[u8]) -> usize {
    state.len() + DECODED_DOC_BYTES
}

impl Default for DocCache {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_BYTES)
    }
}

impl DocCache {
    /// An empty cache holding at most `max_bytes` (states plus [`DECODED_DOC_BYTES`] each; 0
    /// disables it).
    pub fn new(max_bytes: usize) -> Self {
        DocCache { entries: Mutex::new(Entries { lru: LruCache::unbounded(), bytes: 0, max_bytes }) }
    }

    /// Takes out the decoded document of `(org_id, doc_id)` if it holds exactly `stored_state`;
    /// a stale entry is dropped.
    pub fn take(&self, org_id: i64, doc_id: DocId, stored_state: &[u8]) -> Option<RecordDoc> {
        let entry = {
            let mut entries = self.entries.lock().ok()?;
            let entry = entries.lru.pop(&(org_id, doc_id))?;
            entries.bytes -= weight(&entry.state);
            entry
        };
        (entry.state == stored_state).then_some(entry.doc)
    }

    /// Keeps `doc`, which holds exactly `state`, for the next push to it.
    pub fn put(&self, org_id: i64, doc_id: DocId, state: Vec<u8>, doc: RecordDoc) {
        let mut dropped = Vec::new();
        {
            let Ok(mut entries) = self.entries.lock() else { return };
            if weight(&state) > entries.max_bytes {
                return;
            }
            entries.bytes += weight(&state);
            if let Some((_, old)) = entries.lru.push((org_id, doc_id), CachedDoc { state, doc }) {
                entries.bytes -= weight(&old.state);
                dropped.push(old);
            }
            while entries.bytes > entries.max_bytes {
                match entries.lru.pop_lru() {
                    Some((_, evicted)) => {
                        entries.bytes -= weight(&evicted.state);
                        dropped.push(evicted);
                    }
                    None => break,
                }
            }
        }
        // Freeing a decoded document frees thousands of small allocations: done once the lock is
        // released, so threads deciding side by side never wait on each other's frees.
        drop(dropped);
    }

    /// Drops the document of `(org_id, doc_id)` (an erasure: the erased person's data must not
    /// stay in memory either).
    pub fn forget(&self, org_id: i64, doc_id: DocId) {
        let Ok(mut entries) = self.entries.lock() else { return };
        if let Some(entry) = entries.lru.pop(&(org_id, doc_id)) {
            entries.bytes -= weight(&entry.state);
        }
    }

    /// Number of documents held (for tests).
    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.lru.len()).unwrap_or(0)
    }

    /// Whether no document is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Small states must not let the cache keep an unbounded number of decoded documents: each
    /// counts what its decoded document takes, not only its state's bytes.
    #[test]
    fn a_cache_of_small_documents_is_bounded_by_their_decoded_size_not_their_states() {
        let cache = DocCache::new(10 * DECODED_DOC_BYTES + 5_000);
        for n in 0..100u128 {
            let doc = RecordDoc::new(1);
            let state = doc.snapshot();
            assert!(state.len() < 500, "a new document's state is small ({} bytes)", state.len());
            cache.put(1, DocId(uuid::Uuid::from_u128(n + 1)), state, doc);
        }
        assert!((9..=10).contains(&cache.len()), "{} documents kept", cache.len());
    }
}
