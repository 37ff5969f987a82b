//! The CRDT document model: one small `yrs` document per replicated record.
//!
//! Every record (company, contact, deal, task, activity, meeting, brief, note, copilot memory, …)
//! is one [`RecordDoc`]. This module does not know those kinds; it stores:
//!
//! - **scalar fields** (strings, numbers, booleans, null, small JSON values) in the root map
//!   `fields`: concurrent edits to *different* fields both survive; concurrent edits to the *same*
//!   field resolve last-writer-wins by the CRDT's deterministic order (the same on every replica);
//! - **long text fields** (notes, meeting notes, brief bodies) in root texts named `text:<field>`:
//!   [`RecordDoc::set_text`] turns a whole new value into a minimal edit (common prefix and suffix
//!   kept), so concurrent edits merge character by character;
//! - the **tombstone** `deleted = true` in the root map `meta`;
//! - a natural-key record's **creation key** (the normalised key its UUIDv5 id was derived from,
//!   written once with its first state) in `meta` too, so a device that first receives the record
//!   after its key was edited and its history compacted can still check the id
//!   ([`crate::entity::natural_key`]).
//!
//! **Delete-vs-edit rule (deterministic, deletion is final).** Once any replica has applied a
//! delete, the record is deleted on every replica that receives it, whatever edits were made
//! concurrently or later: there is no undelete, the tombstone can only ever be set to `true`, so
//! the map entry converges to `true`. Local edits to a deleted record are refused with
//! [`DocError::Deleted`]; remote edits that were concurrent with the delete are still merged (so
//! all replicas stay byte-for-byte convergent) but [`RecordDoc::view`] reports the record deleted
//! and callers must treat it as gone.
//!
//! **Convergence.** Updates are idempotent and commutative: applying one twice or in any order
//! (yrs keeps out-of-order updates pending until their dependencies arrive) converges.
//!
//! **Keep churning derived values out.** Scores, counters recomputed from other data, "last
//! viewed" timestamps and similar derived values must NOT be written into the CRDT: every write
//! is kept in history and shipped to every device. Recompute them locally from the replicated data.

mod ids;
mod shape;
mod yjs_sync;

pub use ids::{fresh_client_id, natural_key_doc_id, normalise_key, DocId};
pub use shape::{check_update_shape, ShapeError, MAX_VALUE_DEPTH};
pub use yjs_sync::{handle_yjs_sync_message, yjs_sync_step1};

use serde_json::{Map, Value};
use yrs::updates::decoder::Decode;
use yrs::{
    Any, Doc, GetString, Map as _, MapRef, OffsetKind, Options, ReadTxn, StateVector, Text, Transact, Update, WriteTxn,
};

/// Name of the root map holding scalar fields.
const FIELDS: &str = "fields";
/// Name of the root map holding record metadata (the tombstone).
const META: &str = "meta";
/// Key of the tombstone in [`META`].
const DELETED: &str = "deleted";
/// Key of the creation key in [`META`] (see the module docs).
const CREATION_KEY: &str = "creation_key";
/// Prefix of the root texts holding long text fields.
const TEXT_PREFIX: &str = "text:";

/// Errors of the document model.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    /// The update bytes could not be decoded or applied.
    #[error("the sync update is corrupt or not a yrs v1 update ({0}); discard it and pull the document again")]
    BadUpdate(String),
    /// The update has a shape no record document has (see [`check_update_shape`]); it was not
    /// decoded, so nothing of it was applied.
    #[error("the sync update was refused: {0}; a record document holds only scalar fields and texts")]
    RefusedShape(String),
    /// A state vector could not be decoded.
    #[error("the state vector is corrupt ({0}); request a full snapshot instead")]
    BadStateVector(String),
    /// The record was deleted; deletion is final.
    #[error("this record was deleted (deletion is final); create a new record instead of editing it")]
    Deleted,
    /// A field value is not representable in the CRDT.
    #[error("field `{field}` has a value that cannot be stored ({reason}); use plain JSON values")]
    BadValue {
        /// The field name.
        field: String,
        /// Why the value was refused.
        reason: String,
    },
    /// A document id string is not a UUID.
    #[error("`{0}` is not a valid document id (expected a UUID)")]
    InvalidDocId(String),
    /// The operating system's random source failed.
    #[error("could not read random bytes from the operating system ({0}); retry")]
    Random(String),
}

