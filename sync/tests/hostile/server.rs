//! A real `outpost-server` process for the hostile suite: set up through its admin commands,
//! serving on 127.0.0.1 with small limits so quotas and timeouts are reachable, killed on drop.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use anyhow::{bail, Context, Result};
use serde_json::Value;

/// Hello timeout of the suite's server (milliseconds).
pub const HELLO_TIMEOUT_MS: u64 = 1_500;
/// Documents one user may own on the suite's server.
pub const MAX_DOCS: u64 = 400;
/// Update bytes one user may store per day on the suite's server.
pub const MAX_BYTES_PER_DAY: u64 = 12 * 1024 * 1024;

/// The users of org `acme` (and `globex`), by role.
pub const ANN: &str = "ann@acme.test"; // rep, owns the probed documents
pub const BOB: &str = "bob@acme.test"; // another rep
pub const MAX: &str = "max@acme.test"; // manager
pub const ADA: &str = "ada@acme.test"; // admin
pub const GUS: &str = "gus@globex.test"; // admin of another organisation
pub const QUO: &str = "quo@acme.test"; // rep whose quota the suite uses up
pub const BIG: &str = "big@acme.test"; // rep pushing the largest updates

/// A running server and its device tokens.
pub struct HostileServer {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    db: String,
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_outpost-server")
}

impl HostileServer {
    /// Sets up the organisations and users in `db`, then serves it.
    pub async fn start(db: &str) -> Result<Self> {
        let admin = |args: &[&str]| admin(db, args);
        admin(&["org", "create", "acme"])?;
        admin(&["org", "create", "globex"])?;
        for (email, role) in [(ANN, "rep"), (BOB, "rep"), (MAX, "manager"), (ADA, "admin"), (QUO, "rep"), (BIG, "rep")]
        {
            admin(&["user", "add", "--org", "acme", "--email", email, "--role", role])?;
        }
        admin(&["user", "add", "--org", "globex", "--email", GUS, "--role", "admin"])?;
        let mut child = Command::new(bin())
            .args(["--db", db, "--json", "serve", "--listen", "127.0.0.1:0"])
            .args(["--rate-per-sec", "100000", "--rate-burst", "100000", "--compact-every-secs", "0"])
            .args(["--hello-timeout-ms", &HELLO_TIMEOUT_MS.to_string()])
            .args(["--max-docs-per-user", &MAX_DOCS.to_string()])
            .args(["--max-bytes-per-user-per-day", &MAX_BYTES_PER_DAY.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("start outpost-server")?;
        let stdout = child.stdout.take().context("server stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).context("read the listening line")?;
        let listening: Value = serde_json::from_str(line.trim()).with_context(|| format!("server said {line:?}"))?;
        let addr = listening["listening"].as_str().context("no listening address")?;
        Ok(HostileServer { child, base: format!("http://{addr}"), db: db.to_string() })
    }

    /// A new device token of `email`.
    pub fn token(&self, email: &str) -> Result<String> {
        Ok(admin(&self.db, &["device-token", "--email", email])?["token"].as_str().context("no token")?.to_string())
    }

    /// Runs an admin command against the served database.
    pub fn admin(&self, args: &[&str]) -> Result<Value> {
        admin(&self.db, args)
    }
}

fn admin(db: &str, args: &[&str]) -> Result<Value> {
    let out = Command::new(bin()).args(["--db", db, "--json"]).args(args).output().context("run outpost-server")?;
    if !out.status.success() {
        bail!("outpost-server {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    serde_json::from_slice(&out.stdout).context("outpost-server printed no JSON")
}
