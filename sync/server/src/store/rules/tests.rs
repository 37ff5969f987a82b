//! The push decision on real yrs updates: write actions found by applying the update to the
//! stored state, refusals that never create the document, natural-key ids only for their kinds.

use serde_json::json;

use super::*;
use outpost_sync::doc::DocId;
use outpost_sync::protocol::Role;

fn who(user_id: i64, role: Role) -> Principal {
    Principal {
        device_id: "d".into(),
        user_id,
        email: "e".into(),
        org_id: 1,
        org_name: "o".into(),
        role,
        org_shares_records: true,
        org_shares_editing: true,
    }
}

fn item(doc_id: DocId, kind: &str, update: Vec<u8>) -> PushItem {
    PushItem {
        doc_id,
        kind: kind.into(),
        visibility: Visibility::Org,
        update,
        client_seq: 1,
        epoch: 1,
        erase: false,
        compact: false,
    }
}

fn existing(owner_id: i64, kind: &str, state: Vec<u8>) -> ExistingDoc {
    ExistingDoc { access: DocAccess { owner_id, kind: kind.into(), visibility: Visibility::Org }, erased: false, state }
}

fn code(decision: &PushDecision) -> Option<ErrorCode> {
    match decision {
        PushDecision::Reject(e) => Some(e.code),
        _ => None,
    }
}

#[test]
fn a_rep_cannot_reown_delete_or_erase_a_managers_deal_but_may_edit_its_value() -> Result<(), outpost_sync::doc::DocError>
{
    let manager_doc = RecordDoc::new(10);
    manager_doc.set_fields([("owner", &json!("max@acme.test")), ("value_minor", &json!(5000))])?;
    let stored = existing(1, "deal", manager_doc.snapshot());
    let rep = who(2, Role::Rep);
    let rep_doc = RecordDoc::from_updates(20, &[&stored.state])?;
    let reown = item(DocId::new_random(), "deal", rep_doc.set_field("owner", json!("rita@acme.test"))?);
    assert_eq!(code(&decide_push(&rep, &reown, Some(&stored))), Some(ErrorCode::Forbidden));
    let rep_doc = RecordDoc::from_updates(21, &[&stored.state])?;
    let delete = item(DocId::new_random(), "deal", rep_doc.delete());
    assert_eq!(code(&decide_push(&rep, &delete, Some(&stored))), Some(ErrorCode::Forbidden));
    let mut erase = item(DocId::new_random(), "deal", Vec::new());
    erase.erase = true;
    assert_eq!(code(&decide_push(&rep, &erase, Some(&stored))), Some(ErrorCode::Forbidden));
    let rep_doc = RecordDoc::from_updates(22, &[&stored.state])?;
    let value = item(DocId::new_random(), "deal", rep_doc.set_field("value_minor", json!(6000))?);
    assert!(matches!(decide_push(&rep, &value, Some(&stored)), PushDecision::Append { .. }));
    let no_editing = Principal { org_shares_editing: false, ..rep.clone() };
    assert_eq!(code(&decide_push(&no_editing, &value, Some(&stored))), Some(ErrorCode::Forbidden));
    let manager = who(3, Role::Manager);
    assert!(matches!(decide_push(&manager, &reown, Some(&stored)), PushDecision::Append { .. }));
    assert_eq!(
        code(&decide_push(&manager, &erase, Some(&stored))),
        Some(ErrorCode::Forbidden),
        "deals are never erased"
    );
    let contact = existing(1, "contact", RecordDoc::new(11).set_field("first_name", json!("Lee"))?);
    erase.kind = "contact".into();
    assert_eq!(decide_push(&manager, &erase, Some(&contact)), PushDecision::Erase);
    assert_eq!(code(&decide_push(&rep, &erase, Some(&contact))), Some(ErrorCode::Forbidden));
    Ok(())
}

#[test]
fn a_value_breaking_its_definition_is_refused_naming_the_field() -> Result<(), outpost_sync::doc::DocError> {
    let doc = RecordDoc::new(12);
    let bad = item(DocId::new_random(), "deal", doc.set_field("value_minor", json!("lots"))?);
    match decide_push(&who(1, Role::Rep), &bad, None) {
        PushDecision::Reject(e) => {
            assert_eq!((e.code, e.field.as_deref()), (ErrorCode::Invalid, Some("value_minor")), "{e:?}")
        }
        other => panic!("an invalid value was accepted: {other:?}"),
    }
    let unknown = item(DocId::new_random(), "spaceship", RecordDoc::new(13).set_field("name", json!("x"))?);
    assert_eq!(code(&decide_push(&who(1, Role::Rep), &unknown, None)), Some(ErrorCode::Invalid));
    Ok(())
}

