//! The whole command line: global flags, one subcommand per command area, and the dispatch that
//! opens the data directory and hands the parsed arguments to that area's runner.
//!
//! Each area module (`contacts`, `deals`, `sync`, …) owns its clap arguments and its runner;
//! this module only names them, so nothing below it imports upward.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use outpost_core::{
    store,
    store::clock::{Clock, ManualClock, SystemClock},
    Ctx, Error, Result,
};

use crate::{
    activities::ActivitiesCmd,
    agent::{self, AgentCmd},
    alerts::{self, AlertsCmd},
    audit::{self, AuditArgs},
    briefs::{self, BriefArgs, BriefsCmd},
    calendar::{self, CalendarCmd},
    companies::{self, CompaniesCmd},
    connections::{self, ConnectionsCmd},
    contacts::{self, ContactsCmd},
    copilot::{self, CopilotCmd},
    deals::{self, DealsCmd},
    import::{self, ImportArgs, ImportsCmd, MergesCmd},
    meetings::{self, MeetingsCmd},
    memories::{self, MemoriesCmd},
    outbound::{self, OutboundCmd},
    pipeline,
    scores::{self, ScoresCmd},
    settings::{self, SettingsCmd},
    sync::{self, SyncCmd},
    tasks::{self, TasksCmd},
    team::{self, TeamCmd},
    watch::{self, WatchCmd},
};

/// Outpost: your sales pipeline, local-first. Works offline; data lives in one SQLite file.
#[derive(Debug, Parser)]
#[command(name = "outpost", version, about, propagate_version = true)]
pub struct Cli {
    /// Data directory holding outpost.db [default: $XDG_DATA_HOME/outpost]
    #[arg(long, global = true, env = "OUTPOST_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Machine-readable output: one JSON document on stdout; errors as JSON on stderr.
    #[arg(long, global = true)]
    pub json: bool,
    /// Act as if it were this instant (RFC 3339), e.g. for `agent run --once`, replays and tests.
    #[arg(long, global = true, env = "OUTPOST_NOW", value_name = "RFC3339")]
    pub now: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// People: add, list, show, update, delete.
    #[command(subcommand)]
    Contacts(ContactsCmd),
    /// Accounts: add, list, show, update, delete.
    #[command(subcommand)]
    Companies(CompaniesCmd),
    /// Opportunities: add, list, show, update, move, delete.
    #[command(subcommand)]
    Deals(DealsCmd),
    /// To-dos: add, list, done.
    #[command(subcommand)]
    Tasks(TasksCmd),
    /// The timeline: log, list.
    #[command(subcommand)]
    Activities(ActivitiesCmd),
    /// Meetings: add, list, show, import (.ics), notes, follow-ups, add-contacts.
    #[command(subcommand)]
    Meetings(MeetingsCmd),
    /// Organisation settings: internal email domains, calendar window, time zone.
    #[command(subcommand)]
    Settings(SettingsCmd),
    /// The pipeline board: stages with deal counts and totals.
    Pipeline,
    /// Import a CSV or workbook lead list (mapped, normalised, de-duplicated; never the same file twice).
    Import(ImportArgs),
    /// Past imports: list, show, errors.
    #[command(subcommand)]
    Imports(ImportsCmd),
    /// Near-duplicate contacts found by imports: list, accept, dismiss.
    #[command(subcommand)]
    Merges(MergesCmd),
    /// Watched folders and S3 prefixes whose new CSV files are imported: add, list, remove, run.
    #[command(subcommand)]
    Watch(WatchCmd),
    /// Sync with the team's server: connect, now, status, run.
    #[command(subcommand)]
    Sync(SyncCmd),
    /// The copilot's memories (private to you): list, add, edit, forget.
    #[command(subcommand)]
    Memories(MemoriesCmd),
    /// The copilot: ask, pending actions, confirm, dismiss, provider set.
    #[command(subcommand)]
    Copilot(CopilotCmd),
    /// Google Calendar into meetings: sync.
    #[command(subcommand)]
    Calendar(CalendarCmd),
    /// Connected provider accounts (Google, Dropbox): list, add, test, remove.
    #[command(subcommand)]
    Connections(ConnectionsCmd),
    /// Webhook and Slack deliveries: send, list, retry, cancel, run.
    #[command(subcommand)]
    Outbound(OutboundCmd),
    /// The pre-meeting brief of a meeting (generated, or regenerated if its inputs changed).
    Brief(BriefArgs),
    /// Stored briefs: list, show, review.
    #[command(subcommand)]
    Briefs(BriefsCmd),
    /// Relationship health, lead score and deal heat, with their factors: show, refresh.
    #[command(subcommand)]
    Scores(ScoresCmd),
    /// The proactive agent (briefs, digest, alerts): run.
    #[command(subcommand)]
    Agent(AgentCmd),
    /// The agent's notifications: list, read.
    #[command(subcommand)]
    Alerts(AlertsCmd),
    /// Today's pipeline digest (Markdown; --json for the data).
    Digest {
        /// Print Markdown (the default without --json).
        #[arg(long)]
        markdown: bool,
    },
    /// The manager view: pipeline, meetings.
    #[command(subcommand)]
    Team(TeamCmd),
    /// The audit log, newest first.
    Audit(AuditArgs),
}

