//! Meetings after the calendar: attendees linked to contacts and classified by the organisation's
//! domains, suggested contacts, notes and "create follow-ups".

use outpost_core::{
    crm::activities::{self, ActivityKind, ActivityQuery},
    crm::contacts::{self, NewContact},
    crm::deals::{self, NewDeal},
    crm::tasks::{self, TaskQuery},
    meetings::{self, CreateContacts, MeetingNotes, MeetingUpdate, NewMeeting},
    store::settings::{self, SetSetting},
    Error,
};

use super::support::{count, fixture};

fn internal_domains(ctx: &outpost_core::Ctx, value: &str) {
    settings::set(ctx, SetSetting { name: "internal-domains".into(), value: value.into() }).expect("set");
}

fn meeting(attendees: &[&str]) -> NewMeeting {
    NewMeeting {
        title: "Globex negotiation".into(),
        starts_at: "2026-11-20T15:00:00Z".into(),
        attendees: attendees.iter().map(|a| (*a).to_owned()).collect(),
        ..Default::default()
    }
}

#[test]
fn attendees_are_internal_by_domain_linked_by_email_and_unknown_externals_suggested() {
    let f = fixture();
    internal_domains(&f.ctx, "Acme.com, @acme.co.uk");
    assert_eq!(settings::get(&f.ctx, "internal-domains").expect("get").value.as_deref(), Some("acme.com,acme.co.uk"));
    let grace = contacts::add(&f.ctx, NewContact { email: Some("grace@globex.com".into()), ..Default::default() })
        .expect("contact");
    let m = meetings::add(
        &f.ctx,
        meeting(&["Rep <rep@acme.com>", "uk@sales.acme.co.uk", "grace@globex.com", "Hank Scorpio <hank@globex.com>"]),
    )
    .expect("meeting");
    let view: Vec<(&str, bool, bool)> =
        m.attendees.iter().map(|a| (a.email.as_str(), a.is_internal, a.contact_id.is_some())).collect();
    assert_eq!(
        view,
        [
            ("grace@globex.com", false, true),
            ("hank@globex.com", false, false),
            ("rep@acme.com", true, false),
            ("uk@sales.acme.co.uk", true, false),
        ]
    );
    assert_eq!(m.attendees[0].contact_id, Some(grace.id));
    assert_eq!(m.suggested_contacts.len(), 1, "only the unknown external attendee");
    let hank = &m.suggested_contacts[0];
    assert_eq!(
        (hank.email.as_str(), hank.first_name.as_deref(), hank.last_name.as_deref(), hank.company_domain.as_deref()),
        ("hank@globex.com", Some("Hank"), Some("Scorpio"), Some("globex.com"))
    );

    let wrong =
        meetings::create_contacts(&f.ctx, CreateContacts { meeting_id: m.id, emails: vec!["rep@acme.com".into()] })
            .expect_err("internal is not a suggestion");
    assert!(matches!(wrong, Error::Invalid { ref field, .. } if field == "emails"), "{wrong:?}");
    let created =
        meetings::create_contacts(&f.ctx, CreateContacts { meeting_id: m.id, emails: vec![] }).expect("create");
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].last_name.as_deref(), Some("Scorpio"));
    let after = meetings::get(&f.ctx, m.id).expect("meeting");
    assert!(after.suggested_contacts.is_empty());
    assert_eq!(after.attendees[1].contact_id, Some(created[0].id));
}

#[test]
fn bad_settings_are_refused() {
    let f = fixture();
    for (name, value, field) in [
        ("internal-domains", "not a domain", "internal-domains"),
        ("timezone", "Mars/Olympus", "timezone"),
        ("colour", "x", "name"),
    ] {
        let error = settings::set(&f.ctx, SetSetting { name: name.into(), value: value.into() }).expect_err(name);
        assert!(matches!(error, Error::Invalid { field: ref f, .. } if f == field), "{name}: {error:?}");
    }
}

