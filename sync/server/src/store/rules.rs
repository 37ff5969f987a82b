//! The per-item push decision shared by both backends (pure): which write action an update
//! performs (found by applying it to the document's stored state with `yrs`), whether the pusher
//! may perform it ([`crate::authz::can_write`]), whether the resulting values are valid, and what
//! to store.
//!
//! A refused item changes nothing: in particular a refused first write never creates the
//! document, so a wrong kind, a forbidden visibility or an invalid value can never claim an id
//! its rightful writer needs later.

use serde_json::{Map, Value};

use super::doc_cache::DocCache;
use crate::authz::{can_read, can_write, DocAccess, Principal, WriteAction};
use outpost_sync::doc::{natural_key_doc_id, normalise_key, RecordDoc};
use outpost_sync::entity::natural_key::{
    check_creation_key_change, check_first_write, CREATION_KEY_FIELD, NATURAL_KEY_SCOPE,
};
use outpost_sync::protocol::{ErrorCode, ErrorMessage, PushItem, Visibility};

/// Kinds whose documents may have a deterministic (UUIDv5, natural-key) id; every other kind's
/// ids are random. A v5 id pushed under any other kind is refused, so nobody can pre-claim the
/// natural-key id of a contact, company or brief under another kind.
pub const NATURAL_KEY_KINDS: &[&str] = &["contact", "company", "brief"];

/// A stored document as the decision needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingDoc {
    /// Owner, kind and visibility.
    pub access: DocAccess,
    /// Whether it was erased (GDPR).
    pub erased: bool,
    /// Its merged state (one yrs update of everything stored; empty when erased).
    pub state: Vec<u8>,
}

/// What to do with one pushed item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushDecision {
    /// New document: create it owned by the pusher with merged state `state`, store the update.
    Create {
        /// The document's state after the update.
        state: Vec<u8>,
    },
    /// Existing document the pusher may change this way: store the update, keep `state`.
    Append {
        /// The document's state after the update.
        state: Vec<u8>,
        /// A permitted owner change: the new value of the kind's owner field (normalised). The
        /// store moves the document to the organisation's user with that e-mail, if there is one.
        new_owner: Option<String>,
    },
    /// GDPR erase of an existing document: delete every stored update, mark it erased and
    /// store a content-free erasure marker.
    Erase,
    /// An erase of a document that is already erased: nothing to do (idempotent).
    AlreadyErased,
    /// Refuse this item; nothing is stored.
    Reject(ErrorMessage),
}

/// Decides one pushed item (sequence-number idempotency is checked before).
pub fn decide_push(who: &Principal, item: &PushItem, existing: Option<&ExistingDoc>) -> PushDecision {
    decide_push_cached(who, item, existing, None)
}

/// [`decide_push`], reusing the decoded document from `cache` when it holds exactly the stored
/// state, and leaving the document after the update there when the update is accepted.
pub fn decide_push_cached(
    who: &Principal,
    item: &PushItem,
    existing: Option<&ExistingDoc>,
    cache: Option<&DocCache>,
) -> PushDecision {
    let base = Base { org_id: who.org_id, cache };
    match decide(who, item, existing, base) {
        Ok(decision) => decision,
        Err(error) => PushDecision::Reject(error),
    }
}

/// Where a decision gets the decoded document from.
#[derive(Clone, Copy)]
struct Base<'a> {
    org_id: i64,
    cache: Option<&'a DocCache>,
}

fn forbidden(item: &PushItem, action: WriteAction, why: &str) -> ErrorMessage {
    ErrorMessage::new(
        ErrorCode::Forbidden,
        format!("you may not {} {} {}: {why}; nothing was stored", action.as_str(), item.kind, item.doc_id),
    )
}

