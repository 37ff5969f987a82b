//! What a brief says: the sections of [`BriefContent`]. Every item carries the ids of the records
//! it was built from ([`Source`]), so each statement can be traced and nothing is invented.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{crm::deals::Bant, error::UnsourcedStatement};

/// A record a statement was built from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Source {
    /// meeting, contact, company, deal, activity, task or memory.
    pub entity_type: String,
    /// The record's id.
    pub id: String,
}

impl Source {
    /// A source of `entity_type` with `id`.
    pub fn new(entity_type: &str, id: &str) -> Self {
        Self { entity_type: entity_type.to_owned(), id: id.to_owned() }
    }
}

/// One sentence of a brief (a risk, a question, a talking point) and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Statement {
    /// Machine-readable kind, e.g. `deal_stalled`, `budget`, `next_step`.
    pub kind: String,
    /// The sentence.
    pub text: String,
    /// Records it came from.
    pub sources: Vec<Source>,
}

/// The last call, email or meeting with an attendee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LastInteraction {
    /// Activity id.
    pub activity_id: String,
    /// call, email or meeting.
    pub kind: String,
    /// Summary.
    pub subject: String,
    /// When (RFC 3339).
    pub occurred_at: String,
}

/// Who is in the room.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AttendeeBrief {
    /// Email.
    pub email: String,
    /// Name (contact's, else the invite's).
    pub name: Option<String>,
    /// From the rep's own organisation.
    pub is_internal: bool,
    /// The matching contact.
    pub contact_id: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// Company name.
    pub company: Option<String>,
    /// Relationship health 0–100.
    pub health: Option<u8>,
    /// strong, fair or at risk.
    pub health_label: Option<String>,
    /// Last call, email or meeting.
    pub last_interaction: Option<LastInteraction>,
}

/// The account at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CompanySnapshot {
    /// Company id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Domain.
    pub domain: Option<String>,
    /// Industry.
    pub industry: Option<String>,
    /// Location.
    pub location: Option<String>,
    /// Head-count band.
    pub size: Option<String>,
    /// Relationship health 0–100.
    pub health: Option<u8>,
    /// Open deals in this brief.
    pub open_deals: u32,
}

/// An open deal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DealBrief {
    /// Deal id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Stage.
    pub stage: String,
    /// Value (major units).
    pub value: f64,
    /// Currency.
    pub currency: String,
    /// Whole days in the current stage.
    #[ts(type = "number")]
    pub days_in_stage: i64,
    /// Days since the last activity on the deal.
    #[ts(type = "number")]
    pub days_idle: i64,
    /// Next step.
    pub next_step: Option<String>,
    /// Expected close date.
    pub expected_close: Option<String>,
    /// cold, warm, hot or burning.
    pub temperature: Option<String>,
    /// BANT.
    pub bant: Bant,
}

/// A timeline entry; milestones (meetings, stage changes) are listed first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TimelineItem {
    /// Activity id.
    pub activity_id: String,
    /// Kind.
    pub kind: String,
    /// Summary.
    pub subject: String,
    /// When.
    pub occurred_at: String,
    /// A meeting or stage change.
    pub milestone: bool,
}

/// An open task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TaskItem {
    /// Task id.
    pub task_id: String,
    /// Title.
    pub title: String,
    /// Due date.
    pub due_date: Option<String>,
    /// Due before today.
    pub overdue: bool,
}

/// A memory cited by the brief.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemoryItem {
    /// Memory id.
    pub memory_id: String,
    /// Category.
    pub category: String,
    /// Content.
    pub content: String,
    /// Confidence 0–1.
    pub confidence: f64,
    /// Rank score 0–1.
    pub score: f64,
}

/// A competitor named in a note, activity, memory or the meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CompetitorMention {
    /// The competitor, as configured.
    pub competitor: String,
    /// The surrounding text.
    pub excerpt: String,
    /// Where it was found.
    pub sources: Vec<Source>,
}

/// The generated brief.
// The default, empty one stands for a brief received through sync and not built here yet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BriefContent {
    /// Meeting id.
    pub meeting_id: String,
    /// Meeting title.
    pub meeting_title: String,
    /// Start (RFC 3339).
    pub starts_at: String,
    /// Who is in the room.
    pub attendees: Vec<AttendeeBrief>,
    /// The account.
    pub company: Option<CompanySnapshot>,
    /// Open deals.
    pub deals: Vec<DealBrief>,
    /// Recent timeline, milestones first.
    pub timeline: Vec<TimelineItem>,
    /// Open tasks on these records.
    pub tasks: Vec<TaskItem>,
    /// Commitments remembered (memories of category `commitment`).
    pub commitments: Vec<MemoryItem>,
    /// Other relevant memories.
    pub memories: Vec<MemoryItem>,
    /// Risks.
    pub risks: Vec<Statement>,
    /// BANT gaps as questions to ask.
    pub questions: Vec<Statement>,
    /// Competitor mentions.
    pub competitors: Vec<CompetitorMention>,
    /// Suggested talking points.
    pub talking_points: Vec<Statement>,
}

impl BriefContent {
    /// Every statement of the brief (risks, questions, talking points, competitor mentions) as
    /// (kind, text, sources).
    pub fn statements(&self) -> impl Iterator<Item = (&str, &str, &[Source])> {
        self.risks
            .iter()
            .chain(&self.questions)
            .chain(&self.talking_points)
            .map(|s| (s.kind.as_str(), s.text.as_str(), s.sources.as_slice()))
            .chain(self.competitors.iter().map(|m| ("competitor", m.excerpt.as_str(), m.sources.as_slice())))
    }

    /// Refuses a brief with any statement that cites no record (or a source with an empty id).
    pub fn check_sourced(&self) -> Result<(), UnsourcedStatement> {
        match self
            .statements()
            .find(|(_, _, sources)| sources.is_empty() || sources.iter().any(|s| s.id.trim().is_empty()))
        {
            Some((kind, text, _)) => Err(UnsourcedStatement { kind: kind.to_owned(), text: text.to_owned() }),
            None => Ok(()),
        }
    }
}
