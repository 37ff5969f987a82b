//! Briefs on a fixture workspace: the facts that must appear (stalled deal, opted-out contact,
//! missing decision-maker, the right memory, competitor mention, BANT questions), nothing about
//! unrelated contacts, every cited id a real record, regeneration when inputs change, review.

use std::collections::HashSet;

use outpost_core::{
    assist::briefs::{self, BriefContent, ReviewBrief, UnsourcedStatement},
    crm::activities::{self, ActivityKind, NewActivity},
    crm::companies::{self, NewCompany},
    crm::contacts::{self, NewContact},
    crm::deals::{self, Bant, DealUpdate, NewDeal},
    crm::tasks::{self, NewTask},
    meetings::{self, NewMeeting},
    memories::{self, MemoryCategory, NewMemory},
    store::ids::{ContactId, DealId, MeetingId},
};

use super::support::{at, fixture, set_setting, Fixture};

struct World {
    f: Fixture,
    bob: ContactId,
    carol: ContactId,
    deal: DealId,
    meeting: MeetingId,
    bob_memory: String,
    carol_memory: String,
    carol_call: String,
    known_ids: HashSet<String>,
}

/// A memory about one record, as the rep would add it.
fn memory(category: MemoryCategory, content: &str, confidence: Option<f64>) -> NewMemory {
    NewMemory {
        category,
        content: content.into(),
        confidence,
        source: None,
        contact_id: None,
        company_id: None,
        deal_id: None,
        meeting_id: None,
    }
}

/// Acme (Bob, a buyer who opted out of email; a Proposal deal idle since 1 Nov) and, unrelated,
/// Carol at Globex. On 24 Nov at 09:00 a meeting with Bob is booked for 11:00.
fn world() -> World {
    let f = fixture();
    set_setting(f.dir.path(), "competitors", "Initech, Umbrella");
    set_setting(f.dir.path(), "org_domains", "ours.io");
    f.clock.set(at(2026, 11, 1, 10, 0));
    let acme = companies::add(
        &f.ctx,
        NewCompany { name: "Acme".into(), industry: Some("Logistics".into()), ..Default::default() },
    )
    .expect("company");
    let bob = contacts::add(
        &f.ctx,
        NewContact {
            first_name: Some("Bob".into()),
            last_name: Some("Builder".into()),
            email: Some("bob@acme.io".into()),
            title: Some("Buyer".into()),
            company_id: Some(acme.id),
            email_opt_out: Some(true),
            ..Default::default()
        },
    )
    .expect("bob");
    let carol = contacts::add(
        &f.ctx,
        NewContact {
            first_name: Some("Carol".into()),
            last_name: Some("Danvers".into()),
            email: Some("carol@globex.io".into()),
            company: Some("Globex".into()),
            ..Default::default()
        },
    )
    .expect("carol");
    let deal = deals::add(
        &f.ctx,
        NewDeal {
            title: "Acme pilot".into(),
            value: Some(12_000.0),
            stage: Some("Proposal".into()),
            contact_id: Some(bob.id),
            company_id: Some(acme.id),
            expected_close: Some("2026-11-20".into()),
            next_step: Some("Send the revised quote".into()),
            notes: Some("Bob said they are also trialling Initech for the warehouse.".into()),
            bant: Bant { budget: Some("40k approved".into()), ..Default::default() },
            ..Default::default()
        },
    )
    .expect("deal");
    let call = activities::log(
        &f.ctx,
        NewActivity {
            kind: ActivityKind::Call,
            subject: "Discovery call".into(),
            occurred_at: Some("2026-11-03T14:00:00Z".into()),
            contact_id: Some(bob.id),
            deal_id: Some(deal.id),
            ..Default::default()
        },
    )
    .expect("call");
    let carol_call = activities::log(
        &f.ctx,
        NewActivity {
            kind: ActivityKind::Call,
            subject: "Carol renewal chat about Umbrella".into(),
            contact_id: Some(carol.id),
            ..Default::default()
        },
    )
    .expect("carol call");
    let bob_memory = memories::add(
        &f.ctx,
        NewMemory {
            contact_id: Some(bob.id),
            ..memory(MemoryCategory::Preference, "Prefers a one-page summary before any call", Some(0.9))
        },
    )
    .expect("memory");
    let promise = memories::add(
        &f.ctx,
        NewMemory {
            deal_id: Some(deal.id),
            ..memory(MemoryCategory::Commitment, "We promised a security questionnaire by Friday", None)
        },
    )
    .expect("commitment");
    let carol_memory = memories::add(
        &f.ctx,
        NewMemory {
            contact_id: Some(carol.id),
            ..memory(MemoryCategory::Fact, "Carol's budget resets in March", None)
        },
    )
    .expect("carol memory");
    let task = tasks::add(
        &f.ctx,
        NewTask {
            title: "Send pricing sheet".into(),
            due_date: Some("2026-11-10".into()),
            deal_id: Some(deal.id),
            ..Default::default()
        },
    )
    .expect("task");
    f.clock.set(at(2026, 11, 24, 9, 0));
    let meeting = meetings::add(
        &f.ctx,
        NewMeeting {
            title: "Acme pilot review".into(),
            starts_at: "2026-11-24T11:00:00Z".into(),
            attendees: vec!["Bob Builder <bob@acme.io>".into(), "me@ours.io".into()],
            deal_id: Some(deal.id),
            ..Default::default()
        },
    )
    .expect("meeting");
    let known_ids: HashSet<String> = [
        acme.id.to_string(),
        bob.id.to_string(),
        deal.id.to_string(),
        call.id.to_string(),
        bob_memory.id.to_string(),
        promise.id.to_string(),
        task.id.to_string(),
        meeting.id.to_string(),
    ]
    .into_iter()
    .collect();
    World {
        carol_call: carol_call.id.to_string(),
        f,
        bob: bob.id,
        carol: carol.id,
        deal: deal.id,
        meeting: meeting.id,
        bob_memory: bob_memory.id.to_string(),
        carol_memory: carol_memory.id.to_string(),
        known_ids,
    }
}