#[test]
fn erasing_an_id_with_no_document_is_refused() {
    let mut erase = item(DocId::new_random(), "contact", Vec::new());
    erase.erase = true;
    assert_eq!(code(&decide_push(&who(1, Role::Admin), &erase, None)), Some(ErrorCode::NotFound));
}

#[test]
fn a_natural_key_id_cannot_be_claimed_by_another_kind() -> Result<(), outpost_sync::doc::DocError> {
    let contact_id = natural_key_doc_id(NATURAL_KEY_SCOPE, "contact", "lee@example.com");
    let task = RecordDoc::new(5);
    let squat = item(contact_id, "task", task.set_field("title", json!("mine now"))?);
    assert_eq!(code(&decide_push(&who(1, Role::Rep), &squat, None)), Some(ErrorCode::Invalid));
    let contact = RecordDoc::new(6);
    let rightful = item(contact_id, "contact", contact.set_field("email", json!("lee@example.com"))?);
    assert!(matches!(decide_push(&who(2, Role::Rep), &rightful, None), PushDecision::Create { .. }));
    let mut private = rightful.clone();
    private.visibility = Visibility::Private;
    assert_eq!(code(&decide_push(&who(2, Role::Rep), &private, None)), Some(ErrorCode::Invalid));
    Ok(())
}

#[test]
fn an_update_building_on_missing_changes_is_refused() -> Result<(), outpost_sync::doc::DocError> {
    let doc = RecordDoc::new(7);
    doc.set_field("title", json!("one"))?;
    let second = doc.set_field("title", json!("two"))?;
    let decision = decide_push(&who(1, Role::Rep), &item(DocId::new_random(), "task", second), None);
    assert_eq!(code(&decision), Some(ErrorCode::BadRequest));
    Ok(())
}

#[test]
fn a_managers_owner_change_names_the_new_owner_for_the_store() -> Result<(), outpost_sync::doc::DocError> {
    let doc = RecordDoc::new(30);
    let stored = existing(1, "deal", doc.set_fields([("owner", &json!("ann@acme.test")), ("value_minor", &json!(1))])?);
    let handover = RecordDoc::from_updates(31, &[&stored.state])?.set_field("owner", json!(" Bob@Acme.test "))?;
    match decide_push(&who(3, Role::Manager), &item(DocId::new_random(), "deal", handover), Some(&stored)) {
        PushDecision::Append { new_owner, .. } => assert_eq!(new_owner.as_deref(), Some("bob@acme.test")),
        other => panic!("the hand-over was not accepted: {other:?}"),
    }
    let value = RecordDoc::from_updates(32, &[&stored.state])?.set_field("value_minor", json!(2))?;
    match decide_push(&who(3, Role::Manager), &item(DocId::new_random(), "deal", value), Some(&stored)) {
        PushDecision::Append { new_owner, .. } => assert_eq!(new_owner, None, "no owner change"),
        other => panic!("the edit was not accepted: {other:?}"),
    }
    Ok(())
}

#[test]
fn a_cached_document_never_carries_a_refused_update_into_the_next_decision() -> Result<(), outpost_sync::doc::DocError>
{
    let cache = DocCache::default();
    let rep = who(2, Role::Rep);
    let id = DocId::new_random();
    let doc = RecordDoc::new(40);
    let created = item(id, "deal", doc.set_fields([("owner", &json!("ann@acme.test")), ("value_minor", &json!(1))])?);
    let PushDecision::Create { state: created_state } = decide_push_cached(&rep, &created, None, Some(&cache)) else {
        panic!("the deal was not created");
    };
    assert!(cache.is_empty(), "a new document is not cached (a first sync pushes thousands, edited by none)");
    let edited = item(id, "deal", doc.set_field("value_minor", json!(2))?);
    let PushDecision::Append { state, .. } =
        decide_push_cached(&rep, &edited, Some(&existing(2, "deal", created_state)), Some(&cache))
    else {
        panic!("the owner's edit was not accepted");
    };
    assert_eq!(cache.len(), 1, "an edited document is kept for its next edit");
    let stored = existing(2, "deal", state);
    // Another rep's re-own is refused after being applied to the cached document in memory…
    let reown = item(id, "deal", RecordDoc::from_updates(41, &[&stored.state])?.set_field("owner", json!("x@y.z"))?);
    assert_eq!(
        code(&decide_push_cached(&who(5, Role::Rep), &reown, Some(&stored), Some(&cache))),
        Some(ErrorCode::Forbidden)
    );
    assert!(cache.is_empty(), "a document a refused update touched is not kept");
    // …so a later edit is decided against the stored state: the owner re-writing the stored
    // owner's value is no owner change (against the refused one it would be, and be forbidden).
    let same = RecordDoc::from_updates(42, &[&stored.state])?;
    let value = item(id, "deal", same.set_fields([("owner", &json!("ann@acme.test")), ("value_minor", &json!(3))])?);
    let decision = decide_push_cached(&rep, &value, Some(&stored), Some(&cache));
    assert!(matches!(decision, PushDecision::Append { new_owner: None, .. }), "{decision:?}");
    // A cached document whose state no longer matches the stored one (e.g. a rolled-back push)
    // is not used: the store's state wins.
    let PushDecision::Append { state: ahead, .. } = decision else { unreachable!() };
    assert_ne!(ahead, stored.state);
    let again = decide_push_cached(&rep, &value, Some(&stored), Some(&cache));
    assert!(matches!(again, PushDecision::Append { .. }), "{again:?}");
    Ok(())
}

