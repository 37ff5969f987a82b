//! The definitions refuse what the CLI refuses and accept what devices write.

use serde_json::{json, Map, Value};

use super::*;

#[test]
fn peer_deal_with_text_value_minor_is_refused_naming_the_field() {
    let err = validate_field("deal", "value_minor", &json!("lots")).expect_err("text is not an amount");
    assert_eq!((err.kind.as_str(), err.field.as_str()), ("deal", "value_minor"));
    assert!(err.message.contains("whole number"), "{err}");
    assert!(validate_field("deal", "value_minor", &json!(1_200_000)).is_ok());
    assert!(validate_field("deal", "value_minor", &json!(1_200_000.0)).is_ok(), "the CRDT may carry floats");
    assert!(validate_field("deal", "value_minor", &json!(-1)).is_err());
    assert!(validate_field("deal", "value_minor", &json!(12.5)).is_err());
}

#[test]
fn values_the_cli_refuses_are_refused_from_a_peer() {
    let megabyte_name = "a".repeat(1_000_000);
    for (kind, field, value) in [
        ("contact", "email", json!("not-an-email")),
        ("contact", "first_name", json!(megabyte_name)),
        ("meeting", "starts_at", json!("next tuesday")),
        ("meeting", "status", json!("postponed")),
        ("deal", "currency", json!("pounds")),
        ("deal", "expected_close", json!("2026-02-30")),
        ("deal", "title", json!("   ")),
        ("deal", "title", Value::Null),
        ("deal", "stage_id", json!("../../etc/passwd")),
        ("company", "domain", json!("not a domain")),
        ("company", "custom_fields", json!("[1,2]")),
        ("contact", "email_opt_out", json!(2)),
        ("contact", "linkedin_url", json!("https://evil.example/in/ada")),
        ("contact", "linkedin_url", json!("http://www.linkedin.com/in/ada")),
        ("contact", "time_zone", json!("Mars/Olympus_Mons")),
        ("contact", "time_zone", json!("europe/berlin")),
        ("copilot_memory", "confidence", json!(1.5)),
        ("meeting", "attendees", json!("[[\"nobody\", null, 0]]")),
        ("copilot_memory", "links", json!("[[\"planet\", \"x\"]]")),
        ("copilot_conversation", "message:0190", json!("{\"role\":\"system\",\"content\":\"x\"}")),
    ] {
        let err = validate_field(kind, field, &value).expect_err(&format!("{kind}.{field}"));
        assert_eq!(err.field, field);
        assert!(err.to_string().len() < 300, "errors quote a preview only: {}", err.to_string().len());
    }
}

#[test]
fn contact_linkedin_and_time_zone_in_stored_form_are_accepted_from_a_peer() {
    assert_eq!(validate_field("contact", "linkedin_url", &json!("https://www.linkedin.com/in/ada-lovelace")), Ok(()));
    assert_eq!(validate_field("contact", "time_zone", &json!("Europe/Berlin")), Ok(()));
    assert_eq!(validate_field("contact", "time_zone", &Value::Null), Ok(()));
}

#[test]
fn unknown_kinds_and_fields_are_refused() {
    assert!(validate_field("spaceship", "name", &json!("x")).is_err());
    assert!(validate_field("deal", "password", &json!("x")).is_err());
}

#[test]
fn records_as_devices_write_them_are_accepted() {
    let record = |pairs: Value| -> Map<String, Value> { pairs.as_object().cloned().unwrap_or_default() };
    let deal = record(json!({
        "title": "Renewal", "value_minor": 1_200_000, "currency": "USD",
        "pipeline_id": "01900000-0000-7000-8000-000000000001", "stage_id": "01900000-0000-7000-8000-000000000101",
        "stage_entered_at": "2026-11-24T14:30:00.000Z", "expected_close": "2026-12-31", "owner": null,
        "contact_id": null, "company_id": null, "next_step": null, "closed_at": null, "budget": "50k",
        "authority": null, "need": null, "timeline": null, "created_at": "2026-11-24T14:30:00.000Z",
        "updated_at": "2026-11-24T14:30:00.000Z", "notes": "long\nnotes"
    }));
    assert_eq!(validate_record("deal", &deal), Ok(()));
    let meeting = record(json!({
        "title": "Kick-off", "starts_at": "2026-11-24T14:30:00.000Z", "status": "scheduled", "all_day": 0,
        "attendees": "[[\"ada@engines.io\",\"Ada\",0],[\"bob@acme.com\",null,1]]",
        "created_at": "2026-11-24T14:30:00.000Z", "updated_at": "2026-11-24T14:30:00.000Z"
    }));
    assert_eq!(validate_record("meeting", &meeting), Ok(()));
    let conversation = record(json!({
        "title": "Q", "created_at": "2026-11-24T14:30:00.000Z", "updated_at": "2026-11-24T14:30:00.000Z",
        "message:0190aaaa": "{\"role\":\"assistant\",\"content\":\"hi\",\"response\":\"{}\",\"compacted\":0,\"created_at\":\"2026-11-24T14:30:00.000Z\"}"
    }));
    assert_eq!(validate_record("copilot_conversation", &conversation), Ok(()));
}

#[test]
fn every_entity_declares_its_columns_once_and_personal_text_is_text() {
    for entity in entities() {
        let mut names: Vec<&str> = entity.fields.iter().map(|f| f.name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "{} declares a field twice", entity.kind);
        for field in entity.fields.iter().filter(|f| f.personal) {
            assert!(
                matches!(field.ty, FieldType::Text { .. } | FieldType::JsonObject { .. } | FieldType::Message),
                "{}.{} is personal but not free text",
                entity.kind,
                field.name
            );
        }
        assert_eq!(entity.owner_only(), crate::protocol::is_owner_only_kind(entity.kind), "{}", entity.kind);
    }
}
