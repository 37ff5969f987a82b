//! Calendar import from the `.ics` fixtures: time zones, all-day events, recurring series with
//! EXDATE / RDATE / moved and cancelled occurrences, updates by UID, cancellations, solo blocks and
//! malformed files. The clock is frozen at 2026-11-24 09:00 UTC, so the default window is
//! 2026-08-26 to 2027-05-23.

use outpost_core::{
    crm::companies::{self, NewCompany},
    crm::deals::{self, NewDeal},
    meetings::{
        self,
        ics::{self, CalendarImport, CalendarImportRequest, SkipReason},
        Meeting,
    },
    store::audit,
    store::search::ListQuery,
    Ctx, Error,
};

use super::support::{count, fixture, ics};

fn import(ctx: &Ctx, name: &str) -> CalendarImport {
    ics::import_file(ctx, CalendarImportRequest { path: ics(name), ..Default::default() })
        .unwrap_or_else(|e| panic!("{name} should import: {e}"))
}

fn all(ctx: &Ctx) -> Vec<Meeting> {
    meetings::list(ctx, ListQuery { search: None, limit: Some(1000) }).expect("list")
}

fn by_title<'m>(list: &'m [Meeting], title: &str) -> &'m Meeting {
    list.iter().find(|m| m.title == title).unwrap_or_else(|| panic!("no meeting titled {title}"))
}

#[test]
fn times_in_iana_zones_vtimezones_utc_and_floating_become_utc() {
    let f = fixture();
    let report = import(&f.ctx, "timezones.ics");
    assert_eq!((report.events, report.created, report.skipped.len()), (6, 6, 0));
    let list = all(&f.ctx);
    let start = |title: &str| by_title(&list, title).starts_at.clone();
    assert_eq!(start("Discovery call (London)"), "2026-12-02T10:00:00.000Z");
    assert_eq!(by_title(&list, "Discovery call (London)").ends_at.as_deref(), Some("2026-12-02T11:00:00.000Z"));
    assert_eq!(start("Demo (New York)"), "2026-12-03T14:00:00.000Z", "09:00 EST is 14:00 UTC");
    assert_eq!(by_title(&list, "Demo (New York)").ends_at.as_deref(), Some("2026-12-03T14:45:00.000Z"), "DURATION");
    assert_eq!(start("Check-in (UTC)"), "2026-12-04T15:00:00.000Z");
    assert_eq!(start("Coffee (floating)"), "2026-12-05T11:00:00.000Z", "floating times default to UTC");
    assert_eq!(start("Workshop (Berlin, winter)"), "2026-12-07T09:00:00.000Z", "VTIMEZONE standard time +01:00");
    assert_eq!(start("Workshop (Berlin, summer)"), "2027-06-15T08:00:00.000Z", "VTIMEZONE daylight time +02:00");
}

#[test]
fn floating_times_follow_the_requested_zone() {
    let f = fixture();
    let req = CalendarImportRequest {
        path: ics("timezones.ics"),
        timezone: Some("Europe/Berlin".into()),
        ..Default::default()
    };
    ics::import_file(&f.ctx, req).expect("import");
    assert_eq!(by_title(&all(&f.ctx), "Coffee (floating)").starts_at, "2026-12-05T10:00:00.000Z");
}

#[test]
fn all_day_events_keep_their_dates() {
    let f = fixture();
    import(&f.ctx, "all_day.ics");
    let list = all(&f.ctx);
    let offsite = by_title(&list, "Globex on-site workshop");
    assert!(offsite.all_day);
    assert_eq!(offsite.starts_at, "2026-12-08T00:00:00.000Z");
    assert_eq!(offsite.ends_at.as_deref(), Some("2026-12-10T00:00:00.000Z"));
    assert_eq!(offsite.location.as_deref(), Some("Globex HQ, Springfield"), "escaped comma is unescaped");
    let kickoff = by_title(&list, "Initech kick-off day");
    assert_eq!(kickoff.ends_at.as_deref(), Some("2026-12-12T00:00:00.000Z"), "one day when DTEND is missing");
}

