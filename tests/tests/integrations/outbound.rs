//! The outbound queue through `outpost outbound …`: idempotent enqueue, URLs only in the keychain,
//! exactly-once delivery through 5xx, a lost acknowledgement and a timeout, a runner killed
//! mid-request, permanent refusals, retry / cancel, and the long-running runner.

use std::{
    collections::HashMap,
    process::Stdio,
    sync::{Arc, Mutex},
    time::Duration,
};

use anyhow::Result;
use outpost_tests::{wait_for, Workspace};
use serde_json::Value;

use super::support::{contains, database_bytes, FakeServer, Keychain, Reply, Request};

/// What the fake receiver saw: every request, and the messages it performed (once per key).
#[derive(Default)]
struct Receiver {
    requests: Vec<Request>,
    performed: HashMap<String, String>,
}

type Script = dyn Fn(usize) -> Behaviour + Send + Sync;

/// What the receiver does with the n-th request (1-based).
#[derive(Clone, Copy)]
enum Behaviour {
    /// 503 without performing it.
    Unavailable,
    /// Perform it, then drop the connection without answering.
    PerformThenDrop,
    /// Perform it, then never answer.
    PerformThenHang,
    /// Perform it (once per key) and answer 200.
    Ok,
    /// Refuse for good with 404.
    Gone,
}

/// A webhook receiver that de-duplicates by `Idempotency-Key`, as the contract requires.
fn receiver(script: impl Fn(usize) -> Behaviour + Send + Sync + 'static) -> Result<(FakeServer, Arc<Mutex<Receiver>>)> {
    let state = Arc::new(Mutex::new(Receiver::default()));
    let seen = state.clone();
    let script: Box<Script> = Box::new(script);
    let server = FakeServer::start(move |req| {
        let mut state = seen.lock().expect("receiver state");
        state.requests.push(req.clone());
        let behaviour = script(state.requests.len());
        let key = req.header("idempotency-key").unwrap_or_default().to_owned();
        let text = req.json()["text"].as_str().unwrap_or_default().to_owned();
        if matches!(behaviour, Behaviour::PerformThenDrop | Behaviour::PerformThenHang | Behaviour::Ok) {
            state.performed.entry(key).or_insert(text);
        }
        match behaviour {
            Behaviour::Unavailable => Reply::Respond(503, vec![], "try later".into()),
            Behaviour::PerformThenDrop => Reply::Drop,
            Behaviour::PerformThenHang => Reply::Hang,
            Behaviour::Ok => Reply::Respond(200, vec![], "ok".into()),
            Behaviour::Gone => Reply::Respond(404, vec![], "no_service".into()),
        }
    })?;
    Ok((server, state))
}

/// Where `outbound send` takes the webhook URL from (or `--webhook -` and standard input).
const WEBHOOK_ENV: &str = "OUTPOST_WEBHOOK_URL";

/// No backoff, and a client timeout no loaded machine can miss for a receiver that answers: a pass
/// whose request is answered never depends on how fast the answer comes.
const FAST: [(&str, &str); 2] = [("OUTPOST_BACKOFF_SCALE", "0"), ("OUTPOST_OUTBOUND_TIMEOUT_MS", "60000")];
/// For the one pass whose receiver never answers: the timeout is certain to fire, whatever the
/// load, so it can be short.
const HANGING: [(&str, &str); 2] = [("OUTPOST_BACKOFF_SCALE", "0"), ("OUTPOST_OUTBOUND_TIMEOUT_MS", "300")];

fn delivery(keychain: &Keychain, ws: &Workspace, id: &str) -> Result<Value> {
    let all = keychain.json(ws, &["outbound", "list"], &[])?;
    Ok(all.as_array().and_then(|a| a.iter().find(|d| d["id"] == id)).cloned().unwrap_or(Value::Null))
}

