//! `outpost watch run --once` on a folder: which files are imported, ignored, refused or reported
//! as failed, that nothing is imported twice (renamed, copied, or after a restart), and moving
//! handled files into `processed/`.

use anyhow::{Context, Result};
use outpost_tests::{fixture, Workspace};

use super::support::{add_folder, emails, job_count, jobs_for, kinds, leads_csv, run_once};

fn pair(key: &str, kind: &str) -> (String, String) {
    (key.to_owned(), kind.to_owned())
}

#[test]
fn imports_csv_files_once_and_ignores_or_refuses_the_rest() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let folder = dir.path();
    let outside = tempfile::tempdir()?;
    add_folder(&ws, folder, &["--settle-ms", "300"])?;

    std::fs::copy(fixture("csv/utf8.csv"), folder.join("utf8.csv"))?;
    std::fs::copy(fixture("csv/tab.csv"), folder.join("tab.tsv"))?;
    // Temporary, hidden and lock files, and files of other kinds, are never touched.
    for ignored in [".hidden.csv", "~$lock.csv", ".~lock.utf8.csv#", "download.csv.part", "x.csv.crdownload", "a.tmp"] {
        std::fs::write(folder.join(ignored), leads_csv(1, "ignored.example"))?;
    }
    std::fs::write(folder.join("notes.md"), "# not leads\n")?;
    // A damaged workbook and a binary named .csv are reported, not imported.
    std::fs::copy(fixture("csv/fake.xlsx"), folder.join("leads.xlsx"))?;
    std::fs::copy(fixture("csv/binary.bin"), folder.join("binary.csv"))?;
    // A symlink leaving the folder is refused, not followed.
    std::fs::write(outside.path().join("secret.csv"), leads_csv(2, "outside.example"))?;
    std::os::unix::fs::symlink(outside.path().join("secret.csv"), folder.join("escape.csv"))?;

    let events = run_once(&ws, &[])?;
    assert_eq!(
        kinds(&events),
        [
            pair("binary.csv", "failed"),
            pair("escape.csv", "failed"),
            pair("leads.xlsx", "failed"),
            pair("tab.tsv", "imported"),
            pair("utf8.csv", "imported"),
        ]
    );
    let message = |key: &str| -> String {
        events.iter().find(|e| e["key"] == key).and_then(|e| e["message"].as_str()).unwrap_or_default().to_owned()
    };
    assert!(message("escape.csv").contains("outside the watched folder"), "{}", message("escape.csv"));
    assert!(message("leads.xlsx").contains("cannot be read"), "{}", message("leads.xlsx"));
    let all = emails(&ws)?;
    assert!(all.iter().all(|e| !e.contains("ignored.example") && !e.contains("outside.example")), "{all:?}");
    assert!(all.contains(&"jose@acme.es".to_owned()), "{all:?}");

    let jobs = jobs_for(&ws, "utf8.csv")?;
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0]["source_kind"], "folder");
    assert_eq!(jobs[0]["status"], "completed");

    // The source shows its state: counts, the last import, the last per-file error.
    let source = &ws.json(&["watch", "list"])?[0];
    assert_eq!(source["status"], "ok");
    assert_eq!(source["files_processed"], 5);
    assert_eq!(source["files_failed"], 3);
    assert!(source["last_scan_at"].is_string());
    assert_eq!(source["last_import"]["status"], "completed");

    // Running again (a restart) handles nothing; the failures are not retried.
    let jobs_before = job_count(&ws)?;
    assert_eq!(run_once(&ws, &[])?, Vec::<serde_json::Value>::new());
    assert_eq!(job_count(&ws)?, jobs_before);

    // The same content under a new name (and a copy) is a duplicate, not a second import.
    std::fs::copy(folder.join("utf8.csv"), folder.join("utf8 (copy).csv"))?;
    std::fs::rename(folder.join("tab.tsv"), folder.join("renamed.txt"))?;
    let events = run_once(&ws, &[])?;
    assert_eq!(kinds(&events), [pair("renamed.txt", "duplicate"), pair("utf8 (copy).csv", "duplicate")]);
    assert_eq!(job_count(&ws)?, jobs_before);
    assert_eq!(emails(&ws)?, all);

    // New content in a file is a new import.
    std::fs::write(folder.join("more.csv"), leads_csv(3, "more.example"))?;
    let events = run_once(&ws, &[])?;
    assert_eq!(kinds(&events), [pair("more.csv", "imported")]);
    assert_eq!(events[0]["imported"], 3);
    assert_eq!(job_count(&ws)?, jobs_before + 1);
    Ok(())
}

