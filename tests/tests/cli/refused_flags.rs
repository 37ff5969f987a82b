//! Flags and commands that used to be accepted although they could only do the wrong thing, now
//! refused with an error naming the flag and what is accepted, changing nothing: `audit --limit 0`
//! (printed an empty log as if nothing had ever changed), `agent run --every 0` (silently ignored
//! with `--once`, a busy loop without it), and `sync now` on a device never connected (refused, but
//! it recorded `sync.last_error`, so the device showed a sync error state it never had), and
//! numeric flags that were silently clamped (`sync run --push-every 0` pushed every second,
//! `outbound run --poll-ms 0` polled every 10 ms, `connections add --timeout-secs 0` waited a
//! second, `team meetings --days 1000` showed a year): now refused naming the flag and the range.
//! And `sync connect --token T` and `copilot provider set --api-key K`, which put a secret in the
//! process list: refused before anything is sent or stored, without repeating the secret.

use anyhow::{Context, Result};
use outpost_tests::{Run, Workspace};
use serde_json::Value;

/// The JSON error object a refused `--json` command printed on stderr.
fn error_of(run: &Run) -> Result<Value> {
    let printed: Value = serde_json::from_str(run.stderr.trim()).with_context(|| format!("stderr: {}", run.stderr))?;
    Ok(printed["error"].clone())
}

/// A workspace with one contact, so the audit log and the database are not empty.
fn workspace_with_a_contact() -> Result<Workspace> {
    let ws = Workspace::new()?;
    ws.json(&["contacts", "add", "--first-name", "Ada", "--email", "ada@engines.io"])?;
    Ok(ws)
}

#[test]
fn audit_limit_zero_is_refused_naming_the_flag_and_the_accepted_range() -> Result<()> {
    let ws = workspace_with_a_contact()?;
    let before = ws.db_dump()?;
    for limit in ["0", "10001"] {
        let run = ws.fails(&["audit", "--limit", limit])?;
        assert_eq!(run.code, Some(3), "audit --limit {limit}: {}", run.stderr);
        let error = error_of(&run)?;
        assert_eq!(error["field"], "limit", "{error}");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(message.contains("--limit") && message.contains("between 1 and 10000"), "{message}");
        assert!(message.contains(&format!("got {limit}")), "{message}");
    }
    let after = ws.db_dump()?;
    assert!(after == before, "a refused audit changed the database:\n{}", before.diff(&after));
    // The bounds themselves are accepted: one row is one row.
    let one = ws.json(&["audit", "--limit", "1"])?;
    assert_eq!(one.as_array().map(Vec::len), Some(1), "{one}");
    Ok(())
}

#[test]
fn agent_run_every_zero_is_refused_even_with_once() -> Result<()> {
    let ws = workspace_with_a_contact()?;
    let before = ws.db_dump()?;
    for every in ["0", "86401"] {
        let run = ws.fails(&["--now", "2026-11-24T09:00:00Z", "agent", "run", "--once", "--every", every])?;
        assert_eq!(run.code, Some(3), "agent run --once --every {every}: {}", run.stderr);
        let error = error_of(&run)?;
        assert_eq!(error["field"], "every", "{error}");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(message.contains("--every") && message.contains("between 1 and 86400 seconds"), "{message}");
    }
    let after = ws.db_dump()?;
    assert!(after == before, "a refused agent run ran a pass:\n{}", before.diff(&after));
    // A valid interval still runs the pass.
    let raised = ws.json(&["--now", "2026-11-24T09:00:00Z", "agent", "run", "--once", "--every", "1"])?;
    assert!(raised.is_array(), "{raised}");
    Ok(())
}

#[test]
fn sync_now_on_a_never_connected_device_is_refused_and_records_no_sync_error() -> Result<()> {
    let ws = workspace_with_a_contact()?;
    let before = ws.db_dump()?;
    let run = ws.fails(&["sync", "now"])?;
    let error = error_of(&run)?;
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains("not connected") && message.contains("outpost sync connect"), "{message}");
    // What it must do: refuse and leave the device as it was — no `sync.last_error`, nothing
    // queued or stamped — so it still reads as "not connected", not as a failed sync.
    let after = ws.db_dump()?;
    assert!(after == before, "a refused `sync now` changed the database:\n{}", before.diff(&after));
    let status = ws.json(&["sync", "status"])?;
    assert_eq!(status["state"], "not_connected", "{status}");
    assert_eq!(status["last_error"], Value::Null, "{status}");
    assert_eq!(status["last_sync_at"], Value::Null, "{status}");
    Ok(())
}

