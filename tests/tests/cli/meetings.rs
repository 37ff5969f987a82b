//! `outpost meetings …` and `outpost settings …` through the real binary: calendar import from the
//! `.ics` fixtures (with an explicit window so the results do not depend on today's date),
//! attendees and contact suggestions, notes and follow-ups.

use anyhow::Result;
use outpost_tests::{fixture, id_of, Workspace};
use serde_json::Value;

fn ics(name: &str) -> String {
    fixture(&format!("ics/{name}")).display().to_string()
}

fn import(ws: &Workspace, name: &str) -> Result<Value> {
    ws.json(&["meetings", "import", &ics(name), "--from", "2026-09-01", "--to", "2027-06-30"])
}

fn meetings(ws: &Workspace) -> Result<Vec<Value>> {
    Ok(ws.json(&["meetings", "list", "--limit", "1000"])?.as_array().cloned().unwrap_or_default())
}

/// The meeting id of the change titled `title` in an import report.
fn changed(report: &Value, title: &str) -> String {
    report["changes"]
        .as_array()
        .and_then(|c| c.iter().find(|x| x["title"] == title))
        .and_then(|x| x["meeting_id"].as_str())
        .unwrap_or_default()
        .to_owned()
}

fn starts(list: &[Value]) -> Vec<String> {
    list.iter().filter_map(|m| m["starts_at"].as_str().map(str::to_owned)).collect()
}

#[test]
fn import_reports_utc_times_for_every_kind_of_zone() -> Result<()> {
    let ws = Workspace::new()?;
    let report = import(&ws, "timezones.ics")?;
    assert_eq!(report["created"], 6);
    let list = meetings(&ws)?;
    assert_eq!(
        starts(&list),
        [
            "2026-12-02T10:00:00.000Z",
            "2026-12-03T14:00:00.000Z",
            "2026-12-04T15:00:00.000Z",
            "2026-12-05T11:00:00.000Z",
            "2026-12-07T09:00:00.000Z",
            "2027-06-15T08:00:00.000Z",
        ]
    );
    let all_day = import(&ws, "all_day.ics")?;
    let offsite = ws.json(&["meetings", "show", &changed(&all_day, "Globex on-site workshop")])?;
    assert_eq!(
        (offsite["all_day"].clone(), offsite["starts_at"].clone()),
        (Value::Bool(true), "2026-12-08T00:00:00.000Z".into())
    );
    Ok(())
}

#[test]
fn a_series_is_expanded_and_a_cancelled_occurrence_cancels_one_meeting() -> Result<()> {
    let ws = Workspace::new()?;
    let first = import(&ws, "recurring.ics")?;
    assert_eq!(first["created"], 9);
    let second = import(&ws, "recurring_occurrence_cancelled.ics")?;
    assert_eq!(
        (second["created"].clone(), second["cancelled"].clone(), second["unchanged"].clone()),
        (0.into(), 1.into(), 8.into())
    );
    assert_eq!(second["changes"][0]["starts_at"], "2026-12-01T09:00:00.000Z");
    let list = meetings(&ws)?;
    assert_eq!(list.len(), 9);
    let cancelled: Vec<&Value> = list.iter().filter(|m| m["status"] == "cancelled").collect();
    assert_eq!(cancelled.len(), 1);
    assert_eq!(cancelled[0]["starts_at"], "2026-12-01T09:00:00.000Z");
    Ok(())
}

#[test]
fn an_update_with_the_same_uid_changes_the_meeting_and_cancel_marks_it() -> Result<()> {
    let ws = Workspace::new()?;
    let id = import(&ws, "update_v1.ics")?["changes"][0]["meeting_id"].as_str().unwrap_or_default().to_owned();
    let updated = import(&ws, "update_v2.ics")?;
    assert_eq!(updated["updated"], 1);
    let meeting = ws.json(&["meetings", "show", &id])?;
    assert_eq!(meeting["title"], "Pricing call (rescheduled)");
    assert_eq!(meeting["starts_at"], "2026-12-10T16:00:00.000Z");
    let cancelled = import(&ws, "cancelled.ics")?;
    assert_eq!(cancelled["cancelled"], 1);
    assert_eq!(ws.json(&["meetings", "show", &id])?["status"], "cancelled");
    assert_eq!(meetings(&ws)?.len(), 1);
    Ok(())
}

