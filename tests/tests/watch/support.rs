//! Shared helpers of the watcher tests: a foreground `outpost watch run --json` child process whose
//! event lines are collected, and small queries through the CLI.

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Child, Stdio},
    sync::{Arc, Mutex},
    time::Duration,
};

use anyhow::{bail, Context, Result};
use outpost_tests::{wait_for, Workspace};
use serde_json::Value;

/// Generous bound for anything the watcher has to do.
pub const PATIENCE: Duration = Duration::from_secs(90);

/// `outpost watch run --json` running in the background; killed on drop.
pub struct Daemon {
    child: Child,
    events: Arc<Mutex<Vec<Value>>>,
}

impl Daemon {
    /// Starts the watcher on the workspace (rescans every 500 ms).
    pub fn start(ws: &Workspace) -> Result<Self> {
        let mut child = ws
            .command()
            .args(["--json", "watch", "run"])
            .env("OUTPOST_WATCH_POLL_MS", "500")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("start outpost watch run")?;
        let stdout = child.stdout.take().context("watcher stdout")?;
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&events);
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(std::result::Result::ok) {
                let value = serde_json::from_str(&line).unwrap_or(Value::String(line));
                if let Ok(mut events) = sink.lock() {
                    events.push(value);
                }
            }
        });
        Ok(Daemon { child, events })
    }

    /// Every event printed so far.
    pub fn events(&self) -> Vec<Value> {
        self.events.lock().map(|e| e.clone()).unwrap_or_default()
    }

    /// Waits for the first event about `key` and returns it.
    pub fn wait_event(&mut self, key: &str) -> Result<Value> {
        let events = Arc::clone(&self.events);
        let child = &mut self.child;
        wait_for(PATIENCE, &format!("a watcher event about {key}"), || {
            if let Some(status) = child.try_wait()? {
                bail!("the watcher exited early ({status})");
            }
            let events = events.lock().map(|e| e.clone()).unwrap_or_default();
            Ok(events.into_iter().find(|e| e["key"] == key))
        })
    }

    /// Stops the watcher.
    pub fn stop(mut self) -> Result<()> {
        self.child.kill().context("stop the watcher")?;
        self.child.wait().context("reap the watcher")?;
        Ok(())
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `outpost --json watch run --once` (with extra environment), as the list of event lines.
pub fn run_once(ws: &Workspace, env: &[(&str, &str)]) -> Result<Vec<Value>> {
    let output = ws.command().args(["--json", "watch", "run", "--once"]).envs(env.iter().copied()).output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!("watch run --once exited {:?}: {}", output.status.code(), String::from_utf8_lossy(&output.stderr));
    }
    stdout.lines().map(|l| serde_json::from_str(l).with_context(|| format!("event line is not JSON: {l}"))).collect()
}

/// Import jobs whose source path ends with `suffix`.
pub fn jobs_for(ws: &Workspace, suffix: &str) -> Result<Vec<Value>> {
    let jobs = ws.json(&["imports", "list"])?;
    let jobs = jobs.as_array().context("imports list is an array")?;
    Ok(jobs.iter().filter(|j| j["source_path"].as_str().is_some_and(|p| p.ends_with(suffix))).cloned().collect())
}

/// Number of import jobs.
pub fn job_count(ws: &Workspace) -> Result<usize> {
    Ok(ws.json(&["imports", "list"])?.as_array().map_or(0, Vec::len))
}

/// E-mail addresses of all contacts, sorted.
pub fn emails(ws: &Workspace) -> Result<Vec<String>> {
    let list = ws.json(&["contacts", "list", "--limit", "1000"])?;
    let mut emails: Vec<String> = list
        .as_array()
        .context("contacts list is an array")?
        .iter()
        .filter_map(|c| c["email"].as_str().map(str::to_owned))
        .collect();
    emails.sort();
    Ok(emails)
}

/// The event kinds by key, for readable assertions.
pub fn kinds(events: &[Value]) -> Vec<(String, String)> {
    let mut kinds: Vec<(String, String)> = events
        .iter()
        .map(|e| (e["key"].as_str().unwrap_or_default().to_owned(), e["event"].as_str().unwrap_or_default().to_owned()))
        .collect();
    kinds.sort();
    kinds
}

/// `outpost watch add FOLDER ARGS…` and the new source.
pub fn add_folder(ws: &Workspace, folder: &Path, args: &[&str]) -> Result<Value> {
    let folder = folder.to_str().context("utf-8 temp path")?;
    let mut full = vec!["watch", "add", folder];
    full.extend_from_slice(args);
    ws.json(&full)
}

/// A CSV of `n` leads with e-mails `lead{i}@{domain}`; names and companies differ per domain too,
/// so no two calls with different domains produce duplicates.
pub fn leads_csv(n: usize, domain: &str) -> String {
    let label = domain.split('.').next().unwrap_or(domain).replace('-', "");
    let mut text = String::from("First Name,Last Name,Email,Company\n");
    for i in 0..n {
        text.push_str(&format!("Lead{i},{label},lead{i}@{domain},{label} Company {i}\n"));
    }
    text
}
