//! The copilot: a sales teammate that knows the rep's records, remembers what matters
//! ([`crate::memories`]), proposes next best actions with reasons, drafts follow-ups — and changes
//! nothing until the rep confirms.
//!
//! - [`ask`] answers a question about the entity in view with a [`CopilotResponse`]: summary,
//!   reasons citing record ids, next actions (each a pending action with its own id, tool call and
//!   impact), drafts, clarifying questions and warnings. With an LLM provider configured
//!   ([`provider`]) the model — reached through the [`llm::LanguageModels`] port, whose HTTP
//!   clients live in `outpost-integrations` — runs a tool loop over the [`tools`]; without one,
//!   when it is unreachable or when the monthly usage limit is reached, the deterministic
//!   [`offline`] engine answers in the same shape — the panel always answers.
//! - Tools are defined once ([`tools::definitions`]) with JSON schemas. Read-only tools run
//!   immediately; write tools only create **pending actions** ([`actions`]), executed through the
//!   core API by [`actions::confirm`] and audit-logged. Drafts to opted-out contacts and actions on
//!   records outside the rep's workspace or owned by someone else are refused with a warning.
//! - Threads and messages ([`threads`]) are stored locally, private to their owner, and never
//!   replicated (they would travel only as the owner-only sync kind `copilot_conversation`).

pub mod actions;
pub mod context;
pub mod llm;
pub mod llm_config;
pub mod offline;
mod proposals;
mod response;
pub mod threads;
pub mod tools;
mod turn;
pub mod usage;

pub use response::{CopilotResponse, Draft, NextAction, Question, QuestionOption, Reason, ToolCall, Warning};
pub use turn::{ask, ask_streaming, AskRequest, MAX_STEPS};
