//! An S3 prefix as a watched source, against a real S3-compatible server on 127.0.0.1
//! ([`outpost_tests::moto`]). Nothing is mocked on the Outpost side: the `outpost` binary talks
//! HTTP to the server, with credentials from the standard AWS chain (environment). Access keys
//! kept in the OS keychain are covered by `integrations::s3_keychain`.

use anyhow::Result;
use outpost_tests::{
    fixture,
    moto::{Moto, CREDENTIALS},
    Workspace,
};

use super::support::{emails, job_count, jobs_for, kinds, leads_csv, run_once};

#[test]
fn new_objects_are_imported_once_across_polls_and_restarts() -> Result<()> {
    let moto = Moto::start()?;
    let ws = Workspace::new()?;
    let files = tempfile::tempdir()?;
    moto.create_bucket("leads")?;
    let source = ws.json(&["watch", "add", "s3://leads/incoming/", "--endpoint", &moto.endpoint])?;
    assert_eq!(source["kind"], "s3");

    let first = files.path().join("first.csv");
    std::fs::write(&first, leads_csv(3, "s3-first.example"))?;
    moto.put("leads", "incoming/first.csv", &first)?;
    moto.put("leads", "incoming/.hidden.csv", &first)?;
    moto.put("leads", "incoming/readme.md", &first)?;
    moto.put("leads", "elsewhere/other.csv", &fixture("csv/utf8.csv"))?;

    let events = run_once(&ws, &CREDENTIALS)?;
    assert_eq!(kinds(&events), [("incoming/first.csv".to_owned(), "imported".to_owned())]);
    assert_eq!(events[0]["imported"], 3);
    let jobs = jobs_for(&ws, "s3://leads/incoming/first.csv")?;
    assert_eq!(jobs.len(), 1, "the job names the object, not the temporary copy");
    assert_eq!(jobs[0]["source_kind"], "s3");
    assert_eq!(emails(&ws)?.len(), 3);
    // The temporary download is gone.
    let inbox = ws.data_dir().join("inbox");
    assert!(std::fs::read_dir(&inbox).map(|mut d| d.next().is_none()).unwrap_or(true), "inbox not cleaned");

    // A second object: only it is imported; the same content under another key is a duplicate.
    let second = files.path().join("second.csv");
    std::fs::write(&second, leads_csv(2, "s3-second.example"))?;
    moto.put("leads", "incoming/second.csv", &second)?;
    moto.put("leads", "incoming/first-copy.csv", &first)?;
    let events = run_once(&ws, &CREDENTIALS)?;
    assert_eq!(
        kinds(&events),
        [
            ("incoming/first-copy.csv".to_owned(), "duplicate".to_owned()),
            ("incoming/second.csv".to_owned(), "imported".to_owned())
        ]
    );
    assert_eq!(emails(&ws)?.len(), 5);

    // A restart imports nothing again.
    let jobs_before = job_count(&ws)?;
    assert_eq!(run_once(&ws, &CREDENTIALS)?, Vec::<serde_json::Value>::new());
    assert_eq!(job_count(&ws)?, jobs_before);
    let listed = &ws.json(&["watch", "list"])?[0];
    assert_eq!(listed["status"], "ok");
    assert_eq!(listed["files_processed"], 3);
    assert_eq!(listed["last_import"]["key"], "incoming/second.csv");
    Ok(())
}

#[test]
fn unreachable_or_missing_buckets_are_recorded_and_retried() -> Result<()> {
    let moto = Moto::start()?;
    let ws = Workspace::new()?;
    ws.json(&["watch", "add", "s3://not-created-yet", "--endpoint", &moto.endpoint])?;

    let events = run_once(&ws, &CREDENTIALS)?;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["event"], "source_error");
    let listed = &ws.json(&["watch", "list"])?[0];
    assert_eq!(listed["status"], "error");
    let error = listed["last_error"].as_str().unwrap_or_default();
    assert!(error.contains("cannot list s3://not-created-yet") && error.contains("credentials"), "{error}");

    // Once the bucket exists, the next poll succeeds and clears the error.
    moto.create_bucket("not-created-yet")?;
    let file = tempfile::NamedTempFile::new()?;
    std::fs::write(file.path(), leads_csv(1, "retry.example"))?;
    moto.put("not-created-yet", "late.csv", file.path())?;
    let events = run_once(&ws, &CREDENTIALS)?;
    assert_eq!(kinds(&events), [("late.csv".to_owned(), "imported".to_owned())]);
    let listed = &ws.json(&["watch", "list"])?[0];
    assert_eq!(listed["status"], "ok");
    assert!(listed["last_error"].is_null(), "{listed}");
    Ok(())
}