/// Materialised view of a record: what the UI and core read.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordView {
    /// Whether the record is deleted (final).
    pub deleted: bool,
    /// Scalar fields and text fields (texts as strings; a text field shadows a scalar of the same
    /// name; an empty text field is absent, so "never written" and "emptied" look the same everywhere).
    pub fields: Map<String, Value>,
    /// The creation key of a natural-key record (see the module docs); None for other records and
    /// for natural-key records created before creation keys were recorded.
    pub creation_key: Option<String>,
}

/// One replicated record as a `yrs` document. See the module docs for the merge rules.
pub struct RecordDoc {
    doc: Doc,
    fields: MapRef,
    meta: MapRef,
}

impl std::fmt::Debug for RecordDoc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordDoc").field("client_id", &self.client_id()).finish_non_exhaustive()
    }
}

impl RecordDoc {
    /// An empty record document writing as `client_id` (see [`fresh_client_id`]; only the low 53
    /// bits are used). Text offsets are UTF-16 based, as in Yjs.
    pub fn new(client_id: u64) -> Self {
        let client_id = client_id & ((1u64 << 53) - 1);
        let mut options = Options::with_client_id(yrs::ClientID::new(client_id.max(1)));
        options.offset_kind = OffsetKind::Utf16;
        let doc = Doc::with_options(options);
        let fields = doc.get_or_insert_map(FIELDS);
        let meta = doc.get_or_insert_map(META);
        RecordDoc { doc, fields, meta }
    }

    /// A document for `client_id` loaded from a snapshot or any sequence of updates.
    pub fn from_updates<B: AsRef<[u8]>>(client_id: u64, updates: &[B]) -> Result<Self, DocError> {
        let doc = Self::new(client_id);
        for update in updates {
            doc.apply_update(update.as_ref())?;
        }
        Ok(doc)
    }

    /// This document's CRDT client id.
    pub fn client_id(&self) -> u64 {
        self.doc.client_id().get()
    }

    /// Sets scalar field `name` to `value` and returns the update to ship (empty if unchanged).
    pub fn set_field(&self, name: &str, value: Value) -> Result<Vec<u8>, DocError> {
        self.ensure_live()?;
        let any: Any = serde_json::from_value(value)
            .map_err(|e| DocError::BadValue { field: name.to_string(), reason: e.to_string() })?;
        let mut txn = self.doc.transact_mut();
        if matches!(self.fields.get(&txn, name), Some(yrs::Out::Any(ref current)) if *current == any) {
            return Ok(Vec::new());
        }
        self.fields.insert(&mut txn, name, any);
        Ok(txn.encode_update_v1())
    }