fn risk<'a>(content: &'a BriefContent, kind: &str) -> Option<&'a outpost_core::assist::briefs::content::Statement> {
    content.risks.iter().find(|r| r.kind == kind)
}

#[test]
fn brief_flags_risks_cites_the_right_memory_and_nothing_unrelated() {
    let w = world();
    let brief = briefs::for_meeting(&w.f.ctx, w.meeting).expect("brief");
    let c = &brief.content;
    assert_eq!(brief.status, "draft");

    let bob = c.attendees.iter().find(|a| a.email == "bob@acme.io").expect("bob attends");
    assert_eq!(bob.title.as_deref(), Some("Buyer"));
    assert_eq!(bob.company.as_deref(), Some("Acme"));
    assert_eq!(bob.last_interaction.as_ref().map(|l| l.subject.as_str()), Some("Discovery call"));
    assert!(bob.health.is_some(), "health shown");
    assert!(c.attendees.iter().any(|a| a.email == "me@ours.io" && a.is_internal));

    let deal = &c.deals[0];
    assert_eq!((deal.title.as_str(), deal.stage.as_str(), deal.days_in_stage), ("Acme pilot", "Proposal", 23));
    assert_eq!(deal.next_step.as_deref(), Some("Send the revised quote"));
    assert_eq!(c.company.as_ref().map(|co| co.name.as_str()), Some("Acme"));

    let stalled = risk(c, "deal_stalled").expect("stalled deal flagged");
    assert!(stalled.text.contains("no activity for 21 days"), "{}", stalled.text);
    assert_eq!(stalled.sources[0].id, w.deal.to_string());
    let opted = risk(c, "contact_opted_out").expect("opt-out warned");
    assert!(opted.text.contains("Bob Builder") && opted.text.contains("email"), "{}", opted.text);
    assert_eq!(opted.sources[0].id, w.bob.to_string());
    assert!(risk(c, "no_decision_maker").is_some(), "a buyer is not a decision-maker and no authority is recorded");
    let passed = risk(c, "close_date_passed").expect("close date passed");
    assert!(passed.text.contains("2026-11-20"));

    let asked: Vec<&str> = c.questions.iter().map(|q| q.kind.as_str()).collect();
    assert_eq!(asked, ["authority", "need", "timeline"], "budget is known, the other gaps become questions");

    assert_eq!(c.memories.iter().map(|m| m.memory_id.as_str()).collect::<Vec<_>>(), [w.bob_memory.as_str()]);
    assert_eq!(c.commitments.len(), 1);
    assert!(c.commitments[0].content.contains("security questionnaire"));
    assert!(c.tasks.iter().any(|t| t.title == "Send pricing sheet" && t.overdue));

    let initech = c.competitors.iter().find(|m| m.competitor == "Initech").expect("competitor found in deal notes");
    assert!(initech.excerpt.contains("trialling Initech"));
    assert_eq!(initech.sources[0].entity_type, "deal");
    assert!(!c.competitors.iter().any(|m| m.competitor == "Umbrella"), "Umbrella is only in Carol's unrelated call");
    assert!(c.talking_points.iter().any(|t| t.kind == "next_step" && t.text.contains("revised quote")));

    let json = serde_json::to_string(&brief).expect("json");
    assert!(!json.contains(&w.carol.to_string()) && !json.contains("Carol") && !json.contains(&w.carol_memory));
    assert!(!json.contains(&w.carol_call));
    // Every statement cites at least one record, and every cited record is one of this meeting's.
    assert!(c.statements().count() >= 5, "the fixture brief has statements to check");
    for (kind, text, sources) in c.statements() {
        assert!(!sources.is_empty(), "statement {kind} ({text}) cites no record");
        for source in sources {
            assert!(w.known_ids.contains(&source.id), "unknown source {source:?} of {kind}");
        }
    }
}

