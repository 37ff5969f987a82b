//! A real `outpost-server` process for the hostile suite: set up through its admin commands,
//! serving on 127.0.0.1 with small limits so quotas and timeouts are reachable, killed on drop
//! (started through the shared `outpost_server::test_support`).

use std::path::Path;

use anyhow::Result;
use outpost_server::test_support::{Admin, ServerProcess};
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
pub const EVE: &str = "eve@acme.test"; // rep sending malformed and out-of-model updates
pub const ZOE: &str = "zoe@acme.test"; // rep whose private memory and deleted task EVE probes

/// A running server and its device tokens.
pub struct HostileServer {
    process: ServerProcess,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
}

impl HostileServer {
    /// Sets up the organisations and users in `db`, then serves it.
    pub async fn start(db: &str) -> Result<Self> {
        let admin = Admin::new(Path::new(env!("CARGO_BIN_EXE_outpost-server")), db);
        admin.create_org("acme")?;
        admin.create_org("globex")?;
        for (email, role) in [
            (ANN, "rep"),
            (BOB, "rep"),
            (MAX, "manager"),
            (ADA, "admin"),
            (QUO, "rep"),
            (BIG, "rep"),
            (EVE, "rep"),
            (ZOE, "rep"),
        ] {
            admin.add_user("acme", email, role)?;
        }
        admin.add_user("globex", GUS, "admin")?;
        let (hello_timeout, max_docs, max_bytes) =
            (HELLO_TIMEOUT_MS.to_string(), MAX_DOCS.to_string(), MAX_BYTES_PER_DAY.to_string());
        let process = ServerProcess::start(
            &admin,
            "127.0.0.1:0",
            &[
                "--rate-per-sec",
                "100000",
                "--rate-burst",
                "100000",
                "--compact-every-secs",
                "0",
                "--hello-timeout-ms",
                &hello_timeout,
                "--max-docs-per-user",
                &max_docs,
                "--max-bytes-per-user-per-day",
                &max_bytes,
            ],
        )?;
        Ok(HostileServer { base: process.base_url(), process })
    }

    /// A new device token of `email`.
    pub fn token(&self, email: &str) -> Result<String> {
        Ok(self.process.admin().token(email)?)
    }

    /// A second server process on the same database, with `extra` serve arguments (e.g. short
    /// timeouts that would disturb the main suite's pooled connections).
    pub fn serve_again(&self, extra: &[&str]) -> Result<ServerProcess> {
        let mut args = vec!["--rate-per-sec", "100000", "--rate-burst", "100000", "--compact-every-secs", "0"];
        args.extend_from_slice(extra);
        Ok(ServerProcess::start(self.process.admin(), "127.0.0.1:0", &args)?)
    }

    /// Runs an admin command against the served database.
    pub fn admin(&self, args: &[&str]) -> Result<Value> {
        Ok(self.process.admin().run(args)?)
    }
}
