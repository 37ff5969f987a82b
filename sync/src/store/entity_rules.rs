//! Server-side value validation of pushed updates: the values an update changes must fit the
//! kind's definition. Until the typed per-entity definitions are wired in, this checks what
//! holds for every kind: the owner field is an e-mail-sized string.

use serde_json::{Map, Value};

use crate::protocol::ErrorMessage;

/// Longest value accepted in the `owner` field.
const MAX_OWNER_CHARS: usize = 320;

/// Checks the `changed` fields of a `kind` document whose fields are now `after`.
pub(crate) fn validate(kind: &str, after: &Map<String, Value>, changed: &[&str]) -> Result<(), ErrorMessage> {
    for &name in changed {
        let value = after.get(name).unwrap_or(&Value::Null);
        if name == super::rules::OWNER_FIELD {
            let ok = value.is_null() || value.as_str().is_some_and(|s| s.chars().count() <= MAX_OWNER_CHARS);
            if !ok {
                return Err(ErrorMessage::invalid_field(
                    name,
                    format!("`{kind}.{name}` must be text of at most {MAX_OWNER_CHARS} characters (an e-mail address) or null"),
                ));
            }
        }
    }
    Ok(())
}
