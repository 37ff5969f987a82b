//! `outpost sync …`: connect this device to a sync server, sync once, show status, stay live.
//!
//! The device token is stored in the OS keychain, never in the database. For headless/CI use,
//! set `OUTPOST_SYNC_TOKEN` instead (it overrides the keychain; nothing is stored).

use std::time::Duration;

use clap::Subcommand;

use super::run::emit;
use crate::{replica::session, Ctx, Result};

/// `outpost sync …`
#[derive(Debug, Subcommand)]
pub enum SyncCmd {
    /// Connect this device: checks the token with the server, stores the URL in the settings and
    /// the device token in the OS keychain (or uses OUTPOST_SYNC_TOKEN on headless machines).
    Connect {
        /// Server base URL, e.g. http://127.0.0.1:7777.
        #[arg(long, value_name = "URL")]
        server: String,
        /// Device token shown once by `outpost-server device-token` (default: $OUTPOST_SYNC_TOKEN).
        #[arg(long, value_name = "T", env = "OUTPOST_SYNC_TOKEN", hide_env_values = true)]
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
        /// Seconds between pushes of local changes.
        #[arg(long, default_value_t = 2)]
        push_every: u64,
    },
}

/// Runs one `outpost sync …` command.
pub async fn sync(ctx: &Ctx, json: bool, cmd: SyncCmd) -> Result<()> {
    match cmd {
        SyncCmd::Connect { server, token } => {
            let connected = session::connect(ctx, &server, &token).await?;
            emit(json, &connected, |c| {
                format!(
                    "connected to {} as {} ({}, org {}); token kept in the {}",
                    c.server, c.email, c.role, c.org, c.token_store
                )
            })
        }
        SyncCmd::Now => {
            let report = session::sync_now(ctx).await?;
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
            let done = session::disconnect(ctx).await?;
            emit(json, &done, |d| match &d.server {
                Some(server) => format!("disconnected from {server}; {} local change(s) stay queued", d.pending),
                None => "this device was not connected".into(),
            })
        }
        SyncCmd::Status => {
            let status = session::status(ctx).await?;
            emit(json, &status, |s| {
                format!(
                    "state: {:?}\nserver: {}\nlast sync: {}\npending changes: {}\nlast error: {}",
                    s.state,
                    s.server.as_deref().unwrap_or("not connected"),
                    s.last_sync_at.as_deref().unwrap_or("never"),
                    s.pending,
                    s.last_error.as_deref().unwrap_or("none")
                )
            })
        }
        SyncCmd::Run { push_every } => {
            session::run(ctx, Duration::from_secs(push_every.max(1)), |event| {
                if json {
                    super::stdout::line(format_args!("{}", serde_json::json!({ "event": event })));
                } else {
                    super::stdout::line(format_args!("{event}"));
                }
            })
            .await
        }
    }
}