#[test]
fn a_second_send_with_the_same_key_is_a_no_op_and_the_url_lives_only_in_the_keychain() -> Result<()> {
    let keychain = Keychain::start()?;
    let ws = Workspace::new()?;
    let url = "https://hooks.slack.com/services/T000/B000/SECRETxyz123";
    // The URL is the credential: it comes in the environment (or on standard input), never argv.
    let args = ["outbound", "send", "--text", "Deal won: Acme", "--idempotency-key", "won-acme"];
    let first = keychain.json(&ws, &args, &[(WEBHOOK_ENV, url)])?;
    assert_eq!(first["created"], true);
    assert_eq!(first["delivery"]["channel"], "slack");
    assert_eq!(first["delivery"]["target"], "https://hooks.slack.com/…");
    assert_eq!(first["delivery"]["status"], "pending");
    let second = keychain.json(&ws, &args, &[(WEBHOOK_ENV, url)])?;
    assert_eq!(second["created"], false);
    assert_eq!(second["delivery"]["id"], first["delivery"]["id"]);
    assert_eq!(keychain.json(&ws, &["outbound", "list"], &[])?.as_array().map(Vec::len), Some(1));

    // The real Secret Service holds the URL (read back by a different client, secret-tool) …
    assert!(keychain.search_all()?.contains(url), "secret-tool does not see the webhook URL");
    // … and neither the database nor the CLI output does.
    assert!(!contains(&database_bytes(&ws)?, "SECRETxyz123"));
    assert!(!first.to_string().contains("SECRETxyz123"));
    Ok(())
}

#[test]
fn injected_5xx_lost_ack_and_timeout_still_deliver_exactly_once() -> Result<()> {
    let (server, state) = receiver(|n| match n {
        1 => Behaviour::Unavailable,
        2 => Behaviour::PerformThenDrop,
        3 => Behaviour::PerformThenHang,
        _ => Behaviour::Ok,
    })?;
    let keychain = Keychain::start()?;
    let ws = Workspace::new()?;
    let hook = format!("{}/hooks/deals", server.url());
    let sent = keychain.json(&ws, &["outbound", "send", "--text", "Weekly digest"], &[(WEBHOOK_ENV, &hook)])?;
    let id = sent["delivery"]["id"].as_str().unwrap_or_default().to_owned();
    let key = sent["delivery"]["idempotency_key"].as_str().unwrap_or_default().to_owned();

    let mut passes = Vec::new();
    for pass in 1..=4 {
        let env = if pass == 3 { HANGING } else { FAST };
        let report = keychain.json(&ws, &["outbound", "run", "--once"], &env)?;
        passes.push((report["attempted"].clone(), report["delivered"].clone(), report["retrying"].clone()));
    }
    let expected = [(1, 0, 1), (1, 0, 1), (1, 0, 1), (1, 1, 0)];
    for ((attempted, delivered, retrying), (a, d, r)) in passes.iter().zip(expected) {
        assert_eq!((attempted.as_u64(), delivered.as_u64(), retrying.as_u64()), (Some(a), Some(d), Some(r)));
    }

    let state = state.lock().expect("receiver state");
    assert_eq!(state.requests.len(), 4, "one request per attempt");
    assert!(state.requests.iter().all(|r| r.header("idempotency-key") == Some(key.as_str())));
    assert!(state.requests.iter().all(|r| r.path == "/hooks/deals" && r.method == "POST"));
    assert_eq!(state.performed.len(), 1, "performed exactly once");
    assert_eq!(state.performed.get(&key).map(String::as_str), Some("Weekly digest"));

    let row = delivery(&keychain, &ws, &id)?;
    assert_eq!(row["status"], "delivered");
    assert_eq!(row["attempts"], 4);
    assert_eq!(row["last_http_status"], 200);
    assert!(row["delivered_at"].is_string());
    // A further pass finds nothing due and sends nothing.
    assert_eq!(keychain.json(&ws, &["outbound", "run", "--once"], &FAST)?["attempted"], 0);
    Ok(())
}

