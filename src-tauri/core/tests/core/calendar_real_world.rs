//! Regression tests for what real calendar exports got wrong (issue 15), one per class, each on a
//! small fixture written the way the exporter named in it writes (`tests/fixtures/ics/`). The
//! clock is frozen at 2026-11-24 09:00 UTC, so the default window is 2026-08-26 to 2027-05-23.
//! The same classes are checked against an independent reader on public files by
//! `tests/calendar_corpus.rs`.

use outpost_core::{
    meetings::{
        self,
        ics::{self, CalendarImport, CalendarImportRequest, SkipReason},
        Meeting,
    },
    store::search::ListQuery,
    Ctx,
};

use super::support::{fixture, ics};

fn import(ctx: &Ctx, name: &str) -> CalendarImport {
    ics::import_file(ctx, CalendarImportRequest { path: ics(name), ..Default::default() })
        .unwrap_or_else(|e| panic!("{name} should import: {e}"))
}

fn all(ctx: &Ctx) -> Vec<Meeting> {
    meetings::list(ctx, ListQuery { search: None, limit: Some(2000) }).expect("list")
}

/// (title, start) of every meeting, sorted by start.
fn starts(ctx: &Ctx) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = all(ctx).into_iter().map(|m| (m.title, m.starts_at)).collect();
    list.sort_by(|a, b| a.1.cmp(&b.1));
    list
}

fn starts_of<'l>(list: &'l [(String, String)], title: &str) -> Vec<&'l str> {
    list.iter().filter(|(t, _)| t == title).map(|(_, s)| s.as_str()).collect()
}

#[test]
fn x_wr_timezone_applies_to_floating_times_and_utc_series() {
    let f = fixture();
    let report = import(&f.ctx, "x_wr_timezone.ics");
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    let list = starts(&f.ctx);
    assert_eq!(
        starts_of(&list, "Floating in the calendar's zone"),
        ["2026-12-03T09:00:00.000Z"],
        "10:00 in X-WR-TIMEZONE Europe/Berlin (CET), not 10:00 UTC"
    );
    assert_eq!(
        starts_of(&list, "Weekly written in UTC"),
        ["2026-10-20T08:00:00.000Z", "2026-10-27T09:00:00.000Z", "2026-11-03T09:00:00.000Z"],
        "a Google series written in UTC keeps 10:00 Berlin across the end of summer time"
    );
}

#[test]
fn several_vcalendar_objects_in_one_stream_are_all_read() {
    let f = fixture();
    let report = import(&f.ctx, "several_calendars.ics");
    assert_eq!((report.events, report.created), (2, 2), "{:?}", report.skipped);
    let list = starts(&f.ctx);
    assert_eq!(starts_of(&list, "From the first calendar"), ["2026-12-04T14:00:00.000Z"], "its X-WR-TIMEZONE");
    assert_eq!(starts_of(&list, "From the second calendar"), ["2026-12-04T09:00:00.000Z"], "not the first one's zone");
}

#[test]
fn windows_zone_names_without_a_vtimezone_map_through_cldr() {
    let f = fixture();
    let report = import(&f.ctx, "windows_zones.ics");
    assert_eq!(report.created, 3, "{:?}", report.skipped);
    let list = starts(&f.ctx);
    assert_eq!(starts_of(&list, "Windows zone id"), ["2026-12-07T14:00:00.000Z"], "Eastern Standard Time = EST");
    assert_eq!(starts_of(&list, "Outlook display name"), ["2027-06-15T13:00:00.000Z"], "EDT in June");
    assert_eq!(starts_of(&list, "Older Outlook display name"), ["2026-12-07T22:00:00.000Z"], "Sydney, AEDT");
}

#[test]
fn a_date_only_exdate_removes_the_timed_occurrence_on_that_day() {
    let f = fixture();
    import(&f.ctx, "date_mismatches.ics");
    let list = starts(&f.ctx);
    assert_eq!(
        starts_of(&list, "Daily stand-up (not on the 2nd)"),
        ["2026-12-01T14:00:00.000Z", "2026-12-03T14:00:00.000Z", "2026-12-04T14:00:00.000Z"]
    );
}

#[test]
fn an_exchange_all_day_series_moves_by_a_zoned_recurrence_id() {
    let f = fixture();
    import(&f.ctx, "date_mismatches.ics");
    let list = starts(&f.ctx);
    assert_eq!(starts_of(&list, "On-site day"), ["2026-12-01T00:00:00.000Z", "2026-12-15T00:00:00.000Z"]);
    assert_eq!(
        starts_of(&list, "On-site day (moved to Wednesday)"),
        ["2026-12-09T00:00:00.000Z"],
        "the Tuesday it replaces is gone, not kept beside it"
    );
}

#[test]
fn a_deleted_occurrence_with_an_old_override_does_not_show() {
    let f = fixture();
    import(&f.ctx, "date_mismatches.ics");
    let list = starts(&f.ctx);
    assert_eq!(starts_of(&list, "Pipeline review"), ["2026-12-03T10:00:00.000Z", "2026-12-17T10:00:00.000Z"]);
    assert!(starts_of(&list, "Pipeline review (moved, later deleted)").is_empty());
}

