//! `outpost watch run` as a foreground daemon: a file written slowly is imported once and whole, a
//! download renamed into place is picked up, and a restart imports nothing again.

use std::{io::Write, time::Duration};

use anyhow::Result;
use outpost_tests::Workspace;

use super::support::{add_folder, emails, job_count, jobs_for, leads_csv, Daemon};

#[test]
fn slow_writes_and_renamed_downloads_are_imported_once_and_complete() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let folder = dir.path();
    // Pauses between chunks (150 ms) are well under the settle time (2 s).
    add_folder(&ws, folder, &["--settle-ms", "2000"])?;
    let mut daemon = Daemon::start(&ws)?;

    // Written in 8 chunks that split lines in the middle, flushed, with pauses.
    let text = leads_csv(40, "slow.example");
    let bytes = text.as_bytes();
    let mut file = std::fs::File::create(folder.join("slow.csv"))?;
    for chunk in bytes.chunks(bytes.len() / 8 + 1) {
        file.write_all(chunk)?;
        file.flush()?;
        std::thread::sleep(Duration::from_millis(150));
    }
    drop(file);
    let event = daemon.wait_event("slow.csv")?;
    assert_eq!(event["event"], "imported", "{event}");
    assert_eq!(event["imported"], 40, "the whole file, not a prefix: {event}");
    let jobs = jobs_for(&ws, "slow.csv")?;
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
    assert_eq!(ws.json(&["watch", "list"])?[0]["files_processed"], 3, "hidden and lock files were not handled");
    let all = emails(&ws)?;
    assert_eq!(all.len(), 47, "{all:?}");

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
    assert_eq!(emails(&ws)?.len(), 50);
    Ok(())
}