#[test]
fn solo_blocks_and_unreadable_events_are_skipped_and_a_file_that_is_not_icalendar_imports_nothing() -> Result<()> {
    let ws = Workspace::new()?;
    let report = import(&ws, "solo.ics")?;
    assert_eq!(report["created"], 1);
    let reasons: Vec<&str> = report["skipped"]
        .as_array()
        .map(|s| s.iter().filter_map(|e| e["reason"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(reasons, ["solo", "solo", "solo"]);

    let partly = ws.json(&["meetings", "import", &ics("malformed.ics")])?;
    assert_eq!(partly["created"], 1, "the readable event is imported");
    assert_eq!(partly["skipped"][0]["uid"], "broken@fixtures.outpost");
    assert_eq!(
        (partly["skipped"][0]["reason"].as_str(), partly["skipped"][0]["line"].as_u64()),
        (Some("unreadable"), Some(16))
    );

    let before = ws.db_dump()?;
    let failed = ws.fails(&["meetings", "import", &ics("not_icalendar.ics")])?;
    assert_eq!(failed.code, Some(3));
    assert!(
        failed.stderr.contains("is not an iCalendar file") && failed.stderr.contains("nothing was imported"),
        "{}",
        failed.stderr
    );
    let after = ws.db_dump()?;
    assert!(after == before, "a refused file changed the database:\n{}", before.diff(&after));
    Ok(())
}

#[test]
fn attendees_suggestions_notes_and_follow_ups() -> Result<()> {
    let ws = Workspace::new()?;
    let set = ws.json(&["settings", "set", "internal-domains", "acme.com"])?;
    assert_eq!(set["value"], "acme.com");
    let id = changed(&import(&ws, "all_day.ics")?, "Globex on-site workshop");
    let shown = ws.json(&["meetings", "show", &id])?;
    let internal: Vec<(String, bool)> = shown["attendees"]
        .as_array()
        .map(|a| {
            a.iter().map(|x| (x["email"].as_str().unwrap_or_default().to_owned(), x["is_internal"] == true)).collect()
        })
        .unwrap_or_default();
    assert_eq!(
        internal,
        [
            ("grace@globex.com".to_owned(), false),
            ("hank@globex.com".to_owned(), false),
            ("rep@acme.com".to_owned(), true)
        ]
    );
    let suggested: Vec<&str> = shown["suggested_contacts"]
        .as_array()
        .map(|s| s.iter().filter_map(|x| x["email"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(suggested, ["grace@globex.com", "hank@globex.com"]);

    let created = ws.json(&["meetings", "add-contacts", &id, "--email", "grace@globex.com"])?;
    assert_eq!(created[0]["first_name"], "Grace");
    assert_eq!(created[0]["last_name"], "Hopper");
    let grace = id_of(&created[0])?;
    assert_eq!(ws.json(&["meetings", "show", &id])?["suggested_contacts"].as_array().map(Vec::len), Some(1));

    let notes = tempfile::NamedTempFile::new()?;
    std::fs::write(notes.path(), "Agreed scope.\n- [ ] Send SOW by 2026-12-15\nAI: book follow-up workshop\n")?;
    let with_notes = ws.json(&["meetings", "notes", &id, "--file", &notes.path().display().to_string()])?;
    assert!(with_notes["notes"].as_str().unwrap_or_default().contains("Send SOW"));
    let follow = ws.json(&["meetings", "follow-ups", &id])?;
    let titles: Vec<&str> = follow["tasks_created"]
        .as_array()
        .map(|t| t.iter().filter_map(|x| x["title"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(titles, ["Send SOW", "Book follow-up workshop"]);
    assert_eq!(follow["tasks_created"][0]["due_date"], "2026-12-15");
    assert_eq!(follow["tasks_created"][0]["entity_id"], grace.as_str(), "the only external contact");
    // The meeting's start, or now if it is still ahead.
    let contacted =
        ws.json(&["contacts", "show", &grace])?["last_contacted_at"].as_str().unwrap_or_default().to_owned();
    assert!(!contacted.is_empty() && contacted.as_str() <= "2026-12-08T00:00:00.000Z", "{contacted}");
    let again = ws.json(&["meetings", "follow-ups", &id])?;
    assert_eq!(
        (again["tasks_created"].as_array().map(Vec::len), again["already_created"].clone()),
        (Some(0), 2.into())
    );
    assert_eq!(ws.json(&["tasks", "list"])?.as_array().map(Vec::len), Some(2));
    let timeline = ws.json(&["activities", "list", "--contact", &grace])?;
    assert_eq!(timeline.as_array().map(Vec::len), Some(1));
    assert_eq!(timeline[0]["kind"], "meeting");
    Ok(())
}

#[test]
fn settings_are_listed_and_bad_values_refused() -> Result<()> {
    let ws = Workspace::new()?;
    let names: Vec<String> = ws
        .json(&["settings", "list"])?
        .as_array()
        .map(|s| s.iter().filter_map(|x| x["name"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    assert_eq!(
        names,
        [
            "internal-domains",
            "calendar-days-back",
            "calendar-days-ahead",
            "timezone",
            "default-currency",
            "competitors",
            "stale-deal-days",
            "brief-lead-hours",
            "digest-time",
            "utc-offset",
            "import-document-max"
        ]
    );
    let bad = ws.fails(&["settings", "set", "timezone", "Mars/Base"])?;
    assert_eq!(bad.code, Some(3));
    assert!(bad.stderr.contains("IANA"), "{}", bad.stderr);
    Ok(())
}

#[test]
fn a_meeting_is_updated_and_linked_to_a_deal_for_its_follow_ups() -> Result<()> {
    let ws = Workspace::new()?;
    let deal = id_of(&ws.json(&["deals", "add", "--title", "Initech pilot", "--value", "5000"])?)?;
    let id = changed(&import(&ws, "update_v1.ics")?, "Pricing call");
    let updated = ws.json(&["meetings", "update", &id, "--deal-id", &deal, "--location", "Initech office"])?;
    assert_eq!(updated["deal_id"], deal.as_str());
    assert_eq!(updated["location"], "Initech office");
    assert_eq!(updated["title"], "Pricing call", "untouched fields stay");
    ws.json(&["meetings", "notes", &id, "--text", "Action: send the pilot contract"])?;
    let follow = ws.json(&["meetings", "follow-ups", &id])?;
    assert_eq!(follow["tasks_created"][0]["entity_type"], "deal");
    assert_eq!(follow["tasks_created"][0]["entity_id"], deal.as_str());
    let bad = ws.fails(&["meetings", "update", &id, "--ends-at", "2026-12-01T00:00:00Z"])?;
    assert_eq!(bad.code, Some(3));
    assert!(bad.stderr.contains("ends_at"), "{}", bad.stderr);
    Ok(())
}
