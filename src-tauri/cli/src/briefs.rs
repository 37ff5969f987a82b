//! `outpost brief MEETING_ID` and `outpost briefs …`: pre-meeting briefs and their review (one
//! area: `brief` makes a brief, `briefs` lists and reviews the stored ones).

use clap::{Args, Subcommand};
use outpost_core::{
    assist::briefs::{self, markdown::markdown, Brief, BriefQuery, BriefSummary, ReviewBrief},
    store::ids::{BriefId, MeetingId},
    Ctx, Result,
};

use crate::stdout::emit;

/// `outpost brief MEETING_ID`
#[derive(Debug, Args)]
pub struct BriefArgs {
    /// The meeting to prepare.
    pub meeting_id: MeetingId,
    /// Print Markdown (the default without --json).
    #[arg(long)]
    pub markdown: bool,
}

/// `outpost briefs …`
#[derive(Debug, Subcommand)]
pub enum BriefsCmd {
    /// Stored briefs, soonest meeting first.
    List {
        /// Only draft, ready or reviewed briefs.
        #[arg(long)]
        status: Option<String>,
        /// Maximum rows.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// One brief (regenerated first if its inputs changed).
    Show {
        /// Brief id.
        id: BriefId,
    },
    /// Mark a brief reviewed, optionally leaving a comment for the rep.
    Review {
        /// Brief id.
        id: BriefId,
        /// Comment.
        #[arg(long)]
        comment: Option<String>,
    },
}

fn summaries(list: &[BriefSummary]) -> String {
    if list.is_empty() {
        return "No briefs yet. Generate one with `outpost brief MEETING_ID`.".to_owned();
    }
    list.iter()
        .map(|b| format!("{}  {:<8}  {}  {} ({} comments)", b.id, b.status, b.starts_at, b.meeting_title, b.comments))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `outpost brief MEETING_ID`
pub(crate) fn brief(ctx: &Ctx, json: bool, args: BriefArgs) -> Result<()> {
    let brief = briefs::for_meeting(ctx, args.meeting_id)?;
    emit(json, &brief, markdown)
}

/// `outpost briefs …`
pub(crate) fn run(ctx: &Ctx, json: bool, cmd: BriefsCmd) -> Result<()> {
    match cmd {
        BriefsCmd::List { status, limit } => {
            emit(json, briefs::list(ctx, BriefQuery { status, limit })?.as_slice(), summaries)
        }
        BriefsCmd::Show { id } => emit(json, &briefs::get(ctx, id)?, markdown),
        BriefsCmd::Review { id, comment } => {
            let brief: Brief = briefs::review(ctx, ReviewBrief { id, comment })?;
            emit(json, &brief, |b| format!("brief {} marked reviewed ({} comments)", b.id, b.comments.len()))
        }
    }
}
