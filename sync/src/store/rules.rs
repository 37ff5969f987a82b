//! The per-item push decision shared by both backends (pure).

use crate::authz::{can_write, DocAccess, Principal};
use crate::protocol::{ErrorCode, ErrorMessage, PushItem};

/// What to do with one pushed item, given the document's current access metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushDecision {
    /// New document: create it owned by the pusher, then store the update.
    Create,
    /// Existing document the pusher may write: store the update.
    Append,
    /// Refuse this item.
    Reject(ErrorMessage),
}

/// Decides one pushed item (idempotency is checked before, by (device, client_seq)).
pub fn decide_push(who: &Principal, item: &PushItem, existing: Option<&DocAccess>) -> PushDecision {
    match existing {
        None => PushDecision::Create,
        Some(doc) if doc.kind != item.kind => PushDecision::Reject(ErrorMessage::new(
            ErrorCode::KindMismatch,
            format!(
                "document {} is a `{}`, not a `{}`; a document's kind cannot change, use a new document id",
                item.doc_id, doc.kind, item.kind
            ),
        )),
        Some(doc) if !can_write(who, doc) => PushDecision::Reject(ErrorMessage::new(
            ErrorCode::Forbidden,
            format!("you may not change document {}; ask its owner or a manager to share it", item.doc_id),
        )),
        Some(_) => PushDecision::Append,
    }
}