#[test]
fn one_odd_event_never_refuses_the_file_and_each_skipped_event_is_reported_with_uid_line_and_reason() {
    let f = fixture();
    let report = import(&f.ctx, "odd_events.ics");
    let list = starts(&f.ctx);
    assert_eq!(
        starts_of(&list, "A fine meeting"),
        ["2026-12-02T15:00:00.000Z"],
        "an unused empty VTIMEZONE is harmless"
    );
    assert_eq!(
        starts_of(&list, "Two days with Google's RDATE form"),
        ["2026-12-14T00:00:00.000Z", "2026-12-16T00:00:00.000Z"],
        "RDATE:20261216Z is a date"
    );
    assert_eq!(starts_of(&list, "Weekly sync"), ["2026-12-01T09:00:00.000Z"]);
    assert_eq!(
        starts_of(&list, "Weekly sync (moved, ends before it starts)"),
        ["2026-12-08T10:30:00.000Z"],
        "start and end swapped, with a warning"
    );
    let warning = report.warnings.iter().find(|w| w.uid == "weekly-sync@fixtures.outpost").expect("warning");
    assert_eq!(warning.line, 41);

    let unreadable: Vec<(&str, Option<u32>)> = report
        .skipped
        .iter()
        .filter(|s| s.reason == SkipReason::Unreadable)
        .map(|s| (s.uid.as_str(), s.line))
        .collect();
    assert_eq!(unreadable, [("bad-start@fixtures.outpost", Some(60)), ("bad-rule@fixtures.outpost", Some(51))]);
    let rule = report.skipped.iter().find(|s| s.uid == "bad-rule@fixtures.outpost").expect("bad rule");
    assert!(rule.detail.as_deref().is_some_and(|d| d.contains("FREQ=SOMETIMES")), "{rule:?}");
    assert_eq!(report.events, 6);
}

#[test]
fn a_series_cut_at_the_occurrence_limit_is_reported() {
    let f = fixture();
    let req = CalendarImportRequest {
        path: ics("daily_forever.ics"),
        from: Some("2026-01-01".into()),
        to: Some("2029-12-31".into()),
        ..Default::default()
    };
    let report = ics::import_file(&f.ctx, req).expect("import");
    assert_eq!(report.created, u32::from(ics::MAX_OCCURRENCES));
    let cut = report.skipped.iter().find(|s| s.reason == SkipReason::OccurrenceLimit).expect("the cut is reported");
    assert_eq!(
        (cut.uid.as_str(), cut.starts_at.as_str()),
        ("daily-forever@fixtures.outpost", "2028-09-27T08:00:00.000Z")
    );
    assert!(cut.detail.as_deref().is_some_and(|d| d.contains("1000")), "{cut:?}");
}

#[test]
fn attendee_names_are_names_not_quoted_addresses_or_lotus_canonical_names() {
    let f = fixture();
    import(&f.ctx, "attendee_names.ics");
    let meeting = &all(&f.ctx)[0];
    let name = |email: &str| {
        meeting.attendees.iter().find(|a| a.email == email).unwrap_or_else(|| panic!("{email}")).name.clone()
    };
    assert_eq!(name("someone@mail.com"), None, "a CN that is the address (in quotes) is no name");
    assert_eq!(name("grace@globex.com").as_deref(), Some("Grace Hopper"));
    assert_eq!(name("alan@initech.com").as_deref(), Some("Alan Turing"));
    assert_eq!(name("ada@initech.com").as_deref(), Some("Ada Lovelace"));
    assert_eq!(name("rep@acme.com").as_deref(), Some("Rep Rogers"));
    let suggested = |email: &str| {
        let s = meeting.suggested_contacts.iter().find(|s| s.email == email).unwrap_or_else(|| panic!("{email}"));
        (s.first_name.clone(), s.last_name.clone())
    };
    assert_eq!(suggested("someone@mail.com"), (None, None));
    assert_eq!(suggested("grace@globex.com"), (Some("Grace".into()), Some("Hopper".into())));
}

#[test]
fn an_exchange_invitation_then_a_reply_then_a_cancellation() {
    let f = fixture();
    // The invitation as Exchange mails it: unquoted tzone:// zone and SENT-BY, unquoted commas in
    // CN, a Teams description with raw line breaks, a fold inside the 'ü' of Zürich.
    let invited = import(&f.ctx, "exchange_invite.ics");
    assert_eq!(invited.created, 1, "{invited:?}");
    let meeting = &all(&f.ctx)[0];
    assert_eq!(meeting.title, "Contract review in Zürich");
    assert_eq!(
        (meeting.starts_at.as_str(), meeting.ends_at.as_deref()),
        ("2026-12-10T15:00:00.000Z", Some("2026-12-10T16:00:00.000Z")),
        "tzone://Microsoft/Utc is UTC"
    );
    assert!(
        meeting.description.as_deref().is_some_and(|d| d.contains("Join the meeting now\nhttps://teams.microsoft.com")),
        "{:?}",
        meeting.description
    );
    let people: Vec<(&str, Option<&str>)> =
        meeting.attendees.iter().map(|a| (a.email.as_str(), a.name.as_deref())).collect();
    assert_eq!(
        people,
        [
            ("ada@initech.io", Some("Lovelace, Ada")),
            ("alan@initech.io", Some("Turing, Alan")),
            ("rep@acme.com", Some("Rogers, Rep"))
        ]
    );

    // Alan's answer ("Declined: …", only Alan on it) changes nothing.
    let answered = import(&f.ctx, "exchange_reply.ics");
    assert_eq!((answered.created, answered.updated, answered.cancelled), (0, 0, 0));
    assert_eq!(answered.skipped.iter().map(|s| s.reason).collect::<Vec<_>>(), [SkipReason::Reply]);
    let after = &all(&f.ctx)[0];
    assert_eq!(
        (after.title.as_str(), after.attendees.len(), after.status.as_str()),
        (meeting.title.as_str(), 3, "scheduled")
    );

    // METHOD:CANCEL cancels it, STATUS or not.
    let cancelled = import(&f.ctx, "exchange_cancel.ics");
    assert_eq!(cancelled.cancelled, 1, "{cancelled:?}");
    assert_eq!(all(&f.ctx)[0].status, "cancelled");
}
