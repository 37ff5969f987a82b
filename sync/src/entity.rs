//! One typed definition per replicated entity: its fields, their types and bounds, which are free
//! text that may hold personal data, and who may write and erase it.
//!
//! Every boundary a replicated value crosses uses these definitions:
//! - the server checks each pushed update's fields ([`validate_field`] / [`validate_record`]) and
//!   answers an invalid one with a per-field error;
//! - a device applying a remote update materialises only valid fields (an invalid one keeps the
//!   row's last valid value and is quarantined), and derives its replicated columns from here
//!   (`outpost_core::replica::kinds`);
//! - GDPR erasure redacts every field marked [`Field::personal`];
//! - the core's entity APIs use the same value rules ([`rules`]), so a value the CLI refuses is
//!   refused from a peer too.
//!
//! Adding a replicated field = adding it to its entity here (plus the local migration adding the
//! column). The definitions live in this crate (the bottom of app → core → sync) so the server
//! and the core share them.

mod check;
mod copilot;
mod crm;
mod kind;
pub mod natural_key;
pub mod rules;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value};

pub use check::check_value;
pub use kind::EntityKind;

/// The type and bounds of a field's value, as it travels in a record document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldType {
    /// A string of at most `max` characters; a required one must not be blank.
    Text {
        /// Longest accepted value, in characters.
        max: usize,
    },
    /// An e-mail address ([`rules::email`]).
    Email,
    /// A website or domain ([`rules::domain`]).
    Domain,
    /// A three-letter currency code ([`rules::currency`]).
    Currency,
    /// An `https` LinkedIn profile URL ([`rules::linkedin_url`]).
    LinkedinUrl,
    /// An IANA time-zone name such as `Europe/Berlin` ([`rules::time_zone`]).
    TimeZone,
    /// A calendar date `YYYY-MM-DD` ([`rules::date`]).
    Date,
    /// An instant in RFC 3339 ([`rules::rfc3339`]).
    Timestamp,
    /// A whole number within `min..=max` (a float with no fraction is accepted: the CRDT may
    /// carry an integer as one).
    Integer {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
    },
    /// A number within `min..=max`.
    Number {
        /// Smallest accepted value.
        min: f64,
        /// Largest accepted value.
        max: f64,
    },
    /// 0 or 1 (or a boolean).
    Flag,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// A record id (a UUID in text form).
    Id,
    /// A JSON object, serialised as text, of at most `max_bytes`.
    JsonObject {
        /// Longest accepted serialisation, in bytes.
        max_bytes: usize,
    },
    /// A meeting's attendee list: JSON text, a list of `[email, name or null, 0/1 or null]`.
    Attendees,
    /// A memory's links: JSON text, a list of `[entity_type, id]`.
    Links,
    /// One copilot conversation message: JSON text of an object with `role` (`user` or
    /// `assistant`), `content`, `response` (JSON text or null), `compacted` (0/1) and
    /// `created_at` (RFC 3339).
    Message,
}

/// Where a field lives in the document and on the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// A scalar field of the document and a column of the entity's table.
    Column,
    /// A yrs text of the document (merged character by character) and a column of the table.
    Text,
    /// A scalar field of the document materialised elsewhere (e.g. a meeting's attendees table);
    /// not a column of the entity's table.
    Carried,
}

/// Who may write and erase documents of an entity. The server enforces it; devices only ever
/// push what their own user may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// An organisation record: read and written according to the server's role rules (owner,
    /// team, organisation sharing).
    Org,
    /// Owner-only: delivered to, written and erased by the owner's devices only (pushed with
    /// `private` visibility).
    OwnerOnly,
}

/// One field of an entity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    /// The field's name in the document (and the column's name for [`Storage::Column`] and
    /// [`Storage::Text`]); for [`Entity::prefixed`], the prefix every such field's name starts with.
    pub name: &'static str,
    /// Type and bounds of its value.
    pub ty: FieldType,
    /// Whether a live record must have it (null, absent and blank are refused).
    pub required: bool,
    /// Where it lives.
    pub storage: Storage,
    /// Free text that may hold personal data about a person (their name, e-mail, phone): a GDPR
    /// erasure of that person redacts it here.
    pub personal: bool,
    /// The table of the record it refers to, for a reference to another replicated record.
    pub references: Option<&'static str>,
}

impl Field {
    /// A column field of type `ty`, optional, not personal, referring to nothing.
    pub const fn new(name: &'static str, ty: FieldType) -> Self {
        Field { name, ty, required: false, storage: Storage::Column, personal: false, references: None }
    }

