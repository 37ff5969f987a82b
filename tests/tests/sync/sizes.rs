//! Big changes sync (issue 14): a wide 1,200-row import with 20 extra columns and 25 notes of
//! 100,000 characters go from one device to another through the real server. Before, one push
//! of 1,000 updates was larger than the server's request limit and every later `sync now` failed
//! with "the message is not valid protocol JSON"; the client now batches its pushes by bytes under
//! the server's message limit. Also: the device token can be given on standard input.

use std::io::Write;
use std::process::Stdio;

use anyhow::{ensure, Context, Result};
use serde_json::Value;

use super::support::{s, Server};

const ROWS: usize = 1_200;
const EXTRA_COLUMNS: usize = 20;
const NOTES: usize = 25;
const NOTE_CHARS: usize = 100_000;

/// Deterministic, varied text of `len` characters (prose-like, so nothing is trivially small).
fn text(seed: usize, len: usize) -> String {
    const WORDS: &[&str] = &[
        "pricing",
        "renewal",
        "procurement",
        "pilot",
        "security",
        "review",
        "legal",
        "budget",
        "champion",
        "timeline",
        "integration",
        "rollout",
        "quarter",
        "signature",
        "discount",
        "onboarding",
    ];
    let mut out = String::with_capacity(len + 16);
    let mut n = seed;
    while out.len() < len {
        n = n.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        out.push_str(WORDS[(n >> 33) % WORDS.len()]);
        out.push_str(if n % 7 == 0 { ". " } else { " " });
    }
    out.truncate(len);
    if out.ends_with(' ') {
        out.pop();
        out.push('x'); // values are trimmed when stored
    }
    out
}

fn wide_csv() -> String {
    let mut csv = String::from("First Name,Last Name,Email,Company,Title");
    for c in 1..=EXTRA_COLUMNS {
        csv.push_str(&format!(",Extra Field {c}"));
    }
    csv.push('\n');
    for r in 0..ROWS {
        csv.push_str(&format!("Lead{r},Wide{r},lead{r}@wide{}.example,Wide Co {},Buyer", r % 97, r % 97));
        for c in 1..=EXTRA_COLUMNS {
            csv.push_str(&format!(",{}", text(r * 100 + c, 60)));
        }
        csv.push('\n');
    }
    csv
}

#[test]
fn wide_import_and_long_notes_reach_the_second_device() -> Result<()> {
    let server = Server::start()?;
    let (a, b) = (server.device()?, server.device()?);
    let dir = tempfile::tempdir()?;
    let csv = dir.path().join("wide.csv");
    std::fs::write(&csv, wide_csv())?;
    let imported = a.cli(&["import", &csv.to_string_lossy()])?;
    ensure!(imported["created"].as_u64() == Some(ROWS as u64) || imported.to_string().contains("1200"), "{imported}");
    let deal = a.cli(&["deals", "add", "--title", "Long notes"])?;
    let deal_id = s(&deal, "id");
    for i in 0..NOTES {
        let body = text(i, NOTE_CHARS);
        a.cli(&[
            "activities",
            "log",
            "--kind",
            "note",
            "--subject",
            &format!("Note {i}"),
            "--body",
            &body,
            "--deal",
            &deal_id,
        ])?;
    }

    let pushed = a.sync(&["now"])?;
    let status = a.sync(&["status"])?;
    ensure!(status["pending"] == 0 && status["last_error"].is_null(), "A did not drain: {pushed} / {status}");
    b.sync(&["now"])?;

    let contacts = b.cli(&["contacts", "list", "--limit", "5000"])?;
    let contacts = contacts.as_array().context("contacts list")?;
    ensure!(contacts.len() == ROWS, "B has {} of {ROWS} contacts", contacts.len());
    let sample = contacts.iter().find(|c| c["email"] == "lead7@wide7.example").context("lead 7 missing on B")?;
    let custom = sample["custom_fields"].as_object().context("custom fields")?;
    ensure!(custom.len() == EXTRA_COLUMNS, "B has {} of {EXTRA_COLUMNS} extra fields: {sample}", custom.len());
    let notes = b.cli(&["activities", "list", "--deal", &deal_id, "--limit", "100"])?;
    let notes: Vec<&Value> = notes.as_array().context("activities")?.iter().collect();
    ensure!(notes.len() == NOTES, "B has {} of {NOTES} notes", notes.len());
    for note in notes {
        let body = note["body"].as_str().unwrap_or_default();
        ensure!(body.chars().count() == NOTE_CHARS, "a note arrived with {} characters", body.chars().count());
    }
    let b_status = b.sync(&["status"])?;
    ensure!(b_status["quarantined"] == 0, "B refused values: {b_status}");
    Ok(())
}

#[test]
fn sync_connect_reads_the_token_from_stdin_with_token_dash() -> Result<()> {
    let server = Server::start()?;
    let token = server.new_token()?;
    let ws = outpost_tests::Workspace::new()?;
    // The environment holds a wrong token: only the one piped in can pass the server's check.
    let mut child = ws
        .command()
        .args(["--json", "sync", "connect", "--server", &server.url, "--token", "-"])
        .env("OUTPOST_SYNC_TOKEN", "not-the-token")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("spawn outpost sync connect")?;
    child.stdin.take().context("stdin")?.write_all(format!("{token}\n").as_bytes())?;
    let out = child.wait_with_output()?;
    ensure!(out.status.success(), "connect failed: {}", String::from_utf8_lossy(&out.stderr));
    let connected: Value = serde_json::from_slice(&out.stdout)?;
    ensure!(connected["email"] == "ann@acme.test", "{connected}");

    let empty = ws
        .command()
        .args(["--json", "sync", "connect", "--server", &server.url, "--token", "-"])
        .env("OUTPOST_SYNC_TOKEN", "not-the-token")
        .stdin(Stdio::null())
        .output()?;
    ensure!(!empty.status.success(), "an empty stdin was accepted");
    let stderr = String::from_utf8_lossy(&empty.stderr);
    ensure!(stderr.contains("token") && stderr.contains("standard input"), "{stderr}");
    Ok(())
}
