//! Memories: recall ranking on fixtures (scope, text relevance, confidence, recency, access
//! frequency), access statistics, privacy per owner, real deletion, and event memories written by
//! deal, task and timeline mutations.

use outpost_core::{
    crm::activities::{self, ActivityKind, NewActivity},
    crm::deals::{self, DealUpdate, MoveDeal},
    crm::tasks::{self, NewTask},
    memories::{self, EntityRef, MemoryCategory, MemoryQuery, MemorySource, NewMemory, RecallQuery},
    store::audit,
    Error,
};

use super::support::{at, count, other_user, workspace};

fn about_contact(
    id: outpost_core::store::ids::ContactId,
    category: MemoryCategory,
    text: &str,
    confidence: f64,
) -> NewMemory {
    NewMemory {
        category,
        content: text.into(),
        confidence: Some(confidence),
        source: None,
        contact_id: Some(id),
        company_id: None,
        deal_id: None,
        meeting_id: None,
    }
}

#[test]
fn recall_ranks_by_scope_relevance_confidence_recency_and_frequency() {
    let ws = workspace();
    let lee = ws.sarah_lee.id;
    // Created 200 days before the others: same scope and confidence, but older.
    ws.clock.set(at(8, 5));
    let old = memories::add(&ws.ctx, about_contact(lee, MemoryCategory::Preference, "Prefers calls on Fridays", 1.0))
        .expect("old");
    ws.clock.set(at(24, 11));
    let pricing =
        memories::add(&ws.ctx, about_contact(lee, MemoryCategory::Deal, "Worried about pricing of the add-on", 1.0))
            .expect("pricing");
    let fresh = memories::add(&ws.ctx, about_contact(lee, MemoryCategory::Fact, "Has two kids at university", 1.0))
        .expect("fresh");
    let unsure =
        memories::add(&ws.ctx, about_contact(lee, MemoryCategory::Fact, "Might move to Berlin", 0.2)).expect("unsure");
    let elsewhere = memories::add(
        &ws.ctx,
        about_contact(ws.sarah_jones.id, MemoryCategory::Deal, "Pricing approved by the CFO", 1.0),
    )
    .expect("elsewhere");
    let unrelated =
        memories::add(&ws.ctx, about_contact(ws.bob.id, MemoryCategory::Fact, "Plays golf", 1.0)).expect("unrelated");

    let query = RecallQuery {
        text: Some("What about pricing?".into()),
        entities: vec![EntityRef::new("contact", lee)],
        limit: Some(10),
    };
    let ranked = memories::recall(&ws.ctx, query.clone()).expect("recall");
    let mine = [pricing.id, fresh.id, unsure.id, old.id, elsewhere.id, unrelated.id];
    // (The fixture's event memory about the deal with Sarah Lee is in scope too; left out here.)
    let order: Vec<_> = ranked.iter().map(|r| r.memory.id).filter(|id| mine.contains(id)).collect();
    // In scope and matching the text first; then in scope by confidence and recency; then the
    // text match outside the scope; never the unrelated memory.
    assert_eq!(order, vec![pricing.id, fresh.id, unsure.id, old.id, elsewhere.id]);
    assert!(!order.contains(&unrelated.id));
    assert!(ranked[0].in_scope && ranked[0].relevance > 0.0);
    let last = ranked.last().expect("some recalled");
    assert_eq!(last.memory.id, elsewhere.id);
    assert!(!last.in_scope && last.relevance > 0.0);

    // Every recall counts: access statistics of what was returned are updated.
    let after = memories::get(&ws.ctx, pricing.id).expect("get");
    assert_eq!(after.access_count, 1);
    assert_eq!(after.last_accessed_at.as_deref(), Some("2026-11-24T09:00:00.000Z"));
    assert_eq!(memories::get(&ws.ctx, unrelated.id).expect("get").access_count, 0);

    // Without text, `fresh` and `pricing` tie on scope, confidence and age, and the newer id
    // (`fresh`) comes first...
    let tie = memories::recall(&ws.ctx, RecallQuery { text: None, entities: query.entities.clone(), limit: Some(2) })
        .expect("recall by scope");
    assert_eq!(tie.iter().map(|r| r.memory.id).collect::<Vec<_>>(), vec![fresh.id, pricing.id]);
    // ...until `pricing` is recalled more often: access frequency lifts it above `fresh`.
    for _ in 0..3 {
        let hit = memories::recall(
            &ws.ctx,
            RecallQuery { text: Some("add-on pricing".into()), entities: vec![], limit: Some(1) },
        )
        .expect("recall pricing");
        assert_eq!(hit[0].memory.id, pricing.id);
    }
    let by_scope = memories::recall(&ws.ctx, RecallQuery { text: None, entities: query.entities, limit: Some(2) })
        .expect("recall by scope");
    assert_eq!(by_scope.iter().map(|r| r.memory.id).collect::<Vec<_>>(), vec![pricing.id, fresh.id]);
}

