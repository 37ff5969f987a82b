//! The receiving device's check of natural-key ids (see the module docs of [`super`]): a contact
//! whose id is a natural-key (UUIDv5) id must be the contact of the e-mail address that id derives
//! from, and such a company the company of that domain (or, without one, that name). A peer that
//! puts another person under someone's natural-key id — to have a colleague's later contact
//! merge into it, or to erase that id before the real contact exists — is refused like any
//! invalid value: the record is not materialised and the refusal is quarantined.
//!
//! Checked when a record first arrives here, against the creation key the document records (the
//! key its id was derived from, see [`outpost_sync::entity::natural_key`]), so a record whose key
//! was edited since — before or after its first push, and whose history the server may have
//! compacted into one snapshot — still arrives; a document created before creation keys existed
//! is checked against its current key. A record this device already holds may have its e-mail or
//! domain edited (the id stays when they change, see [`super`]), so later updates are not held to
//! its original key.

use outpost_sync::doc::RecordView;
use outpost_sync::entity::natural_key::{check_received, CREATION_KEY_FIELD};
use outpost_sync::entity::EntityKind;
use serde_json::Value;

/// Why record `id` of `kind` breaks its natural key — `(field, reason)` — or None when it keeps
/// it, has a random id, or is of a kind without natural keys.
pub(crate) fn mismatch(kind: EntityKind, id: &str, view: &RecordView) -> Option<(&'static str, String)> {
    let uuid = uuid::Uuid::parse_str(id).ok().filter(|u| u.get_version_num() == 5)?;
    let field = check_received(kind.name(), uuid, view.creation_key.as_deref(), &view.fields).err()?;
    let text = |name: &str| view.fields.get(name).and_then(Value::as_str).map(str::trim).filter(|v| !v.is_empty());
    Some((
        field,
        match (kind, field) {
            (_, CREATION_KEY_FIELD) => format!(
                "does not match the {kind}'s natural-key id {id} (the id derives from the key a record is created \
                 with; got '{}')",
                preview(view.creation_key.as_deref().unwrap_or_default())
            ),
            (EntityKind::Contact, _) => format!(
                "does not match the contact's natural-key id {id} (derived from the e-mail address it was \
                 created with; got {})",
                text("email").map_or_else(|| "no e-mail".to_string(), |e| format!("'{}'", preview(e)))
            ),
            _ => format!("does not match the company's natural-key id {id} (derived from its domain, else its name)"),
        },
    ))
}

fn preview(value: &str) -> String {
    outpost_sync::entity::rules::preview(value)
}
