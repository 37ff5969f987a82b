//! `outpost memories …`: the copilot's memories, private to the acting user.

use clap::Subcommand;
use outpost_core::{
    memories::{self, Memory, MemoryCategory, MemoryQuery, MemoryUpdate, NewMemory, RecallQuery, Recalled},
    store::ids::{CompanyId, ContactId, DealId, MeetingId, MemoryId},
    Ctx, Error, Result,
};

use crate::stdout::emit;

/// `outpost memories …`
#[derive(Debug, Subcommand)]
pub enum MemoriesCmd {
    /// Your memories, most recently changed first.
    List {
        /// Only memories about this record id (contact, company, deal or meeting).
        #[arg(long, value_name = "ID")]
        entity: Option<String>,
        /// Maximum rows.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Remember something about a contact, company, deal or meeting.
    Add {
        /// deal, relationship, preference, commitment or fact.
        #[arg(long)]
        category: String,
        /// What to remember.
        #[arg(long)]
        text: String,
        /// Contact id.
        #[arg(long)]
        contact: Option<ContactId>,
        /// Company id.
        #[arg(long)]
        company: Option<CompanyId>,
        /// Deal id.
        #[arg(long)]
        deal: Option<DealId>,
        /// Meeting id.
        #[arg(long)]
        meeting: Option<MeetingId>,
        /// Confidence 0..1 (default 1).
        #[arg(long)]
        confidence: Option<f64>,
    },
    /// Change a memory's text, category or confidence.
    Edit {
        /// Memory id.
        id: MemoryId,
        /// New text.
        #[arg(long)]
        text: Option<String>,
        /// New category.
        #[arg(long)]
        category: Option<String>,
        /// New confidence 0..1.
        #[arg(long)]
        confidence: Option<f64>,
    },
    /// Forget a memory for good (real deletion).
    Forget {
        /// Memory id.
        id: MemoryId,
    },
    /// The best memories for a question and/or records, ranked (updates access statistics).
    Recall {
        /// The question or keywords.
        #[arg(long)]
        text: Option<String>,
        /// Records in context as TYPE:ID (contact:…, deal:…); repeat for several.
        #[arg(long = "entity", value_name = "TYPE:ID")]
        entities: Vec<String>,
        /// Maximum memories.
        #[arg(long)]
        limit: Option<u32>,
    },
}

fn render_memories(memories: &[Memory]) -> String {
    if memories.is_empty() {
        return "no memories yet; add one with `outpost memories add --contact ID --category fact --text …`".into();
    }
    memories
        .iter()
        .map(|m| {
            format!("{}  [{}·{}·{:.2}]  {}", m.id, m.category.as_str(), m.source.as_str(), m.confidence, m.content)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn render_recalled(recalled: &[Recalled]) -> String {
    if recalled.is_empty() {
        return "nothing relevant remembered".into();
    }
    recalled
        .iter()
        .map(|r| format!("{:.3}  {}  {}", r.score, r.memory.id, r.memory.content))
        .collect::<Vec<_>>()
        .join("\n")
}

fn entity_ref(text: &str) -> Result<memories::EntityRef> {
    match text.split_once(':') {
        Some((kind, id)) if ["contact", "company", "deal", "meeting"].contains(&kind) && !id.trim().is_empty() => {
            Ok(memories::EntityRef::new(kind, id.trim()))
        }
        _ => Err(Error::invalid("entity", format!("'{text}' is not TYPE:ID (e.g. contact:0190…)"))),
    }
}

/// Runs one `outpost memories …` command.
pub(crate) fn run(ctx: &Ctx, json: bool, cmd: MemoriesCmd) -> Result<()> {
    match cmd {
        MemoriesCmd::List { entity, limit } => {
            let list = memories::list(ctx, MemoryQuery { entity_id: entity, limit })?;
            emit(json, list.as_slice(), render_memories)
        }
        MemoriesCmd::Add { category, text, contact, company, deal, meeting, confidence } => {
            let req = NewMemory {
                category: MemoryCategory::parse(&category)?,
                content: text,
                confidence,
                source: None,
                contact_id: contact,
                company_id: company,
                deal_id: deal,
                meeting_id: meeting,
            };
            let memory = memories::add(ctx, req)?;
            emit(json, &memory, |m| format!("remembered {}: {}", m.id, m.content))
        }
        MemoriesCmd::Edit { id, text, category, confidence } => {
            let category = category.as_deref().map(MemoryCategory::parse).transpose()?;
            let memory = memories::update(ctx, MemoryUpdate { id, content: text, category, confidence })?;
            emit(json, &memory, |m| format!("updated {}: {}", m.id, m.content))
        }
        MemoriesCmd::Forget { id } => {
            let forgotten = memories::forget(ctx, id)?;
            emit(json, &forgotten, |f| format!("forgot {}", f.id))
        }
        MemoriesCmd::Recall { text, entities, limit } => {
            let entities = entities.iter().map(|e| entity_ref(e)).collect::<Result<Vec<_>>>()?;
            let recalled = memories::recall(ctx, RecallQuery { text, entities, limit })?;
            emit(json, recalled.as_slice(), render_recalled)
        }
    }
}
