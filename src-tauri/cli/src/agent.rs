//! `outpost agent run` and `outpost digest`: the proactive agent's scheduler (briefs before
//! meetings, the daily digest, overdue-task, stale-deal and close-date alerts) and its digest.

use std::time::Duration;

use clap::Subcommand;
use outpost_core::{agent, alerts::Notification, Ctx, Result};

use crate::{
    render,
    stdout::{self, emit},
};

/// `outpost agent …`
#[derive(Debug, Subcommand)]
pub enum AgentCmd {
    /// Run the scheduler: briefs ready before meetings, the daily digest, overdue-task, stale-deal
    /// and close-date alerts. Prints each new alert; Ctrl-C stops.
    Run {
        /// One pass, then exit.
        #[arg(long)]
        once: bool,
        /// Seconds between passes.
        #[arg(long, default_value_t = 60)]
        every: u64,
    },
}

/// Runs one `outpost agent …` command.
pub(crate) async fn run(ctx: &Ctx, json: bool, cmd: AgentCmd) -> Result<()> {
    let print = |raised: &[Notification]| {
        for n in raised {
            if json {
                stdout::line(format_args!("{}", serde_json::to_string(n).unwrap_or_default()));
            } else {
                stdout::line(format_args!("{}", render::alert(n)));
            }
        }
    };
    match cmd {
        AgentCmd::Run { once: true, .. } => {
            let raised = agent::tick(ctx).await?;
            if json {
                return emit(json, raised.as_slice(), render::alerts);
            }
            print(&raised);
            Ok(())
        }
        AgentCmd::Run { once: false, every } => {
            let stop = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            agent::run(ctx, Duration::from_secs(every.max(1)), stop, print).await
        }
    }
}

/// `outpost digest`
pub(crate) async fn digest(ctx: &Ctx, json: bool) -> Result<()> {
    emit(json, &agent::digest(ctx).await?, agent::digest::markdown)
}
