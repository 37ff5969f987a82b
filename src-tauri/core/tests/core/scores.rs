//! Scores with their explanations: exact factor values from known activity, incremental
//! recomputation when something changes, decay with time, deal heat and temperature.

use outpost_core::{
    assist::scores::{self, Score, ScoreQuery},
    crm::activities::{self, ActivityKind, NewActivity},
    crm::companies::{self, NewCompany},
    crm::contacts::{self, NewContact},
    crm::deals::{self, Bant, NewDeal},
    meetings::{self, NewMeeting},
};

use super::support::{at, count, fixture};

fn of<'a>(scores: &'a [Score], kind: &str) -> &'a Score {
    scores.iter().find(|s| s.kind == kind).unwrap_or_else(|| panic!("no {kind} score in {scores:?}"))
}

fn factor(score: &Score, name: &str) -> u8 {
    score.factors.iter().find(|f| f.name == name).map(|f| f.value).unwrap_or_else(|| panic!("no {name} factor"))
}

#[test]
fn contact_health_and_lead_score_are_explained_and_follow_changes() {
    let f = fixture();
    let acme = companies::add(
        &f.ctx,
        NewCompany { name: "Acme".into(), industry: Some("Retail".into()), ..Default::default() },
    )
    .expect("company");
    let ada = contacts::add(
        &f.ctx,
        NewContact {
            first_name: Some("Ada".into()),
            email: Some("ada@acme.io".into()),
            title: Some("CEO".into()),
            company_id: Some(acme.id),
            ..Default::default()
        },
    )
    .expect("contact");
    deals::add(&f.ctx, NewDeal { title: "Pilot".into(), contact_id: Some(ada.id), ..Default::default() })
        .expect("deal");
    for (kind, day) in [(ActivityKind::Call, 21), (ActivityKind::Meeting, 18), (ActivityKind::Email, 21)] {
        activities::log(
            &f.ctx,
            NewActivity {
                kind,
                subject: "touch".into(),
                occurred_at: Some(format!("2026-11-{day}T10:00:00Z")),
                contact_id: Some(ada.id),
                ..Default::default()
            },
        )
        .expect("activity");
    }
    // Clock: 24 Nov. Last interaction 21 Nov (3 days): recency 100 - 3*100/90 = 97; 3 interactions:
    // frequency 3*100/8 = 37; 2 of 3 two-way: responsiveness 66; 1 open deal: engagement 25.
    let shown = scores::show(&f.ctx, ScoreQuery { contact_id: Some(ada.id), ..Default::default() }).expect("scores");
    let health = of(&shown, "health");
    assert_eq!(
        (
            factor(health, "recency"),
            factor(health, "frequency"),
            factor(health, "responsiveness"),
            factor(health, "engagement")
        ),
        (97, 37, 66, 25)
    );
    // 97*.40 + 37*.25 + 66*.15 + 25*.20 = 38.8 + 9.25 + 9.9 + 5 = 62.95
    assert_eq!(health.value, 63);
    assert_eq!(health.label, "fair");
    assert!(health.explanation.starts_with("Relationship health 63/100 (fair)"), "{}", health.explanation);
    assert!(health.explanation.contains("last interaction 3 days ago"), "{}", health.explanation);
    assert!(health.explanation.contains("2 of 3 recent interactions were calls or meetings"), "{}", health.explanation);

    let lead = of(&shown, "lead");
    // fit: CEO 35 + company 20 + email 15 + industry 10 + reachable 10 = 90.
    assert_eq!(factor(lead, "fit"), 90);
    assert!(lead.explanation.contains("'CEO' is a decision-maker title"), "{}", lead.explanation);
    // 90*.4 + 25*.25 + 97*.2 + 37*.15 = 36 + 6.25 + 19.4 + 5.55 = 67.2
    assert_eq!(lead.value, 67);

    // A change marks the contact dirty; the next read recomputes.
    contacts::update(
        &f.ctx,
        outpost_core::crm::contacts::ContactUpdate { id: ada.id, email_opt_out: Some(true), ..Default::default() },
    )
    .expect("opt out");
    assert!(count(f.dir.path(), "score_dirty") > 0);
    let after = scores::show(&f.ctx, ScoreQuery { contact_id: Some(ada.id), ..Default::default() }).expect("scores");
    assert_eq!(factor(of(&after, "lead"), "fit"), 80);
    assert!(of(&after, "lead").explanation.contains("opted out of contact"));

    // Nothing changes, but 30 days pass: recency decays on the next read.
    f.clock.set(at(2026, 12, 24, 9, 0));
    let later = scores::show(&f.ctx, ScoreQuery { contact_id: Some(ada.id), ..Default::default() }).expect("scores");
    assert_eq!(factor(of(&later, "health"), "recency"), 64, "33 days: 100 - 3300/90");
    assert_eq!(of(&later, "health").as_of, "2026-12-24");

    let company =
        scores::show(&f.ctx, ScoreQuery { company_id: Some(acme.id), ..Default::default() }).expect("company");
    let company = of(&company, "health");
    assert_eq!(factor(company, "frequency"), 37, "its contact's three interactions count for the company");
    assert!(company.explanation.contains("3 interactions in the last 90 days"), "{}", company.explanation);
}

