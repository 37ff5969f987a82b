//! `outpost brief MEETING_ID`, `outpost briefs …`, `outpost memories add` and
//! `outpost settings …`: pre-meeting briefs, their review, the memories they cite, and the
//! settings they (and the agent) read.

use clap::{Args, Subcommand};

use super::run::emit;
use crate::{
    briefs::{self, markdown::markdown, Brief, BriefQuery, BriefSummary, ReviewBrief},
    ids::{BriefId, CompanyId, ContactId, DealId, MeetingId},
    memories::{self, MemoryLink, NewMemory},
    settings::{self, Setting},
    Ctx, Result,
};

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

/// `outpost memories …`
#[derive(Debug, Subcommand)]
pub enum MemoriesCmd {
    /// Remember something about a contact, company, deal or meeting.
    Add {
        /// deal, relationship, preference, commitment or fact.
        #[arg(long)]
        category: String,
        /// What to remember.
        #[arg(long)]
        content: String,
        /// How sure, 0–1 (default 1).
        #[arg(long)]
        confidence: Option<f64>,
        /// Contact it is about (repeatable).
        #[arg(long)]
        contact: Vec<ContactId>,
        /// Company it is about (repeatable).
        #[arg(long)]
        company: Vec<CompanyId>,
        /// Deal it is about (repeatable).
        #[arg(long)]
        deal: Vec<DealId>,
        /// Meeting it is about (repeatable).
        #[arg(long)]
        meeting: Vec<MeetingId>,
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
pub async fn brief(ctx: &Ctx, json: bool, args: BriefArgs) -> Result<()> {
    let brief = briefs::for_meeting(ctx, args.meeting_id).await?;
    emit(json, &brief, markdown)
}

/// `outpost briefs …`
pub async fn briefs(ctx: &Ctx, json: bool, cmd: BriefsCmd) -> Result<()> {
    match cmd {
        BriefsCmd::List { status, limit } => {
            emit(json, briefs::list(ctx, BriefQuery { status, limit }).await?.as_slice(), summaries)
        }
        BriefsCmd::Show { id } => emit(json, &briefs::get(ctx, id).await?, markdown),
        BriefsCmd::Review { id, comment } => {
            let brief: Brief = briefs::review(ctx, ReviewBrief { id, comment }).await?;
            emit(json, &brief, |b| format!("brief {} marked reviewed ({} comments)", b.id, b.comments.len()))
        }
    }
}

/// `outpost memories …`
pub async fn memories(ctx: &Ctx, json: bool, cmd: MemoriesCmd) -> Result<()> {
    match cmd {
        MemoriesCmd::Add { category, content, confidence, contact, company, deal, meeting } => {
            let link =
                |entity_type: &str, id: String| MemoryLink { entity_type: entity_type.to_owned(), entity_id: id };
            let links = contact
                .iter()
                .map(|id| link("contact", id.to_string()))
                .chain(company.iter().map(|id| link("company", id.to_string())))
                .chain(deal.iter().map(|id| link("deal", id.to_string())))
                .chain(meeting.iter().map(|id| link("meeting", id.to_string())))
                .collect();
            let memory = memories::add(ctx, NewMemory { category, content, confidence, source: None, links }).await?;
            emit(json, &memory, |m| format!("remembered ({}) {}: {}", m.category, m.id, m.content))
        }
    }
}

/// `outpost settings …`
#[derive(Debug, Subcommand)]
pub enum SettingsCmd {
    /// Every setting with its value and meaning.
    List,
    /// Set a value ("" restores the default), e.g. `settings set competitors "Initech, Globex"`.
    Set {
        /// Key, e.g. competitors.
        key: String,
        /// Value.
        value: String,
    },
}

fn setting_line(s: &Setting) -> String {
    format!("{:<24} {:<24} {}", s.key, s.value.as_deref().unwrap_or("(default)"), s.description)
}

/// `outpost settings …`
pub async fn settings(ctx: &Ctx, json: bool, cmd: SettingsCmd) -> Result<()> {
    match cmd {
        SettingsCmd::List => emit(json, settings::list(ctx).await?.as_slice(), |list| {
            list.iter().map(setting_line).collect::<Vec<_>>().join("\n")
        }),
        SettingsCmd::Set { key, value } => emit(json, &settings::set(ctx, &key, &value).await?, setting_line),
    }
}
