//! The receiving device's check of natural-key ids (see the module docs of [`super`]): a contact
//! whose id is a natural-key (UUIDv5) id must be the contact of the e-mail address that id derives
//! from, and such a company the company of that domain (or, without one, that name). A peer that
//! puts another person under someone's natural-key id — to have a colleague's later contact
//! merge into it, or to erase that id before the real contact exists — is refused like any
//! invalid value: the record is not materialised and the refusal is quarantined.
//!
//! Checked when a record first arrives here. A record this device already holds may have its
//! e-mail or domain edited (the id stays when they change, see [`super`]), so later updates are
//! not held to its original key.

use outpost_sync::doc::RecordView;
use outpost_sync::entity::EntityKind;
use serde_json::Value;

/// Why record `id` of `kind` breaks its natural key — `(field, reason)` — or None when it keeps
/// it, has a random id, or is of a kind without natural keys.
pub(crate) fn mismatch(kind: EntityKind, id: &str, view: &RecordView) -> Option<(&'static str, String)> {
    let uuid = uuid::Uuid::parse_str(id).ok().filter(|u| u.get_version_num() == 5)?;
    let text = |name: &str| view.fields.get(name).and_then(Value::as_str).map(str::trim).filter(|v| !v.is_empty());
    match kind {
        EntityKind::Contact => {
            let email = text("email");
            if email.and_then(super::natural_contact_id) == Some(uuid) {
                return None;
            }
            Some((
                "email",
                format!(
                    "does not match the contact's natural-key id {id} (derived from the e-mail address it was \
                     created with; got {})",
                    email.map_or_else(|| "no e-mail".to_string(), |e| format!("'{}'", preview(e)))
                ),
            ))
        }
        EntityKind::Company => {
            let (domain, name) = (text("domain"), text("name").unwrap_or_default());
            // A company keyed by its name may have been given a domain since (an import fills it).
            if [super::natural_company_id(domain, name), super::natural_company_id(None, name)].contains(&Some(uuid)) {
                return None;
            }
            let field = if domain.is_some() { "domain" } else { "name" };
            Some((
                field,
                format!("does not match the company's natural-key id {id} (derived from its domain, else its name)"),
            ))
        }
        _ => None,
    }
}

fn preview(value: &str) -> String {
    outpost_sync::entity::rules::preview(value)
}