    /// Sets several scalar fields in ONE transaction and returns one update to ship (empty if
    /// nothing changed). Same merge semantics as [`Self::set_field`] per field, much cheaper than
    /// one call per field when a whole record is written (e.g. by an import).
    pub fn set_fields<'a>(&self, fields: impl IntoIterator<Item = (&'a str, &'a Value)>) -> Result<Vec<u8>, DocError> {
        self.ensure_live()?;
        let mut txn = self.doc.transact_mut();
        let mut changed = false;
        for (name, value) in fields {
            let any: Any = serde_json::from_value(value.clone())
                .map_err(|e| DocError::BadValue { field: name.to_string(), reason: e.to_string() })?;
            if matches!(self.fields.get(&txn, name), Some(yrs::Out::Any(ref current)) if *current == any) {
                continue;
            }
            self.fields.insert(&mut txn, name, any);
            changed = true;
        }
        Ok(if changed { txn.encode_update_v1() } else { Vec::new() })
    }

    /// Removes scalar field `name` and returns the update to ship (empty if it was not set).
    pub fn remove_field(&self, name: &str) -> Result<Vec<u8>, DocError> {
        self.ensure_live()?;
        let mut txn = self.doc.transact_mut();
        if self.fields.remove(&mut txn, name).is_none() {
            return Ok(Vec::new());
        }
        Ok(txn.encode_update_v1())
    }

    /// Sets long text field `name` to `new_value` as a minimal edit (the common prefix and suffix
    /// with the current value are kept), so concurrent edits on other replicas merge character by
    /// character. Returns the update to ship (empty if unchanged).
    pub fn set_text(&self, name: &str, new_value: &str) -> Result<Vec<u8>, DocError> {
        self.ensure_live()?;
        let text = self.doc.get_or_insert_text(format!("{TEXT_PREFIX}{name}"));
        let mut txn = self.doc.transact_mut();
        let old = text.get_string(&txn);
        let Some(edit) = minimal_edit(&old, new_value) else {
            return Ok(Vec::new());
        };
        if edit.remove_len > 0 {
            text.remove_range(&mut txn, edit.index, edit.remove_len);
        }
        if !edit.insert.is_empty() {
            text.insert(&mut txn, edit.index, edit.insert);
        }
        Ok(txn.encode_update_v1())
    }

    /// Marks the record deleted (final; see the module docs) and returns the update to ship.
    /// Deleting an already deleted record returns an empty update.
    pub fn delete(&self) -> Vec<u8> {
        if self.is_deleted() {
            return Vec::new();
        }
        let mut txn = self.doc.transact_mut();
        self.meta.insert(&mut txn, DELETED, true);
        txn.encode_update_v1()
    }

    /// Records `key` as this record's creation key and returns the update to ship (empty if it
    /// already holds exactly that key). Callers write it once, with the record's first state.
    pub fn set_creation_key(&self, key: &str) -> Result<Vec<u8>, DocError> {
        self.ensure_live()?;
        if self.creation_key().as_deref() == Some(key) {
            return Ok(Vec::new());
        }
        let mut txn = self.doc.transact_mut();
        self.meta.insert(&mut txn, CREATION_KEY, key);
        Ok(txn.encode_update_v1())
    }

    /// The creation key recorded in this document, if any (see the module docs).
    pub fn creation_key(&self) -> Option<String> {
        let txn = self.doc.transact();
        match self.meta.get(&txn, CREATION_KEY) {
            Some(yrs::Out::Any(Any::String(key))) => Some(key.to_string()),
            _ => None,
        }
    }

    /// Whether the record is deleted.
    pub fn is_deleted(&self) -> bool {
        let txn = self.doc.transact();
        matches!(self.meta.get(&txn, DELETED), Some(yrs::Out::Any(Any::Bool(true))))
    }

    /// Applies an update from another replica or the server. Idempotent and order-independent.
    ///
    /// An update whose dependencies have not arrived is kept pending inside yrs until they do.
    /// yrs 0.28 decides whether to retry its pending updates from a summary (the lowest missing
    /// clock per client) that can miss the moment they became applicable when updates arrive out
    /// of order (reproduced by `tests/sync/convergence.rs`, seed 1843): the pending update then stays
    /// stuck although everything it needs is present. So after every apply we take the pending
    /// update out and apply it again, for as long as that makes progress.
    pub fn apply_update(&self, update: &[u8]) -> Result<(), DocError> {
        self.apply_update_tracked(update).map(|_| ())
    }

    /// [`Self::apply_update`], telling whether the document may have changed: false only when the
    /// update inserted and deleted nothing new and no update is pending (then the state is
    /// exactly what it was, so callers can skip re-encoding and comparing it).
    pub fn apply_update_tracked(&self, update: &[u8]) -> Result<bool, DocError> {
        check_update_shape(update)?;
        let update = Update::decode_v1(update).map_err(|e| DocError::BadUpdate(e.to_string()))?;
        let mut txn = self.doc.transact_mut();
        let had_pending = txn.has_missing_updates();
        txn.apply_update(update).map_err(|e| DocError::BadUpdate(e.to_string()))?;
        let mut pending = had_pending;
        while txn.has_missing_updates() {
            pending = true;
            let before = txn.state_vector();
            let Some(waiting) = txn.prune_pending() else { break };
            txn.apply_update(waiting).map_err(|e| DocError::BadUpdate(e.to_string()))?;
            if txn.state_vector() == before {
                break;
            }
        }
        Ok(pending || !txn.insert_set().is_empty() || !txn.delete_set().is_empty())
    }

    /// The encoded (v1) state vector: what this replica has seen. Send it to a peer to get [`Self::diff_since`].
    pub fn state_vector(&self) -> Vec<u8> {
        use yrs::updates::encoder::Encode;
        self.doc.transact().state_vector().encode_v1()
    }

    /// The update containing everything this replica has that a peer with state vector `sv` lacks.
    pub fn diff_since(&self, sv: &[u8]) -> Result<Vec<u8>, DocError> {
        let sv = StateVector::decode_v1(sv).map_err(|e| DocError::BadStateVector(e.to_string()))?;
        Ok(self.doc.transact().encode_diff_v1(&sv))
    }

    /// The full state as one update (what a new device needs to load this record).
    pub fn snapshot(&self) -> Vec<u8> {
        self.doc.transact().encode_state_as_update_v1(&StateVector::default())
    }

    /// Whether some applied updates wait for updates this replica has not received yet.
    pub fn has_missing_updates(&self) -> bool {
        self.doc.transact().has_missing_updates()
    }

    /// The materialised fields (scalars and texts; see [`RecordView`]).
    pub fn fields(&self) -> Map<String, Value> {
        // One read transaction: looking texts up with `get_or_insert_text` opened and committed
        // a write transaction per text field (a tenth of a server push's time went to views).
        let txn = self.doc.transact();
        let mut out = Map::new();
        for (key, value) in self.fields.iter(&txn) {
            if let yrs::Out::Any(any) = value {
                out.insert(key.to_string(), any_to_json(&any));
            }
        }
        for (root, _) in txn.root_refs() {
            let Some(name) = root.strip_prefix(TEXT_PREFIX) else { continue };
            // A root a received update created holds its characters whatever type it was
            // declared with here, so it is read as text, as `get_or_insert_text` would type it.
            if let Some(text) = txn.get_text(root) {
                let value = text.get_string(&txn);
                if !value.is_empty() {
                    out.insert(name.to_string(), Value::String(value));
                }
            }
        }
        out
    }

    /// Everything readable in one go: tombstone, fields and creation key.
    pub fn view(&self) -> RecordView {
        RecordView { deleted: self.is_deleted(), fields: self.fields(), creation_key: self.creation_key() }
    }

    /// The underlying `yrs` document, for callers that need lower-level access (e.g. a Yjs peer).
    pub fn yrs_doc(&self) -> &Doc {
        &self.doc
    }

    fn ensure_live(&self) -> Result<(), DocError> {
        if self.is_deleted() {
            Err(DocError::Deleted)
        } else {
            Ok(())
        }
    }
}

