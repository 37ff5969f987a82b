//! `outpost agent run` and `outpost digest`: the proactive agent's scheduler (briefs before
//! meetings, the daily digest, overdue-task, stale-deal and close-date alerts) and its digest.

use std::time::Duration;

use clap::Subcommand;
use outpost_core::{assist::alerts::Notification, assist::proactive, Ctx, Error, Result};

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
        /// Seconds between passes, 1 to 86400 (a day).
        #[arg(long, default_value_t = 60)]
        every: u64,
    },
}

/// The longest wait between passes: the digest and close-date alerts are daily.
const MAX_EVERY_SECS: u64 = 86_400;

/// The pause between passes, refused unless it is 1 second to a day — also with `--once`, where
/// it is unused: a 0 that is silently ignored there would start a busy loop without `--once`.
fn pass_interval(seconds: u64) -> Result<Duration> {
    if (1..=MAX_EVERY_SECS).contains(&seconds) {
        return Ok(Duration::from_secs(seconds));
    }
    Err(Error::invalid("every", format!("--every must be between 1 and {MAX_EVERY_SECS} seconds; got {seconds}")))
}

/// Runs one `outpost agent …` command.
pub(crate) async fn run(ctx: &Ctx, json: bool, cmd: AgentCmd) -> Result<()> {
    let AgentCmd::Run { once, every: seconds } = cmd;
    let every = pass_interval(seconds)?;
    let print = |raised: &[Notification]| {
        for n in raised {
            if json {
                stdout::line(format_args!("{}", serde_json::to_string(n).unwrap_or_default()));
            } else {
                stdout::line(format_args!("{}", render::alert(n)));
            }
        }
    };
    if once {
        let raised = proactive::tick(ctx).await?;
        if json {
            return emit(json, raised.as_slice(), render::alerts);
        }
        print(&raised);
        return Ok(());
    }
    let stop = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    proactive::run(ctx, every, stop, print).await
}

/// `outpost digest`
pub(crate) fn digest(ctx: &Ctx, json: bool) -> Result<()> {
    emit(json, &proactive::digest(ctx)?, proactive::digest::markdown)
}