    /// The same field, required.
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    /// The same field, free text that may hold personal data.
    pub const fn personal(mut self) -> Self {
        self.personal = true;
        self
    }

    /// The same field, stored as a yrs text.
    pub const fn long_text(mut self) -> Self {
        self.storage = Storage::Text;
        self
    }

    /// The same field, carried in the document but not a column of the table.
    pub const fn carried(mut self) -> Self {
        self.storage = Storage::Carried;
        self
    }

    /// The same field, a reference to a record of `table`.
    pub const fn references(mut self, table: &'static str) -> Self {
        self.references = Some(table);
        self
    }
}

/// The definition of one replicated entity (one document kind).
#[derive(Debug, PartialEq)]
pub struct Entity {
    /// Document kind as sent to the server (`contact`, `deal`, …).
    pub kind: &'static str,
    /// The local table holding the materialised rows (primary key `id`).
    pub table: &'static str,
    /// Its fields.
    pub fields: &'static [Field],
    /// Fields whose names start with this field's name, any number of them (a conversation's
    /// `message:<id>`).
    pub prefixed: Option<&'static Field>,
    /// Who may read, write and erase it.
    pub access: Access,
    /// The field naming the record's owner, if it has one: changing it is an ownership change.
    pub owner_field: Option<&'static str>,
    /// Whether a device may ask the server to erase (GDPR) a document of this kind: a person's
    /// contact, the activities and tasks erased with them, and forgotten copilot memories.
    pub erasable: bool,
}

impl Entity {
    /// The field called `name` (a prefixed field matches by its prefix).
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name).or(self.prefixed.filter(|p| name.starts_with(p.name)))
    }

    /// Names of the scalar fields that are columns of the table.
    pub fn columns(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().filter(|f| f.storage == Storage::Column).map(|f| f.name)
    }

    /// Names of the yrs-text fields (also columns of the table).
    pub fn texts(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().filter(|f| f.storage == Storage::Text).map(|f| f.name)
    }

    /// `(column, referenced table)` of every reference field.
    pub fn refs(&self) -> impl Iterator<Item = (&'static str, &'static str)> + '_ {
        self.fields.iter().filter_map(|f| f.references.map(|table| (f.name, table)))
    }

    /// Columns of the table holding free text that may hold personal data (GDPR redaction).
    pub fn personal_columns(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().filter(|f| f.personal && f.storage != Storage::Carried).map(|f| f.name)
    }

    /// Whether documents of this kind go to their owner's devices only.
    pub fn owner_only(&self) -> bool {
        self.access == Access::OwnerOnly
    }
}

/// Every replicated entity, parents before children (the order of a device's initial backfill).
pub fn entities() -> &'static [Entity] {
    ENTITIES
}

const ENTITIES: &[Entity] = &[
    crm::COMPANY,
    crm::CONTACT,
    crm::DEAL,
    crm::MEETING,
    crm::TASK,
    crm::ACTIVITY,
    crm::BRIEF,
    crm::BRIEF_COMMENT,
    copilot::MEMORY,
    copilot::CONVERSATION,
];

/// The definition of document kind `kind`, if it is replicated.
pub fn entity(kind: &str) -> Option<&'static Entity> {
    ENTITIES.iter().find(|e| e.kind == kind)
}

/// A refused field value: which kind and field, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} field '{field}' {message}")]
pub struct FieldError {
    /// The document kind.
    pub kind: String,
    /// The field's name.
    pub field: String,
    /// Why it is refused (follows the field's name: "is too long (…)").
    pub message: String,
}

/// Checks one field `field` of a document of `kind` holding `value` (as it travels in the
/// document: texts as strings, `Null` for a removed value). Unknown kinds and fields are refused.
pub fn validate_field(kind: &str, field: &str, value: &Value) -> Result<(), FieldError> {
    let error = |message: String| FieldError { kind: kind.to_string(), field: field.to_string(), message };
    let entity = entity(kind).ok_or_else(|| error("belongs to a kind that is not replicated".into()))?;
    let spec = entity.field(field).ok_or_else(|| error(format!("is not a field of {kind}")))?;
    check_value(spec, value).map_err(error)
}

/// Checks every field of a record of `kind` (its document's fields), returning every refusal.
/// Only the fields present are checked: a document is built up by several updates, so a required
/// field may arrive later (the device defers the row until it has).
pub fn validate_record(kind: &str, fields: &Map<String, Value>) -> Result<(), Vec<FieldError>> {
    let errors: Vec<FieldError> =
        fields.iter().filter_map(|(name, value)| validate_field(kind, name, value).err()).collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
