//! Checking one value against its field's definition (see [`super::FieldType`]).

use serde_json::Value;

use super::{rules, Field, FieldType};

/// Checks `value` against `field`; the refusal follows the field's name ("is too long (…)").
pub fn check_value(field: &Field, value: &Value) -> Result<(), String> {
    if value.is_null() {
        return if field.required { Err("is required and cannot be empty".into()) } else { Ok(()) };
    }
    match field.ty {
        FieldType::Text { max } => {
            let text = string(value)?;
            if field.required && text.trim().is_empty() {
                return Err("is required and cannot be blank".into());
            }
            let chars = text.chars().count();
            if chars > max {
                return Err(format!("is too long ({chars} characters; at most {max})"));
            }
            Ok(())
        }
        FieldType::Email => present(field, rules::email(Some(string(value)?.to_string()))),
        FieldType::Domain => present(field, rules::domain(Some(string(value)?.to_string()))),
        FieldType::Currency => present(field, rules::currency(Some(string(value)?.to_string()))),
        FieldType::Date => present(field, rules::date(Some(string(value)?.to_string()))),
        FieldType::LinkedinUrl => canonical(string(value)?, rules::linkedin_url),
        FieldType::TimeZone => canonical(string(value)?, rules::time_zone),
        FieldType::Timestamp => rules::rfc3339(string(value)?),
        FieldType::Integer { min, max } => {
            let n = integer(value)?;
            if n < min || n > max {
                return Err(format!("must be between {min} and {max} (got {n})"));
            }
            Ok(())
        }
        FieldType::Number { min, max } => {
            let n = value.as_f64().ok_or_else(|| format!("must be a number (got {})", kind_of(value)))?;
            if !(min..=max).contains(&n) {
                return Err(format!("must be between {min} and {max} (got {n})"));
            }
            Ok(())
        }
        FieldType::Flag => match value {
            Value::Bool(_) => Ok(()),
            _ => match integer(value) {
                Ok(0 | 1) => Ok(()),
                _ => Err(format!("must be 0 or 1 (got {})", kind_of(value))),
            },
        },
        FieldType::Enum(allowed) => {
            let text = string(value)?;
            if allowed.contains(&text) {
                Ok(())
            } else {
                Err(format!("must be one of {} (got '{}')", allowed.join(", "), rules::preview(text)))
            }
        }
        FieldType::Id => id(string(value)?),
        FieldType::JsonObject { max_bytes } => {
            let text = string(value)?;
            if text.len() > max_bytes {
                return Err(format!("is too large ({} bytes; at most {max_bytes})", text.len()));
            }
            match serde_json::from_str::<Value>(text) {
                Ok(Value::Object(_)) => Ok(()),
                _ => Err("must be a JSON object".into()),
            }
        }
        FieldType::Attendees => attendees(string(value)?),
        FieldType::Links => links(string(value)?),
        FieldType::Message => message(string(value)?),
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn string(value: &Value) -> Result<&str, String> {
    value.as_str().ok_or_else(|| format!("must be text (got {})", kind_of(value)))
}

fn integer(value: &Value) -> Result<i64, String> {
    if let Some(n) = value.as_i64() {
        return Ok(n);
    }
    match value.as_f64() {
        // The range check keeps the cast exact; the CRDT may carry an integer as a float.
        #[allow(clippy::cast_possible_truncation)]
        Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f as i64),
        _ => Err(format!("must be a whole number (got {})", kind_of(value))),
    }
}

/// A stored value must already be in the one form the rule produces (a device always stores
/// that form, so a peer's `http://…` or `europe/berlin` was not written by Outpost).
fn canonical(text: &str, rule: fn(Option<String>) -> Result<Option<String>, String>) -> Result<(), String> {
    match rule(Some(text.to_string()))? {
        Some(stored) if stored == text => Ok(()),
        Some(stored) => Err(format!("'{}' is not in its stored form ('{}')", rules::preview(text), stored)),
        None => Err("is blank".into()),
    }
}

/// A rule's outcome for a present value: blank counts as empty.
fn present<T>(field: &Field, outcome: Result<Option<T>, String>) -> Result<(), String> {
    match outcome? {
        None if field.required => Err("is required and cannot be blank".into()),
        _ => Ok(()),
    }
}

fn id(text: &str) -> Result<(), String> {
    uuid::Uuid::parse_str(text)
        .map(|_| ())
        .map_err(|_| format!("'{}' is not a record id (a UUID)", rules::preview(text)))
}

fn json_list(text: &str, what: &str) -> Result<Vec<Value>, String> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => Ok(items),
        _ => Err(format!("must be a JSON list of {what}")),
    }
}

