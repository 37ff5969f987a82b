//! Authorisation rules, as pure functions over the authenticated device and a document's access
//! metadata. The server and both store backends call these on every request and WebSocket message.
//!
//! - A user only ever sees documents of their own organisation (documents are keyed by org).
//! - The owner always sees their documents.
//! - Owner-only kinds ([`outpost_sync::protocol::OWNER_ONLY_KINDS`]: copilot memories and conversations)
//!   go to their owner's devices only: nobody else, managers and admins included.
//! - Managers and admins see every other document of the organisation (the team is the org).
//! - A rep sees other people's documents with [`Visibility::Org`] when the organisation shares
//!   records (the default org setting), and nothing else.
//! - Writing is authorised per action ([`WriteAction`], [`can_write`]); the README's "Write
//!   authorisation" table states the same rules:
//!   - anyone in the organisation may create a document (they become its owner);
//!   - the owner may update, delete and erase it; managers and admins may update, delete and
//!     erase every document of the organisation except other people's owner-only kinds (the
//!     team is the organisation);
//!   - a rep may also update (never delete, erase or re-own) other people's `org`-visible
//!     documents when the organisation shares records for editing (org setting, on by default so
//!     that a contact created on two colleagues' devices under the same natural-key id converges);
//!   - only managers and admins change a document's `owner` field, and never on owner-only kinds.
//! - A document's owner, kind and visibility are fixed by its first valid push.

use outpost_sync::protocol::{is_owner_only_kind, Role, Visibility};

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
    /// Whether reps may also update other people's `org`-visible records (org setting).
    pub org_shares_editing: bool,
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

/// What a pushed item does to a document, for [`can_write`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WriteAction {
    /// The document's first write.
    Create,
    /// A change of fields or texts of an existing document.
    Update,
    /// Setting the document's tombstone (deletion is final).
    Delete,
    /// GDPR erasure of the whole document.
    Erase,
    /// A change of the document's `owner` field.
    ChangeOwner,
}

impl WriteAction {
    /// Every action, in the README table's order.
    pub const ALL: [WriteAction; 5] =
        [WriteAction::Create, WriteAction::Update, WriteAction::Delete, WriteAction::Erase, WriteAction::ChangeOwner];

    /// The action's name in errors and in the README table.
    pub fn as_str(self) -> &'static str {
        match self {
            WriteAction::Create => "create",
            WriteAction::Update => "update",
            WriteAction::Delete => "delete",
            WriteAction::Erase => "erase",
            WriteAction::ChangeOwner => "change owner",
        }
    }
}

/// Whether `who` may perform `action` on a document with access metadata `doc` (for
/// [`WriteAction::Create`], `doc` describes the document as it would be created: owned by `who`).
pub fn can_write(who: &Principal, doc: &DocAccess, action: WriteAction) -> bool {
    let owner = doc.owner_id == who.user_id;
    let team_lead = matches!(who.role, Role::Manager | Role::Admin);
    if is_owner_only_kind(&doc.kind) {
        return owner && action != WriteAction::ChangeOwner;
    }
    match action {
        WriteAction::Create => owner,
        WriteAction::Update => {
            owner
                || team_lead
                || (who.org_shares_records && who.org_shares_editing && doc.visibility == Visibility::Org)
        }
        WriteAction::Delete | WriteAction::Erase => owner || team_lead,
        WriteAction::ChangeOwner => team_lead,
    }
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
            org_shares_editing: true,
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

    #[test]
    fn reps_update_shared_records_but_never_delete_erase_or_reown_them() {
        let managers_deal = doc(1, "deal", Visibility::Org);
        let rep = who(2, Role::Rep, true);
        assert!(can_write(&rep, &managers_deal, WriteAction::Update));
        for action in [WriteAction::Delete, WriteAction::Erase, WriteAction::ChangeOwner] {
            assert!(!can_write(&rep, &managers_deal, action), "{action:?}");
        }
        let no_editing = Principal { org_shares_editing: false, ..rep.clone() };
        assert!(!can_write(&no_editing, &managers_deal, WriteAction::Update));
        let own = doc(2, "deal", Visibility::Org);
        assert!(can_write(&rep, &own, WriteAction::Erase));
        assert!(!can_write(&rep, &own, WriteAction::ChangeOwner), "only managers and admins re-own");
        assert!(can_write(&who(3, Role::Manager, false), &own, WriteAction::ChangeOwner));
        let memory = doc(2, "copilot_memory", Visibility::Private);
        assert!(!can_write(&who(3, Role::Admin, true), &memory, WriteAction::Update));
        assert!(can_write(&rep, &memory, WriteAction::Erase));
    }
}
