//! Remote values that break their definition are quarantined, never stored; reads never fail.

use outpost_sync::doc::RecordDoc;
use serde_json::json;

use crate::replica::EntityKind;
use crate::replica::*;
use crate::{crm::contacts, crm::deals, Ctx, Error};

/// A peer's copy of this device's document `id` (another client id), to write remote updates with.
fn peer_copy(ctx: &Ctx, id: &str) -> RecordDoc {
    let state: Vec<u8> = ctx
        .read(|c| Ok(c.query_row("SELECT state FROM sync_docs WHERE doc_id = ?1", [id], |r| r.get(0))?))
        .expect("state");
    RecordDoc::from_updates(4242, &[state]).expect("peer doc")
}

fn quarantined(ctx: &Ctx) -> Vec<(String, String, String)> {
    ctx.read(|c| {
        let (_, list) = quarantine::list(c, 50)?;
        Ok(list.into_iter().map(|q| (q.doc_id, q.field, q.reason)).collect())
    })
    .expect("list")
}

fn new_deal(ctx: &Ctx) -> deals::Deal {
    let req = deals::NewDeal { title: "Renewal".into(), value: Some(12_000.0), ..Default::default() };
    deals::add(ctx, req).expect("deal")
}

#[test]
fn peer_deal_with_text_value_minor_is_quarantined_and_reads_still_work() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    let deal = new_deal(&ctx);
    let id = deal.id.to_string();
    let peer = peer_copy(&ctx, &id);
    let bad = peer.set_field("value_minor", json!("a lot")).expect("set");
    ctx.write(|tx| apply_remote(tx, "deal", &id, &bad)).expect("apply");

    let listed = deals::list(&ctx, deals::DealQuery::default()).expect("deals list still works");
    assert_eq!(listed.len(), 1);
    assert!((listed[0].value - 12_000.0).abs() < f64::EPSILON, "kept the last valid value: {}", listed[0].value);
    deals::get(&ctx, deal.id).expect("deals show still works");
    crate::crm::board::board(&ctx).expect("pipeline still works");
    crate::crm::team::pipeline(&ctx).expect("team pipeline still works");
    let refused = quarantined(&ctx);
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!((refused[0].0.as_str(), refused[0].1.as_str()), (id.as_str(), "value_minor"));
    assert!(refused[0].2.contains("whole number"), "{}", refused[0].2);
    let status = crate::sync::status(&ctx).expect("status");
    assert_eq!(status.quarantined, 1);
    assert_eq!(status.quarantine[0].field, "value_minor");

    // The peer fixes it: the valid value is stored and the entry goes.
    let fixed = peer.set_field("value_minor", json!(990_000)).expect("set");
    ctx.write(|tx| apply_remote(tx, "deal", &id, &fixed)).expect("apply");
    let deal = deals::get(&ctx, deal.id).expect("get");
    assert!((deal.value - 9_900.0).abs() < f64::EPSILON, "{}", deal.value);
    assert!(quarantined(&ctx).is_empty());
    deals::delete(&ctx, deal.id).expect("deals delete still works");
}