#[test]
fn a_runner_killed_mid_request_is_resolved_by_resending_with_the_same_key() -> Result<()> {
    let (server, state) = receiver(|n| if n == 1 { Behaviour::PerformThenHang } else { Behaviour::Ok })?;
    let keychain = Keychain::start()?;
    let ws = Workspace::new()?;
    let hook = format!("{}/hook", server.url());
    let args = ["outbound", "send", "--text", "Alert: deal at risk", "--idempotency-key", "risk-1"];
    let id =
        keychain.json(&ws, &args, &[(WEBHOOK_ENV, &hook)])?["delivery"]["id"].as_str().unwrap_or_default().to_owned();

    // The runner sends, the receiver performs it and never answers, and the runner is killed once
    // the receiver has the request — provably mid-request: its timeout (10 minutes, a hang guard
    // only) cannot have fired, whatever the load, so it has recorded nothing.
    let patient = [("OUTPOST_BACKOFF_SCALE", "0"), ("OUTPOST_OUTBOUND_TIMEOUT_MS", "600000")];
    let mut cmd = ws.command();
    cmd.args(["--json", "outbound", "run", "--once"]).envs(patient);
    let mut runner = keychain.wrap(&cmd).stdout(Stdio::null()).stderr(Stdio::null()).spawn()?;
    wait_for(Duration::from_secs(120), "the receiver to get the request", || {
        Ok((state.lock().expect("state").requests.len() == 1).then_some(()))
    })?;
    let finished_early = runner.try_wait()?;
    runner.kill()?;
    runner.wait()?;
    assert_eq!(finished_early, None, "the runner ended before it was killed mid-request");
    let stuck = delivery(&keychain, &ws, &id)?;
    assert_eq!(stuck["status"], "sending");
    assert_eq!(stuck["attempts"], 1);

    // Inside the dead runner's lease (2 × its timeout) nothing is re-sent …
    assert_eq!(keychain.json(&ws, &["outbound", "run", "--once"], &FAST)?["attempted"], 0);
    assert_eq!(state.lock().expect("state").requests.len(), 1);
    // … and once it has run out (the pass's clock set past it with --now, no waiting), the next
    // pass re-sends with the same key, waiting patiently for the answer.
    let after_lease = ["--now", "2100-01-01T00:00:00Z", "outbound", "run", "--once"];
    let report = keychain.json(&ws, &after_lease, &FAST)?;
    assert_eq!((report["attempted"].as_u64(), report["delivered"].as_u64()), (Some(1), Some(1)), "{report}");
    let state = state.lock().expect("state");
    assert_eq!(state.requests.len(), 2);
    assert!(state.requests.iter().all(|r| r.header("idempotency-key") == Some("risk-1")));
    assert_eq!(state.performed.len(), 1, "the receiver performed it once");
    let row = delivery(&keychain, &ws, &id)?;
    assert_eq!((row["status"].as_str(), row["attempts"].as_u64()), (Some("delivered"), Some(2)));
    Ok(())
}