/// Merges any number of updates of ONE document into one compact update (the server's compaction).
/// Deleted content is garbage-collected; updates whose dependencies are missing are kept.
pub fn merge_updates<B: AsRef<[u8]>>(updates: &[B]) -> Result<Vec<u8>, DocError> {
    let doc = Doc::new();
    {
        let mut txn = doc.transact_mut();
        for update in updates {
            check_update_shape(update.as_ref())?;
            let update = Update::decode_v1(update.as_ref()).map_err(|e| DocError::BadUpdate(e.to_string()))?;
            txn.apply_update(update).map_err(|e| DocError::BadUpdate(e.to_string()))?;
        }
    }
    let merged = doc.transact().encode_state_as_update_v1(&StateVector::default());
    Ok(merged)
}

fn any_to_json(any: &Any) -> Value {
    serde_json::to_value(any).unwrap_or(Value::Null)
}

/// One contiguous replacement turning `old` into `new`, in UTF-16 offsets.
struct TextEdit<'a> {
    index: u32,
    remove_len: u32,
    insert: &'a str,
}

/// The minimal single replacement (common prefix and suffix kept), or `None` when equal.
fn minimal_edit<'a>(old: &str, new: &'a str) -> Option<TextEdit<'a>> {
    if old == new {
        return None;
    }
    let prefix_bytes: usize = old.chars().zip(new.chars()).take_while(|(a, b)| a == b).map(|(a, _)| a.len_utf8()).sum();
    let (old_rest, new_rest) = (&old[prefix_bytes..], &new[prefix_bytes..]);
    let suffix_bytes: usize =
        old_rest.chars().rev().zip(new_rest.chars().rev()).take_while(|(a, b)| a == b).map(|(a, _)| a.len_utf8()).sum();
    let removed = &old_rest[..old_rest.len() - suffix_bytes];
    let insert = &new_rest[..new_rest.len() - suffix_bytes];
    Some(TextEdit { index: utf16_len(&old[..prefix_bytes]), remove_len: utf16_len(removed), insert })
}

fn utf16_len(s: &str) -> u32 {
    u32::try_from(s.encode_utf16().count()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
