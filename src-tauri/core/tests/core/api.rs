//! The entity APIs: validation errors name the field, search, board totals, stage moves and the
//! timeline, tasks and meetings.

use chrono::{TimeZone, Utc};
use outpost_core::{
    crm::activities::{self, ActivityKind, ActivityQuery, NewActivity},
    crm::board,
    crm::companies::{self, CompanyUpdate, NewCompany},
    crm::contacts::{self, NewContact},
    crm::deals::{self, MoveDeal, NewDeal},
    crm::pipeline::StageKind,
    crm::tasks::{self, NewTask, TaskQuery},
    meetings::{self, NewMeeting},
    store::search::ListQuery,
    Error,
};

use super::support::fixture;

fn field_of(error: Error) -> String {
    match error {
        Error::Invalid { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn ada() -> NewContact {
    NewContact {
        first_name: Some("Ada".into()),
        last_name: Some("Lovelace".into()),
        email: Some(" Ada@Engines.IO ".into()),
        phone: Some("+44 20 7946 0000".into()),
        company: Some("Analytical Engines".into()),
        ..Default::default()
    }
}

#[test]
fn contact_input_is_cleaned_and_bad_input_names_the_field() {
    let f = fixture();
    let contact = contacts::add(&f.ctx, ada()).expect("add");
    assert_eq!(contact.email.as_deref(), Some("ada@engines.io"));
    assert_eq!(contact.company_name.as_deref(), Some("Analytical Engines"));

    let bad_email = contacts::add(&f.ctx, NewContact { email: Some("ada@".into()), ..Default::default() });
    assert_eq!(field_of(bad_email.expect_err("bad email")), "email");
    let nobody = contacts::add(&f.ctx, NewContact { title: Some("CEO".into()), ..Default::default() });
    assert_eq!(field_of(nobody.expect_err("no identity")), "first_name");
    let duplicate = contacts::add(&f.ctx, ada()).expect_err("same email twice");
    assert!(matches!(duplicate, Error::Conflict { .. }), "{duplicate:?}");
    assert_eq!(companies::list(&f.ctx, ListQuery::default()).expect("list").len(), 1);
}

#[test]
fn contact_search_matches_word_prefixes_including_company_name() {
    let f = fixture();
    contacts::add(&f.ctx, ada()).expect("add");
    contacts::add(
        &f.ctx,
        NewContact { first_name: Some("Charles".into()), last_name: Some("Babbage".into()), ..Default::default() },
    )
    .expect("add");
    let search = |text: &str| ListQuery { search: Some(text.into()), limit: None };
    let names = |list: Vec<contacts::Contact>| list.into_iter().map(|c| c.display_name()).collect::<Vec<_>>();
    assert_eq!(names(contacts::list(&f.ctx, search("lov")).expect("search")), ["Ada Lovelace"]);
    assert_eq!(names(contacts::list(&f.ctx, search("analyt")).expect("search")), ["Ada Lovelace"]);
    assert_eq!(names(contacts::list(&f.ctx, search("ada@eng")).expect("search")), ["Ada Lovelace"]);
    assert_eq!(contacts::list(&f.ctx, search("")).expect("all").len(), 2);

    let company = companies::list(&f.ctx, search("analytical")).expect("companies").remove(0);
    companies::update(
        &f.ctx,
        CompanyUpdate { id: company.id, name: Some("Difference Works".into()), ..Default::default() },
    )
    .expect("rename");
    assert_eq!(names(contacts::list(&f.ctx, search("difference")).expect("search")), ["Ada Lovelace"]);
    assert!(contacts::list(&f.ctx, search("analytical")).expect("search").is_empty());
}

#[test]
fn board_groups_deals_by_stage_with_per_currency_totals() {
    let f = fixture();
    for (title, value, currency, stage) in [
        ("A", 1000.0, "GBP", "Lead"),
        ("B", 250.5, "GBP", "Lead"),
        ("C", 99.0, "USD", "Lead"),
        ("D", 5000.0, "GBP", "Proposal"),
    ] {
        let req = NewDeal {
            title: title.into(),
            value: Some(value),
            currency: Some(currency.into()),
            stage: Some(stage.into()),
            ..Default::default()
        };
        deals::add(&f.ctx, req).expect("add deal");
    }
    let board = board::board(&f.ctx).expect("board");
    let lead = &board.stages[0];
    assert_eq!(lead.stage.name, "Lead");
    assert_eq!(lead.deal_count, 3);
    let totals: Vec<(String, f64)> = lead.totals.iter().map(|t| (t.currency.clone(), t.value)).collect();
    assert_eq!(totals, [("GBP".to_owned(), 1250.5), ("USD".to_owned(), 99.0)]);
    assert_eq!(board.stages[2].deal_count, 1);
    assert_eq!(board.stages[2].totals[0].weighted, 2500.0);
    assert_eq!(board.stages.iter().map(|c| c.deal_count).sum::<usize>(), 4);
}

#[test]
fn moving_a_deal_logs_the_change_and_closes_or_reopens_it() {
    let f = fixture();
    let contact = contacts::add(&f.ctx, ada()).expect("add");
    let deal = deals::add(
        &f.ctx,
        NewDeal { title: "Pilot".into(), value: Some(12000.0), contact_id: Some(contact.id), ..Default::default() },
    )
    .expect("add");
    assert_eq!(deal.stage, "Lead");
    f.clock.set(Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).single().expect("time"));
    let won = deals::move_stage(&f.ctx, MoveDeal { id: deal.id, stage: "won".into() }).expect("move");
    assert_eq!((won.stage.as_str(), won.stage_kind), ("Won", StageKind::Won));
    assert_eq!(won.closed_at.as_deref(), Some("2026-11-25T10:00:00.000Z"));
    assert_eq!(won.stage_entered_at, "2026-11-25T10:00:00.000Z");
    let reopened = deals::move_stage(&f.ctx, MoveDeal { id: deal.id, stage: "Negotiation".into() }).expect("move");
    assert_eq!(reopened.closed_at, None);

    let unknown = deals::move_stage(&f.ctx, MoveDeal { id: deal.id, stage: "Maybe".into() });
    let message = unknown.expect_err("unknown stage").to_string();
    assert!(message.contains("Lead, Qualified, Proposal, Negotiation, Won, Lost"), "{message}");

    let timeline =
        activities::list(&f.ctx, ActivityQuery { contact_id: Some(contact.id), ..Default::default() }).expect("tl");
    let subjects: Vec<&str> = timeline.iter().map(|a| a.subject.as_str()).collect();
    assert_eq!(subjects, ["Moved from Won to Negotiation", "Moved from Lead to Won"]);
}

#[test]
fn logging_a_call_updates_last_contacted_and_needs_a_link() {
    let f = fixture();
    let contact = contacts::add(&f.ctx, ada()).expect("add");
    let call = NewActivity {
        kind: ActivityKind::Call,
        subject: "Intro call".into(),
        occurred_at: Some("2026-11-20T15:00:00+01:00".into()),
        contact_id: Some(contact.id),
        ..Default::default()
    };
    activities::log(&f.ctx, call).expect("log");
    let contact = contacts::get(&f.ctx, contact.id).expect("get");
    assert_eq!(contact.last_contacted_at.as_deref(), Some("2026-11-20T14:00:00.000Z"));
    let orphan = activities::log(&f.ctx, NewActivity { subject: "Loose note".into(), ..Default::default() });
    assert_eq!(field_of(orphan.expect_err("no link")), "contact_id");
}

#[test]
fn tasks_sort_by_due_date_and_complete_once() {
    let f = fixture();
    let later = tasks::add(
        &f.ctx,
        NewTask { title: "Later".into(), due_date: Some("2026-12-10".into()), ..Default::default() },
    )
    .expect("add");
    tasks::add(&f.ctx, NewTask { title: "Sooner".into(), due_date: Some("2026-12-01".into()), ..Default::default() })
        .expect("add");
    tasks::add(&f.ctx, NewTask { title: "Whenever".into(), ..Default::default() }).expect("add");
    let bad =
        tasks::add(&f.ctx, NewTask { title: "X".into(), due_date: Some("31/12/2026".into()), ..Default::default() });
    assert_eq!(field_of(bad.expect_err("bad date")), "due_date");

    let titles = |list: Vec<tasks::Task>| list.into_iter().map(|t| t.title).collect::<Vec<_>>();
    assert_eq!(titles(tasks::list(&f.ctx, TaskQuery::default()).expect("list")), ["Sooner", "Later", "Whenever"]);
    let done = tasks::complete(&f.ctx, later.id).expect("done");
    let again = tasks::complete(&f.ctx, later.id).expect("done twice");
    assert_eq!(done.done_at, again.done_at);
    assert_eq!(titles(tasks::list(&f.ctx, TaskQuery::default()).expect("list")), ["Sooner", "Whenever"]);
}

/// Regression: the Tasks screen could only say "Deal", "Contact" or "Company", never which one.
#[test]
fn tasks_name_the_linked_record() {
    let f = fixture();
    let contact = contacts::add(&f.ctx, ada()).expect("add contact");
    let mailless = contacts::add(&f.ctx, NewContact { email: Some("ops@acme.com".into()), ..Default::default() })
        .expect("add contact without a name");
    let company = companies::add(&f.ctx, NewCompany { name: "Acme".into(), ..Default::default() }).expect("add");
    let deal = deals::add(&f.ctx, NewDeal { title: "Acme renewal".into(), ..Default::default() }).expect("add");
    let linked = |title: &str| NewTask { title: title.into(), ..Default::default() };
    let on_deal = tasks::add(&f.ctx, NewTask { deal_id: Some(deal.id), ..linked("Send proposal") }).expect("add");
    assert_eq!(on_deal.entity_name.as_deref(), Some("Acme renewal"));
    tasks::add(&f.ctx, NewTask { contact_id: Some(contact.id), ..linked("Call Ada") }).expect("add");
    tasks::add(&f.ctx, NewTask { contact_id: Some(mailless.id), ..linked("Mail ops") }).expect("add");
    tasks::add(&f.ctx, NewTask { company_id: Some(company.id), ..linked("Check Acme") }).expect("add");
    tasks::add(&f.ctx, linked("Unlinked")).expect("add");

    let names: Vec<(String, Option<String>)> = tasks::list(&f.ctx, TaskQuery::default())
        .expect("list")
        .into_iter()
        .map(|t| (t.title, t.entity_name))
        .collect();
    let name_of = |title: &str| names.iter().find(|(t, _)| t == title).and_then(|(_, n)| n.clone());
    assert_eq!(name_of("Send proposal").as_deref(), Some("Acme renewal"));
    assert_eq!(name_of("Call Ada").as_deref(), Some("Ada Lovelace"));
    assert_eq!(name_of("Mail ops").as_deref(), Some("ops@acme.com"));
    assert_eq!(name_of("Check Acme").as_deref(), Some("Acme"));
    assert_eq!(name_of("Unlinked"), None);

    // A renamed deal shows its new title: the name is read, not copied.
    deals::update(
        &f.ctx,
        deals::DealUpdate { id: deal.id, title: Some("Acme renewal 2027".into()), ..Default::default() },
    )
    .expect("rename");
    let task = tasks::complete(&f.ctx, on_deal.id).expect("complete");
    assert_eq!(task.entity_name.as_deref(), Some("Acme renewal 2027"));
}

#[test]
fn meeting_attendees_link_to_contacts_by_email() {
    let f = fixture();
    let contact = contacts::add(&f.ctx, ada()).expect("add");
    let meeting = meetings::add(
        &f.ctx,
        NewMeeting {
            title: "Pilot review".into(),
            starts_at: "2026-11-26 14:00".into(),
            ends_at: Some("2026-11-26T15:00:00Z".into()),
            attendees: vec!["Ada Lovelace <ADA@engines.io>".into(), "bob@example.org".into()],
            ..Default::default()
        },
    )
    .expect("add meeting");
    assert_eq!(meeting.starts_at, "2026-11-26T14:00:00.000Z");
    let ada = meeting.attendees.iter().find(|a| a.email == "ada@engines.io").expect("ada attends");
    assert_eq!((ada.contact_id, ada.name.as_deref()), (Some(contact.id), Some("Ada Lovelace")));
    assert!(meeting.attendees.iter().any(|a| a.email == "bob@example.org" && a.contact_id.is_none()));

    let backwards = NewMeeting {
        title: "x".into(),
        starts_at: "2026-11-26T15:00:00Z".into(),
        ends_at: Some("2026-11-26T14:00:00Z".into()),
        ..Default::default()
    };
    assert_eq!(field_of(meetings::add(&f.ctx, backwards).expect_err("end before start")), "ends_at");
}

#[test]
fn deleting_a_company_unlinks_its_contacts() {
    let f = fixture();
    let company = companies::add(
        &f.ctx,
        NewCompany { name: "Acme".into(), domain: Some("https://www.acme.com/".into()), ..Default::default() },
    )
    .expect("add");
    assert_eq!(company.domain.as_deref(), Some("acme.com"));
    let contact = contacts::add(
        &f.ctx,
        NewContact { first_name: Some("Wile".into()), company_id: Some(company.id), ..Default::default() },
    )
    .expect("add");
    companies::delete(&f.ctx, company.id).expect("delete");
    let contact = contacts::get(&f.ctx, contact.id).expect("still there");
    assert_eq!(contact.company_id, None);
    assert!(matches!(companies::get(&f.ctx, company.id), Err(Error::NotFound { .. })));
}