fn attendees(text: &str) -> Result<(), String> {
    const WHAT: &str = "[email, name or null, 0/1 or null]";
    for item in json_list(text, WHAT)? {
        let Some([email, name, internal]) =
            item.as_array().map(Vec::as_slice).and_then(|s| <&[Value; 3]>::try_from(s).ok())
        else {
            return Err(format!("must be a JSON list of {WHAT}"));
        };
        let address = email.as_str().ok_or_else(|| format!("must be a JSON list of {WHAT}"))?;
        rules::email(Some(address.to_string())).map_err(|e| format!("has an attendee whose email {e}"))?;
        match name {
            Value::Null => {}
            Value::String(n) if n.chars().count() <= rules::MAX_SHORT => {}
            _ => {
                return Err(format!("has an attendee name that is not text of at most {} characters", rules::MAX_SHORT))
            }
        }
        if !(internal.is_null() || matches!(internal.as_i64(), Some(0 | 1))) {
            return Err(format!("must be a JSON list of {WHAT}"));
        }
    }
    Ok(())
}

fn links(text: &str) -> Result<(), String> {
    const WHAT: &str = "[entity_type, id]";
    const TYPES: &[&str] = &["contact", "company", "deal", "meeting"];
    for item in json_list(text, WHAT)? {
        let pair = item.as_array().filter(|p| p.len() == 2);
        let (Some(entity_type), Some(entity_id)) = (pair.and_then(|p| p[0].as_str()), pair.and_then(|p| p[1].as_str()))
        else {
            return Err(format!("must be a JSON list of {WHAT}"));
        };
        if !TYPES.contains(&entity_type) {
            return Err(format!("links to '{}', not one of {}", rules::preview(entity_type), TYPES.join(", ")));
        }
        id(entity_id)?;
    }
    Ok(())
}

/// Longest copilot message (question or answer) accepted, in characters.
pub const MAX_MESSAGE: usize = 1_000_000;

fn message(text: &str) -> Result<(), String> {
    let Ok(Value::Object(message)) = serde_json::from_str::<Value>(text) else {
        return Err("must be a JSON object (role, content, response, compacted, created_at)".into());
    };
    match message.get("role").and_then(Value::as_str) {
        Some("user" | "assistant") => {}
        _ => return Err("has a role that is not 'user' or 'assistant'".into()),
    }
    match message.get("content").and_then(Value::as_str) {
        Some(content) if content.chars().count() <= MAX_MESSAGE => {}
        Some(_) => return Err(format!("has content longer than {MAX_MESSAGE} characters")),
        None => return Err("has no text content".into()),
    }
    match message.get("response") {
        None | Some(Value::Null) => {}
        Some(Value::String(json)) if serde_json::from_str::<Value>(json).is_ok() => {}
        Some(_) => return Err("has a response that is not JSON text".into()),
    }
    match message.get("compacted") {
        None | Some(Value::Null) => {}
        Some(flag) if matches!(flag.as_i64(), Some(0 | 1)) || flag.is_boolean() => {}
        Some(_) => return Err("has a compacted flag that is not 0 or 1".into()),
    }
    let created = message.get("created_at").and_then(Value::as_str).ok_or("has no created_at")?;
    rules::rfc3339(created).map_err(|e| format!("has a created_at that {e}"))
}
