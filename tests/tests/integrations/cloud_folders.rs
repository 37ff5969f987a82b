//! Google Drive and Dropbox folders as watched sources through `outpost watch …`: paged listings,
//! Google Sheets exported as CSV, each file imported once (file id + checksum) across restarts,
//! backing off on 429 / 5xx without calling the provider meanwhile, and resuming from the saved
//! page token / cursor rather than starting over.

use std::time::Duration;

use anyhow::{Context, Result};
use outpost_tests::{wait_for, Workspace};
use serde_json::Value;

use super::{
    connections::connect_provider,
    fake_cloud::{self, events, kinds, tokens_by_path, Api, CloudFile},
    fake_oauth::{self, CLIENT_ID},
    support::Keychain,
};

fn csv(rows: &[(&str, &str, &str)]) -> String {
    let mut text = "First Name,Last Name,Email\n".to_owned();
    for (first, last, email) in rows {
        text.push_str(&format!("{first},{last},{email}\n"));
    }
    text
}

fn contact_count(keychain: &Keychain, ws: &Workspace) -> Result<usize> {
    Ok(keychain.json(ws, &["contacts", "list", "--limit", "1000"], &[])?.as_array().map_or(0, Vec::len))
}

/// `outpost --json watch run --once` with `env`, its events.
fn scan(keychain: &Keychain, ws: &Workspace, env: &[(&str, &str)]) -> Result<Vec<Value>> {
    let run = keychain.run(ws, &["watch", "run", "--once"], env)?;
    anyhow::ensure!(run.code == Some(0), "watch run --once failed: {}", run.stderr);
    Ok(events(&run.stdout))
}

