//! [`Tx::changed`]: the one call a mutation makes after writing a replicated record's row. It
//! records the row in the record's CRDT document (see [`super::record`]) and writes the audit
//! row, together, in the mutation's transaction — so a replicated change can neither skip sync
//! nor skip the audit log, and the kind is typed ([`EntityKind`]): an unknown kind does not
//! compile.

use std::fmt::Display;

use outpost_sync::entity::EntityKind;
use serde::Serialize;

use crate::{store::audit, store::ctx::Tx, Result};

/// What a mutation did to a record, as the audit log names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Created.
    Create,
    /// Fields changed.
    Update,
    /// Deleted (final on every replica).
    Delete,
    /// A deal moved to another stage.
    Move,
    /// A task completed.
    Complete,
    /// A meeting cancelled.
    Cancel,
    /// A brief reviewed.
    Review,
    /// A reference to an erased person removed.
    Unlink,
    /// Another contact merged into this one.
    Merge,
    /// Follow-up tasks created from a meeting (the tasks are their own changes).
    FollowUps,
    /// Contacts created from a meeting's attendees (the contacts are their own changes).
    CreateContacts,
    /// Erased or forgotten for good (GDPR); the erasure replicates itself (see `replica::erase`),
    /// so only the audit row is written here.
    Erase,
    /// A copilot memory forgotten by its owner: an erasure too, named for what the owner did.
    Forget,
}

impl Action {
    /// The name stored in the audit log.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Delete => "delete",
            Action::Move => "move",
            Action::Complete => "complete",
            Action::Cancel => "cancel",
            Action::Review => "review",
            Action::Unlink => "unlink",
            Action::Merge => "merge",
            Action::FollowUps => "follow_ups",
            Action::CreateContacts => "create_contacts",
            Action::Erase => "erase",
            Action::Forget => "forget",
        }
    }
}

impl Tx<'_> {
    /// Records that this transaction changed record `id` of `kind` by `action`, after its row was
    /// written: the row's replicated columns go into the record's document and outbox (a
    /// deletion is recorded as final), and the audit log gets one row with `changes` (the new
    /// record, the `audit::diff` of an update, or the action's details).
    pub fn changed(&self, kind: EntityKind, id: &impl Display, action: Action, changes: &impl Serialize) -> Result<()> {
        match action {
            Action::Delete => super::record_delete(self, kind, id)?,
            Action::Erase | Action::Forget => {}
            _ => super::record_row(self, kind, id)?,
        }
        audit::record(self, action.as_str(), kind.name(), id, changes)
    }
}
