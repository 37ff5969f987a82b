//! The calendar reader against an independent reference on real files: every `.ics` file of the
//! public corpus in `tests/fixtures/calendars/` (sources and licences in its `SOURCES.tsv`) is
//! expanded by Outpost ([`ics::expand_calendar`], what the import plans with) and by Python
//! `icalendar` + `recurring_ical_events` (`tests/oracle/calendar_reference.py`, installed by
//! `make calendar-oracle` into `.tools/calendar-oracle`), over the same window — from the day
//! before the file's first event for two years — and compared occurrence by occurrence: UID, UTC
//! start, all-day, cancelled. A series Outpost cuts at its occurrence limit is compared up to the
//! cut (which must be reported). Files in `EXCEPTIONS.tsv` are ones the reference cannot read or
//! reads demonstrably wrong, each with the reviewed reason; an exception that is no longer needed
//! fails the test, so the list stays honest.
//!
//! The same files, cut off and with lines dropped, must still be read (reporting what is not).
//!
//! `OUTPOST_CALENDAR_CORPUS` points the test at another folder; `OUTPOST_CALENDAR_ORACLE` at
//! another Python with the reference installed.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use chrono::{DateTime, Duration, NaiveTime, Utc};
use outpost_core::meetings::ics::{self, CalendarWindow, Occurrence, SkipReason};

type Row = (String, String, bool, bool);

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn corpus_dir() -> PathBuf {
    std::env::var_os("OUTPOST_CALENDAR_CORPUS")
        .map_or_else(|| workspace().join("tests/fixtures/calendars"), PathBuf::from)
}

fn oracle_python() -> PathBuf {
    std::env::var_os("OUTPOST_CALENDAR_ORACLE")
        .map_or_else(|| workspace().join(".tools/calendar-oracle/bin/python"), PathBuf::from)
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("corpus {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ics")))
        .collect();
    out.sort();
    out
}

fn exceptions(dir: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(dir.join("EXCEPTIONS.tsv")).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('\t'))
        .map(|(file, why)| (file.trim().to_owned(), why.trim().to_owned()))
        .collect()
}