#[test]
fn refusals_fail_at_once_exhausted_retries_fail_and_retry_and_cancel_follow_the_rules() -> Result<()> {
    let gone = Arc::new(Mutex::new(true));
    let switch = gone.clone();
    let (server, state) =
        receiver(move |_| if *switch.lock().expect("switch") { Behaviour::Gone } else { Behaviour::Ok })?;
    let keychain = Keychain::start()?;
    let ws = Workspace::new()?;
    let hook = format!("{}/h", server.url());
    let send = |text: &str, extra: &[&str]| -> Result<String> {
        let mut args = vec!["outbound", "send", "--text", text];
        args.extend_from_slice(extra);
        Ok(keychain.json(&ws, &args, &[(WEBHOOK_ENV, &hook)])?["delivery"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_owned())
    };
    let refused = send("refused", &[])?;
    let report = keychain.json(&ws, &["outbound", "run", "--once"], &FAST)?;
    assert_eq!((report["attempted"].as_u64(), report["failed"].as_u64()), (Some(1), Some(1)));
    let row = delivery(&keychain, &ws, &refused)?;
    assert_eq!((row["status"].as_str(), row["attempts"].as_u64()), (Some("failed"), Some(1)));
    assert_eq!(row["last_http_status"], 404);
    assert!(row["last_error"].as_str().unwrap_or_default().contains("404"));

    // Retry puts it back (fresh attempt budget); now the receiver accepts it.
    *gone.lock().expect("switch") = false;
    let retried = keychain.json(&ws, &["outbound", "retry", &refused], &[])?;
    assert_eq!((retried["status"].as_str(), retried["attempts"].as_u64()), (Some("pending"), Some(0)));
    assert_eq!(keychain.json(&ws, &["outbound", "run", "--once"], &FAST)?["delivered"], 1);
    let cancel_delivered = keychain.run(&ws, &["outbound", "cancel", &refused], &[])?;
    assert_eq!(cancel_delivered.code, Some(5), "{}", cancel_delivered.stderr);
    assert!(cancel_delivered.stderr.contains("already delivered"));

    // A cancelled delivery is never attempted.
    let cancelled = send("never", &[])?;
    assert_eq!(keychain.json(&ws, &["outbound", "cancel", &cancelled], &[])?["status"], "cancelled");
    assert_eq!(keychain.json(&ws, &["outbound", "run", "--once"], &FAST)?["attempted"], 0);
    assert!(state.lock().expect("state").requests.iter().all(|r| r.json()["text"] != "never"));

    // Transient failures stop after --max-attempts.
    let (down, down_state) = receiver(|_| Behaviour::Unavailable)?;
    let down_hook = format!("{}/down", down.url());
    let args = ["outbound", "send", "--text", "x", "--max-attempts", "2"];
    let doomed = keychain.json(&ws, &args, &[(WEBHOOK_ENV, &down_hook)])?["delivery"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(keychain.json(&ws, &["outbound", "run", "--once"], &FAST)?["retrying"], 1);
    assert_eq!(keychain.json(&ws, &["outbound", "run", "--once"], &FAST)?["failed"], 1);
    let row = delivery(&keychain, &ws, &doomed)?;
    assert_eq!((row["status"].as_str(), row["attempts"].as_u64()), (Some("failed"), Some(2)));
    assert!(row["last_error"].as_str().unwrap_or_default().contains("gave up after 2 attempts"));
    assert_eq!(down_state.lock().expect("state").requests.len(), 2);

    // Bad input is refused with exit code 3 and nothing queued.
    let bad = keychain.run(&ws, &["outbound", "send", "--text", "x"], &[(WEBHOOK_ENV, "http://example.com/h")])?;
    assert_eq!(bad.code, Some(3), "{}", bad.stderr);
    assert!(bad.stderr.contains("https"));
    // A URL written on the command line is refused before anything is queued, and not repeated.
    let secret = "https://hooks.slack.com/services/T000/B000/ARGVsecret42";
    let in_argv = keychain.run(&ws, &["outbound", "send", "--webhook", secret, "--text", "x"], &[])?;
    assert_eq!(in_argv.code, Some(3), "{}", in_argv.stderr);
    assert!(
        in_argv.stderr.contains("OUTPOST_WEBHOOK_URL") && !in_argv.stderr.contains("ARGVsecret42"),
        "{}",
        in_argv.stderr
    );
    assert!(!keychain.search_all()?.contains("ARGVsecret42"), "the refused URL reached the keychain");
    Ok(())
}

#[test]
fn the_long_running_runner_delivers_what_is_queued_while_it_runs() -> Result<()> {
    let (server, state) = receiver(|n| if n % 2 == 1 { Behaviour::Unavailable } else { Behaviour::Ok })?;
    let keychain = Keychain::start()?;
    let ws = Workspace::new()?;
    // Create the database first: two processes migrating a brand-new file at once race (see report).
    assert_eq!(keychain.json(&ws, &["outbound", "list"], &[])?.as_array().map(Vec::len), Some(0));
    let mut cmd = ws.command();
    cmd.args(["outbound", "run", "--poll-ms", "100"]).envs([("OUTPOST_BACKOFF_SCALE", "0.001")]);
    let mut runner = keychain.wrap(&cmd).stdout(Stdio::null()).spawn()?;
    let hook = format!("{}/digest", server.url());
    for text in ["one", "two", "three"] {
        keychain.json(&ws, &["outbound", "send", "--text", text], &[(WEBHOOK_ENV, &hook)])?;
    }
    let result = wait_for(Duration::from_secs(60), "all three delivered", || {
        let delivered = keychain.json(&ws, &["outbound", "list", "--status", "delivered"], &[])?;
        Ok((delivered.as_array().map(Vec::len) == Some(3)).then_some(()))
    });
    let still_running = runner.try_wait()?.is_none();
    runner.kill()?;
    let output = runner.wait_with_output()?;
    assert!(still_running, "the runner stopped: {}", String::from_utf8_lossy(&output.stderr));
    result?;
    let state = state.lock().expect("state");
    let mut performed: Vec<&str> = state.performed.values().map(String::as_str).collect();
    performed.sort_unstable();
    assert_eq!(performed, ["one", "three", "two"]);
    Ok(())
}
