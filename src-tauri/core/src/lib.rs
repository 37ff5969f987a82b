//! Outpost's headless domain core: everything a rep's data goes through, with no Tauri, CLI or
//! server dependency, so the desktop shell, the `outpost` CLI and the tests share one code path.
//!
//! The modules, lowest layer first; each uses only those above it (`tests/core/module_graph.rs`
//! fails on any import circle, at any depth):
//!
//! - [`error`]: the typed [`Error`] and the [`ErrorPayload`] `{kind, message, field}` shared by the
//!   CLI and the UI (the import's and workbook reader's own errors live under it).
//! - [`store`]: the local database — opening it (WAL), checksummed migrations, the [`Ctx`] handle
//!   (one writer connection and a pool of WAL readers) with its one-transaction-per-mutation
//!   `write`, ids, the audit log, settings, input validation, list/search queries, the OS keychain
//!   and the change feed behind the desktop's `changed` event.
//! - [`canonical`]: canonical forms of what people type (company names and domains, emails,
//!   phones, person names), for matching and for the keys every replica derives.
//! - [`replica`]: this device's replica of the team's data: one yrs document per record written
//!   in the mutation's transaction (`tx.changed`), rows written from the entity definitions, the
//!   outbox, remote updates materialised into rows, invalid peer values quarantined.
//! - [`memories`]: the rep's private copilot memories (CRM changes record some of them).
//! - [`crm`]: companies, contacts, deals, the pipeline and its board, tasks, activities, the
//!   manager's team view.
//! - [`meetings`]: meetings, attendees, notes and follow-ups; `.ics` calendar files ([`meetings::ics`]).
//! - [`assist`]: meeting briefs, derived scores, the proactive alerts scheduler and its alerts,
//!   the sales copilot.
//! - [`integrations`]: OAuth connections, the outbound webhook/Slack queue, Google Calendar sync.
//! - [`import`]: CSV and workbook imports (plan, then apply) and watched folders ([`import::watch`]).
//! - [`erasure`]: GDPR erasure of a person everywhere, replicated through [`replica`].
//! - [`sync`]: the session with the sync server: connect, one push path for `sync now` and the
//!   live loop, pull, live updates.
//!
//! Nothing here speaks HTTP or links a cloud SDK: where the core needs the network it declares a
//! port (a trait returning a [`BoxFuture`]) and the `outpost-integrations` crate implements it —
//! [`import::watch::RemoteFolders`], [`assist::copilot::llm::LanguageModels`],
//! [`integrations::connections::OAuthClient`], [`integrations::outbound::Webhooks`],
//! [`integrations::google_calendar::CalendarEvents`]. (The sync session's own client lives in
//! `outpost-sync`.)
//!
//! Each mutation is a synchronous function of `(&Ctx, Request) -> Result<Response>` that
//! validates its input, runs in one transaction and writes its audit row (the desktop shell runs
//! it off the async runtime with [`store::ctx::off_runtime`]). Nothing outside this crate writes SQL.

pub mod assist;
pub mod canonical;
pub mod crm;
pub mod erasure;
pub mod error;
pub mod import;
pub mod integrations;
pub mod meetings;
pub mod memories;
pub mod replica;
pub mod store;
pub mod sync;

pub use error::{Error, ErrorPayload, Result};

/// What the network ports return (the watcher's remote folders, the copilot's model, OAuth,
/// webhooks, calendars): a boxed future the adapters in `outpost-integrations` implement, `Send`
/// so the desktop app can run it on its async runtime.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
pub use store::ctx::Ctx;