#[test]
fn a_weekly_series_expands_with_exdates_rdate_and_a_moved_occurrence() {
    let f = fixture();
    let report = import(&f.ctx, "recurring.ics");
    assert_eq!(report.created, 9, "10 weekly - 2 EXDATEs + 1 RDATE");
    let list = all(&f.ctx);
    let starts: Vec<&str> = list.iter().map(|m| m.starts_at.as_str()).collect();
    assert_eq!(
        starts,
        [
            "2026-10-06T08:00:00.000Z",
            "2026-10-13T08:00:00.000Z",
            "2026-10-27T09:00:00.000Z",
            "2026-11-03T09:00:00.000Z",
            "2026-11-17T09:00:00.000Z",
            "2026-11-24T11:00:00.000Z",
            "2026-12-01T09:00:00.000Z",
            "2026-12-08T09:00:00.000Z",
            "2026-12-16T14:00:00.000Z",
        ],
        "09:00 London is 08:00 UTC in summer time and 09:00 after 25 October; 20 Oct and 10 Nov excluded"
    );
    let moved = list.iter().find(|m| m.starts_at.starts_with("2026-11-24")).expect("moved occurrence");
    assert_eq!(moved.title, "Weekly sync with Globex (moved)");
    assert_eq!(moved.ends_at.as_deref(), Some("2026-11-24T11:30:00.000Z"));
    assert!(list.iter().all(|m| m.calendar_uid.as_deref() == Some("weekly-sync@fixtures.outpost")));

    let again = import(&f.ctx, "recurring.ics");
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 9), "re-importing changes nothing");
    assert_eq!(count(f.dir.path(), "meetings"), 9);
}

#[test]
fn the_window_bounds_the_series() {
    let f = fixture();
    let req = CalendarImportRequest {
        path: ics("recurring.ics"),
        from: Some("2026-11-01".into()),
        to: Some("2026-11-30".into()),
        ..Default::default()
    };
    let report = ics::import_file(&f.ctx, req).expect("import");
    assert_eq!(report.created, 3, "3, 17 (moved) and 24 November");
    assert_eq!(report.window_from, "2026-11-01T00:00:00.000Z");
}

#[test]
fn a_cancelled_occurrence_cancels_that_meeting_only() {
    let f = fixture();
    import(&f.ctx, "recurring.ics");
    let report = import(&f.ctx, "recurring_occurrence_cancelled.ics");
    assert_eq!((report.cancelled, report.created, report.unchanged), (1, 0, 8));
    let list = all(&f.ctx);
    let cancelled: Vec<&str> = list.iter().filter(|m| m.status == "cancelled").map(|m| m.starts_at.as_str()).collect();
    assert_eq!(cancelled, ["2026-12-01T09:00:00.000Z"]);
    assert_eq!(list.len(), 9);
}

#[test]
fn a_cancelled_occurrence_in_a_first_import_is_skipped() {
    let f = fixture();
    let report = import(&f.ctx, "recurring_occurrence_cancelled.ics");
    assert_eq!(report.created, 8);
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.skipped[0].reason, SkipReason::Cancelled);
    assert_eq!(report.skipped[0].starts_at, "2026-12-01T09:00:00.000Z");
}

#[test]
fn a_newer_version_updates_the_meeting_an_older_one_is_ignored_and_cancel_marks_it() {
    let f = fixture();
    let first = import(&f.ctx, "update_v1.ics");
    assert_eq!(first.created, 1);
    let id = first.changes[0].meeting_id;

    let second = import(&f.ctx, "update_v2.ics");
    assert_eq!((second.created, second.updated), (0, 1));
    assert_eq!(second.changes[0].meeting_id, id, "same UID, same meeting");
    let meeting = meetings::get(&f.ctx, id).expect("meeting");
    assert_eq!(meeting.title, "Pricing call (rescheduled)");
    assert_eq!(meeting.starts_at, "2026-12-10T16:00:00.000Z");
    assert_eq!(count(f.dir.path(), "meetings"), 1);

    let stale = import(&f.ctx, "update_v1.ics");
    assert_eq!((stale.updated, stale.skipped[0].reason), (0, SkipReason::Stale));
    assert_eq!(meetings::get(&f.ctx, id).expect("meeting").title, "Pricing call (rescheduled)");

    let cancel = import(&f.ctx, "cancelled.ics");
    assert_eq!(cancel.cancelled, 1);
    assert_eq!(meetings::get(&f.ctx, id).expect("meeting").status, "cancelled");
    let never = cancel.skipped.iter().find(|s| s.uid == "never-imported@fixtures.outpost").expect("skipped");
    assert_eq!(never.reason, SkipReason::Cancelled);
    assert_eq!(count(f.dir.path(), "meetings"), 1, "a cancelled event never imported creates nothing");

    let trail = audit::list(&f.ctx, Some(id.to_string()), 10).expect("audit");
    let actions: Vec<&str> = trail.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["cancel", "update", "create"]);
}

