//! Identifiers: document ids (random or derived from a natural key) and per-device CRDT client ids.
//!
//! **Client ids.** Every device writes into the CRDT under a random 53-bit client id (53 bits so a
//! JavaScript Yjs peer can represent it). The caller stores it with the device's data. Two replicas
//! must never write with the same client id, so a caller that restores a backup (or clones a data
//! directory) MUST rotate it with [`fresh_client_id`] before making any edit: the restored copy and
//! the original device would otherwise both continue the same client's clock and corrupt documents.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::DocError;

/// Namespace of Outpost's deterministic (UUIDv5) document ids. Never change it: every replica must
/// derive the same id for the same natural key.
const NATURAL_KEY_NAMESPACE: Uuid = Uuid::from_u128(0x6f75_7470_6f73_745f_7379_6e63_5f6b_6579);

/// Identifier of one replicated record (one CRDT document), unique within an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DocId(pub Uuid);

impl DocId {
    /// A new random, time-ordered (UUIDv7) document id for a record without a natural key.
    pub fn new_random() -> Self {
        DocId(Uuid::now_v7())
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for DocId {
    type Err = DocError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(DocId).map_err(|_| DocError::InvalidDocId(s.to_string()))
    }
}

/// Normalises a natural key the way [`natural_key_doc_id`] expects: trimmed and lower-cased
/// (suitable for e-mail addresses and domains). Callers with other keys may normalise themselves.
pub fn normalise_key(key: &str) -> String {
    key.trim().to_lowercase()
}

/// Deterministic document id for a record identified by a natural key (e.g. a lead's normalised
/// e-mail address), so the same record created offline on two devices maps to ONE document on
/// every replica and their edits merge instead of producing duplicates.
///
/// The id is a UUIDv5 over `org`, `kind` and `key` (separated by NUL bytes). `key` is used as
/// given: normalise it first (see [`normalise_key`]).
pub fn natural_key_doc_id(org: &str, kind: &str, key: &str) -> DocId {
    let mut name = Vec::with_capacity(org.len() + kind.len() + key.len() + 2);
    name.extend_from_slice(org.as_bytes());
    name.push(0);
    name.extend_from_slice(kind.as_bytes());
    name.push(0);
    name.extend_from_slice(key.as_bytes());
    DocId(Uuid::new_v5(&NATURAL_KEY_NAMESPACE, &name))
}

/// A new random 53-bit, non-zero CRDT client id for this device.
///
/// Store it with the device's data and reuse it for every edit from that device. Call this again
/// (and store the new value) whenever the data is restored from a backup or copied to another
/// machine: client ids must never be shared by two live replicas.
pub fn fresh_client_id() -> Result<u64, DocError> {
    let mut buf = [0u8; 8];
    getrandom::fill(&mut buf).map_err(|e| DocError::Random(e.to_string()))?;
    let id = u64::from_le_bytes(buf) & ((1u64 << 53) - 1);
    Ok(if id == 0 { 1 } else { id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_key_ids_are_deterministic_and_scoped() {
        let a = natural_key_doc_id("acme", "contact", &normalise_key(" Ann@Example.com "));
        let b = natural_key_doc_id("acme", "contact", "ann@example.com");
        assert_eq!(a, b);
        assert_ne!(a, natural_key_doc_id("other", "contact", "ann@example.com"));
        assert_ne!(a, natural_key_doc_id("acme", "company", "ann@example.com"));
        assert_eq!(a.to_string().parse::<DocId>().ok(), Some(a));
    }

    #[test]
    fn client_ids_fit_53_bits_and_differ() {
        let a = fresh_client_id().expect("random");
        let b = fresh_client_id().expect("random");
        assert!(a > 0 && a < (1 << 53));
        assert_ne!(a, b);
    }
}
