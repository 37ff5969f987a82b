//! Outpost's headless domain core: everything a rep's data goes through, with no Tauri, CLI or
//! server dependency, so the desktop shell, the `outpost` CLI and the tests share one code path.
//!
//! The folders read as the product, lowest layer first:
//!
//! - [`error`]: the typed [`Error`] and the [`ErrorPayload`] `{kind, message, field}` shared by the
//!   CLI and the UI.
//! - [`store`]: the local database — opening it (WAL), checksummed migrations, the [`Ctx`] handle
//!   and its one-transaction-per-mutation `write`, ids, the audit log, settings, input
//!   validation, list/search queries and the OS keychain.
//! - [`crm`]: companies, contacts, deals and the pipeline, tasks, activities, the manager's team view.
//! - [`meetings`]: meetings, attendees, notes and follow-ups; `.ics` calendar files ([`meetings::ics`]).
//! - [`assist`]: meeting briefs, derived scores, the proactive alerts scheduler and its alerts,
//!   the rep's private memories and the sales copilot.
//! - [`import`]: CSV and workbook imports (plan, then apply) and watched folders ([`import::watch`]).
//! - [`integrations`]: OAuth connections, the outbound webhook/Slack queue, Google Calendar sync.
//! - [`replica`]: this device's replica of the team's data: one yrs document per record written in
//!   the mutation's transaction, the outbox, the session with the sync server, and remote updates
//!   materialised into rows (invalid peer values quarantined).
//! - [`erasure`]: GDPR erasure of a person everywhere, replicated through [`replica`].
//!
//! Each mutation is a function of `(&Ctx, Request) -> Result<Response>` that validates its input,
//! runs in one transaction and writes its audit row. Nothing outside this crate writes SQL.

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
pub use store::ctx::Ctx;