#[test]
fn peer_contact_with_invalid_email_and_megabyte_name_keeps_its_last_valid_values() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    let new = contacts::NewContact {
        first_name: Some("Ada".into()),
        email: Some("ada@engines.io".into()),
        ..Default::default()
    };
    let contact = contacts::add(&ctx, new).expect("add");
    let id = contact.id.to_string();
    let peer = peer_copy(&ctx, &id);
    for update in [
        peer.set_field("email", json!("not an email")).expect("set"),
        peer.set_field("first_name", json!("A".repeat(1_000_000))).expect("set"),
        peer.set_field("title", json!("Countess")).expect("set"),
    ] {
        ctx.write(|tx| apply_remote(tx, "contact", &id, &update)).expect("apply");
    }
    let key = |ctx: &Ctx| -> Option<String> {
        ctx.read(|c| Ok(c.query_row("SELECT name_key FROM contacts WHERE id = ?1", [&id], |r| r.get(0))?)).expect("key")
    };
    assert!(key(&ctx).is_some_and(|k| k.contains("ada")), "the search key follows the kept name: {:?}", key(&ctx));
    let stored = contacts::get(&ctx, contact.id).expect("get");
    assert_eq!(stored.email.as_deref(), Some("ada@engines.io"));
    assert_eq!(stored.first_name.as_deref(), Some("Ada"));
    assert_eq!(stored.title.as_deref(), Some("Countess"), "valid fields of the same record still arrive");
    let mut fields: Vec<String> = quarantined(&ctx).into_iter().map(|(_, field, _)| field).collect();
    fields.sort();
    assert_eq!(fields, ["email", "first_name"]);
    // An edit made here replaces the refused values in the document and clears the entries.
    let edit = contacts::ContactUpdate { id: contact.id, last_name: Some("Lovelace".into()), ..Default::default() };
    contacts::update(&ctx, edit).expect("update");
    assert!(quarantined(&ctx).is_empty());
}

#[test]
fn peer_meeting_with_unparseable_start_is_not_stored() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    let peer = RecordDoc::new(4242);
    let id = "0190a1b2-0000-7000-8000-00000000beef";
    let stamp = json!("2026-01-01T00:00:00.000Z");
    let update = peer
        .set_fields([
            ("title", &json!("Kick-off")),
            ("starts_at", &json!("next tuesday")),
            ("status", &json!("scheduled")),
            ("all_day", &json!(0)),
            ("created_at", &stamp),
            ("updated_at", &stamp),
        ])
        .expect("set");
    let applied = ctx.write(|tx| apply_remote(tx, "meeting", id, &update)).expect("apply");
    assert_eq!(applied, Applied::Deferred, "a required field that is refused leaves no row");
    let rows: i64 = ctx.read(|c| Ok(c.query_row("SELECT count(*) FROM meetings", [], |r| r.get(0))?)).expect("n");
    assert_eq!(rows, 0);
    assert_eq!(quarantined(&ctx).len(), 1);
    let fixed = peer.set_field("starts_at", json!("2026-11-24T14:30:00.000Z")).expect("set");
    assert_eq!(ctx.write(|tx| apply_remote(tx, "meeting", id, &fixed)).expect("apply"), Applied::Upserted);
    assert!(quarantined(&ctx).is_empty());
}

#[test]
fn deal_with_text_value_minor_stored_before_checks_reads_as_zero() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    let deal = new_deal(&ctx);
    ctx.write(|tx| {
        Ok(tx.sql.execute("UPDATE deals SET value_minor = 'a lot' WHERE id = ?1", [deal.id.to_string()])?)
    })
    .expect("corrupt");
    let listed = deals::list(&ctx, deals::DealQuery::default()).expect("deals list");
    assert_eq!(listed[0].value, 0.0);
    crate::crm::team::pipeline(&ctx).expect("team pipeline");
}

#[test]
fn local_change_over_the_protocol_maximum_is_refused_naming_record_and_field() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    let deal = new_deal(&ctx);
    let id = deal.id.to_string();
    let huge = "x".repeat(outpost_sync::protocol::MAX_UPDATE_BYTES + 1);
    let err = ctx
        .write(|tx| record_change(tx, EntityKind::Deal, &id, &serde_json::Map::new(), &[("notes", huge.as_str())]))
        .expect_err("too large to sync");
    match err {
        Error::Invalid { field, message } => {
            assert_eq!(field, "notes");
            assert!(message.contains(&id) && message.contains("too large to sync"), "{message}");
        }
        other => panic!("expected invalid, got {other}"),
    }
    let queued: i64 = ctx.read(|c| Ok(c.query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0))?)).expect("n");
    assert_eq!(queued, 1, "only the deal's creation is queued");
}

