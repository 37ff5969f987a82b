//! `outpost watch run` as a foreground daemon: a file written slowly is imported once and whole, a
//! download renamed into place is picked up, and a restart imports nothing again.

use std::{
    io::Write,
    time::{Duration, Instant},
};

use anyhow::{Context, Result};
use outpost_tests::Workspace;

use super::support::{add_folder, emails, job_count, jobs_for, leads_csv, Daemon};

/// How long a file must stand still before the watcher imports it.
const SETTLE: Duration = Duration::from_millis(2000);

/// Writes `text` to `path` in 8 flushed chunks 400 ms apart (longer than the watcher's 200 ms tick,
/// so it re-checks the file between chunks, yet well under the settle time); returns the longest time the file
/// could have stood still between two changes (creation included), as measured around each write.
fn write_slowly(path: &std::path::Path, text: &str) -> Result<Duration> {
    let bytes = text.as_bytes();
    let mut last_change_started = Instant::now();
    let mut file = std::fs::File::create(path)?;
    let mut longest = Duration::ZERO;
    for chunk in bytes.chunks(bytes.len() / 8 + 1) {
        std::thread::sleep(Duration::from_millis(400));
        let started = Instant::now();
        file.write_all(chunk)?;
        file.flush()?;
        longest = longest.max(last_change_started.elapsed());
        last_change_started = started;
    }
    Ok(longest)
}

#[test]
fn slow_writes_and_renamed_downloads_are_imported_once_and_complete() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let folder = dir.path();
    add_folder(&ws, folder, &["--settle-ms", &SETTLE.as_millis().to_string()])?;
    let mut daemon = Daemon::start(&ws)?;

    // Written in 8 chunks that split lines in the middle, flushed, with pauses well under the
    // settle time. The claim holds only if the file really never stood still for the settle time:
    // a loaded machine may stall the writer longer, so the writer measures how long the file
    // could have stood still; an attempt stalled past the settle time proves nothing (the
    // watcher may rightly import the prefix) and is repeated with a new file.
    let mut extra_emails = 0;
    let mut extra_files = 0;
    let mut strict = None;
    for attempt in 0..5 {
        let name = format!("slow-{attempt}.csv");
        let stood_still = write_slowly(&folder.join(&name), &leads_csv(40, &format!("slow{attempt}.example")))?;
        let event = daemon.wait_event(&name)?;
        if stood_still < SETTLE {
            strict = Some((name, event));
            break;
        }
        println!("attempt {attempt}: the writer stalled {stood_still:?} (settle {SETTLE:?}); repeating");
        extra_emails += event["imported"].as_u64().unwrap_or(0) as usize;
        extra_files += 1;
    }
    let (name, event) = strict.context("5 attempts in a row stalled past the settle time")?;
    assert_eq!(event["event"], "imported", "{event}");
    assert_eq!(event["imported"], 40, "the whole file, not a prefix: {event}");
    let jobs = jobs_for(&ws, &name)?;
    assert_eq!(jobs.len(), 1, "exactly one import of the file: {jobs:?}");
    assert_eq!(jobs[0]["total"], 40);

    // A browser download: written as .part (never touched), then renamed to .csv.
    let part = folder.join("export.csv.part");
    std::fs::write(&part, leads_csv(5, "download.example"))?;
    std::fs::rename(&part, folder.join("export.csv"))?;
    let event = daemon.wait_event("export.csv")?;
    assert_eq!(event["event"], "imported", "{event}");
    assert_eq!(event["imported"], 5);
    assert!(daemon.events().iter().all(|e| !e["key"].as_str().unwrap_or_default().ends_with(".part")));

    // Hidden and lock files dropped while running are ignored; the next real file proves the
    // watcher has seen them.
    std::fs::write(folder.join(".hidden.csv"), leads_csv(1, "hidden.example"))?;
    std::fs::write(folder.join("~$lock.csv"), leads_csv(1, "lock.example"))?;
    std::fs::write(folder.join("later.csv"), leads_csv(2, "later.example"))?;
    daemon.wait_event("later.csv")?;
    daemon.stop()?;
    assert_eq!(
        ws.json(&["watch", "list"])?[0]["files_processed"],
        3 + extra_files,
        "hidden and lock files were not handled"
    );
    let all = emails(&ws)?;
    assert_eq!(all.len(), 47 + extra_emails, "{all:?}");

    // Restart: nothing is imported again; a new file is, and it is the only event.
    let jobs_before = job_count(&ws)?;
    let mut daemon = Daemon::start(&ws)?;
    std::fs::write(folder.join("after-restart.csv"), leads_csv(3, "restart.example"))?;
    let event = daemon.wait_event("after-restart.csv")?;
    assert_eq!(event["event"], "imported");
    let events = daemon.events();
    daemon.stop()?;
    assert_eq!(events.len(), 1, "only the new file: {events:?}");
    assert_eq!(job_count(&ws)?, jobs_before + 1);
    assert_eq!(emails(&ws)?.len(), 50 + extra_emails);
    Ok(())
}
