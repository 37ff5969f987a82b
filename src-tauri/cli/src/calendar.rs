//! `outpost calendar sync`: mirror the connected Google Calendar into meetings.

use clap::Subcommand;
use outpost_core::{integrations::google_calendar, store::ids::ConnectionId, Ctx, Result};
use outpost_integrations::Net;

use crate::stdout::emit;

/// `outpost calendar …`
#[derive(Debug, Subcommand)]
pub enum CalendarCmd {
    /// Read what changed in the primary Google Calendar since the last sync into meetings (the
    /// first sync, or one after the calendar expired the sync token, reads the last 30 days on).
    Sync {
        /// The Google connection (default: the only one).
        #[arg(long, value_name = "ID", conflicts_with = "all")]
        connection: Option<ConnectionId>,
        /// Every connected Google account (as the desktop app does every 15 minutes); prints one
        /// report per account synced.
        #[arg(long)]
        all: bool,
    },
}

/// Runs one `outpost calendar …` command.
pub(crate) async fn run(ctx: &Ctx, net: &Net, json: bool, cmd: CalendarCmd) -> Result<()> {
    match cmd {
        CalendarCmd::Sync { all: true, .. } => {
            emit(json, google_calendar::sync_all(ctx, net).await?.as_slice(), |reports| {
                format!("{} Google account(s) synced", reports.len())
            })
        }
        CalendarCmd::Sync { connection, all: false } => {
            emit(json, &google_calendar::sync(ctx, net, connection).await?, |r| {
                format!(
                    "{}: {} created, {} updated, {} cancelled, {} unchanged",
                    if r.full_resync { "full sync" } else { "changes synced" },
                    r.created,
                    r.updated,
                    r.cancelled,
                    r.unchanged
                )
            })
        }
    }
}