#[test]
fn solo_blocks_are_not_meetings() {
    let f = fixture();
    let report = import(&f.ctx, "solo.ics");
    assert_eq!(report.created, 1);
    let mut solo: Vec<&str> =
        report.skipped.iter().filter(|s| s.reason == SkipReason::Solo).map(|s| s.title.as_str()).collect();
    solo.sort_unstable();
    assert_eq!(solo, ["Focus time", "Lunch", "Prep (room booked)"]);
    let list = all(&f.ctx);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].title, "Globex negotiation");
    let emails: Vec<&str> = list[0].attendees.iter().map(|a| a.email.as_str()).collect();
    assert_eq!(emails, ["grace@globex.com", "rep@acme.com"], "the organiser is an attendee too");
}

#[test]
fn only_a_file_that_is_not_icalendar_is_refused_whole() {
    let f = fixture();
    for (name, says) in [("not_icalendar.ics", "is not an iCalendar file"), ("update_v1.ics\u{0}", "cannot read")] {
        let path = ics(name.trim_end_matches('\u{0}'));
        let path = if name.ends_with('\u{0}') { path.with_extension("missing") } else { path };
        let error =
            ics::import_file(&f.ctx, CalendarImportRequest { path, ..Default::default() }).expect_err("refused");
        match error {
            Error::Invalid { message, .. } => assert!(message.contains(says), "{name}: {message}"),
            other => panic!("{name}: expected invalid, got {other:?}"),
        }
    }
    assert_eq!(count(f.dir.path(), "meetings"), 0);
    assert_eq!(count(f.dir.path(), "audit_log"), 0);
}

#[test]
fn a_malformed_event_is_reported_with_its_line_and_the_rest_imported() {
    let f = fixture();
    let report = import(&f.ctx, "malformed.ics");
    assert_eq!((report.events, report.created), (2, 1));
    let broken = &report.skipped[0];
    assert_eq!(
        (broken.uid.as_str(), broken.reason, broken.line),
        ("broken@fixtures.outpost", SkipReason::Unreadable, Some(16))
    );
    assert!(
        broken.detail.as_deref().is_some_and(|d| d.contains("DTSTART '2026-12-03 10:00' is not a date")),
        "{broken:?}"
    );
    assert_eq!(by_title(&all(&f.ctx), "A fine meeting").starts_at, "2026-12-02T15:00:00.000Z");
}

#[test]
fn a_cut_off_file_imports_its_complete_events_and_reports_the_cut_one() {
    let f = fixture();
    let report = import(&f.ctx, "truncated.ics");
    let cut = report.skipped.iter().find(|s| s.reason == SkipReason::Unreadable).expect("the cut event");
    assert!(cut.detail.as_deref().is_some_and(|d| d.contains("cut off")), "{cut:?}");
    assert_eq!(cut.uid, "lunch@fixtures.outpost");
    assert!(
        report.warnings.iter().any(|w| w.line == 1 && w.message.contains("BEGIN:VCALENDAR is never closed")),
        "{:?}",
        report.warnings
    );
    assert!(
        report.skipped.iter().any(|s| s.title == "Focus time" && s.reason == SkipReason::Solo),
        "the complete event was read"
    );
}

#[test]
fn an_imported_meeting_is_linked_to_the_external_attendees_company_and_its_only_open_deal() {
    let f = fixture();
    let globex = companies::add(
        &f.ctx,
        NewCompany { name: "Globex".into(), domain: Some("globex.com".into()), ..Default::default() },
    )
    .expect("company");
    let pilot =
        deals::add(&f.ctx, NewDeal { title: "Globex pilot".into(), company_id: Some(globex.id), ..Default::default() })
            .expect("deal");
    import(&f.ctx, "solo.ics");
    let list = all(&f.ctx);
    let negotiation = by_title(&list, "Globex negotiation");
    assert_eq!(negotiation.company_id, Some(globex.id));
    assert_eq!(negotiation.deal_id, Some(pilot.id));
}