#[test]
fn a_conversation_message_redacted_on_another_device_replaces_the_copy_received_before() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    let peer = RecordDoc::new(4242);
    let id = "0190a1b2-0000-7000-8000-00000000c0de";
    let stamp = json!("2026-01-01T00:00:00.000Z");
    let message = |content: &str| {
        json!(json!({ "role": "user", "content": content, "response": null, "compacted": 0,
                      "created_at": "2026-01-01T00:00:00.000Z" })
        .to_string())
    };
    let first = peer
        .set_fields([
            ("title", &json!("Zebulon")),
            ("created_at", &stamp),
            ("updated_at", &stamp),
            ("message:0190a1b2-0000-7000-8000-0000000000m1", &message("Call Zebulon Quartermaine")),
        ])
        .expect("set");
    ctx.write(|tx| apply_remote(tx, "copilot_conversation", id, &first)).expect("apply");
    let redacted =
        peer.set_field("message:0190a1b2-0000-7000-8000-0000000000m1", message("Call [erased] [erased]")).expect("set");
    ctx.write(|tx| apply_remote(tx, "copilot_conversation", id, &redacted)).expect("apply");
    let content: String = ctx
        .read(|c| Ok(c.query_row("SELECT content FROM copilot_messages WHERE thread_id = ?1", [id], |r| r.get(0))?))
        .expect("message");
    assert_eq!(content, "Call [erased] [erased]");
}

/// A peer's brand-new document under id `id`, with `fields` set.
fn peer_document(fields: serde_json::Value) -> Vec<u8> {
    let doc = RecordDoc::new(4343);
    let fields = fields.as_object().cloned().unwrap_or_default();
    doc.set_fields(fields.iter().map(|(k, v)| (k.as_str(), v))).expect("set");
    doc.snapshot()
}

#[test]
fn peer_contact_under_someone_elses_natural_key_id_is_quarantined_not_stored() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    let bobs_id = natural_contact_id("bob@acme.example").expect("natural id").to_string();
    let squat = peer_document(json!({
        "first_name": "Eve", "email": "eve@evil.example", "email_opt_out": 0, "sms_opt_out": 0,
        "do_not_call": 0, "custom_fields": "{}", "created_at": "2026-11-24T14:30:00.000Z",
        "updated_at": "2026-11-24T14:30:00.000Z"
    }));
    let applied = ctx.write(|tx| apply_remote(tx, "contact", &bobs_id, &squat)).expect("apply");
    assert_eq!(applied, Applied::Deferred);
    let listed = contacts::list(&ctx, Default::default()).expect("list");
    assert!(listed.is_empty(), "the squatting contact was stored: {listed:?}");
    let refused = quarantined(&ctx);
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!((refused[0].0.as_str(), refused[0].1.as_str()), (bobs_id.as_str(), "email"));
    assert!(refused[0].2.contains("natural-key id"), "{}", refused[0].2);

    // The same id carrying the e-mail it derives from is Bob's contact: stored, entry cleared.
    let honest = peer_document(json!({
        "first_name": "Bob", "email": "bob@acme.example", "email_opt_out": 0, "sms_opt_out": 0,
        "do_not_call": 0, "custom_fields": "{}", "created_at": "2026-11-24T14:30:00.000Z",
        "updated_at": "2026-11-24T14:30:00.000Z"
    }));
    let dir = tempfile::tempdir().expect("tmp");
    let other = Ctx::open(dir.path()).expect("open");
    assert_eq!(other.write(|tx| apply_remote(tx, "contact", &bobs_id, &honest)).expect("apply"), Applied::Upserted);
    assert!(quarantined(&other).is_empty());
}

#[test]
fn natural_key_contact_whose_email_is_edited_later_still_syncs_to_a_device_that_has_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    let new = contacts::NewContact { email: Some("kim@acme.example".into()), ..Default::default() };
    let kim = contacts::add(&ctx, new).expect("add");
    let id = kim.id.to_string();
    assert_eq!(natural_contact_id("kim@acme.example").map(|u| u.to_string()), Some(id.clone()));
    let peer = peer_copy(&ctx, &id);
    let edit = peer.set_field("email", json!("kim@newjob.example")).expect("set");
    assert_eq!(ctx.write(|tx| apply_remote(tx, "contact", &id, &edit)).expect("apply"), Applied::Upserted);
    assert_eq!(contacts::get(&ctx, kim.id).expect("get").email.as_deref(), Some("kim@newjob.example"));
    assert!(quarantined(&ctx).is_empty());
}

