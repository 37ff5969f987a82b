//! The sync device token through the real OS keychain, with no `OUTPOST_SYNC_TOKEN` override:
//! `sync connect --token -` stores it (read from stdin), another Secret Service client reads it
//! back, it is in no SQLite file and in no running `outpost` process's argv or environment, a
//! `sync now` after a "reboot" (a fresh keyutils session, so only the Secret Service has it)
//! authenticates with it against a real `outpost-server`, and `sync disconnect` deletes it.

use std::{
    io::{BufRead, BufReader, Write},
    process::{Child, Command, Stdio},
};

use anyhow::{bail, ensure, Context, Result};
use outpost_tests::{workspace_bin, Workspace};
use serde_json::Value;

use super::support::{contains, database_bytes, Keychain};

const ENV_OVERRIDE: &str = "OUTPOST_SYNC_TOKEN";

/// A real `outpost-server` on 127.0.0.1 (its own SQLite store) with org `acme` and one rep.
struct Server {
    child: Child,
    db: String,
    _dir: tempfile::TempDir,
    url: String,
}

impl Server {
    fn start() -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let db = format!("sqlite:{}", dir.path().join("server.db").display());
        let mut child = Command::new(workspace_bin("outpost-server")?)
            .args(["--db", &db, "--json", "serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("start outpost-server")?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().context("server stdout")?).read_line(&mut line)?;
        let listening: Value = serde_json::from_str(line.trim()).with_context(|| format!("server said {line:?}"))?;
        let addr = listening["listening"].as_str().context("no listening address")?.to_owned();
        let server = Server { child, db, _dir: dir, url: format!("http://{addr}") };
        server.admin(&["org", "create", "acme"])?;
        server.admin(&["user", "add", "--org", "acme", "--email", "ann@acme.test", "--role", "rep"])?;
        Ok(server)
    }

    fn admin(&self, args: &[&str]) -> Result<Value> {
        let out =
            Command::new(workspace_bin("outpost-server")?).args(["--db", &self.db, "--json"]).args(args).output()?;
        ensure!(out.status.success(), "outpost-server {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).context("outpost-server printed no JSON")
    }

    fn device_token(&self) -> Result<String> {
        let printed = self.admin(&["device-token", "--email", "ann@acme.test"])?;
        Ok(printed["token"].as_str().context("no token printed")?.to_owned())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `outpost --json ARGS…` inside the keychain, never with the environment override, `stdin` fed in.
fn run(keychain: &Keychain, ws: &Workspace, args: &[&str], stdin: &str) -> Result<Value> {
    let mut cmd = ws.command();
    cmd.arg("--json").args(args).env_remove(ENV_OVERRIDE);
    let mut child = keychain.wrap(&cmd).stdin(Stdio::piped()).spawn().context("start outpost")?;
    child.stdin.take().context("stdin")?.write_all(stdin.as_bytes())?;
    let output = child.wait_with_output()?;
    ensure!(output.status.success(), "outpost {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).context("stdout is not JSON")
}

/// The sync keychain entry of this data directory, read with `secret-tool`.
fn stored_token(keychain: &Keychain, ws: &Workspace) -> Result<Option<String>> {
    let mut cmd = Command::new("secret-tool");
    cmd.args(["lookup", "service", "outpost-sync", "username"])
        .arg(format!("device-token:{}", ws.data_dir().display()));
    let output = keychain.wrap(&cmd).output().context("run secret-tool (apt install libsecret-tools)")?;
    Ok(output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned()))
}

/// A running `outpost sync run`, its stdout kept open (a closed pipe would end it), killed on drop.
struct LiveSync {
    child: Child,
    _stdout: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Drop for LiveSync {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `outpost sync run` in the keychain and waits for its "connected" event: the live
/// connection was authenticated with the token it loaded.
fn live_sync(keychain: &Keychain, ws: &Workspace) -> Result<LiveSync> {
    let mut cmd = ws.command();
    cmd.args(["sync", "run"]).env_remove(ENV_OVERRIDE);
    let mut child = keychain.wrap(&cmd).stdin(Stdio::null()).spawn().context("start outpost sync run")?;
    let stdout = child.stdout.take().context("sync run stdout")?;
    let mut live = LiveSync { child, _stdout: BufReader::new(stdout).lines() };
    for line in live._stdout.by_ref() {
        if line?.trim() == "connected" {
            return Ok(live);
        }
    }
    bail!("`outpost sync run` ended before it connected")
}

#[test]
fn sync_device_token_lives_in_the_real_keychain_never_in_sqlite_or_argv() -> Result<()> {
    let mut keychain = Keychain::start()?;
    let server = Server::start()?;
    let token = server.device_token()?;
    let ws = Workspace::new()?;
    run(&keychain, &ws, &["contacts", "add", "--first-name", "Ada", "--email", "ada@engines.io"], "")?;

    let connected =
        run(&keychain, &ws, &["sync", "connect", "--server", &server.url, "--token", "-"], &format!("{token}\n"))?;
    assert_eq!(connected["token_store"], "keychain", "{connected}");
    assert_eq!(stored_token(&keychain, &ws)?.as_deref(), Some(token.as_str()), "another client reads the token");
    assert!(!contains(&database_bytes(&ws)?, &token), "the device token is in the SQLite files");

    // A running client holds it in memory only: not in its argv, not in its environment.
    let live = live_sync(&keychain, &ws)?;
    let proc_dir = std::path::PathBuf::from(format!("/proc/{}", live.child.id()));
    let cmdline = std::fs::read(proc_dir.join("cmdline")).context("read the sync process's argv")?;
    let environ = std::fs::read(proc_dir.join("environ")).context("read the sync process's environment")?;
    drop(live);
    let program = cmdline.split(|b| *b == 0).next().map(String::from_utf8_lossy).unwrap_or_default();
    assert!(program.ends_with("/outpost"), "that was not the outpost process but {program}");
    assert!(!contains(&cmdline, &token), "the device token is in the argv of `outpost sync run`");
    assert!(!contains(&environ, &token), "the device token is in the environment of `outpost sync run`");

    // After a logout/reboot: a brand-new keyutils session, so the token can only come from the
    // Secret Service; the server accepts it and takes the contact added since `sync run` pushed.
    keychain.fresh_session();
    run(&keychain, &ws, &["contacts", "add", "--first-name", "Grace", "--email", "grace@navy.test"], "")?;
    let report = run(&keychain, &ws, &["sync", "now"], "")?;
    assert!(report["pushed"].as_u64().unwrap_or(0) >= 1, "nothing pushed with the keychain token: {report}");
    let status = run(&keychain, &ws, &["sync", "status"], "")?;
    assert_eq!(status["last_error"], Value::Null, "{status}");
    assert!(!contains(&database_bytes(&ws)?, &token), "the device token reached the SQLite files");

    run(&keychain, &ws, &["sync", "disconnect"], "")?;
    assert_eq!(stored_token(&keychain, &ws)?, None, "disconnect deletes the keychain entry");
    Ok(())
}