fn decide(
    who: &Principal,
    item: &PushItem,
    existing: Option<&ExistingDoc>,
    base: Base<'_>,
) -> Result<PushDecision, ErrorMessage> {
    let Some(doc) = existing else {
        if item.erase {
            return Err(ErrorMessage::new(
                ErrorCode::NotFound,
                format!(
                    "document {} does not exist on the server, so there is nothing to erase; \
                     an erasure needs an existing record you have the right to erase",
                    item.doc_id
                ),
            ));
        }
        return create(who, item, base);
    };
    if !can_read(who, &doc.access) {
        // Everything about a document the pusher may not read stays unsaid: its kind, whether it
        // was erased, which action would be refused (every write needs read access anyway).
        return Err(ErrorMessage::new(
            ErrorCode::Forbidden,
            format!(
                "you may not write document {}: it is not shared with you; nothing was stored (give a new \
                 record a new id)",
                item.doc_id
            ),
        ));
    }
    if doc.access.kind != item.kind {
        return Err(ErrorMessage::new(
            ErrorCode::KindMismatch,
            format!(
                "document {} is a `{}`, not a `{}`; a document's kind cannot change, use a new document id",
                item.doc_id, doc.access.kind, item.kind
            ),
        ));
    }
    if item.erase {
        if !super::entity_rules::known_kind(&item.kind)?.erasable {
            return Err(forbidden(
                item,
                WriteAction::Erase,
                "this kind is never erased (GDPR erasure removes a person's contact, their activities and tasks, \
                 and forgotten copilot memories; other records are redacted instead)",
            ));
        }
        if !can_write(who, &doc.access, WriteAction::Erase) {
            return Err(forbidden(item, WriteAction::Erase, "only its owner, managers and admins may erase a record"));
        }
        if let Some(cache) = base.cache {
            cache.forget(base.org_id, item.doc_id);
        }
        return Ok(if doc.erased { PushDecision::AlreadyErased } else { PushDecision::Erase });
    }
    if !can_write(who, &doc.access, WriteAction::Update) {
        return Err(forbidden(item, WriteAction::Update, "ask its owner or a manager to change it"));
    }
    if doc.erased {
        return Err(ErrorMessage::new(
            ErrorCode::Erased,
            format!(
                "document {} was erased (GDPR) and cannot be changed or restored; erase it on this device too",
                item.doc_id
            ),
        ));
    }
    let seen = inspect(item, Some(&doc.state), base)?;
    if seen.deleted_before && !seen.deleted_after {
        return Err(ErrorMessage::new(
            ErrorCode::Invalid,
            format!(
                "the update would bring deleted {} {} back (it removes or overwrites its tombstone); deletion is \
                 final, create a new record instead; nothing was stored",
                item.kind, item.doc_id
            ),
        ));
    }
    if seen.deleted_after && !seen.deleted_before && !can_write(who, &doc.access, WriteAction::Delete) {
        return Err(forbidden(item, WriteAction::Delete, "only its owner, managers and admins may delete a record"));
    }
    let owner_field = super::entity_rules::known_kind(&item.kind)?.owner_field;
    let owner_changed = owner_field.filter(|f| seen.before.get(*f) != seen.after.get(*f));
    if owner_changed.is_some() && !can_write(who, &doc.access, WriteAction::ChangeOwner) {
        return Err(forbidden(item, WriteAction::ChangeOwner, "only managers and admins change a record's owner"));
    }
    validate(item, &seen)?;
    check_creation_key_change(
        &item.kind,
        item.doc_id.0,
        seen.creation_key_before.as_deref(),
        seen.creation_key_after.as_deref(),
    )
    .map_err(|why| creation_key_refused(item, &why))?;
    let new_owner = owner_changed
        .and_then(|f| seen.after.get(f))
        .and_then(Value::as_str)
        .map(normalise_key)
        .filter(|o| !o.is_empty());
    Ok(PushDecision::Append { state: seen.keep(item, base), new_owner })
}

fn create(who: &Principal, item: &PushItem, base: Base<'_>) -> Result<PushDecision, ErrorMessage> {
    super::entity_rules::known_kind(&item.kind)?;
    let access = DocAccess { owner_id: who.user_id, kind: item.kind.clone(), visibility: item.visibility };
    if !can_write(who, &access, WriteAction::Create) {
        return Err(forbidden(item, WriteAction::Create, "not allowed"));
    }
    if item.doc_id.0.get_version_num() == 5 {
        if !NATURAL_KEY_KINDS.contains(&item.kind.as_str()) {
            return Err(ErrorMessage::new(
                ErrorCode::Invalid,
                format!(
                    "document {} has a natural-key (UUIDv5) id, which only {} documents may have; \
                     give a new `{}` a random id",
                    item.doc_id,
                    NATURAL_KEY_KINDS.join(", "),
                    item.kind
                ),
            ));
        }
        if item.visibility != Visibility::Org {
            return Err(ErrorMessage::invalid_field(
                "visibility",
                format!(
                    "a natural-key `{}` is shared by every device that creates it: push it `org`-visible",
                    item.kind
                ),
            ));
        }
    }
    let seen = inspect(item, None, base)?;
    if item.doc_id.0.get_version_num() == 5 {
        check_natural_key(item, &seen)?;
    } else if let Some(key) = &seen.creation_key_after {
        return Err(creation_key_refused(
            item,
            &format!(
                "only a natural-key (UUIDv5) id derives from a key, and {} is random (got `{}`)",
                item.doc_id,
                outpost_sync::entity::rules::preview(key)
            ),
        ));
    }
    validate(item, &seen)?;
    Ok(PushDecision::Create { state: seen.keep_created(item) })
}