#[test]
fn a_new_documents_stored_state_is_its_update_and_decodes_to_the_same_fields() -> Result<(), outpost_sync::doc::DocError>
{
    let rep = who(2, Role::Rep);
    let update = RecordDoc::new(43).set_fields([("first_name", &json!("Ada")), ("last_name", &json!("Byron"))])?;
    let created = item(DocId::new_random(), "contact", update.clone());
    let PushDecision::Create { state } = decide_push(&rep, &created, None) else {
        panic!("the contact was not created");
    };
    assert_eq!(state, update);
    let next =
        item(created.doc_id, "contact", RecordDoc::from_updates(44, &[&state])?.set_field("title", json!("CTO"))?);
    let PushDecision::Append { state, .. } = decide_push(&rep, &next, Some(&existing(2, "contact", state))) else {
        panic!("an edit of the new contact was not accepted");
    };
    let fields = RecordDoc::from_updates(45, &[&state])?.fields();
    assert_eq!(fields.get("first_name"), Some(&json!("Ada")));
    assert_eq!(fields.get("title"), Some(&json!("CTO")));
    Ok(())
}

#[test]
fn deciding_a_batch_side_by_side_answers_each_item_as_deciding_it_alone_would(
) -> Result<(), outpost_sync::doc::DocError> {
    let rep = who(2, Role::Rep);
    // Enough items for several threads, refusals of different kinds at scattered positions.
    let mut items = Vec::new();
    for n in 0..(super::batch::MIN_ITEMS_PER_THREAD * 5 + 3) {
        let doc = RecordDoc::new(100 + n as u64);
        items.push(match n % 7 {
            3 => item(DocId::new_random(), "deal", doc.set_field("value_minor", json!(format!("{n} a lot")))?),
            5 => item(natural_key_doc_id(NATURAL_KEY_SCOPE, "contact", &format!("p{n}@x.io")), "deal", {
                doc.set_field("value_minor", json!(n))?
            }),
            _ => item(DocId::new_random(), "contact", doc.set_field("first_name", json!(format!("Person {n}")))?),
        });
    }
    let work: Vec<(&PushItem, Option<ExistingDoc>)> = items.iter().map(|i| (i, None)).collect();
    let together = super::batch::decide_all(&rep, &work, None);
    let alone: Vec<PushDecision> = items.iter().map(|i| decide_push(&rep, i, None)).collect();
    assert_eq!(together.len(), items.len());
    assert_eq!(together, alone);
    let refused = together.iter().filter(|d| matches!(d, PushDecision::Reject(_))).count();
    assert_eq!(refused, (0..items.len()).filter(|n| n % 7 == 3 || n % 7 == 5).count());
    Ok(())
}

#[test]
fn a_natural_key_contact_or_company_must_carry_the_key_its_id_derives_from() -> Result<(), outpost_sync::doc::DocError>
{
    let rep = who(2, Role::Rep);
    let lee = natural_key_doc_id(NATURAL_KEY_SCOPE, "contact", "lee@example.com");
    let field = |decision: PushDecision| match decision {
        PushDecision::Reject(e) => format!("{:?}:{}", e.code, e.field.unwrap_or_default()),
        other => format!("{other:?}"),
    };
    let other = item(lee, "contact", RecordDoc::new(50).set_field("email", json!("kim@example.com"))?);
    assert_eq!(field(decide_push(&rep, &other, None)), "Invalid:email");
    let none = item(lee, "contact", RecordDoc::new(51).set_field("first_name", json!("Lee"))?);
    assert_eq!(field(decide_push(&rep, &none, None)), "Invalid:email");
    let cased = item(lee, "contact", RecordDoc::new(52).set_field("email", json!(" LEE@example.com"))?);
    assert!(matches!(decide_push(&rep, &cased, None), PushDecision::Create { .. }));
    let acme = natural_key_doc_id(NATURAL_KEY_SCOPE, "company", "domain:acme.io");
    let evil = item(acme, "company", RecordDoc::new(53).set_field("domain", json!("evil.io"))?);
    assert_eq!(field(decide_push(&rep, &evil, None)), "Invalid:domain");
    let rightful = item(acme, "company", RecordDoc::new(54).set_field("domain", json!("Acme.io"))?);
    assert!(matches!(decide_push(&rep, &rightful, None), PushDecision::Create { .. }));
    Ok(())
}

