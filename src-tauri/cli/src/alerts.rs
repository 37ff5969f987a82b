//! `outpost alerts …`: the agent's notifications — list them, mark one read.

use clap::Subcommand;
use outpost_core::{
    assist::alerts::{self, AlertQuery},
    store::ids::NotificationId,
    Ctx, Result,
};

use crate::{render, stdout::emit};

/// `outpost alerts …`
#[derive(Debug, Subcommand)]
pub enum AlertsCmd {
    /// Notifications, newest first.
    List {
        /// Only unread ones.
        #[arg(long)]
        unread: bool,
        /// Maximum rows.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Mark a notification read.
    Read {
        /// Notification id.
        id: NotificationId,
    },
}

/// Runs one `outpost alerts …` command.
pub(crate) fn run(ctx: &Ctx, json: bool, cmd: AlertsCmd) -> Result<()> {
    match cmd {
        AlertsCmd::List { unread, limit } => {
            emit(json, alerts::list(ctx, AlertQuery { unread: Some(unread), limit })?.as_slice(), render::alerts)
        }
        AlertsCmd::Read { id } => emit(json, &alerts::mark_read(ctx, id)?, render::alert),
    }
}