/// A natural-key (UUIDv5) id must be the one its record's key derives, exactly as clients derive
/// it: a brief's from its meeting, a contact's from its normalised e-mail, a company's from its
/// normalised domain or name ([`outpost_sync::entity::natural_key`], the one implementation the
/// devices use too). Otherwise anyone could pre-claim the id a colleague's device will derive for
/// another person or company. A creation key, when the writer records one, must derive the id and
/// be the record's current key ([`check_first_write`]).
fn check_natural_key(item: &PushItem, seen: &Inspection) -> Result<(), ErrorMessage> {
    let after = &seen.after;
    let text = |field: &str| after.get(field).and_then(Value::as_str).map(str::trim).unwrap_or_default();
    let refused = |field: &str, what: &str| {
        ErrorMessage::invalid_field(
            field,
            format!(
                "{} {} does not belong to {field} `{}` ({what}; give a record whose key differs a random id); \
                 nothing was stored",
                item.kind,
                item.doc_id,
                outpost_sync::entity::rules::preview(text(field))
            ),
        )
    };
    if item.kind == "brief" {
        if seen.creation_key_after.is_some() {
            return Err(creation_key_refused(item, "a brief's id derives from its meeting, it has no creation key"));
        }
        let meeting = text("meeting_id");
        if meeting.is_empty() || natural_key_doc_id(NATURAL_KEY_SCOPE, "brief", meeting).0 != item.doc_id.0 {
            return Err(refused("meeting_id", "a brief's id derives from its meeting"));
        }
        return Ok(());
    }
    check_first_write(&item.kind, item.doc_id.0, seen.creation_key_after.as_deref(), after).map_err(|(field, why)| {
        let what = match field {
            "email" => "a contact's natural-key id derives from its e-mail",
            "domain" => "a company's natural-key id derives from its domain, else its normalised name",
            "name" => "a company's natural-key id derives from its normalised name, else its domain",
            _ => return creation_key_refused(item, &why),
        };
        refused(field, what)
    })
}

/// The per-field error refusing an item's creation key ([`CREATION_KEY_FIELD`]).
fn creation_key_refused(item: &PushItem, why: &str) -> ErrorMessage {
    ErrorMessage::invalid_field(
        CREATION_KEY_FIELD,
        format!("{why}; the creation key of {} {} is refused and nothing was stored", item.kind, item.doc_id),
    )
}

/// What an update does to a document.
struct Inspection {
    before: Map<String, Value>,
    after: Map<String, Value>,
    deleted_before: bool,
    deleted_after: bool,
    /// The document's creation key before and after the update (natural-key records).
    creation_key_before: Option<String>,
    creation_key_after: Option<String>,
    /// The document with the update applied.
    doc: RecordDoc,
}

impl Inspection {
    /// The document's state after the accepted update; the decoded document goes to the cache.
    fn keep(self, item: &PushItem, base: Base<'_>) -> Vec<u8> {
        let state = self.doc.snapshot();
        if let Some(cache) = base.cache {
            cache.put(base.org_id, item.doc_id, state.clone(), self.doc);
        }
        state
    }

    /// [`Inspection::keep`] for a new document: its state is the pushed update itself (applied
    /// to nothing, with nothing missing, it is everything the document holds), so the document
    /// is not encoded again. A new document is not cached: most are never pushed to again soon
    /// (a first sync pushes a whole import), and caching each one evicted a document being
    /// edited, whose freeing (thousands of small allocations made on another thread) was a fifth
    /// of the push writer's time (`perf`). Freed at once where it was decoded it costs far less:
    /// server CPU for a first push of 100k contacts went from 3.2 s to 2.5 s. A new document
    /// edited next is decoded from its state then.
    fn keep_created(self, item: &PushItem) -> Vec<u8> {
        item.update.clone()
    }
}

/// Applies `item`'s update to `state` (None: a new document) in memory and reads the fields.
/// The decoded state comes from the cache when it holds exactly `state`.
fn inspect(item: &PushItem, state: Option<&[u8]>, base: Base<'_>) -> Result<Inspection, ErrorMessage> {
    let bad = |e: outpost_sync::doc::DocError| {
        ErrorMessage::new(
            ErrorCode::BadRequest,
            format!("the update for document {} cannot be applied ({e}); nothing was stored", item.doc_id),
        )
    };
    let cached = match (base.cache, state) {
        (Some(cache), Some(state)) => cache.take(base.org_id, item.doc_id, state),
        _ => None,
    };
    let doc = match (cached, state.filter(|s| !s.is_empty())) {
        (Some(doc), _) => doc,
        (None, Some(state)) => RecordDoc::from_updates(1, &[state]).map_err(|e| {
            ErrorMessage::new(
                ErrorCode::Internal,
                format!("the stored state of document {} is unreadable: {e}", item.doc_id),
            )
        })?,
        (None, None) => RecordDoc::new(1),
    };
    let before = doc.view();
    doc.apply_update(&item.update).map_err(bad)?;
    if doc.has_missing_updates() {
        return Err(ErrorMessage::new(
            ErrorCode::BadRequest,
            format!(
                "the update for document {} builds on changes the server does not have (an earlier change of it \
                 was refused or never pushed); nothing was stored",
                item.doc_id
            ),
        ));
    }
    let after = doc.view();
    Ok(Inspection {
        before: before.fields,
        after: after.fields,
        deleted_before: before.deleted,
        deleted_after: after.deleted,
        creation_key_before: before.creation_key,
        creation_key_after: after.creation_key,
        doc,
    })
}

/// Checks the values the update changed against the kind's definition (see `entity_rules`).
fn validate(item: &PushItem, seen: &Inspection) -> Result<(), ErrorMessage> {
    super::entity_rules::validate(&item.kind, &seen.before, &seen.after)
}

pub mod batch;
#[cfg(test)]
mod tests;