#[test]
fn peer_company_under_another_domains_natural_key_id_is_quarantined() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    let acme = natural_company_id(Some("acme.example"), "Acme").expect("natural id").to_string();
    let squat = peer_document(json!({
        "name": "Initech", "domain": "initech.example", "custom_fields": "{}",
        "created_at": "2026-11-24T14:30:00.000Z", "updated_at": "2026-11-24T14:30:00.000Z"
    }));
    assert_eq!(ctx.write(|tx| apply_remote(tx, "company", &acme, &squat)).expect("apply"), Applied::Deferred);
    assert_eq!(quarantined(&ctx).first().map(|q| q.1.clone()).as_deref(), Some("domain"));
    // A company keyed by its name that later got a domain is accepted.
    let by_name = natural_company_id(None, "Globex").expect("natural id").to_string();
    let named = peer_document(json!({
        "name": "Globex", "domain": "globex.example", "custom_fields": "{}",
        "created_at": "2026-11-24T14:30:00.000Z", "updated_at": "2026-11-24T14:30:00.000Z"
    }));
    assert_eq!(ctx.write(|tx| apply_remote(tx, "company", &by_name, &named)).expect("apply"), Applied::Upserted);
}

#[test]
fn peer_contact_with_non_linkedin_url_or_unknown_time_zone_keeps_its_last_valid_values() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    let new = contacts::NewContact {
        first_name: Some("Lin".into()),
        linkedin_url: Some("linkedin.com/in/lin".into()),
        time_zone: Some("asia/tokyo".into()),
        ..Default::default()
    };
    let lin = contacts::add(&ctx, new).expect("add");
    assert_eq!(lin.linkedin_url.as_deref(), Some("https://www.linkedin.com/in/lin"));
    assert_eq!(lin.time_zone.as_deref(), Some("Asia/Tokyo"));
    let id = lin.id.to_string();
    let peer = peer_copy(&ctx, &id);
    let bad = peer.set_field("linkedin_url", json!("https://evil.example/in/lin")).expect("set");
    ctx.write(|tx| apply_remote(tx, "contact", &id, &bad)).expect("apply");
    let bad = peer.set_field("time_zone", json!("Mars/Olympus_Mons")).expect("set");
    ctx.write(|tx| apply_remote(tx, "contact", &id, &bad)).expect("apply");
    let kept = contacts::get(&ctx, lin.id).expect("get");
    assert_eq!(kept.linkedin_url.as_deref(), Some("https://www.linkedin.com/in/lin"));
    assert_eq!(kept.time_zone.as_deref(), Some("Asia/Tokyo"));
    let mut fields: Vec<String> = quarantined(&ctx).into_iter().map(|q| q.1).collect();
    fields.sort();
    assert_eq!(fields, ["linkedin_url", "time_zone"]);
}

#[test]
fn contacts_add_refuses_a_non_linkedin_url_naming_the_field_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    for (field, new) in [
        (
            "linkedin_url",
            contacts::NewContact {
                first_name: Some("Ada".into()),
                linkedin_url: Some("https://evil.example/in/ada".into()),
                ..Default::default()
            },
        ),
        (
            "time_zone",
            contacts::NewContact {
                first_name: Some("Ada".into()),
                time_zone: Some("PST".into()),
                ..Default::default()
            },
        ),
    ] {
        match contacts::add(&ctx, new) {
            Err(Error::Invalid { field: named, .. }) => assert_eq!(named, field),
            other => panic!("expected {field} to be refused, got {other:?}"),
        }
    }
    assert!(contacts::list(&ctx, Default::default()).expect("list").is_empty());
}

