//! An S3 watched source whose access key lives in the OS keychain (issue 3: "credentials from the
//! standard AWS chain or the OS keychain, never SQLite"), against moto on 127.0.0.1 with IAM
//! authentication on, so only the key created for the test is accepted and the test shows which
//! credentials the `outpost` process really signed with.

use std::{
    io::Write,
    process::{Command, Stdio},
};

use anyhow::{ensure, Context, Result};
use outpost_tests::{
    moto::{Moto, CREDENTIALS},
    Run, Workspace,
};
use serde_json::Value;

use super::support::{contains, database_bytes, Keychain};

/// `outpost --json ARGS…` inside the keychain with `stdin` as standard input.
fn run_with_stdin(keychain: &Keychain, ws: &Workspace, args: &[&str], stdin: &str) -> Result<Run> {
    let mut cmd: Command = ws.command();
    cmd.arg("--json").args(args);
    let mut child = keychain.wrap(&cmd).stdin(Stdio::piped()).spawn().context("start outpost")?;
    child.stdin.take().context("stdin")?.write_all(stdin.as_bytes())?;
    let output = child.wait_with_output()?;
    Ok(Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

/// `watch run --once` events, with the test's fixed (and, under auth, wrong) AWS chain credentials.
fn scan(keychain: &Keychain, ws: &Workspace) -> Result<Vec<Value>> {
    let run = keychain.run(ws, &["watch", "run", "--once"], &CREDENTIALS)?;
    ensure!(run.code == Some(0), "watch run --once failed: {}", run.stderr);
    run.stdout.lines().map(|line| Ok(serde_json::from_str(line)?)).collect()
}

#[test]
fn an_access_key_in_the_keychain_signs_the_polls_survives_restarts_and_goes_with_the_source() -> Result<()> {
    let mut moto = Moto::start_with_auth()?;
    let (key_id, secret) = moto.create_access_key("leads-bot")?;
    moto.create_bucket("keyed-leads")?;
    let file = tempfile::NamedTempFile::new()?;
    std::fs::write(file.path(), "First Name,Last Name,Email\nAda,Lovelace,ada@keyed.example\n")?;
    moto.put("keyed-leads", "in/leads.csv", file.path())?;
    let mut keychain = Keychain::start()?;
    let ws = Workspace::new()?;

    // Without a key of its own the source signs with the AWS chain ("test"), which moto refuses.
    let chain = keychain.json(&ws, &["watch", "add", "s3://keyed-leads/in/", "--endpoint", &moto.endpoint], &[])?;
    let events = scan(&keychain, &ws)?;
    ensure!(events.len() == 1 && events[0]["event"] == "source_error", "{events:?}");
    let refused = keychain.json(&ws, &["watch", "list"], &[])?[0]["last_error"].as_str().unwrap_or("").to_owned();
    ensure!(refused.contains("cannot list s3://keyed-leads/in/") && refused.contains("credentials"), "{refused}");
    keychain.json(&ws, &["watch", "remove", chain["id"].as_str().context("id")?], &[])?;

    // With the key given at `watch add` (secret on stdin), the same wrong chain is not used.
    let added = run_with_stdin(
        &keychain,
        &ws,
        &["watch", "add", "s3://keyed-leads/in/", "--endpoint", &moto.endpoint, "--access-key-id", &key_id],
        &format!("{secret}\n"),
    )?;
    ensure!(added.code == Some(0), "watch add with a key failed: {}", added.stderr);
    let source = added.json()?;
    let id = source["id"].as_str().context("id")?.to_owned();
    let reference = format!("s3:{id}");
    assert_eq!(source["settings"]["keychain_credentials"].as_str(), Some(reference.as_str()));
    let events = scan(&keychain, &ws)?;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!((events[0]["event"].as_str(), events[0]["imported"].as_u64()), (Some("imported"), Some(1)));

    // The secret is in the Secret Service (read with secret-tool), not in the database or output.
    let stored = keychain.lookup(&reference)?.context("the access key is not in the keychain")?;
    assert!(stored.contains(&secret), "keychain holds {stored}");
    assert!(!contains(&database_bytes(&ws)?, &secret), "the secret access key is in the database");
    assert!(!added.stdout.contains(&secret) && !added.stderr.contains(&secret), "the secret was printed");

    // A new process in a new keyutils session reads the key back from the Secret Service.
    keychain.fresh_session();
    let new_object = tempfile::NamedTempFile::new()?;
    std::fs::write(new_object.path(), "First Name,Last Name,Email\nGrace,Hopper,grace@keyed.example\n")?;
    moto.put("keyed-leads", "in/more.csv", new_object.path())?;
    let events = scan(&keychain, &ws)?;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!((events[0]["key"].as_str(), events[0]["event"].as_str()), (Some("in/more.csv"), Some("imported")));

    // Removing the source deletes its key from the keychain.
    keychain.json(&ws, &["watch", "remove", &id], &[])?;
    assert_eq!(keychain.lookup(&reference)?, None, "the access key outlived its source");
    Ok(())
}

#[test]
fn a_missing_or_misplaced_access_key_is_refused_with_what_to_do() -> Result<()> {
    let keychain = Keychain::start()?;
    let ws = Workspace::new()?;
    let args =
        ["watch", "add", "s3://keyed-leads", "--endpoint", "http://127.0.0.1:9", "--access-key-id", "AKIAEXAMPLE"];
    let empty = run_with_stdin(&keychain, &ws, &args, "")?;
    assert_ne!(empty.code, Some(0));
    assert!(empty.stderr.contains("no secret access key on standard input"), "{}", empty.stderr);

    let bad_id = run_with_stdin(
        &keychain,
        &ws,
        &["watch", "add", "s3://keyed-leads", "--access-key-id", "AKIA EXAMPLE"],
        "secret\n",
    )?;
    assert!(bad_id.stderr.contains("letters and digits only"), "{}", bad_id.stderr);

    let folder = tempfile::tempdir()?;
    let path = folder.path().to_str().context("utf-8 path")?;
    let misplaced = run_with_stdin(&keychain, &ws, &["watch", "add", path, "--access-key-id", "AKIAEXAMPLE"], "s\n")?;
    assert!(misplaced.stderr.contains("only applies to s3:// sources"), "{}", misplaced.stderr);
    assert_eq!(keychain.json(&ws, &["watch", "list"], &[])?, serde_json::json!([]), "nothing was added");
    assert!(!keychain.search_all()?.contains("s3:"), "a refused source left a key in the keychain");
    Ok(())
}