#[test]
fn content_imported_by_hand_is_a_duplicate_and_move_processed_moves_files() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let folder = dir.path();
    add_folder(&ws, folder, &["--settle-ms", "200", "--move-processed"])?;

    let by_hand = dir.path().join("by-hand.csv");
    std::fs::write(&by_hand, leads_csv(2, "hand.example"))?;
    ws.json(&["import", by_hand.to_str().context("utf-8 path")?])?;
    std::fs::rename(&by_hand, folder.join("again.csv"))?;
    std::fs::write(folder.join("fresh.csv"), leads_csv(4, "fresh.example"))?;
    std::fs::write(folder.join("broken.csv"), "Email\n")?;

    let events = run_once(&ws, &[])?;
    assert_eq!(
        kinds(&events),
        [pair("again.csv", "duplicate"), pair("broken.csv", "failed"), pair("fresh.csv", "imported")]
    );
    assert_eq!(emails(&ws)?.len(), 6);
    // Imported and duplicate files moved; the failed one stays where the rep can see it.
    let processed = folder.join("processed");
    assert!(processed.join("again.csv").is_file() && processed.join("fresh.csv").is_file());
    assert!(!folder.join("again.csv").exists() && !folder.join("fresh.csv").exists());
    assert!(folder.join("broken.csv").is_file());
    let source = &ws.json(&["watch", "list"])?[0];
    assert!(source["last_error"].as_str().is_some_and(|e| e.contains("broken.csv")), "{source}");
    assert_eq!(run_once(&ws, &[])?, Vec::<serde_json::Value>::new());
    Ok(())
}

#[test]
fn calendar_files_in_a_watched_folder_become_meetings_once() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let folder = dir.path();
    add_folder(&ws, folder, &["--settle-ms", "300"])?;
    std::fs::copy(fixture("ics/update_v1.ics"), folder.join("calendar.ics"))?;
    std::fs::copy(fixture("ics/not_icalendar.ics"), folder.join("broken.ics"))?;

    let events = run_once(&ws, &[])?;
    assert_eq!(kinds(&events), [pair("broken.ics", "failed"), pair("calendar.ics", "imported")]);
    let imported = events.iter().find(|e| e["key"] == "calendar.ics").context("calendar event")?;
    assert_eq!(imported["imported"], 1, "one meeting created");
    let meetings = ws.json(&["meetings", "list"])?;
    assert_eq!(meetings.as_array().map(Vec::len), Some(1));
    assert_eq!(meetings[0]["title"], "Pricing call");
    assert_eq!(job_count(&ws)?, 0, "calendars are not lead imports");

    // Scanning again handles nothing; a newer export under the same name updates the meeting.
    assert!(run_once(&ws, &[])?.is_empty());
    std::fs::copy(fixture("ics/update_v2.ics"), folder.join("calendar.ics"))?;
    let events = run_once(&ws, &[])?;
    assert_eq!(kinds(&events), [pair("calendar.ics", "imported")]);
    assert_eq!(events[0]["updated"], 1);
    let meetings = ws.json(&["meetings", "list"])?;
    assert_eq!(meetings.as_array().map(Vec::len), Some(1));
    assert_eq!(meetings[0]["title"], "Pricing call (rescheduled)");
    Ok(())
}
