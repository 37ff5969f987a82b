//! One push path: the live loop (`outpost sync run`, the desktop's background sync) pushes what
//! `sync now` pushes, including imported records left without their sync documents because the
//! import was bigger than `import-document-max`. Broke before issue 16: the live loop pushed only
//! the outbox, so such an import waited for a manual sync, a reconnect or a remote update.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{bail, ensure, Context, Result};
use serde_json::Value;

use super::support::{Device, Server};

/// A live `outpost sync run` whose progress lines arrive on a channel; killed on drop.
struct Live {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Live {
    fn start(device: &Device) -> Result<Self> {
        let mut child = device
            .ws
            .command()
            .args(["--json", "sync", "run", "--push-every", "1"])
            .env("OUTPOST_SYNC_TOKEN", device.token())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("start outpost sync run")?;
        let stdout = child.stdout.take().context("sync run stdout")?;
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(std::result::Result::ok) {
                let event =
                    serde_json::from_str::<Value>(&line).ok().and_then(|v| v["event"].as_str().map(String::from));
                if send.send(event.unwrap_or(line)).is_err() {
                    return;
                }
            }
        });
        Ok(Self { child, lines })
    }

    /// The next progress line, or an error naming `what` after `within`.
    fn next(&self, what: &str, within: Duration) -> Result<String> {
        self.lines.recv_timeout(within).with_context(|| format!("`outpost sync run` never reported {what}"))
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn emails(list: &Value) -> Vec<String> {
    list.as_array().into_iter().flatten().filter_map(|c| c["email"].as_str().map(String::from)).collect()
}

#[test]
fn an_import_above_import_document_max_made_while_the_live_loop_runs_reaches_another_device() -> Result<()> {
    const LEADS: usize = 40;
    let server = Server::start()?;
    let (laptop, phone) = (server.device()?, server.device()?);
    // Imports of more than 5 records leave their documents to the next push.
    laptop.cli(&["settings", "set", "import-document-max", "5"])?;
    let live = Live::start(&laptop)?;
    let first = live.next("its first sync", Duration::from_secs(60))?;
    ensure!(first.starts_with("synced"), "first line: {first}");

    let dir = tempfile::tempdir()?;
    let csv = dir.path().join("leads.csv");
    let mut text = String::from("First Name,Last Name,Email,Company\n");
    for i in 0..LEADS {
        text.push_str(&format!("Lead,{i},lead{i}@live-push.example,Company {i}\n"));
    }
    std::fs::write(&csv, text)?;
    let imported = laptop.cli(&["import", &csv.to_string_lossy()])?;
    ensure!(imported["imported"].as_u64() == Some(LEADS as u64), "{imported}");

    // The live loop documents and pushes the import by itself: wait for its pushes until nothing
    // is left to push (no `sync now` on the laptop).
    loop {
        let line = live.next("a push of the imported leads within 60 s", Duration::from_secs(60))?;
        if !line.starts_with("pushed") {
            continue;
        }
        let status = laptop.sync(&["status"])?;
        if status["pending"] == 0 {
            break;
        }
    }
    phone.sync(&["now"])?;
    let got = emails(&phone.cli(&["contacts", "list", "--limit", "1000"])?);
    let missing: Vec<String> =
        (0..LEADS).map(|i| format!("lead{i}@live-push.example")).filter(|e| !got.contains(e)).collect();
    if !missing.is_empty() {
        bail!("{} imported leads never reached the phone, e.g. {}", missing.len(), missing[0]);
    }
    Ok(())
}
