//! Server-side value validation of pushed updates against the typed entity definitions
//! ([`outpost_sync::entity`]): every field an update sets, changes or removes must fit its kind's
//! definition, or the update is refused with an `invalid` error naming the field.

use serde_json::{Map, Value};

use outpost_sync::protocol::{ErrorCode, ErrorMessage};

/// Refuses kinds that are not replicated.
pub(crate) fn known_kind(kind: &str) -> Result<&'static outpost_sync::entity::Entity, ErrorMessage> {
    outpost_sync::entity::entity(kind).ok_or_else(|| {
        let known: Vec<&str> = outpost_sync::entity::entities().iter().map(|e| e.kind).collect();
        ErrorMessage::new(
            ErrorCode::Invalid,
            format!("`{kind}` is not a replicated kind; the server accepts {}; nothing was stored", known.join(", ")),
        )
    })
}

/// Checks every field whose value differs between `before` and `after` (a removed field is
/// checked as null) against the definition of `kind`.
pub(crate) fn validate(
    kind: &str,
    before: &Map<String, Value>,
    after: &Map<String, Value>,
) -> Result<(), ErrorMessage> {
    let changed = after.iter().filter(|(name, value)| before.get(name.as_str()) != Some(*value));
    let removed = before.keys().filter(|name| !after.contains_key(name.as_str())).map(|name| (name, &Value::Null));
    for (name, value) in changed.chain(removed) {
        if let Err(e) = outpost_sync::entity::validate_field(kind, name, value) {
            return Err(ErrorMessage::invalid_field(name.clone(), format!("{e}; nothing was stored")));
        }
    }
    Ok(())
}
