//! The structured answer of one copilot turn, identical whether an LLM or the offline engine
//! produced it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::store::ids::{ActionId, ContactId, ThreadId};

/// A tool invocation: which tool, with which JSON arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ToolCall {
    /// Tool name (see `copilot::tools::definitions`).
    pub name: String,
    /// Arguments, matching the tool's JSON schema.
    #[ts(type = "Record<string, unknown>")]
    pub arguments: serde_json::Value,
}

/// One reason behind the answer, with the records it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Reason {
    /// The statement.
    pub text: String,
    /// Ids of the records it is based on.
    #[serde(default)]
    pub record_ids: Vec<String>,
}

/// A proposed action awaiting confirmation (`outpost copilot confirm ID`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NextAction {
    /// Pending action id.
    pub id: ActionId,
    /// What would run on confirmation.
    pub tool_call: ToolCall,
    /// One-line preview ("Create task 'Call Ada' due 2026-03-02").
    pub preview: String,
    /// What changes if confirmed.
    pub impact: String,
    /// `pending`, `executed`, `dismissed` or `failed`.
    pub status: String,
}

/// A drafted message; confirming its action logs it on the contact's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Draft {
    /// The pending action that carries it.
    pub action_id: ActionId,
    /// `email` or `sms`.
    pub channel: String,
    /// Recipient.
    pub contact_id: ContactId,
    /// Address or phone number.
    pub to: String,
    /// Subject (email only).
    pub subject: Option<String>,
    /// Text.
    pub body: String,
}

/// One option of a clarifying question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QuestionOption {
    /// What to show ("Sarah Lee — Acme, VP Sales").
    pub label: String,
    /// `contact`, `company`, `deal` or `meeting`.
    pub entity_type: String,
    /// The record id to pick.
    pub entity_id: String,
}

/// A clarifying question for the rep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Question {
    /// The question.
    pub text: String,
    /// Choices, when there are known candidates.
    #[serde(default)]
    pub options: Vec<QuestionOption>,
}

/// Something the rep must know: a refused action, a fallback to offline mode, a limit reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Warning {
    /// Stable code: `opted_out`, `outside_org`, `not_permitted`, `not_found`, `invalid_action`,
    /// `provider_unavailable`, `usage_limit`, `no_provider`, `model_output`.
    pub code: String,
    /// What happened and what to do.
    pub message: String,
    /// Records concerned.
    #[serde(default)]
    pub record_ids: Vec<String>,
}

impl Warning {
    /// A warning with `code` and `message` about `record_ids`.
    pub fn new(code: &str, message: impl Into<String>, record_ids: Vec<String>) -> Self {
        Warning { code: code.to_owned(), message: message.into(), record_ids }
    }
}

/// The copilot's answer to one question.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CopilotResponse {
    /// The conversation thread this turn belongs to.
    pub thread_id: Option<ThreadId>,
    /// Who answered: `offline`, `openai` or `anthropic`.
    pub engine: String,
    /// The answer in a few sentences.
    pub summary: String,
    /// Reasons, each citing record ids.
    pub why: Vec<Reason>,
    /// Proposed actions awaiting confirmation.
    pub next_actions: Vec<NextAction>,
    /// Drafted messages (each also a next action).
    pub drafts: Vec<Draft>,
    /// Clarifying questions.
    pub questions: Vec<Question>,
    /// Warnings.
    pub warnings: Vec<Warning>,
    /// Ids of the memories used for this answer.
    pub memory_ids: Vec<String>,
}