/// From the day before the first event for two years (730 days).
fn window_of(text: &str) -> CalendarWindow {
    let first = ics::parse_calendar(text, chrono_tz::UTC)
        .ok()
        .and_then(|parsed| parsed.events.iter().map(|e| e.start).min())
        .unwrap_or_else(|| DateTime::<Utc>::from_timestamp(946_684_800, 0).expect("2000-01-01"));
    let from = (first.date_naive() - Duration::days(1)).and_time(NaiveTime::MIN).and_utc();
    CalendarWindow { from, to: from + Duration::days(730) }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

struct Outpost {
    rows: Vec<Row>,
    /// What Outpost reported as skipped or left out, shown when a file differs.
    notes: Vec<String>,
    /// UID → first occurrence left out by the occurrence limit.
    cut: BTreeMap<String, String>,
}

fn outpost(text: &str, window: CalendarWindow) -> Outpost {
    let expansion = ics::expand_calendar(text, chrono_tz::UTC, window).expect("a corpus file is iCalendar");
    let rows = expansion
        .occurrences
        .iter()
        .map(|Occurrence { uid, start, all_day, cancelled }| (uid.clone(), rfc3339(*start), *all_day, *cancelled))
        .collect();
    let cut = expansion
        .skipped
        .iter()
        .filter(|s| s.reason == SkipReason::OccurrenceLimit)
        .map(|s| (s.uid.clone(), s.starts_at.replace(".000Z", "Z")))
        .collect();
    let notes = expansion
        .skipped
        .iter()
        .map(|s| {
            format!(
                "    outpost skipped {} at line {:?}: {:?} {}",
                s.uid,
                s.line,
                s.reason,
                s.detail.as_deref().unwrap_or("")
            )
        })
        .chain(
            expansion
                .warnings
                .iter()
                .map(|w| format!("    outpost warned {} at line {}: {}", w.uid, w.line, w.message)),
        )
        .collect();
    Outpost { rows, cut, notes }
}

/// The reference's answer per file: occurrences, or why it cannot read the file.
fn reference(jobs: &[(PathBuf, CalendarWindow)]) -> BTreeMap<String, Result<Vec<Row>, String>> {
    let python = oracle_python();
    assert!(
        python.exists(),
        "the reference expansion is not installed at {}: run `make calendar-oracle` (or set OUTPOST_CALENDAR_ORACLE)",
        python.display()
    );
    let input: Vec<serde_json::Value> = jobs
        .iter()
        .map(|(path, w)| serde_json::json!({"path": path, "from": rfc3339(w.from), "to": rfc3339(w.to)}))
        .collect();
    let mut child = Command::new(&python)
        .arg(workspace().join("tests/oracle/calendar_reference.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the reference");
    serde_json::to_writer(child.stdin.take().expect("stdin"), &input).expect("send jobs");
    let output = child.wait_with_output().expect("reference output");
    assert!(output.status.success(), "the reference failed");
    let answer: BTreeMap<String, serde_json::Value> = serde_json::from_slice(&output.stdout).expect("reference JSON");
    answer
        .into_iter()
        .map(|(path, value)| {
            let result = match value.get("error").and_then(|e| e.as_str()) {
                Some(error) => Err(error.to_owned()),
                None => Ok(value["occurrences"]
                    .as_array()
                    .expect("occurrences")
                    .iter()
                    .map(|o| {
                        let text = |k: &str| o[k].as_str().unwrap_or_default().to_owned();
                        (
                            text("uid").trim().to_owned(),
                            text("start"),
                            o["all_day"].as_bool() == Some(true),
                            o["cancelled"].as_bool() == Some(true),
                        )
                    })
                    .collect()),
            };
            (path, result)
        })
        .collect()
}

/// Differences between Outpost's rows and the reference's, as lines to print.
fn differences(mut ours: Vec<Row>, mut theirs: Vec<Row>, cut: &BTreeMap<String, String>) -> Vec<String> {
    theirs.retain(|(uid, start, ..)| cut.get(uid).is_none_or(|first_left_out| start < first_left_out));
    ours.sort();
    theirs.sort();
    let ours_set: BTreeSet<&Row> = ours.iter().collect();
    let theirs_set: BTreeSet<&Row> = theirs.iter().collect();
    let mut out: Vec<String> = Vec::new();
    out.extend(theirs_set.difference(&ours_set).take(5).map(|r| format!("    missing {r:?}")));
    out.extend(ours_set.difference(&theirs_set).take(5).map(|r| format!("    extra   {r:?}")));
    if out.is_empty() && ours.len() != theirs.len() {
        out.push(format!("    {} occurrences here, {} in the reference (duplicates)", ours.len(), theirs.len()));
    }
    out
}

#[test]
fn the_calendar_corpus_matches_the_reference_expansion() {
    let dir = corpus_dir();
    let excepted = exceptions(&dir);
    let mut jobs = Vec::new();
    let mut ours = BTreeMap::new();
    for path in files(&dir) {
        let text = ics::decode_ics(&std::fs::read(&path).expect("read corpus file"));
        let window = window_of(&text);
        ours.insert(path.to_string_lossy().into_owned(), outpost(&text, window));
        jobs.push((path, window));
    }
    let theirs = reference(&jobs);
    let (mut matched, mut compared, mut occurrences, mut report) = (0, 0, 0, Vec::new());
    let mut stale_exceptions = Vec::new();
    for (path, _) in &jobs {
        let key = path.to_string_lossy().into_owned();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mine = &ours[&key];
        let diff = match theirs.get(&key) {
            Some(Ok(rows)) => differences(mine.rows.clone(), rows.clone(), &mine.cut),
            Some(Err(error)) => vec![format!("    the reference cannot read it: {error}")],
            None => vec!["    no answer from the reference".to_owned()],
        };
        if let Some(why) = excepted.get(&name) {
            if diff.is_empty() {
                stale_exceptions.push(name.clone());
            }
            report.push(format!("  exception {name}: {why}"));
            continue;
        }
        compared += 1;
        occurrences += mine.rows.len();
        if diff.is_empty() {
            matched += 1;
        } else {
            report.push(format!("  {name} differs:"));
            report.extend(diff);
            report.extend(mine.notes.iter().cloned());
        }
    }
    println!("{matched}/{compared} calendars match the reference ({occurrences} occurrences compared)");
    for line in &report {
        println!("{line}");
    }
    assert!(compared >= 60, "the corpus should hold at least 60 compared calendars, has {compared}");
    assert!(stale_exceptions.is_empty(), "exceptions no longer needed (remove them): {stale_exceptions:?}");
    assert_eq!(matched, compared, "{matched}/{compared} calendars match the reference");
}

/// Every corpus file cut off at seven points and with every seventh line dropped: the reader
/// never fails on a damaged iCalendar file (it reports what it could not read) and never panics.
#[test]
fn damaged_corpus_files_are_read_as_far_as_they_go() {
    let window = CalendarWindow {
        from: DateTime::<Utc>::from_timestamp(0, 0).expect("1970"),
        to: DateTime::<Utc>::from_timestamp(2_000_000_000, 0).expect("2033"),
    };
    let mut damaged = 0;
    for path in files(&corpus_dir()) {
        let text = ics::decode_ics(&std::fs::read(&path).expect("read corpus file"));
        let cuts = (1..8)
            .map(|i| text.len() * i / 8)
            .filter_map(|at| (0..4).map(|d| at + d).find(|at| text.is_char_boundary(*at)));
        let mut versions: Vec<String> = cuts.map(|at| text[..at].to_owned()).collect();
        versions
            .push(text.lines().enumerate().filter(|(i, _)| i % 7 != 6).map(|(_, l)| l).collect::<Vec<_>>().join("\n"));
        for version in versions.iter().filter(|v| v.len() > "BEGIN:VCALENDAR".len()) {
            let expansion = ics::expand_calendar(version, chrono_tz::UTC, window)
                .unwrap_or_else(|e| panic!("{}: a damaged iCalendar file is still read: {e}", path.display()));
            damaged += 1;
            assert!(expansion.skipped.iter().all(|s| s.reason != SkipReason::Unreadable || s.line.is_some()));
        }
    }
    assert!(damaged > 500, "{damaged} damaged versions read");
}

fn corpus_text(name: &str) -> String {
    ics::decode_ics(&std::fs::read(corpus_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}")))
}

/// The UTC starts (RFC 3339, seconds) of `uid`'s occurrences in a corpus file, over 1970–2033.
fn starts_of(name: &str, uid_part: &str) -> Vec<String> {
    let window = CalendarWindow {
        from: DateTime::<Utc>::from_timestamp(0, 0).expect("1970"),
        to: DateTime::<Utc>::from_timestamp(2_000_000_000, 0).expect("2033"),
    };
    let expansion = ics::expand_calendar(&corpus_text(name), chrono_tz::UTC, window).expect("iCalendar");
    expansion.occurrences.iter().filter(|o| o.uid.contains(uid_part)).map(|o| rfc3339(o.start)).collect()
}

/// What the reference reads differently (the files in `EXCEPTIONS.tsv`) is still checked: each
/// reviewed reason, as Outpost reads the real file.
#[test]
fn excepted_files_are_read_as_their_exporters_meant() {
    // Exchange ends an all-day series with the local midnight starting its last day, in UTC.
    for (file, uid, last) in [
        ("icalevents--cest.ics", "52EAF66D5C3BC6458198F47BAE50996F", "2021-07-02T00:00:00Z"),
        ("icalevents--cest.ics", "7B29D30C240193429FF8C08553783419", "2020-05-22T00:00:00Z"),
        ("icalevents--recurring_override.ics", "C5F95995E3800542923A3EE467BA1A6A", "2022-11-03T00:00:00Z"),
        ("node-ical--exchange_whole_day_moved_recurrence.ics", "exchange-moved-recurrence", "2026-08-18T00:00:00Z"),
        (
            "recurring-ical-events--issue_28_rrule_with_UTC_endinginZ.ics",
            "FBF1FBAE2E9FBC4D81F16854E2F4D51B",
            "2020-09-17T00:00:00Z",
        ),
    ] {
        let starts = starts_of(file, uid);
        assert_eq!(starts.iter().max().map(String::as_str), Some(last), "{file} {uid}: {starts:?}");
    }
    // Read although the reference refuses the file.
    assert_eq!(starts_of("khal--non_dst_error.ics", "4e3e3186"), ["2023-02-03T14:15:00Z"], "15:15 in Brussels");
    assert_eq!(starts_of("icalevents--icloud.ics", "003AFB7E"), ["2016-11-03T17:00:00Z"], "18:00 in Berlin");
    assert_eq!(starts_of("ics-parser--issue-340.ics", "2e408c67"), ["2023-01-12T17:00:00Z"], "kept without DTEND:None");
    // Synology's DURATION:PT1W is a week.
    let synology =
        ics::parse_calendar(&corpus_text("node-ical--test_date_duration.ics"), chrono_tz::UTC).expect("read");
    let week: Vec<(String, Option<String>)> =
        synology.events.iter().map(|e| (rfc3339(e.start), e.end.map(rfc3339))).collect();
    assert_eq!(week, [("2024-02-15T00:00:00Z".to_owned(), Some("2024-02-22T00:00:00Z".to_owned()))]);
    // Office 365's undefined "Customized Time Zone": the calendar's own zone (W. Europe), warned.
    let parsed =
        ics::parse_calendar(&corpus_text("ical--office_365_invalid_timezone.ics"), chrono_tz::UTC).expect("read");
    assert_eq!(parsed.events.iter().map(|e| rfc3339(e.start)).collect::<Vec<_>>(), ["2024-04-26T12:00:00Z"]);
    assert!(parsed.warnings.iter().any(|w| w.line == 38 && w.message.contains("W. Europe Standard Time")));
}

/// Beyond the occurrences the reference compares: names, text, who is a person and what a reply
/// is, on real files.
#[test]
fn real_exports_keep_names_text_and_replies() {
    let parsed = ics::parse_calendar(&corpus_text("ics-parser--ICal.ics"), chrono_tz::UTC).expect("read");
    let holidays =
        parsed.events.iter().find(|e| e.uid.starts_with("15lc1nvupht8")).expect("read past its raw line break");
    assert!(
        holidays
            .description
            .as_deref()
            .is_some_and(|d| d.ends_with("interesting, too.\n&nbsp; And a non-breaking space.")),
        "{:?}",
        holidays.description
    );
    assert_eq!(holidays.organizer.as_ref().and_then(|o| o.name.as_deref()), Some("My Name"));
    let names: Vec<Option<&str>> =
        parsed.events.iter().flat_map(|e| e.attendees.iter()).map(|a| a.name.as_deref()).collect();
    assert!(names.contains(&Some("Page, Larry")) && names.contains(&Some("Brin, Sergey")), "{names:?}");

    // Google lists the calendar itself (…@group.calendar.google.com) as the attendee of a "Busy"
    // block: no person, so no meeting.
    let busy = ics::parse_calendar(&corpus_text("icalevents--rrule_until_all_day_google.ics"), chrono_tz::UTC)
        .expect("read")
        .events;
    assert!(busy.iter().all(|e| e.attendees.is_empty()), "{:?}", busy.iter().map(|e| &e.attendees).collect::<Vec<_>>());

    // An Exchange reply ("Declined: …", only the attendee who answered) is no meeting.
    let window = CalendarWindow {
        from: DateTime::<Utc>::from_timestamp(1_600_000_000, 0).expect("2020"),
        to: DateTime::<Utc>::from_timestamp(1_700_000_000, 0).expect("2023"),
    };
    for file in ["icalevents--response.ics", "icalevents--multi_attendee_response.ics"] {
        let events = ics::parse_calendar(&corpus_text(file), chrono_tz::UTC).expect("read").events;
        let plan = ics::plan_calendar_import(&events, &[], window).expect("plan");
        assert!(plan.creates.is_empty(), "{file}: {:?}", plan.creates);
        assert_eq!(plan.skipped.iter().map(|s| s.reason).collect::<Vec<_>>(), [SkipReason::Reply], "{file}");
    }
}