#[test]
fn follow_ups_create_tasks_once_and_log_the_meeting_on_contacts_and_deal() {
    let f = fixture();
    internal_domains(&f.ctx, "acme.com");
    let grace = contacts::add(
        &f.ctx,
        NewContact { first_name: Some("Grace".into()), email: Some("grace@globex.com".into()), ..Default::default() },
    )
    .expect("grace");
    let alan = contacts::add(&f.ctx, NewContact { email: Some("alan.t@globex.com".into()), ..Default::default() })
        .expect("alan");
    let deal = deals::add(&f.ctx, NewDeal { title: "Globex pilot".into(), ..Default::default() }).expect("deal");
    let m = meetings::add(
        &f.ctx,
        NewMeeting {
            deal_id: Some(deal.id),
            ..meeting(&["Grace Hopper <grace@globex.com>", "alan.t@globex.com", "rep@acme.com"])
        },
    )
    .expect("meeting");

    let missing = meetings::follow_ups(&f.ctx, m.id).expect_err("no notes yet");
    assert!(matches!(missing, Error::Invalid { ref field, .. } if field == "notes"));

    let notes = "Budget confirmed.\n- [ ] Send revised proposal by 2026-12-01\n@alan will share the security pack\n\
                 TODO: book the demo\n- [x] intro done\n";
    meetings::set_notes(&f.ctx, MeetingNotes { meeting_id: m.id, notes: Some(notes.into()) }).expect("notes");
    let first = meetings::follow_ups(&f.ctx, m.id).expect("follow-ups");
    let titles: Vec<&str> = first.tasks_created.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles, ["Send revised proposal", "Share the security pack", "Book the demo"]);
    assert_eq!(first.tasks_created[0].due_date.as_deref(), Some("2026-12-01"));
    assert_eq!(first.tasks_created[0].entity_id.as_deref(), Some(deal.id.to_string().as_str()), "deal by default");
    assert_eq!(
        first.tasks_created[1].entity_id.as_deref(),
        Some(alan.id.to_string().as_str()),
        "@alan is the attendee alan.t@…"
    );
    assert_eq!(first.activities_logged.len(), 2, "one per contact attendee");
    assert!(first.activities_logged.iter().all(|a| a.kind == ActivityKind::Meeting && a.deal_id == Some(deal.id)));
    let mut updated = first.contacts_updated.clone();
    updated.sort();
    let mut expected = vec![grace.id, alan.id];
    expected.sort();
    assert_eq!(updated, expected);
    let grace_now = contacts::get(&f.ctx, grace.id).expect("grace");
    assert_eq!(grace_now.last_contacted_at.as_deref(), Some("2026-11-20T15:00:00.000Z"), "the meeting's start");

    let again = meetings::follow_ups(&f.ctx, m.id).expect("again");
    assert_eq!((again.tasks_created.len(), again.already_created, again.activities_logged.len()), (0, 3, 0));
    assert_eq!(count(f.dir.path(), "tasks"), 3);
    let timeline =
        activities::list(&f.ctx, ActivityQuery { contact_id: Some(grace.id), ..Default::default() }).expect("tl");
    assert_eq!(timeline.iter().filter(|a| a.kind == ActivityKind::Meeting).count(), 1);

    let more = format!("{notes}Action: send the MSA\n");
    meetings::set_notes(&f.ctx, MeetingNotes { meeting_id: m.id, notes: Some(more) }).expect("notes");
    let third = meetings::follow_ups(&f.ctx, m.id).expect("third");
    assert_eq!(third.tasks_created.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(), ["Send the MSA"]);
    let open = tasks::list(&f.ctx, TaskQuery::default()).expect("tasks");
    assert_eq!(open.len(), 4);
}

#[test]
fn a_meeting_is_edited_relinked_and_its_attendees_replaced() {
    let f = fixture();
    internal_domains(&f.ctx, "acme.com");
    let deal = deals::add(&f.ctx, NewDeal { title: "Globex pilot".into(), ..Default::default() }).expect("deal");
    let m = meetings::add(&f.ctx, meeting(&["grace@globex.com"])).expect("meeting");
    let updated = meetings::update(
        &f.ctx,
        MeetingUpdate {
            id: m.id,
            title: Some("Globex negotiation, round 2".into()),
            ends_at: Some("2026-11-20T16:30:00Z".into()),
            location: Some("Zoom".into()),
            deal_id: Some(deal.id),
            attendees: Some(vec!["Sam <sam@acme.com>".into(), "hank@globex.com".into()]),
            ..Default::default()
        },
    )
    .expect("update");
    assert_eq!(updated.title, "Globex negotiation, round 2");
    assert_eq!(updated.ends_at.as_deref(), Some("2026-11-20T16:30:00.000Z"));
    assert_eq!(updated.deal_id, Some(deal.id));
    let emails: Vec<(&str, bool)> = updated.attendees.iter().map(|a| (a.email.as_str(), a.is_internal)).collect();
    assert_eq!(emails, [("hank@globex.com", false), ("sam@acme.com", true)]);

    let early = meetings::update(
        &f.ctx,
        MeetingUpdate { id: m.id, ends_at: Some("2026-11-20T14:00:00Z".into()), ..Default::default() },
    )
    .expect_err("end before start");
    assert!(matches!(early, Error::Invalid { ref field, .. } if field == "ends_at"));
    assert_eq!(meetings::get(&f.ctx, m.id).expect("get").ends_at.as_deref(), Some("2026-11-20T16:30:00.000Z"));
}
