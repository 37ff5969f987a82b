//! `outpost activities …`: the timeline — log a note, call, email or meeting; list it.

use clap::Subcommand;
use outpost_core::{
    crm::activities::{self, ActivityKind, ActivityQuery, NewActivity},
    Ctx, Result,
};

use crate::{args::LinkArgs, render, stdout::emit};

/// `outpost activities …`
#[derive(Debug, Subcommand)]
pub enum ActivitiesCmd {
    /// Log a note, call, email or meeting on a contact, company or deal.
    Log {
        /// note, call, email or meeting.
        #[arg(long, default_value = "note")]
        kind: String,
        /// One-line summary.
        #[arg(long)]
        subject: String,
        /// Details.
        #[arg(long)]
        body: Option<String>,
        /// When it happened (RFC 3339 or YYYY-MM-DD; default now).
        #[arg(long, alias = "at")]
        occurred_at: Option<String>,
        /// inbound (from the contact) or outbound (from you), for emails and calls.
        #[arg(long)]
        direction: Option<String>,
        /// Linked records.
        #[command(flatten)]
        link: LinkArgs,
    },
    /// Show a timeline, newest first.
    List {
        /// Linked records to filter by.
        #[command(flatten)]
        link: LinkArgs,
        /// Maximum rows.
        #[arg(long)]
        limit: Option<u32>,
    },
}

/// Runs one `outpost activities …` command.
pub(crate) fn run(ctx: &Ctx, json: bool, cmd: ActivitiesCmd) -> Result<()> {
    match cmd {
        ActivitiesCmd::Log {
            kind,
            subject,
            body,
            occurred_at,
            direction,
            link: LinkArgs { contact, company, deal },
        } => {
            let req = NewActivity {
                kind: ActivityKind::parse(&kind)?,
                subject,
                body,
                occurred_at,
                contact_id: contact,
                company_id: company,
                deal_id: deal,
                meeting_id: None,
                direction,
            };
            emit(json, &activities::log(ctx, req)?, render::activity)
        }
        ActivitiesCmd::List { link: LinkArgs { contact, company, deal }, limit } => {
            let query = ActivityQuery { contact_id: contact, company_id: company, deal_id: deal, limit };
            emit(json, activities::list(ctx, query)?.as_slice(), render::activities)
        }
    }
}