/// Runs `args` (`--json`), expecting a refusal of `field` whose message names `--flag` and `range`,
/// with the database unchanged.
fn refused_naming(ws: &Workspace, args: &[&str], field: &str, flag: &str, range: &str) -> Result<()> {
    let before = ws.db_dump()?;
    let run = ws.fails(args)?;
    assert_eq!(run.code, Some(3), "{args:?}: {}", run.stderr);
    let error = error_of(&run)?;
    assert_eq!(error["field"], field, "{args:?}: {error}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains(flag) && message.contains(range), "{args:?}: {message}");
    let after = ws.db_dump()?;
    assert!(after == before, "{args:?} was refused but changed the database:\n{}", before.diff(&after));
    Ok(())
}

#[test]
fn numeric_flags_out_of_range_are_refused_not_clamped() -> Result<()> {
    let ws = workspace_with_a_contact()?;
    for push_every in ["0", "3601"] {
        let args = ["sync", "run", "--push-every", push_every];
        refused_naming(&ws, &args, "push_every", "--push-every", "between 1 and 3600 seconds")?;
    }
    for poll_ms in ["0", "9", "3600001"] {
        let args = ["outbound", "run", "--once", "--poll-ms", poll_ms];
        refused_naming(&ws, &args, "poll_ms", "--poll-ms", "between 10 and 3600000 milliseconds")?;
    }
    for timeout in ["0", "3601"] {
        let args = ["connections", "add", "google", "--timeout-secs", timeout];
        refused_naming(&ws, &args, "timeout_secs", "--timeout-secs", "between 1 and 3600 seconds")?;
    }
    for days in ["0", "367"] {
        refused_naming(&ws, &["team", "meetings", "--days", days], "days", "--days", "between 1 and 366 days")?;
    }
    // The bounds themselves are accepted.
    let pass = ws.json(&["outbound", "run", "--once", "--poll-ms", "10"])?;
    assert!(pass.is_object(), "{pass}");
    let upcoming = ws.json(&["team", "meetings", "--days", "366"])?;
    assert!(upcoming.is_array(), "{upcoming}");
    Ok(())
}

#[test]
fn a_sync_token_written_on_the_command_line_is_refused_before_it_is_sent_or_stored() -> Result<()> {
    let ws = workspace_with_a_contact()?;
    let before = ws.db_dump()?;
    // A real listener: were the token sent, it would arrive here.
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let server = format!("http://{}", listener.local_addr()?);
    let secret = "dev_9f3c2a7e5b1d4c8a";
    let run = ws.fails(&["sync", "connect", "--server", &server, "--token", secret])?;
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    let error = error_of(&run)?;
    assert_eq!(error["field"], "token", "{error}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains("--token -") && message.contains("OUTPOST_SYNC_TOKEN"), "{message}");
    assert!(
        !run.stderr.contains(secret) && !run.stdout.contains(secret),
        "the refusal repeats the token: {}",
        run.stderr
    );
    assert!(listener.accept().is_err(), "the server was contacted");
    assert_eq!(ws.db_dump()?, before, "nothing stored");
    Ok(())
}

#[test]
fn an_llm_api_key_written_on_the_command_line_is_refused_and_nothing_is_configured() -> Result<()> {
    let ws = workspace_with_a_contact()?;
    let before = ws.db_dump()?;
    let secret = "sk-live-3f9a7c1e5b2d8a4c6e0f";
    let args =
        ["copilot", "provider", "set", "--kind", "openai", "--base-url", "http://127.0.0.1:1/v1", "--model", "m"];
    let run = ws.fails(&[&args[..], &["--api-key", secret]].concat())?;
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    let error = error_of(&run)?;
    assert_eq!(error["field"], "api_key", "{error}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains("--api-key -") && message.contains("OUTPOST_LLM_API_KEY"), "{message}");
    assert!(!run.stderr.contains(secret), "the refusal repeats the key: {}", run.stderr);
    assert_eq!(ws.db_dump()?, before, "nothing configured");
    Ok(())
}