/// The context every command runs in: the data directory chosen by flag, environment or OS
/// default, with the clock pinned when `--now` is given. A command makes one core call at a
/// time on this thread, so the context opens no reader connections ([`Ctx::open_sequential`]).
fn open(data_dir: Option<PathBuf>, now: Option<&str>) -> Result<Ctx> {
    let dir = store::resolve_data_dir(data_dir.as_deref())?;
    let clock: std::sync::Arc<dyn Clock> = match now {
        Some(now) => {
            let at = chrono::DateTime::parse_from_rfc3339(now.trim()).map_err(|_| {
                Error::invalid("now", format!("'{now}' is not an RFC 3339 instant (e.g. 2026-11-24T09:00:00Z)"))
            })?;
            std::sync::Arc::new(ManualClock::new(at.with_timezone(&chrono::Utc)))
        }
        None => std::sync::Arc::new(SystemClock),
    };
    Ctx::open_sequential(&dir, clock)
}

/// Runs one parsed command line.
pub async fn run(cli: Cli) -> Result<()> {
    let ctx = open(cli.data_dir, cli.now.as_deref())?;
    // The network adapters (S3, cloud folders, …), handed to the commands that reach the network.
    let net = outpost_integrations::Net::new();
    let (ctx, net, json) = (&ctx, &net, cli.json);
    match cli.command {
        Command::Contacts(cmd) => contacts::run(ctx, json, cmd),
        Command::Companies(cmd) => companies::run(ctx, json, cmd),
        Command::Deals(cmd) => deals::run(ctx, json, cmd),
        Command::Tasks(cmd) => tasks::run(ctx, json, cmd),
        Command::Activities(cmd) => crate::activities::run(ctx, json, cmd),
        Command::Meetings(cmd) => meetings::run(ctx, json, cmd),
        Command::Settings(cmd) => settings::run(ctx, json, cmd),
        Command::Pipeline => pipeline::run(ctx, json),
        Command::Import(args) => import::import(ctx, json, args).await,
        Command::Imports(cmd) => import::imports(ctx, json, cmd),
        Command::Merges(cmd) => import::merges(ctx, json, cmd),
        Command::Watch(cmd) => watch::run(ctx, net, json, cmd).await,
        Command::Sync(cmd) => sync::run(ctx, json, cmd).await,
        Command::Memories(cmd) => memories::run(ctx, json, cmd),
        Command::Copilot(cmd) => copilot::run(ctx, net, json, cmd).await,
        Command::Calendar(cmd) => calendar::run(ctx, net, json, cmd).await,
        Command::Connections(cmd) => connections::run(ctx, net, json, cmd).await,
        Command::Outbound(cmd) => outbound::run(ctx, net, json, cmd).await,
        Command::Brief(args) => briefs::brief(ctx, json, args),
        Command::Briefs(cmd) => briefs::run(ctx, json, cmd),
        Command::Scores(cmd) => scores::run(ctx, json, cmd).await,
        Command::Agent(cmd) => agent::run(ctx, json, cmd).await,
        Command::Alerts(cmd) => alerts::run(ctx, json, cmd),
        Command::Digest { markdown: _ } => agent::digest(ctx, json),
        Command::Team(cmd) => team::run(ctx, json, cmd),
        Command::Audit(args) => audit::run(ctx, json, args),
    }
}
