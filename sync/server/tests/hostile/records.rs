//! Records built from the typed entity definitions: a valid value for every field type, and the
//! malformed values the server must refuse (one or more per field of every kind).

use anyhow::Result;
use outpost_sync::doc::{DocId, RecordDoc};
use outpost_sync::entity::{Entity, Field, FieldType, Storage};
use serde_json::{json, Value};

/// A value `field` accepts.
pub fn valid_value(field: &Field) -> Value {
    match field.ty {
        FieldType::Text { .. } => json!("Probe value"),
        FieldType::Email => json!("probe@example.com"),
        FieldType::Domain => json!("example.com"),
        FieldType::Currency => json!("EUR"),
        FieldType::Date => json!("2026-01-02"),
        FieldType::LinkedinUrl => json!("https://www.linkedin.com/in/probe"),
        FieldType::TimeZone => json!("Europe/Berlin"),
        FieldType::Timestamp => json!("2026-01-02T03:04:05Z"),
        FieldType::Integer { min, max } => json!(1i64.clamp(min, max)),
        FieldType::Number { min, max } => json!(0.5f64.clamp(min, max)),
        FieldType::Flag => json!(0),
        FieldType::Enum(values) => json!(values.first().copied().unwrap_or_default()),
        FieldType::Id => json!(DocId::new_random().to_string()),
        FieldType::JsonObject { .. } => json!("{}"),
        FieldType::Attendees => json!("[]"),
        FieldType::Links => json!("[]"),
        FieldType::Message => json!(json!({
            "role": "user", "content": "hello", "response": null, "compacted": 0,
            "created_at": "2026-01-02T03:04:05Z"
        })
        .to_string()),
    }
}

/// Values `field` refuses, each with a short label.
pub fn malformed_values(field: &Field) -> Vec<(&'static str, Value)> {
    let mut out = match field.ty {
        FieldType::Text { max } => {
            vec![("a number for text", json!(5)), ("one character too long", json!("x".repeat(max + 1)))]
        }
        FieldType::Email => vec![("not an e-mail address", json!("not-an-email")), ("a number", json!(42))],
        FieldType::Domain => vec![("not a domain", json!("not a domain!"))],
        FieldType::Currency => vec![("not a currency code", json!("EURO"))],
        FieldType::Date => vec![("an impossible date", json!("2026-13-45"))],
        FieldType::LinkedinUrl => vec![("not a LinkedIn profile", json!("https://evil.example/in/probe"))],
        FieldType::TimeZone => vec![("not an IANA time zone", json!("Mars/Olympus_Mons"))],
        FieldType::Timestamp => vec![("not a timestamp", json!("yesterday"))],
        FieldType::Integer { min, .. } => {
            let mut v = vec![("text for a number", json!("lots"))];
            if min > i64::MIN {
                v.push(("below the minimum", json!(min - 1)));
            }
            v
        }
        FieldType::Number { max, .. } => {
            vec![("text for a number", json!("x")), ("above the maximum", json!(max + 1.0))]
        }
        FieldType::Flag => vec![("not 0 or 1", json!(7))],
        FieldType::Enum(_) => vec![("not one of the values", json!("nope"))],
        FieldType::Id => vec![("not a record id", json!("not-a-uuid"))],
        FieldType::JsonObject { .. } => vec![("not a JSON object", json!("[1]"))],
        FieldType::Attendees => vec![("not an attendee list", json!("{"))],
        FieldType::Links => vec![("not a link list", json!("{}"))],
        FieldType::Message => vec![("not a message", json!("{}"))],
    };
    if field.storage == Storage::Text {
        // A yrs text only holds text: its malformed value is one that is too long.
        out.retain(|(_, v)| v.is_string());
    }
    if field.required {
        out.push(("removed although required", Value::Null));
    }
    out
}

/// Sets `field` of `doc` to `value` the way a client would (texts as yrs texts; null removes).
pub fn set(doc: &RecordDoc, name: &str, field: &Field, value: &Value) -> Result<Vec<u8>> {
    Ok(match (field.storage, value) {
        (Storage::Text, Value::String(text)) => doc.set_text(name, text)?,
        (Storage::Text, _) => doc.set_text(name, "")?,
        (_, Value::Null) => doc.remove_field(name)?,
        _ => doc.set_field(name, value.clone())?,
    })
}

/// The field names and definitions of a valid record of `entity` (a prefixed field once).
pub fn fields(entity: &Entity) -> Vec<(String, &'static Field)> {
    let mut out: Vec<(String, &'static Field)> = entity.fields.iter().map(|f| (f.name.to_string(), f)).collect();
    if let Some(prefixed) = entity.prefixed {
        out.push((format!("{}probe", prefixed.name), prefixed));
    }
    out
}

/// A new document of `entity` with a valid value in every field (`owner` for its owner field).
pub fn valid_record(entity: &Entity, client: u64, owner: &str) -> Result<RecordDoc> {
    let doc = RecordDoc::new(client);
    for (name, field) in fields(entity) {
        let value = if Some(name.as_str()) == entity.owner_field { json!(owner) } else { valid_value(field) };
        set(&doc, &name, field, &value)?;
    }
    Ok(doc)
}

/// A valid change of an ordinary field of `entity` (its first text field) on `doc`.
pub fn edit(entity: &Entity, doc: &RecordDoc) -> Result<Vec<u8>> {
    let (name, field) = fields(entity)
        .into_iter()
        .find(|(name, f)| matches!(f.ty, FieldType::Text { .. }) && Some(name.as_str()) != entity.owner_field)
        .ok_or_else(|| anyhow::anyhow!("{} has no text field to edit", entity.kind))?;
    set(doc, &name, field, &json!("Changed by a probe"))
}
