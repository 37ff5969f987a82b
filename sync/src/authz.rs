//! Authorisation rules, as pure functions over the authenticated device and a document's access
//! metadata. The server and both store backends call these on every request and WebSocket message.
//!
//! - A user only ever sees documents of their own organisation (documents are keyed by org).
//! - The owner always sees their documents.
//! - Owner-only kinds ([`crate::protocol::OWNER_ONLY_KINDS`]: copilot memories and conversations)
//!   go to their owner's devices only: nobody else, managers and admins included.
//! - Managers and admins see every other document of the organisation (the team is the org).
//! - A rep sees other people's documents with [`Visibility::Org`] when the organisation shares
//!   records (the default org setting), and nothing else.
//! - Writing requires being able to read; a document's owner, kind and visibility are fixed by
//!   its first push.

use crate::protocol::{is_owner_only_kind, Role, Visibility};

/// The authenticated device making a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The device id.
    pub device_id: String,
    /// The device owner's user id.
    pub user_id: i64,
    /// The device owner's e-mail address.
    pub email: String,
    /// The organisation id.
    pub org_id: i64,
    /// The organisation name.
    pub org_name: String,
    /// The device owner's role.
    pub role: Role,
    /// Whether the organisation shares `org`-visible records with reps.
    pub org_shares_records: bool,
}

/// What the rules need to know about a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocAccess {
    /// The owner's user id.
    pub owner_id: i64,
    /// The document kind.
    pub kind: String,
    /// The document's visibility.
    pub visibility: Visibility,
}

/// Whether `who` may receive the document's updates.
pub fn can_read(who: &Principal, doc: &DocAccess) -> bool {
    if doc.owner_id == who.user_id {
        return true;
    }
    if is_owner_only_kind(&doc.kind) {
        return false;
    }
    match who.role {
        Role::Manager | Role::Admin => true,
        Role::Rep => who.org_shares_records && doc.visibility == Visibility::Org,
    }
}

/// Whether `who` may push updates to an existing document.
pub fn can_write(who: &Principal, doc: &DocAccess) -> bool {
    can_read(who, doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(user_id: i64, role: Role, shares: bool) -> Principal {
        Principal {
            device_id: "d".into(),
            user_id,
            email: "e".into(),
            org_id: 1,
            org_name: "o".into(),
            role,
            org_shares_records: shares,
        }
    }

    fn doc(owner_id: i64, kind: &str, visibility: Visibility) -> DocAccess {
        DocAccess { owner_id, kind: kind.into(), visibility }
    }

    #[test]
    fn owner_only_kinds_reach_nobody_else() {
        let memory = doc(1, "copilot_memory", Visibility::Org);
        assert!(can_read(&who(1, Role::Rep, true), &memory));
        for role in [Role::Rep, Role::Manager, Role::Admin] {
            assert!(!can_read(&who(2, role, true), &memory));
        }
    }

    #[test]
    fn reps_see_shared_records_only_when_the_org_shares() {
        let shared = doc(1, "contact", Visibility::Org);
        let private = doc(1, "contact", Visibility::Private);
        assert!(can_read(&who(2, Role::Rep, true), &shared));
        assert!(!can_read(&who(2, Role::Rep, false), &shared));
        assert!(!can_read(&who(2, Role::Rep, true), &private));
        assert!(can_read(&who(2, Role::Manager, false), &private));
    }
}
