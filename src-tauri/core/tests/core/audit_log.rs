//! Every mutation writes exactly one audit row per record it touches, in the same transaction;
//! failed mutations write none.

use outpost_core::{
    crm::contacts::{self, ContactUpdate, NewContact},
    crm::deals::{self, MoveDeal, NewDeal},
    store::audit,
};

use super::support::{count, fixture};

#[test]
fn mutations_are_audited_with_what_changed() {
    let f = fixture();
    let contact = contacts::add(
        &f.ctx,
        NewContact { first_name: Some("Ada".into()), email: Some("ada@engines.io".into()), ..Default::default() },
    )
    .expect("add contact");
    contacts::update(&f.ctx, ContactUpdate { id: contact.id, title: Some("CTO".into()), ..Default::default() })
        .expect("update");
    let deal = deals::add(&f.ctx, NewDeal { title: "Pilot".into(), value: Some(100.0), ..Default::default() })
        .expect("add deal");
    deals::move_stage(&f.ctx, MoveDeal { id: deal.id, stage: "Won".into() }).expect("move");

    let trail = audit::list(&f.ctx, Some(contact.id.to_string()), 10).expect("audit");
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["update", "create"]);
    assert_eq!(trail[0].changes["title"], serde_json::json!([null, "CTO"]));
    assert_eq!(trail[0].at, "2026-11-24T09:00:00.000Z");

    let deal_trail = audit::list(&f.ctx, Some(deal.id.to_string()), 10).expect("audit");
    assert_eq!(deal_trail[0].action, "move");
    assert_eq!(deal_trail[0].changes["stage"], serde_json::json!(["Lead", "Won"]));
}

#[test]
fn rejected_input_writes_no_row_and_no_audit_entry() {
    let f = fixture();
    let before = count(f.dir.path(), "audit_log");
    let bad = deals::add(&f.ctx, NewDeal { title: "Pilot".into(), value: Some(-1.0), ..Default::default() });
    assert!(bad.is_err());
    let bad = deals::add(
        &f.ctx,
        NewDeal {
            title: "Pilot".into(),
            company: Some("New Co".into()),
            stage: Some("Nope".into()),
            ..Default::default()
        },
    );
    assert!(bad.is_err());
    assert_eq!(count(f.dir.path(), "deals"), 0);
    assert_eq!(count(f.dir.path(), "companies"), 0, "the company named by a rejected deal must not be created");
    assert_eq!(count(f.dir.path(), "audit_log"), before);
}
