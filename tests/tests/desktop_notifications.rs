//! End-to-end test of native notifications: an alert the desktop app's agent raises (an overdue
//! task) is shown once by the system's notification daemon. The daemon is a real `dunst` on the
//! test's X display (Xvfb) and a private D-Bus session shared with the app (the integrations
//! tests' keychain harness, so no other app's notifications land there); `dunstctl history` is
//! read back as JSON.
//!
//! `#[ignore]`d in plain `cargo test`; `make test-e2e` runs it with `--ignored` (needs dunst).

mod integrations {
    pub mod support;
}

use std::{
    process::{Child, Command, Stdio},
    time::Duration,
};

use anyhow::{bail, Context, Result};
use fantoccini::Client;
use integrations::support::Keychain;
use outpost_tests::{
    wait_for,
    webdriver::{connect, start_driver_via, wait_for as wait_for_element},
    Workspace,
};
use serde_json::Value;

/// A `dunst` notification daemon on the bus of `session`, stopped when dropped.
struct Dunst<'a> {
    session: &'a Keychain,
    child: Child,
    _config: tempfile::TempDir,
}

impl<'a> Dunst<'a> {
    /// Starts dunst with a small configuration and waits until it owns the notification name.
    fn start(session: &'a Keychain) -> Result<Self> {
        if std::env::var_os("DISPLAY").is_none() {
            bail!("dunst needs an X display: run under `xvfb-run` (make test-e2e)");
        }
        let config = tempfile::tempdir()?;
        let file = config.path().join("dunstrc");
        std::fs::write(&file, "[global]\n    history_length = 100\n")?;
        let mut command = Command::new("dunst");
        command.arg("-config").arg(&file);
        let child = session
            .wrap(&command)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("start dunst (apt install dunst)")?;
        let mut dunst = Dunst { session, child, _config: config };
        // Asked without activating anything: dunst's D-Bus service file would otherwise start a
        // second daemon (outside this test's control) on the first dunstctl call.
        wait_for(Duration::from_secs(10), "dunst to own org.freedesktop.Notifications", || {
            let mut ask = Command::new("dbus-send");
            ask.args(["--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus"])
                .args(["org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.Notifications"]);
            let output = session.wrap(&ask).output().context("run dbus-send (apt install dbus)")?;
            Ok(String::from_utf8_lossy(&output.stdout).contains("boolean true").then_some(()))
        })?;
        if dunst.child.try_wait()?.is_some() {
            bail!("dunst exited: another notification daemon owns the session bus's notification name");
        }
        Ok(dunst)
    }

    /// Summaries (titles) of every notification received so far: closes the ones on screen so
    /// they move to the history, then reads `dunstctl history`.
    fn titles(&self) -> Result<Vec<String>> {
        let dunstctl = |arg: &str| {
            let mut command = Command::new("dunstctl");
            command.arg(arg);
            self.session.wrap(&command).output().with_context(|| format!("run dunstctl {arg}"))
        };
        dunstctl("close-all")?;
        let output = dunstctl("history")?;
        let history: Value = serde_json::from_slice(&output.stdout)
            .with_context(|| format!("dunstctl history is not JSON: {}", String::from_utf8_lossy(&output.stdout)))?;
        let entries = history["data"].as_array().and_then(|d| d.first()).and_then(Value::as_array);
        Ok(entries.into_iter().flatten().filter_map(|n| n["summary"]["data"].as_str().map(str::to_owned)).collect())
    }
}

impl Drop for Dunst<'_> {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Xvfb, D-Bus, tauri-driver and dunst: run with `make test-e2e`"]
async fn a_new_alert_becomes_one_native_notification() -> Result<()> {
    let session = Keychain::start()?;
    let dunst = Dunst::start(&session)?;
    let ws = Workspace::new()?;
    ws.json(&["tasks", "add", "--title", "Send the Acme proposal", "--due", "2020-01-06"])?;
    assert!(dunst.titles()?.is_empty(), "the daemon starts with an empty history");
    // The app (through tauri-driver) talks to the same private session bus as dunst.
    let driver = start_driver_via(|command| session.wrap(&command))?;
    let client = connect(&driver, ws.data_dir()).await?;
    let outcome = drive(&client, &ws, &dunst).await;
    let _ = client.close().await;
    outcome
}

async fn drive(client: &Client, ws: &Workspace, dunst: &Dunst<'_>) -> Result<()> {
    wait_for_element(client, "[data-testid=nav-alerts]").await?;
    let title = "Overdue: Send the Acme proposal";
    let titles = wait_for(Duration::from_secs(30), "the overdue-task notification", || {
        let titles = dunst.titles()?;
        Ok(titles.iter().any(|t| t == title).then_some(titles))
    })?;
    assert_eq!(titles.iter().filter(|t| *t == title).count(), 1, "shown once: {titles:?}");
    // The same alert is in the app's notification centre (raised once, in the database).
    let alerts = ws.json(&["alerts", "list"])?;
    let raised: Vec<&Value> = alerts.as_array().into_iter().flatten().filter(|a| a["title"] == title).collect();
    assert_eq!(raised.len(), 1, "{alerts}");
    // A second tick (the CLI's, on the same data dir) raises nothing new, so nothing is shown again.
    assert_eq!(ws.json(&["agent", "run", "--once"])?, serde_json::json!([]));
    assert_eq!(dunst.titles()?.iter().filter(|t| *t == title).count(), 1);
    Ok(())
}