#[test]
fn deal_heat_rises_with_bant_and_activity() {
    let f = fixture();
    let deal = deals::add(&f.ctx, NewDeal { title: "Cold one".into(), ..Default::default() }).expect("deal");
    let cold = scores::show(&f.ctx, ScoreQuery { deal_id: Some(deal.id), ..Default::default() }).expect("heat");
    assert_eq!((cold[0].value, cold[0].label.as_str()), (0, "cold"));
    assert!(cold[0].explanation.contains("0 of 4 BANT fields known; missing budget, authority, need, timeline"));

    deals::update(
        &f.ctx,
        outpost_core::crm::deals::DealUpdate {
            id: deal.id,
            bant: Bant {
                budget: Some("50k".into()),
                authority: Some("COO".into()),
                need: Some("Route planning".into()),
                timeline: Some("Q1".into()),
            },
            ..Default::default()
        },
    )
    .expect("bant");
    for subject in ["Call", "Demo"] {
        activities::log(
            &f.ctx,
            NewActivity {
                kind: ActivityKind::Call,
                subject: subject.into(),
                deal_id: Some(deal.id),
                ..Default::default()
            },
        )
        .expect("activity");
    }
    let hot = scores::show(&f.ctx, ScoreQuery { deal_id: Some(deal.id), ..Default::default() }).expect("heat");
    // BANT 100 × .5 + two activities 50 × .5 = 75: burning.
    assert_eq!((hot[0].value, hot[0].label.as_str()), (75, "burning"));
    let stored = deals::get(&f.ctx, deal.id).expect("deal");
    assert_eq!(stored.bant.need.as_deref(), Some("Route planning"));
}

/// A meeting written before its attendee's contact existed here (booked first, or received
/// through sync ahead of the contact) has no stored link to the contact; it must count for the
/// contact's health all the same, as it does for one booked after.
#[test]
fn a_meeting_booked_before_its_attendees_contact_existed_counts_for_that_contacts_health() {
    let f = fixture();
    let book = |email: &str| {
        meetings::add(
            &f.ctx,
            NewMeeting {
                title: format!("Call with {email}"),
                starts_at: "2026-11-30T10:00:00Z".into(),
                attendees: vec![email.to_owned()],
                ..Default::default()
            },
        )
        .expect("meeting")
    };
    let add = |email: &str| {
        contacts::add(&f.ctx, NewContact { email: Some(email.into()), ..Default::default() }).expect("contact")
    };
    book("early@client.example");
    let early = add("early@client.example");
    let late = add("late@client.example");
    book("late@client.example");
    let unmet = add("unmet@client.example");

    let engagement = |id| {
        let shown = scores::show(&f.ctx, ScoreQuery { contact_id: Some(id), ..Default::default() }).expect("scores");
        factor(of(&shown, "health"), "engagement")
    };
    assert!(engagement(late.id) > engagement(unmet.id), "a booked meeting raises engagement");
    assert_eq!(engagement(early.id), engagement(late.id), "booked before the contact existed");
}