#[test]
fn memories_are_private_to_their_owner_and_forgetting_deletes_them() {
    let ws = workspace();
    let memory = memories::add(
        &ws.ctx,
        about_contact(ws.sarah_lee.id, MemoryCategory::Preference, "Secret handshake: prefers Signal", 1.0),
    )
    .expect("add");
    assert_eq!(memory.owner, "alice");
    assert_eq!(memory.source, MemorySource::User);
    assert_eq!(memory.links, vec![EntityRef::new("contact", ws.sarah_lee.id)]);

    let bob = other_user(&ws);
    assert!(memories::list(&bob, MemoryQuery::default()).expect("list").iter().all(|m| m.owner == "bob-rep"));
    assert!(matches!(memories::forget(&bob, memory.id), Err(Error::NotFound { .. })));
    let bob_recall = memories::recall(
        &bob,
        RecallQuery {
            text: Some("handshake".into()),
            entities: vec![EntityRef::new("contact", ws.sarah_lee.id)],
            limit: None,
        },
    )
    .expect("recall");
    assert!(bob_recall.is_empty());

    let links_before = count(ws.dir.path(), "memory_links");
    memories::forget(&ws.ctx, memory.id).expect("forget");
    assert!(matches!(memories::get(&ws.ctx, memory.id), Err(Error::NotFound { .. })));
    assert_eq!(count(ws.dir.path(), "memory_links"), links_before - 1);
    let conn = rusqlite::Connection::open(ws.dir.path().join("outpost.db")).expect("db");
    let fts: i64 = conn
        .query_row("SELECT count(*) FROM memories_fts WHERE memories_fts MATCH 'handshake'", [], |r| r.get(0))
        .expect("fts");
    assert_eq!(fts, 0);
    let trail = audit::list(&ws.ctx, Some(memory.id.to_string()), 10).expect("audit");
    // Forgetting is an erasure (it replicates like one): the memory's own audit rows go with it and
    // one content-free "forget" row remains.
    assert_eq!(trail.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), vec!["forget"]);
    assert!(trail.iter().all(|e| !e.changes.to_string().contains("Signal")), "audit keeps no memory text");
}

#[test]
fn memory_input_is_validated() {
    let ws = workspace();
    let no_link = NewMemory { contact_id: None, ..about_contact(ws.sarah_lee.id, MemoryCategory::Fact, "x", 1.0) };
    assert!(matches!(memories::add(&ws.ctx, no_link), Err(Error::Invalid { field, .. }) if field == "contact_id"));
    let bad = about_contact(ws.sarah_lee.id, MemoryCategory::Fact, "x", 1.5);
    assert!(matches!(memories::add(&ws.ctx, bad), Err(Error::Invalid { field, .. }) if field == "confidence"));
    let forged = NewMemory {
        source: Some(MemorySource::Event),
        ..about_contact(ws.sarah_lee.id, MemoryCategory::Fact, "x", 1.0)
    };
    assert!(matches!(memories::add(&ws.ctx, forged), Err(Error::Invalid { field, .. }) if field == "source"));
    assert!(MemoryCategory::parse("gossip").is_err());
}

#[test]
fn business_events_write_memories_in_their_transaction() {
    let ws = workspace();
    let deal = ws.stale.id;
    let events = |list: Vec<memories::Memory>| -> Vec<String> {
        list.into_iter().filter(|m| m.source == MemorySource::Event).map(|m| m.content).collect()
    };
    // The fixture already moved the deal Lead → Proposal on 2026-11-04.
    let on_deal =
        events(memories::list(&ws.ctx, MemoryQuery { entity_id: Some(deal.to_string()), limit: None }).expect("list"));
    assert_eq!(on_deal, vec!["Deal \"Acme expansion\" moved from Lead to Proposal on 2026-11-04".to_owned()]);

    deals::move_stage(&ws.ctx, MoveDeal { id: deal, stage: "Negotiation".into() }).expect("move");
    deals::update(&ws.ctx, DealUpdate { id: deal, value: Some(65_000.0), ..Default::default() }).expect("value");
    deals::update(&ws.ctx, DealUpdate { id: deal, next_step: Some("Legal review".into()), ..Default::default() })
        .expect("no value change");
    let task = tasks::add(&ws.ctx, NewTask { title: "Send MSA".into(), deal_id: Some(deal), ..Default::default() })
        .expect("task");
    tasks::complete(&ws.ctx, task.id).expect("complete");
    activities::log(
        &ws.ctx,
        NewActivity {
            kind: ActivityKind::Meeting,
            subject: "Pricing workshop".into(),
            occurred_at: Some("2026-11-23T15:00:00Z".into()),
            contact_id: Some(ws.sarah_lee.id),
            deal_id: Some(deal),
            ..Default::default()
        },
    )
    .expect("meeting logged");

    let on_deal =
        events(memories::list(&ws.ctx, MemoryQuery { entity_id: Some(deal.to_string()), limit: None }).expect("list"));
    assert_eq!(
        on_deal,
        vec![
            "Meeting logged: Pricing workshop (2026-11-23)".to_owned(),
            "Completed task \"Send MSA\" on 2026-11-24".to_owned(),
            "Deal \"Acme expansion\" value changed from 50000.00 USD to 65000.00 USD on 2026-11-24".to_owned(),
            "Deal \"Acme expansion\" moved from Proposal to Negotiation on 2026-11-24".to_owned(),
            "Deal \"Acme expansion\" moved from Lead to Proposal on 2026-11-04".to_owned(),
        ]
    );
    // The stage memory is linked to the deal's contact and company too.
    let on_contact = events(
        memories::list(&ws.ctx, MemoryQuery { entity_id: Some(ws.sarah_lee.id.to_string()), limit: None })
            .expect("list"),
    );
    assert!(on_contact.contains(&"Deal \"Acme expansion\" moved from Proposal to Negotiation on 2026-11-24".to_owned()));
    // A failed mutation leaves no memory behind.
    let before = count(ws.dir.path(), "memories");
    assert!(deals::move_stage(&ws.ctx, MoveDeal { id: deal, stage: "Nowhere".into() }).is_err());
    assert_eq!(count(ws.dir.path(), "memories"), before);
}
