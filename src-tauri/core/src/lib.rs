//! Outpost's headless domain core.
//!
//! Everything a rep's data goes through lives here, with no Tauri (or any UI) dependency, so the
//! `outpost` CLI (crate `outpost-cli`), the desktop shell, tests and later the sync layer all
//! share one code path:
//!
//! - [`store`]: opens `<data-dir>/outpost.db` (WAL, foreign keys, busy timeout) and runs the
//!   embedded migrations from `migrations/local/`.
//! - [`Ctx`]: the handle every API call takes; it owns the connection, the clock and the actor.
//! - Entity APIs ([`companies`], [`contacts`], [`deals`], [`pipeline`], [`tasks`], [`activities`],
//!   [`meetings`], [`settings`]): each mutation is `async fn(&Ctx, Req) -> Result<Res>`, validates its input,
//!   runs in one transaction and writes an [`audit`] row. Nothing outside this crate writes SQL.
//! - [`replica`]: local-first sync: one yrs document per record, outbox written in the mutation's
//!   transaction, remote updates materialised into rows.
//! - [`changes`]: which records changed, published after every write from any source or process
//!   (the desktop's `changed` event).
//! - [`erasure`]: GDPR erasure of a person, everywhere (replicated through [`replica`]).
//! - [`memories`] and [`copilot`]: the rep's private memories and the sales copilot (tools, pending
//!   actions confirmed by the rep, LLM providers, offline next-best-action engine).
//! - [`calendar`]: Google Calendar read sync into meetings.
//! - [`connections`]: OAuth connections to provider accounts (tokens in the keychain).
//! - [`outbound`]: the durable webhook / Slack delivery queue; [`secrets`]: the OS keychain.

pub mod activities;
pub mod agent;
pub mod alerts;
pub mod audit;
pub mod board;
pub mod briefs;
pub mod calendar;
pub mod changes;
pub mod clock;
pub mod companies;
pub mod connections;
pub mod contacts;
pub mod copilot;
mod ctx;
pub mod deals;
pub mod erasure;
pub mod error;
pub mod ids;
pub mod import;
pub mod meetings;
pub mod memories;
pub mod migrate;
pub mod outbound;
pub mod pipeline;
pub mod replica;
pub mod scores;
pub mod search;
pub mod secrets;
pub mod settings;
pub mod store;
pub mod tasks;
pub mod team;
pub mod validate;
pub mod watch;

pub use ctx::Ctx;
pub use error::{Error, ErrorPayload, Result};
