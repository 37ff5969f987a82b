//! A throwaway `outpost-server` (org, user, device tokens via its CLI, started through the shared
//! `outpost_server::test_support`) and devices driving the `outpost` CLI against it.

use anyhow::{Context, Result};
use outpost_server::test_support::{Admin, ServerProcess};
use outpost_tests::{workspace_bin, Workspace};
use serde_json::Value;

/// A running `outpost-server` (the shared [`ServerProcess`]), killed on drop.
pub struct Server {
    process: ServerProcess,
    dir: tempfile::TempDir,
    /// Base URL, e.g. `http://127.0.0.1:PORT`.
    pub url: String,
}

/// The test servers' background maintenance interval: erased bytes must be gone from the
/// server's files within it plus one maintenance run ([`Server::leftovers_after_scrub`]).
pub const MAINTENANCE_EVERY_SECS: u64 = 1;
/// How long one maintenance run may take on a loaded test machine.
const MAINTENANCE_RUN_ALLOWANCE: std::time::Duration = std::time::Duration::from_secs(20);

impl Server {
    fn admin(&self) -> &Admin {
        self.process.admin()
    }

    /// Starts a server on 127.0.0.1 (free port) with org `acme` and user `ann@acme.test`.
    pub fn start() -> Result<Self> {
        Self::start_with_maintenance_every(MAINTENANCE_EVERY_SECS)
    }

    /// [`Server::start`] with background maintenance every `secs` seconds: the tests use
    /// [`MAINTENANCE_EVERY_SECS`] so erasures are scrubbed quickly; the benchmark uses the
    /// server's default, since a maintenance run scans every document.
    pub fn start_with_maintenance_every(secs: u64) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let admin = Admin::new(
            &workspace_bin("outpost-server")?,
            &format!("sqlite:{}", dir.path().join("server.db").display()),
        );
        let every = secs.to_string();
        let serve = ["--rate-per-sec", "10000", "--rate-burst", "10000", "--compact-every-secs", &every];
        let process = ServerProcess::start(&admin, "127.0.0.1:0", &serve)?;
        admin.create_org("acme")?;
        admin.add_user("acme", "ann@acme.test", "rep")?;
        Ok(Server { url: process.base_url(), process, dir })
    }

    /// The server's process id (the `initial_sync` benchmark reads its CPU time).
    #[allow(dead_code)] // this module is shared with the benchmark; the tests do not read it
    pub fn pid(&self) -> u32 {
        self.process.pid()
    }

    /// The directory holding the server's SQLite store (`server.db` and its WAL files).
    pub fn store_dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// The `needles` still in the server's files once the erasure bound has passed: the files
    /// are scanned until they hold none, for at most one maintenance interval plus one run.
    pub fn leftovers_after_scrub(&self, needles: &[&str]) -> Result<Vec<String>> {
        let deadline = std::time::Instant::now()
            + std::time::Duration::from_secs(MAINTENANCE_EVERY_SECS)
            + MAINTENANCE_RUN_ALLOWANCE;
        loop {
            let found = leftovers(self.store_dir(), needles)?;
            if found.is_empty() || std::time::Instant::now() > deadline {
                return Ok(found);
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    /// Kills the server with SIGKILL (no shutdown, no checkpoint) and waits for it to die.
    pub fn kill9(&mut self) -> Result<()> {
        Ok(self.process.kill9()?)
    }

    /// Starts the server again on the same store file and the same address (after [`Self::kill9`]).
    pub fn restart(&mut self) -> Result<()> {
        Ok(self.process.restart()?)
    }

    /// Runs `outpost-server compact` on the store now: every document's updates merged into one
    /// snapshot, as the background maintenance does.
    pub fn compact(&self) -> Result<Value> {
        Ok(self.admin().run(&["compact"])?)
    }

    /// A new device token of `ann@acme.test` (for a device set up by hand, e.g. the desktop app).
    pub fn new_token(&self) -> Result<String> {
        self.token_of("ann@acme.test")
    }

    fn token_of(&self, email: &str) -> Result<String> {
        Ok(self.admin().token(email)?)
    }

    /// Adds user `email` with `role` (rep, manager, admin) to org `acme`.
    pub fn add_user(&self, email: &str, role: &str) -> Result<()> {
        Ok(self.admin().add_user("acme", email, role)?)
    }

    /// A new device of `ann@acme.test`: a fresh data directory connected with its own token.
    pub fn device(&self) -> Result<Device> {
        self.device_with(self.new_token()?)
    }

    /// A new device of user `email` (see [`Self::add_user`]).
    pub fn device_of(&self, email: &str) -> Result<Device> {
        self.device_with(self.token_of(email)?)
    }

    /// A new data directory connected with an existing device's `token` (the same device id).
    pub fn device_with_token(&self, token: &str) -> Result<Device> {
        self.device_with(token.to_string())
    }

    fn device_with(&self, token: String) -> Result<Device> {
        let device = Device { ws: Workspace::new()?, token };
        // The token comes from OUTPOST_SYNC_TOKEN (see `sync`): never on the command line.
        device.sync(&["connect", "--server", &self.url])?;
        Ok(device)
    }
}

/// One device: a data directory and its device token.
pub struct Device {
    /// The device's workspace (its own `outpost` data directory).
    pub ws: Workspace,
    token: String,
}

impl Device {
    /// This device's token (for processes started by hand, e.g. `outpost sync run`).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Runs `outpost --json sync ARGS…` with this device's token.
    pub fn sync(&self, args: &[&str]) -> Result<Value> {
        let mut full = vec!["sync"];
        full.extend_from_slice(args);
        self.ws.json_env(&full, &[("OUTPOST_SYNC_TOKEN", &self.token)])
    }

    /// Runs `outpost --json ARGS…`.
    pub fn cli(&self, args: &[&str]) -> Result<Value> {
        self.ws.json(args)
    }

    /// The replicated data as the CLI lists it, in a canonical order, without local-only values.
    pub fn dump(&self) -> Result<Value> {
        let mut all = serde_json::Map::new();
        for (key, args) in [
            ("contacts", &["contacts", "list", "--limit", "1000"][..]),
            ("companies", &["companies", "list", "--limit", "1000"]),
            ("deals", &["deals", "list", "--limit", "1000"]),
            ("tasks", &["tasks", "list", "--all"]),
        ] {
            let mut rows = self.cli(args)?.as_array().cloned().context("a list")?;
            for row in &mut rows {
                if let Some(obj) = row.as_object_mut() {
                    obj.remove("last_contacted_at");
                }
            }
            rows.sort_by_key(|r| r["id"].as_str().unwrap_or_default().to_string());
            all.insert(key.into(), Value::Array(rows));
        }
        Ok(Value::Object(all))
    }
}

/// Every needle (lower-case ASCII) found in any file under `dir`, ASCII case-insensitively, with
/// the file: the scan behind "no byte of it remains".
pub fn leftovers(dir: &std::path::Path, needles: &[&str]) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            found.extend(leftovers(&path, needles)?);
            continue;
        }
        let bytes = std::fs::read(&path)?.to_ascii_lowercase();
        for needle in needles {
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                found.push(format!("{needle} in {}", path.display()));
            }
        }
    }
    Ok(found)
}

/// The JSON value at `key` as a string (empty if absent).
pub fn s(value: &Value, key: &str) -> String {
    value[key].as_str().unwrap_or_default().to_string()
}