#[test]
fn a_contact_whose_email_was_edited_arrives_whole_on_a_new_device_by_its_creation_key() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    let new = contacts::NewContact { email: Some("Ida@Typo.example".into()), ..Default::default() };
    let ida = contacts::add(&ctx, new).expect("add");
    let id = ida.id.to_string();
    let update = contacts::ContactUpdate { id: ida.id, email: Some("ida@right.example".into()), ..Default::default() };
    contacts::update(&ctx, update).expect("edit");
    // What a device joining after the server's compaction receives: the whole state at once.
    let compacted = peer_copy(&ctx, &id);
    assert_eq!(compacted.creation_key().as_deref(), Some("ida@typo.example"));
    let dir = tempfile::tempdir().expect("tmp");
    let late = Ctx::open(dir.path()).expect("open");
    let snapshot = compacted.snapshot();
    assert_eq!(late.write(|tx| apply_remote(tx, "contact", &id, &snapshot)).expect("apply"), Applied::Upserted);
    assert!(quarantined(&late).is_empty());
    assert_eq!(contacts::get(&late, ida.id).expect("get").email.as_deref(), Some("ida@right.example"));

    // A creation key the id does not derive from is refused, whatever the e-mail says.
    let bobs_id = natural_contact_id("bob@acme.example").expect("natural id").to_string();
    let doc = RecordDoc::from_updates(
        4343,
        &[peer_document(json!({
            "first_name": "Eve", "email": "bob@acme.example", "email_opt_out": 0, "sms_opt_out": 0,
            "do_not_call": 0, "custom_fields": "{}", "created_at": "2026-11-24T14:30:00.000Z",
            "updated_at": "2026-11-24T14:30:00.000Z"
        }))],
    )
    .expect("doc");
    doc.set_creation_key("eve@evil.example").expect("key");
    let squat = doc.snapshot();
    assert_eq!(late.write(|tx| apply_remote(tx, "contact", &bobs_id, &squat)).expect("apply"), Applied::Deferred);
    assert_eq!(quarantined(&late).first().map(|q| q.1.clone()).as_deref(), Some("creation_key"));
}

#[test]
fn a_peer_update_no_record_can_hold_is_set_aside_and_later_updates_still_apply() {
    let dir = tempfile::tempdir().expect("tmp");
    let ctx = Ctx::open(dir.path()).expect("open");
    let deal = new_deal(&ctx);
    let id = deal.id.to_string();
    // A title nested 200,000 levels deep, spliced into a real update (it aborted any process
    // decoding it; refused before decoding now). Failing the apply failed the whole pulled page,
    // pulled again forever: one such update stopped every later one from reaching this device.
    let one = RecordDoc::new(77).set_field("title", json!([null])).expect("set");
    let at = one.windows(3).position(|w| w == [117, 1, 126]).expect("the encoded [null]");
    let mut bad = one[..at].to_vec();
    for _ in 0..200_000 {
        bad.extend_from_slice(&[117, 1]);
    }
    bad.extend_from_slice(&one[at + 2..]);
    let applied = ctx.write(|tx| apply_remote(tx, "deal", &id, &bad)).expect("a bad update fails nothing");
    assert_eq!(applied, Applied::Refused);
    assert_eq!(deals::get(&ctx, deal.id).expect("reads still work").title, "Renewal");
    let refused = quarantined(&ctx);
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert_eq!((refused[0].0.as_str(), refused[0].1.as_str()), (id.as_str(), quarantine::UPDATE_FIELD));
    assert!(refused[0].2.contains("nested more than"), "{}", refused[0].2);

    let fixed = peer_copy(&ctx, &id).set_field("title", json!("Renewal 2027")).expect("set");
    assert_eq!(ctx.write(|tx| apply_remote(tx, "deal", &id, &fixed)).expect("apply"), Applied::Upserted);
    assert_eq!(deals::get(&ctx, deal.id).expect("get").title, "Renewal 2027");
    assert!(quarantined(&ctx).is_empty(), "the entry goes once the record applies again");
}
