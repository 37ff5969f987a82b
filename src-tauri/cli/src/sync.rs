//! `outpost sync …`: connect this device to a sync server, sync once, show status, stay live.
//!
//! The device token is stored in the OS keychain, never in the database. `--token -` reads it
//! from standard input (a prompt on a terminal), so it never appears in the process list or the
//! shell history. A token written out on the command line (`--token T`) is refused: every user
//! of the machine could read it in `ps` while the command runs. For headless/CI use, set
//! `OUTPOST_SYNC_TOKEN` instead (it overrides the keychain; nothing is stored).

use std::time::Duration;

use clap::Subcommand;
use outpost_core::{sync, Ctx, Result};

use crate::secrets::SecretFlag;
use crate::stdout::{self, emit};

/// `outpost sync …`
#[derive(Debug, Subcommand)]
pub enum SyncCmd {
    /// Connect this device: checks the token with the server, stores the URL in the settings and
    /// the device token in the OS keychain (or uses OUTPOST_SYNC_TOKEN on headless machines).
    Connect {
        /// Server base URL, e.g. http://127.0.0.1:7777.
        #[arg(long, value_name = "URL")]
        server: String,
        /// Device token shown once by `outpost-server device-token`: `-` reads it from standard
        /// input. A token written here is refused (every user of the machine could read it in
        /// the process list). Default: $OUTPOST_SYNC_TOKEN.
        #[arg(long, value_name = "T|-", env = "OUTPOST_SYNC_TOKEN", hide_env_values = true)]
        token: String,
    },
    /// Push local changes and pull everything new, once; prints the counts.
    Now,
    /// Forget the server and remove the device token from the keychain. Local data and queued
    /// changes stay; connect again to resume.
    Disconnect,
    /// Server, last sync, pending local changes and the last error.
    Status,
    /// Stay connected: apply live updates as they arrive, push local changes, reconnect with
    /// backoff. Ctrl-C stops.
    Run {
        /// Seconds between pushes of local changes, 1 to 3600 (an hour).
        #[arg(long, default_value_t = 2)]
        push_every: u64,
    },
}

/// `--token`: the device token, on standard input or in `OUTPOST_SYNC_TOKEN`.
const TOKEN: SecretFlag = SecretFlag {
    field: "token",
    flag: "--token",
    env: "OUTPOST_SYNC_TOKEN",
    what: "device token",
    example: "outpost-server device-token --email E | outpost sync connect --server URL --token -",
};

/// Runs one `outpost sync …` command.
pub(crate) async fn run(ctx: &Ctx, json: bool, cmd: SyncCmd) -> Result<()> {
    match cmd {
        SyncCmd::Connect { server, token } => {
            let token = TOKEN.value(&token)?;
            let connected = sync::connect(ctx, &server, token.trim()).await?;
            emit(json, &connected, |c| {
                format!(
                    "connected to {} as {} ({}, org {}); token kept in the {}",
                    c.server, c.email, c.role, c.org, c.token_store
                )
            })
        }
        SyncCmd::Now => {
            let report = sync::sync_now(ctx).await?;
            emit(json, &report, |r| {
                format!(
                    "pushed {}, pulled {}, applied {} ({} deleted, {} erased, {} deferred, {} merged with local changes){}",
                    r.pushed,
                    r.pulled,
                    r.applied,
                    r.deleted,
                    r.erased,
                    r.deferred,
                    r.conflicts,
                    if r.rejected > 0 { format!("; {} refused by the server", r.rejected) } else { String::new() }
                )
            })
        }
        SyncCmd::Disconnect => {
            let done = sync::disconnect(ctx)?;
            emit(json, &done, |d| match &d.server {
                Some(server) => format!("disconnected from {server}; {} local change(s) stay queued", d.pending),
                None => "this device was not connected".into(),
            })
        }
        SyncCmd::Status => {
            let status = sync::status(ctx)?;
            emit(json, &status, |s| {
                format!(
                    "state: {:?}\nserver: {}\nlast sync: {}\npending changes: {}\nlast error: {}\nrefused remote values: {}{}",
                    s.state,
                    s.server.as_deref().unwrap_or("not connected"),
                    s.last_sync_at.as_deref().unwrap_or("never"),
                    s.pending,
                    s.last_error.as_deref().unwrap_or("none"),
                    s.quarantined,
                    s.quarantine
                        .iter()
                        .map(|q| format!("\n  {} {} field {}: {}", q.kind, q.doc_id, q.field, q.reason))
                        .collect::<String>()
                )
            })
        }
        SyncCmd::Run { push_every } => {
            let push_every = crate::args::within("push-every", push_every, 1..=3_600, "seconds")?;
            sync::run(ctx, Duration::from_secs(push_every), |event| {
                if json {
                    stdout::line(format_args!("{}", serde_json::json!({ "event": event })));
                } else {
                    stdout::line(format_args!("{event}"));
                }
            })
            .await
        }
    }
}