#[test]
fn a_drive_folder_is_imported_once_exports_sheets_backs_off_and_resumes_from_its_page_token() -> Result<()> {
    let (oauth_server, oauth) = fake_oauth::start(3_600)?;
    let (drive_server, drive) = fake_cloud::start(Api::Drive, oauth.clone())?;
    {
        let mut d = drive.lock().expect("drive");
        d.put(CloudFile::new(
            "fa",
            "a.csv",
            "F1",
            &csv(&[("Ada", "Lovelace", "ada@example.com"), ("Alan", "Turing", "alan@example.com")]),
        ));
        d.put(CloudFile::new("fb", "b.csv", "F1", &csv(&[("Grace", "Hopper", "grace@example.com")])));
        let mut sheet = CloudFile::new("sheet1", "Leads", "F1", &csv(&[("Edsger", "Dijkstra", "edsger@example.com")]));
        sheet.sheet = true;
        d.put(sheet);
        d.put(CloudFile::new("fpdf", "brochure.pdf", "F1", "%PDF-1.4"));
        d.put(CloudFile::new("fo", "other.csv", "F2", &csv(&[("Not", "Mine", "not@example.com")])));
    }
    let keychain = Keychain::start()?;
    let ws = Workspace::new()?;
    let api = drive_server.url();
    let oauth_url = oauth_server.url();
    let env = [
        ("OUTPOST_GOOGLE_OAUTH_URL", oauth_url.as_str()),
        ("OUTPOST_GOOGLE_CLIENT_ID", CLIENT_ID),
        ("OUTPOST_GOOGLE_API_URL", api.as_str()),
        ("OUTPOST_BACKOFF_SCALE", "0.1"),
    ];
    let connection = connect_provider(&keychain, &ws, "google", &oauth_url)?;
    let source = keychain.json(&ws, &["watch", "add", "gdrive://F1"], &env)?;
    assert_eq!((source["kind"].as_str(), source["location"].as_str()), (Some("gdrive"), Some("gdrive://F1")));
    assert_eq!(source["settings"]["connection_id"].as_str(), Some(connection.as_str()));

    // First poll: the folder listing, two pages; the Sheet is exported; the PDF and F2 are left alone.
    let first = scan(&keychain, &ws, &env)?;
    assert_eq!(
        kinds(&first),
        [("fa".into(), "imported".into()), ("fb".into(), "imported".into()), ("sheet1".into(), "imported".into())]
    );
    assert_eq!(contact_count(&keychain, &ws)?, 4);
    {
        let d = drive.lock().expect("drive");
        assert_eq!(tokens_by_path(&d.requests)["/drive/v3/files"], ["", "2"], "two listing pages");
        assert_eq!(d.downloads, ["fa", "fb", "sheet1"]);
    }

    // A restart finds nothing new: it reads the change feed from the saved token and downloads nothing.
    assert!(scan(&keychain, &ws, &env)?.is_empty());
    assert_eq!(drive.lock().expect("drive").downloads.len(), 3);

    // Three changes (two pages). The feed is rate limited first, then the second page fails.
    {
        let mut d = drive.lock().expect("drive");
        d.put(CloudFile::new("fc", "c.csv", "F1", &csv(&[("Barbara", "Liskov", "barbara@example.com")])));
        d.put(CloudFile::new("fd", "d.csv", "F1", &csv(&[("Donald", "Knuth", "don@example.com")])));
        let mut sheet = CloudFile::new(
            "sheet1",
            "Leads",
            "F1",
            &csv(&[("Edsger", "Dijkstra", "edsger@example.com"), ("Frances", "Allen", "frances@example.com")]),
        );
        sheet.sheet = true;
        d.put(sheet);
        d.fail_once("/drive/v3/changes", "5", 429);
        d.fail_once("/drive/v3/changes", "7", 503);
    }
    let limited = scan(&keychain, &ws, &env)?;
    assert_eq!(kinds(&limited), [(String::new(), "source_error".into())]);
    let message = limited[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("rate limited") && message.contains("backing off"), "{message}");
    // While backing off, a poll does not call the provider at all. The poll runs on a fake clock
    // (`--now`) set to the instant the backoff was recorded, so however slowly this machine starts
    // the process, the poll happens inside the 3 s backoff.
    let calls = drive.lock().expect("drive").requests.len();
    let recorded_at: String = rusqlite::Connection::open(ws.data_dir().join("outpost.db"))?.query_row(
        "SELECT updated_at FROM source_cursors WHERE next_poll_at IS NOT NULL",
        [],
        |r| r.get(0),
    )?;
    let during = keychain.run(&ws, &["--now", &recorded_at, "watch", "run", "--once"], &env)?;
    anyhow::ensure!(during.code == Some(0), "watch run --once failed: {}", during.stderr);
    assert!(events(&during.stdout).is_empty(), "{}", during.stdout);
    assert_eq!(drive.lock().expect("drive").requests.len(), calls, "no request during the backoff");

    let mut imported = Vec::new();
    wait_for(Duration::from_secs(60), "the changes to be imported", || {
        imported.extend(scan(&keychain, &ws, &env)?.into_iter().filter(|e| e["event"] == "imported"));
        Ok((imported.len() == 3).then_some(()))
    })?;
    assert_eq!(
        kinds(&imported),
        [("fc".into(), "imported".into()), ("fd".into(), "imported".into()), ("sheet1".into(), "imported".into())]
    );
    let d = drive.lock().expect("drive");
    let changes = &tokens_by_path(&d.requests)["/drive/v3/changes"];
    assert_eq!(changes, &["5", "5", "5", "7", "7"], "resumed from the saved page token after the failed page");
    assert_eq!(d.downloads, ["fa", "fb", "sheet1", "fc", "fd", "sheet1"], "each file version fetched once");
    drop(d);
    assert_eq!(contact_count(&keychain, &ws)?, 7);
    let listed = keychain.json(&ws, &["watch", "list"], &env)?;
    assert_eq!(listed[0]["status"], "ok");
    let connection_row = keychain.json(&ws, &["connections", "list"], &env)?;
    assert!(connection_row[0]["last_sync_at"].is_string());
    Ok(())
}

