//! The copilot's owner-only entities: memories and conversations. Delivered to, written and erased
//! by their owner's devices only.

use super::rules::MAX_LONG;
use super::{check::MAX_MESSAGE, Access, Entity, Field, FieldType as T};

/// A copilot memory (`memories`); its links travel as one JSON field.
pub const MEMORY: Entity = Entity {
    kind: "copilot_memory",
    table: "memories",
    fields: &[
        Field::new("category", T::Enum(&["deal", "relationship", "preference", "commitment", "fact"])).required(),
        Field::new("confidence", T::Number { min: 0.0, max: 1.0 }).required(),
        Field::new("source", T::Enum(&["user", "copilot", "event"])).required(),
        Field::new("created_at", T::Timestamp).required(),
        Field::new("updated_at", T::Timestamp).required(),
        Field::new("content", T::Text { max: MAX_LONG }).required().long_text().personal(),
        Field::new("links", T::Links).carried(),
    ],
    prefixed: None,
    access: Access::OwnerOnly,
    owner_field: None,
    erasable: true,
};

/// One message of a conversation: field `message:<message id>`.
const MESSAGE: Field = Field::new("message:", T::Message).carried().personal();

/// A copilot conversation (`copilot_threads`); one field per message.
pub const CONVERSATION: Entity = Entity {
    kind: "copilot_conversation",
    table: "copilot_threads",
    fields: &[
        Field::new("title", T::Text { max: MAX_LONG }).required().personal(),
        Field::new("summary", T::Text { max: MAX_MESSAGE }).personal(),
        Field::new("created_at", T::Timestamp).required(),
        Field::new("updated_at", T::Timestamp).required(),
    ],
    prefixed: Some(&MESSAGE),
    access: Access::OwnerOnly,
    owner_field: None,
    erasable: false,
};
