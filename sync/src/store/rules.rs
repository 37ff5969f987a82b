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
    /// GDPR erase: delete every stored update of the document, mark it erased and store a
    /// content-free erasure marker (`create`: the server never had the document; record the
    /// tombstone so later pushes of it are refused too).
    Erase {
        /// Whether the document row must be created.
        create: bool,
    },
    /// An erase of a document that is already erased: nothing to do (idempotent).
    AlreadyErased,
    /// Refuse this item.
    Reject(ErrorMessage),
}

/// Decides one pushed item (idempotency is checked before, by (device, client_seq)). `existing`
/// is the document's access metadata and whether it was erased.
pub fn decide_push(who: &Principal, item: &PushItem, existing: Option<(&DocAccess, bool)>) -> PushDecision {
    match existing {
        None if item.erase => PushDecision::Erase { create: true },
        None => PushDecision::Create,
        Some((doc, _)) if doc.kind != item.kind => PushDecision::Reject(ErrorMessage::new(
            ErrorCode::KindMismatch,
            format!(
                "document {} is a `{}`, not a `{}`; a document's kind cannot change, use a new document id",
                item.doc_id, doc.kind, item.kind
            ),
        )),
        Some((doc, _)) if !can_write(who, doc) => PushDecision::Reject(ErrorMessage::new(
            ErrorCode::Forbidden,
            format!("you may not change document {}; ask its owner or a manager to share it", item.doc_id),
        )),
        Some((_, true)) if item.erase => PushDecision::AlreadyErased,
        Some((_, true)) => PushDecision::Reject(ErrorMessage::new(
            ErrorCode::Erased,
            format!(
                "document {} was erased (GDPR) and cannot be changed or restored; erase it on this device too",
                item.doc_id
            ),
        )),
        Some(_) if item.erase => PushDecision::Erase { create: false },
        Some(_) => PushDecision::Append,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::DocId;
    use crate::protocol::{Role, Visibility};

    fn who(user_id: i64, role: Role) -> Principal {
        Principal {
            device_id: "d".into(),
            user_id,
            email: "e".into(),
            org_id: 1,
            org_name: "o".into(),
            role,
            org_shares_records: true,
        }
    }

    fn item(erase: bool) -> PushItem {
        PushItem {
            doc_id: DocId::new_random(),
            kind: "contact".into(),
            visibility: Visibility::Private,
            update: Vec::new(),
            client_seq: 1,
            erase,
            compact: false,
        }
    }

    #[test]
    fn erasures_are_final_and_need_write_access() {
        let doc = DocAccess { owner_id: 1, kind: "contact".into(), visibility: Visibility::Private };
        assert_eq!(decide_push(&who(1, Role::Rep), &item(true), None), PushDecision::Erase { create: true });
        assert_eq!(
            decide_push(&who(1, Role::Rep), &item(true), Some((&doc, false))),
            PushDecision::Erase { create: false }
        );
        assert_eq!(decide_push(&who(1, Role::Rep), &item(true), Some((&doc, true))), PushDecision::AlreadyErased);
        let refused = decide_push(&who(1, Role::Rep), &item(false), Some((&doc, true)));
        assert!(matches!(refused, PushDecision::Reject(ref e) if e.code == ErrorCode::Erased), "{refused:?}");
        let forbidden = decide_push(&who(2, Role::Rep), &item(true), Some((&doc, false)));
        assert!(matches!(forbidden, PushDecision::Reject(ref e) if e.code == ErrorCode::Forbidden), "{forbidden:?}");
    }
}
