//! Outpost's headless domain core.
//!
//! Everything a rep's data goes through lives here, with no Tauri (or any UI) dependency, so the
//! `outpost` CLI, the desktop shell, tests and later the sync layer all share one code path:
//!
//! - [`store`]: opens `<data-dir>/outpost.db` (WAL, foreign keys, busy timeout) and runs the
//!   embedded migrations from `migrations/local/`.
//! - [`Ctx`]: the handle every API call takes; it owns the connection, the clock and the actor.
//! - Entity APIs ([`companies`], [`contacts`], [`deals`], [`pipeline`], [`tasks`], [`activities`],
//!   [`meetings`]): each mutation is `async fn(&Ctx, Req) -> Result<Res>`, validates its input,
//!   runs in one transaction and writes an [`audit`] row. Nothing outside this crate writes SQL.
//! - [`replica`]: local-first sync: one yrs document per record, outbox written in the mutation's
//!   transaction, remote updates materialised into rows.
//! - [`cli`]: the `outpost` command-line interface over the same API.

pub mod activities;
pub mod agent;
pub mod alerts;
pub mod audit;
pub mod briefs;
pub mod cli;
pub mod clock;
pub mod companies;
pub mod contacts;
mod ctx;
pub mod deals;
pub mod error;
pub mod ids;
pub mod import;
pub mod meetings;
pub mod memories;
pub mod migrate;
pub mod pipeline;
pub mod replica;
pub mod scores;
pub mod search;
pub mod settings;
pub mod store;
pub mod tasks;
pub mod team;
pub mod validate;
pub mod watch;

pub use ctx::Ctx;
pub use error::{Error, ErrorPayload, Result};
