//! Which tables and columns are replicated, per record kind: derived from the entity definitions
//! in [`outpost_sync::entity`] (a field is declared there once).
//!
//! A column listed here is one field of the record's CRDT document, under the column's name.
//! Long free text (notes, bodies, descriptions) goes into yrs texts so concurrent edits merge
//! character by character. Everything else in the row is local and derived, and stays out of the
//! CRDT: search keys (`name_key`, `phone_e164`), `last_contacted_at` (recomputed from activities),
//! FTS indexes (kept by triggers). Meeting attendees live in their own table and travel as one
//! JSON field, `attendees`.
//!
//! **Briefs.** A brief (`brief`) is one document per meeting, with a deterministic id derived
//! from the meeting id (see `briefs`), so briefs generated on two devices are ONE document. What
//! replicates is the shared review record: `meeting_id`, `status`, `reviewed_at`, `reviewed_by`,
//! `created_at`. The generated `content`, its input `fingerprint`, `generated_at` and `updated_at`
//! are derived and stay local: every device rebuilds the content from the (replicated) records
//! with the deterministic builder whenever the fingerprint of its inputs changes, so devices with
//! the same records show the same brief, and nothing regenerated ever travels — in particular the
//! owner-only copilot memories a rep's brief quotes never reach a manager through it. A received
//! brief starts with an empty fingerprint (rebuilt on first read). Status is only written by a
//! review or by the agent marking a draft ready, never by a regeneration, so a regeneration can
//! never undo a review. Comments (`brief_comment`) are their own append-only documents, so
//! comments written on two devices all survive.
//!
//! **Copilot kinds (owner-only).** A memory (`copilot_memory`) is one document: its text is a yrs
//! text, its links travel as one JSON field, `links` (like meeting attendees: a memory's links are
//! set when it is written and rarely change, and keeping them inside the memory's document means
//! forgetting the memory is ONE erasure that takes the links with it — a child kind would need
//! its own erasures and could outlive the memory on a replica that missed one). Access statistics
//! (`access_count`, `last_accessed_at`) change on every recall: churny derived data, kept local
//! and out of the CRDT. A conversation (`copilot_conversation`) is one document per thread; each
//! message is one field `message:<id>` holding the message as JSON (role, content, response,
//! compacted, created_at), so messages appended on two devices at once are different keys and
//! both survive; a message's `compacted` flag is the only later change. Both kinds are pushed
//! with `private` visibility and the server delivers them to their owner's devices only.

use std::sync::LazyLock;

use outpost_sync::entity::{Entity, EntityKind};

/// The replication mapping of one record kind, derived from its definition
/// ([`outpost_sync::entity`]), where every replicated field is declared once.
#[derive(Debug)]
pub(crate) struct Kind {
    /// The typed kind.
    pub entity_kind: EntityKind,
    /// Document kind as sent to the server (`contact`, `deal`, …).
    pub name: &'static str,
    /// The table holding the materialised rows (primary key `id`).
    pub table: &'static str,
    /// Scalar columns, one CRDT field each.
    pub columns: Vec<&'static str>,
    /// Long text columns, one CRDT text each.
    pub texts: Vec<&'static str>,
    /// Columns referencing another replicated table: set to NULL on materialisation when the
    /// referenced row is absent here (not synced yet, or deleted), as `ON DELETE SET NULL` would.
    pub refs: Vec<(&'static str, &'static str)>,
    /// Delivered only to the owner's devices (the server's owner-only kinds, see
    /// [`outpost_sync::protocol::OWNER_ONLY_KINDS`]); pushed with `private` visibility. The
    /// materialised row's `owner` column is this device's acting user: the server hands such a
    /// document to nobody but its owner, so whoever receives it owns it.
    pub owner_only: bool,
    /// The definition it is derived from (types, bounds, personal free text).
    pub entity: &'static Entity,
}

impl Kind {
    fn of(entity_kind: EntityKind) -> Self {
        let entity = entity_kind.entity();
        Kind {
            entity_kind,
            name: entity.kind,
            table: entity.table,
            columns: entity.columns().collect(),
            texts: entity.texts().collect(),
            refs: entity.refs().collect(),
            owner_only: entity.owner_only(),
            entity,
        }
    }
}

/// Every replicated kind, parents before children (the order of the initial backfill).
pub(crate) static KINDS: LazyLock<Vec<Kind>> = LazyLock::new(|| EntityKind::ALL.into_iter().map(Kind::of).collect());

/// The mapping of `kind`, if it is replicated.
pub(crate) fn kind(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

/// The mapping of `kind` (every typed kind is replicated).
pub(crate) fn of(kind: EntityKind) -> &'static Kind {
    // KINDS holds one mapping per kind, in the order (and so at the index) of EntityKind::ALL.
    &KINDS[kind as usize]
}

/// The columns of `kind`'s table that are NOT replicated (besides `id`): derived search keys,
/// local statistics and ownership, regenerated content. Every other column must be a field of
/// the kind's definition; `schema_tests` checks both against a migrated database, so a column
/// added by a migration is either declared in the definition (and syncs) or declared here.
/// (Materialisation recomputes these itself; only that test reads the list.)
#[cfg(test)]
pub(crate) fn local_columns(kind: EntityKind) -> &'static [&'static str] {
    match kind {
        EntityKind::Company => &["name_key", "phone_e164"],
        EntityKind::Contact => &["name_key", "phone_e164", "last_contacted_at"],
        EntityKind::Brief => &["fingerprint", "content", "generated_at", "updated_at"],
        EntityKind::CopilotMemory => &["owner", "access_count", "last_accessed_at"],
        EntityKind::CopilotConversation => &["owner"],
        EntityKind::Deal | EntityKind::Meeting | EntityKind::Task | EntityKind::Activity | EntityKind::BriefComment => {
            &[]
        }
    }
}

/// Name of the meeting field carrying the attendee list.
pub(crate) const ATTENDEES: &str = "attendees";

/// Where a local column required on insert (but never replicated) gets its first value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum InsertOnly {
    /// Copied from this field of the view.
    Field(&'static str),
    /// This constant.
    Value(&'static str),
}

/// Local columns required on insert but never replicated: set when a received record is first
/// inserted, left alone afterwards (see the briefs paragraph of the module docs).
pub(crate) fn insert_only(kind: &str) -> &'static [(&'static str, InsertOnly)] {
    match kind {
        "brief" => &[
            ("generated_at", InsertOnly::Field("created_at")),
            ("updated_at", InsertOnly::Field("created_at")),
            ("fingerprint", InsertOnly::Value("")),
            ("content", InsertOnly::Value("{}")),
        ],
        _ => &[],
    }
}

/// Name of the memory field carrying its links (JSON list of `[entity_type, entity_id]`).
pub(crate) const MEMORY_LINKS: &str = "links";

/// Prefix of the conversation fields carrying one message each (`message:<message id>`).
pub(crate) const MESSAGE_PREFIX: &str = "message:";

/// The visibility pushed with documents of `kind` (`private` for owner-only kinds).
pub(crate) fn visibility(kind: &str) -> &'static str {
    match self::kind(kind) {
        Some(spec) if spec.owner_only => "private",
        _ => "org",
    }
}
