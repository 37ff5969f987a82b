//! `outpost connections …`: connect provider accounts (OAuth in the system browser, headless-
//! friendly: the address is printed), list them, check them, remove them (revoking the tokens).

use std::time::Duration;

use clap::Subcommand;
use outpost_core::{
    integrations::connections::{self, Connection, Provider},
    store::ids::ConnectionId,
    Ctx, Result,
};
use outpost_integrations::Net;

use crate::stdout::{self, emit};

/// `outpost connections …`
#[derive(Debug, Subcommand)]
pub enum ConnectionsCmd {
    /// Connected accounts: provider, account, status, last sync, last error.
    List,
    /// Connect an account: prints an address to open in a browser (on any machine that can reach
    /// this one's 127.0.0.1 redirect), waits for the sign-in, stores the tokens in the OS keychain.
    /// Connecting an account again renews its tokens (the fix for status `reconnect`).
    Add {
        /// `google` (Drive, Calendar) or `dropbox`.
        provider: String,
        /// Seconds to wait for the sign-in, 1 to 3600 (an hour).
        #[arg(long, default_value_t = 300)]
        timeout_secs: u64,
    },
    /// Check a connection works (refreshing its token if needed) and record the outcome.
    Test {
        /// Connection id.
        id: ConnectionId,
    },
    /// Revoke a connection's tokens at the provider, delete them from the keychain, forget it.
    Remove {
        /// Connection id.
        id: ConnectionId,
    },
}

fn line(c: &Connection) -> String {
    format!(
        "{}  {:<8} {:<28} {:<10} last sync {}{}",
        c.id,
        c.provider,
        c.account.as_deref().unwrap_or("?"),
        c.status,
        c.last_sync_at.as_deref().unwrap_or("never"),
        c.last_error.as_deref().map(|e| format!("\n    last error: {e}")).unwrap_or_default()
    )
}

/// Runs one `outpost connections …` command.
pub(crate) async fn run(ctx: &Ctx, net: &Net, json: bool, cmd: ConnectionsCmd) -> Result<()> {
    match cmd {
        ConnectionsCmd::List => emit(json, connections::list(ctx)?.as_slice(), |all| {
            if all.is_empty() {
                "No connections. Add one with `outpost connections add google` (or dropbox).".to_owned()
            } else {
                all.iter().map(line).collect::<Vec<_>>().join("\n")
            }
        }),
        ConnectionsCmd::Add { provider, timeout_secs } => {
            let timeout = crate::args::within("timeout-secs", timeout_secs, 1..=3_600, "seconds")?;
            let provider = Provider::parse(&provider)?;
            let connection = connections::connect_loopback(ctx, net, provider, Duration::from_secs(timeout), |url| {
                stdout::note(format_args!(
                    "To connect {}, open this address in a browser:\n{url}\nWaiting for the sign-in…",
                    provider.name()
                ));
            })
            .await?;
            emit(json, &connection, line)
        }
        ConnectionsCmd::Test { id } => emit(json, &connections::test(ctx, net, id).await?, line),
        ConnectionsCmd::Remove { id } => {
            emit(json, &connections::remove(ctx, net, id).await?, |r| match &r.revoke_error {
                None => format!("removed {}; its tokens were revoked and deleted from the keychain", r.id),
                Some(e) => format!("removed {}; tokens deleted from the keychain, but revocation failed: {e}", r.id),
            })
        }
    }
}