#[test]
fn an_erasure_drops_the_cached_document() -> Result<(), outpost_sync::doc::DocError> {
    let cache = DocCache::default();
    let (owner, id) = (who(2, Role::Rep), DocId::new_random());
    let created = item(id, "contact", RecordDoc::new(60).set_field("first_name", json!("Zebulon"))?);
    let PushDecision::Create { state } = decide_push_cached(&owner, &created, None, Some(&cache)) else {
        panic!("the contact was not created");
    };
    let edit = item(id, "contact", RecordDoc::from_updates(61, &[&state])?.set_field("title", json!("CFO"))?);
    let PushDecision::Append { state, .. } =
        decide_push_cached(&owner, &edit, Some(&existing(2, "contact", state)), Some(&cache))
    else {
        panic!("the contact's edit was not accepted");
    };
    assert_eq!(cache.len(), 1);
    let mut erase = item(id, "contact", Vec::new());
    erase.erase = true;
    let decision = decide_push_cached(&owner, &erase, Some(&existing(2, "contact", state)), Some(&cache));
    assert_eq!(decision, PushDecision::Erase);
    assert!(cache.is_empty(), "the erased person's document is still held in memory");
    Ok(())
}

#[test]
fn a_push_over_a_document_the_pusher_cannot_read_names_neither_its_kind_nor_its_state() {
    let memory = RecordDoc::new(10);
    memory.set_field("content", json!("private")).expect("set");
    let mut stored = existing(1, "copilot_memory", memory.snapshot());
    stored.access.visibility = Visibility::Private;
    let task = RecordDoc::new(30).set_field("title", json!("probe")).expect("set");
    for (pusher, kind) in
        [(who(2, Role::Rep), "task"), (who(3, Role::Admin), "deal"), (who(2, Role::Rep), "copilot_memory")]
    {
        for erased in [false, true] {
            stored.erased = erased;
            let mut probe = item(DocId::new_random(), kind, task.clone());
            let decision = decide_push(&pusher, &probe, Some(&stored));
            probe.erase = true;
            let erase = decide_push(&pusher, &probe, Some(&stored));
            for decision in [decision, erase] {
                let PushDecision::Reject(error) = decision else { panic!("stored: {decision:?}") };
                assert_eq!(error.code, ErrorCode::Forbidden);
                assert!(!error.message.contains("copilot_memory") || kind == "copilot_memory", "{}", error.message);
                assert!(!error.message.contains("erase"), "{}", error.message);
                assert!(error.message.contains("not shared with you"), "{}", error.message);
            }
        }
    }
}

/// A plain yrs document holding `state`, writing as `client` (to write what `RecordDoc` never would).
fn raw_copy(state: &[u8], client: u64) -> yrs::Doc {
    use yrs::updates::decoder::Decode;
    use yrs::Transact;
    let doc = yrs::Doc::with_client_id(client);
    let update = yrs::Update::decode_v1(state).expect("decode");
    doc.transact_mut().apply_update(update).expect("apply");
    doc
}

#[test]
fn an_update_removing_or_overwriting_the_tombstone_cannot_undelete_a_record() {
    use yrs::{Map, Transact};
    let owner = RecordDoc::new(10);
    owner.set_field("title", json!("Call Acme")).expect("set");
    owner.delete();
    let stored = existing(1, "task", owner.snapshot());
    // Overwriting the tombstone with `false`, and deleting its map entry, as a hostile peer would.
    let raw = raw_copy(&stored.state, 77);
    let meta = raw.get_or_insert_map("meta");
    let overwrite = {
        let mut txn = raw.transact_mut();
        meta.insert(&mut txn, "deleted", false);
        txn.encode_update_v1()
    };
    let raw = raw_copy(&stored.state, 78);
    let meta = raw.get_or_insert_map("meta");
    let removal = {
        let mut txn = raw.transact_mut();
        meta.remove(&mut txn, "deleted");
        txn.encode_update_v1()
    };
    for (how, update) in [("overwrite", overwrite), ("removal", removal)] {
        for pusher in [who(1, Role::Rep), who(3, Role::Manager)] {
            let decision = decide_push(&pusher, &item(DocId::new_random(), "task", update.clone()), Some(&stored));
            assert_eq!(code(&decision), Some(ErrorCode::Invalid), "{how}: {decision:?}");
        }
    }
}