/// The builder refuses a brief with a statement that cites nothing: a typed error, both for a
/// statement with no sources and for one whose only source has an empty id.
#[test]
fn a_brief_statement_without_sources_is_refused_by_the_builder() {
    let w = world();
    let brief = briefs::for_meeting(&w.f.ctx, w.meeting).expect("brief");
    let content = brief.content;
    assert_eq!(content.check_sourced(), Ok(()), "the real brief is fully sourced");
    assert!(!content.risks.is_empty(), "the fixture brief has risks");

    let mut unsourced = content.clone();
    unsourced.risks[0].sources.clear();
    let refused = unsourced.check_sourced().expect_err("a statement without sources is refused");
    assert_eq!(
        refused,
        UnsourcedStatement { kind: content.risks[0].kind.clone(), text: content.risks[0].text.clone() }
    );
    assert!(refused.to_string().contains("cites no record"), "{refused}");

    let mut blank = content.clone();
    let last = blank.talking_points.last_mut().expect("a talking point");
    last.sources = vec![briefs::content::Source::new("deal", " ")];
    assert!(matches!(blank.check_sourced(), Err(UnsourcedStatement { .. })), "an empty source id is no source");

    let mut competitor = content;
    if let Some(mention) = competitor.competitors.first_mut() {
        mention.sources.clear();
        assert_eq!(competitor.check_sourced().map_err(|e| e.kind), Err("competitor".to_owned()));
    }
}

#[test]
fn brief_is_regenerated_only_when_its_inputs_change_and_review_survives() {
    let w = world();
    let first = briefs::for_meeting(&w.f.ctx, w.meeting).expect("brief");
    w.f.clock.set(at(2026, 11, 24, 9, 30));
    let again = briefs::for_meeting(&w.f.ctx, w.meeting).expect("same brief");
    assert_eq!(again.generated_at, first.generated_at, "unchanged inputs: stored brief reused");

    let reviewed =
        briefs::review(&w.f.ctx, ReviewBrief { id: first.id, comment: Some("Push for the CFO intro".into()) })
            .expect("review");
    assert_eq!(reviewed.status, "reviewed");
    assert_eq!(reviewed.comments[0].body, "Push for the CFO intro");

    deals::update(
        &w.f.ctx,
        DealUpdate {
            id: w.deal,
            bant: Bant { authority: Some("CFO Grace signs".into()), ..Default::default() },
            ..Default::default()
        },
    )
    .expect("authority");
    activities::log(
        &w.f.ctx,
        NewActivity {
            kind: ActivityKind::Email,
            subject: "Sent agenda".into(),
            deal_id: Some(w.deal),
            ..Default::default()
        },
    )
    .expect("activity");
    let fresh = briefs::get(&w.f.ctx, first.id).expect("regenerated");
    assert_ne!(fresh.fingerprint, first.fingerprint);
    // A regeneration never undoes a review (it may run on another device, see `briefs`); that the
    // brief changed since shows in generated_at > reviewed_at.
    assert_eq!(fresh.status, "reviewed", "a regeneration must not undo the review");
    assert!(fresh.generated_at >= fresh.reviewed_at.clone().expect("reviewed_at"), "{fresh:?}");
    assert_eq!(fresh.comments.len(), 1, "comments kept");
    assert!(risk(&fresh.content, "deal_stalled").is_none(), "activity today: no longer stalled");
    assert!(risk(&fresh.content, "no_decision_maker").is_none(), "authority now recorded");
    assert!(!fresh.content.questions.iter().any(|q| q.kind == "authority"));
    assert_eq!(briefs::list(&w.f.ctx, Default::default()).expect("list")[0].comments, 1);
}
