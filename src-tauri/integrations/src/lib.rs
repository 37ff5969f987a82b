//! Outpost's network adapters: the code that speaks a provider's wire format, kept out of
//! `outpost-core` so the core links neither the AWS SDK nor an HTTP client of its own.
//!
//! The core declares a port (a trait) for each thing it needs from the network and keeps the
//! domain logic around it (ledgers, cursors, backoff, retries of the queue, upserts); this crate
//! implements the ports, all on one value, [`Net`], which the desktop app and the CLI build once
//! at start and hand to the core where it runs:
//!
//! - [`watch`]: `outpost_core::import::watch::RemoteFolders` — S3 (`ListObjectsV2`, streaming
//!   `GetObject`), Google Drive v3 (`files.list`, `changes.list`, download/export) and Dropbox
//!   (`list_folder`, `list_folder/continue`, `files/download`).
//! - [`llm`]: `outpost_core::assist::copilot::llm::LanguageModels` — OpenAI-compatible and
//!   Anthropic chat APIs with tool calls, SSE streaming, timeouts and retries.
//! - [`oauth`]: `outpost_core::integrations::connections::OAuthClient` — token endpoint (code
//!   exchange, refresh), account check and revocation for Google and Dropbox.
//! - [`outbound`]: `outpost_core::integrations::outbound::Webhooks` — the webhook / Slack POST.
//! - [`calendar`]: `outpost_core::integrations::google_calendar::CalendarEvents` — pages of the
//!   Google Calendar events feed.
//!
//! Dependency direction: app → `outpost-integrations` → `outpost-core` → `outpost-sync`.

pub mod calendar;
mod http;
pub mod llm;
pub mod oauth;
pub mod outbound;
pub mod watch;

/// Every network adapter of Outpost, behind the core's ports. Cheap to build; build it once.
#[derive(Debug, Clone, Default)]
pub struct Net {
    /// S3 clients of the polls in progress.
    s3: watch::s3::Clients,
}

impl Net {
    /// The adapters, talking to the real providers (or to the endpoints the environment names,
    /// see `outpost_core::integrations::connections::provider`).
    pub fn new() -> Self {
        Net::default()
    }
}
