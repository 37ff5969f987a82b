//! The copilot's API key through the real OS keychain, with no environment override: stored by
//! `copilot provider set --api-key -` (read from stdin), readable by another Secret Service client,
//! absent from SQLite, sent as the bearer token after a "reboot" (a fresh keyutils session, so it
//! can only come from the Secret Service), and deleted by `copilot provider clear`.

use std::{
    io::Write,
    process::{Command, Stdio},
    sync::{Arc, Mutex},
};

use anyhow::{ensure, Context, Result};
use outpost_tests::Workspace;
use serde_json::json;

use super::support::{contains, database_bytes, FakeServer, Keychain, Reply};

const KEY: &str = "sk-test-0f9e8d7c6b5a4f3e2d1c";
const ENV_OVERRIDE: &str = "OUTPOST_LLM_API_KEY";

/// `outpost --json ARGS…` inside the keychain, never with the environment override, `stdin` fed in.
fn run(keychain: &Keychain, ws: &Workspace, args: &[&str], stdin: &str) -> Result<serde_json::Value> {
    let mut cmd = ws.command();
    cmd.arg("--json").args(args).env_remove(ENV_OVERRIDE);
    let mut child = keychain.wrap(&cmd).stdin(Stdio::piped()).spawn().context("start outpost")?;
    child.stdin.take().context("stdin")?.write_all(stdin.as_bytes())?;
    let output = child.wait_with_output()?;
    ensure!(output.status.success(), "outpost {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).context("stdout is not JSON")
}

/// The copilot's keychain entry for this data directory, read with `secret-tool`.
fn stored_key(keychain: &Keychain, ws: &Workspace) -> Result<Option<String>> {
    let mut cmd = Command::new("secret-tool");
    cmd.args(["lookup", "service", "outpost-copilot", "username"]).arg(format!("api-key:{}", ws.data_dir().display()));
    let output = keychain.wrap(&cmd).output().context("run secret-tool (apt install libsecret-tools)")?;
    Ok(output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned()))
}

/// An OpenAI-compatible answer streamed as server-sent events.
fn streamed_answer() -> Reply {
    let answer = json!({ "summary": "Call Ada today.", "why": [] }).to_string();
    let chunk = json!({ "choices": [{ "index": 0, "delta": { "content": answer } }] });
    let usage = json!({ "choices": [], "usage": { "prompt_tokens": 10, "completion_tokens": 5 } });
    Reply::Respond(
        200,
        vec![("Content-Type".into(), "text/event-stream".into())],
        format!("data: {chunk}\n\ndata: {usage}\n\ndata: [DONE]\n\n"),
    )
}

#[test]
fn copilot_api_key_lives_in_the_real_keychain_with_no_environment_override() -> Result<()> {
    let mut keychain = Keychain::start()?;
    let ws = Workspace::new()?;
    let seen: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
    let recorder = seen.clone();
    let server = FakeServer::start(move |request| {
        if let Ok(mut seen) = recorder.lock() {
            seen.push(request.header("authorization").map(str::to_owned));
        }
        streamed_answer()
    })?;
    let base = format!("{}/v1", server.url());

    let status = run(
        &keychain,
        &ws,
        &["copilot", "provider", "set", "--kind", "openai", "--base-url", &base, "--model", "m", "--api-key", "-"],
        &format!("{KEY}\n"),
    )?;
    assert_eq!(status["api_key"], "keychain", "{status}");
    assert_eq!(stored_key(&keychain, &ws)?.as_deref(), Some(KEY), "another Secret Service client reads the key");
    assert!(!contains(&database_bytes(&ws)?, KEY), "the API key is in the SQLite files");

    // After a logout/reboot: a brand-new keyutils session, so the key can only come from the
    // Secret Service.
    keychain.fresh_session();
    let answer = run(&keychain, &ws, &["copilot", "ask", "What should I do next?"], "")?;
    assert_eq!(answer["engine"], "openai", "{answer}");
    assert_eq!(answer["summary"], "Call Ada today.");
    let headers = seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert!(!headers.is_empty(), "the provider was never called");
    assert!(headers.iter().all(|h| h.as_deref() == Some(&format!("Bearer {KEY}"))), "{headers:?}");
    assert!(!contains(&database_bytes(&ws)?, KEY), "the API key reached the SQLite files");

    run(&keychain, &ws, &["copilot", "provider", "clear"], "")?;
    assert_eq!(stored_key(&keychain, &ws)?, None, "clear deletes the keychain entry");
    Ok(())
}