#[test]
fn a_dropbox_folder_pages_resumes_from_its_cursor_after_429_and_spots_duplicates() -> Result<()> {
    let (oauth_server, oauth) = fake_oauth::start(3_600)?;
    let (dropbox_server, dropbox) = fake_cloud::start(Api::Dropbox, oauth.clone())?;
    let x = csv(&[("Ada", "Lovelace", "ada@example.com")]);
    {
        let mut d = dropbox.lock().expect("dropbox");
        d.put(CloudFile::new("id:x", "x.csv", "/Leads", &x));
        d.put(CloudFile::new("id:y", "y.csv", "/Leads", &csv(&[("Alan", "Turing", "alan@example.com")])));
        d.put(CloudFile::new("id:p", "deck.pdf", "/Leads", "%PDF"));
        d.put(CloudFile::new("id:o", "o.csv", "/Other", &csv(&[("Not", "Mine", "not@example.com")])));
        d.fail_once("/2/files/list_folder/continue", "/Leads|2", 429);
    }
    let keychain = Keychain::start()?;
    let ws = Workspace::new()?;
    let api = dropbox_server.url();
    let oauth_url = oauth_server.url();
    let env = [
        ("OUTPOST_DROPBOX_OAUTH_URL", oauth_url.as_str()),
        ("OUTPOST_DROPBOX_CLIENT_ID", CLIENT_ID),
        ("OUTPOST_DROPBOX_API_URL", api.as_str()),
        ("OUTPOST_DROPBOX_CONTENT_URL", api.as_str()),
        ("OUTPOST_BACKOFF_SCALE", "0.1"),
    ];
    connect_provider(&keychain, &ws, "dropbox", &oauth_url)?;
    let source = keychain.json(&ws, &["watch", "add", "dropbox:///Leads/"], &env)?;
    assert_eq!(source["location"], "dropbox:///Leads");

    // Page one is imported, then the provider rate limits the continuation.
    let first = scan(&keychain, &ws, &env)?;
    assert_eq!(
        kinds(&first),
        [
            (String::new(), "source_error".into()),
            ("id:x".into(), "imported".into()),
            ("id:y".into(), "imported".into())
        ]
    );
    assert!(first.iter().any(|e| e["message"].as_str().unwrap_or_default().contains("rate limited")));

    // After the backoff, it continues from the saved cursor (page two: only a PDF).
    wait_for(Duration::from_secs(60), "the listing to finish", || {
        let events = scan(&keychain, &ws, &env)?;
        let listed = keychain.json(&ws, &["watch", "list"], &env)?;
        Ok((events.is_empty() && listed[0]["status"] == "ok").then_some(()))
    })?;
    // The same bytes under a new name are a duplicate; nothing is imported twice.
    dropbox.lock().expect("dropbox").put(CloudFile::new("id:copy", "copy-of-x.csv", "/Leads", &x));
    let later = scan(&keychain, &ws, &env)?;
    assert_eq!(kinds(&later), [("id:copy".into(), "duplicate".into())]);
    assert!(scan(&keychain, &ws, &env)?.is_empty());

    let d = dropbox.lock().expect("dropbox");
    let calls = tokens_by_path(&d.requests);
    assert_eq!(calls["/2/files/list_folder"].len(), 1, "listed from scratch only once");
    assert_eq!(calls["/2/files/list_folder/continue"], ["/Leads|2", "/Leads|2", "/Leads|3", "/Leads|4"]);
    assert_eq!(d.downloads, ["id:x", "id:y", "id:copy"]);
    drop(d);
    assert_eq!(contact_count(&keychain, &ws)?, 2);
    let listed = keychain.json(&ws, &["watch", "list"], &env)?;
    let files = listed[0]["files_processed"].as_u64().context("files_processed")?;
    assert_eq!(files, 3);
    Ok(())
}
