//! Server storage behind the narrow [`Store`] trait, with two backends: [`sqlite::SqliteStore`]
//! (embedded default: one file, WAL) and [`postgres::PgStore`] (several server processes may share
//! one database; live updates cross processes with LISTEN/NOTIFY).
//!
//! The store keeps opaque yrs updates per (organisation, document) under a per-organisation,
//! strictly increasing sequence number, which is the cursor of incremental pulls. Compaction
//! merges a document's updates into one snapshot stored under the newest merged sequence number:
//! a device whose cursor is before that number gets the snapshot (a superset of what it missed,
//! harmless since updates are idempotent), a device past it already has everything.
//!
//! Device tokens are random, shown once, and stored only as SHA-256 hashes ([`hash_token`]).

mod doc_cache;
mod entity_rules;
pub mod postgres;
mod redacted;
mod results;
mod rules;
pub mod sqlite;

pub use redacted::redacted_url;

use std::future::Future;
use std::pin::Pin;

use sha2::{Digest, Sha256};

use crate::authz::Principal;
use outpost_sync::protocol::{ErrorCode, ErrorMessage, PullResponse, PushItem, PushResult, Role};

pub use doc_cache::DocCache;
pub use rules::batch::decide_all;
pub use rules::{decide_push, decide_push_cached, ExistingDoc, PushDecision, NATURAL_KEY_KINDS};

/// A boxed future returned by [`Store`] methods.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// Prefix of device tokens (lets `device-token revoke` tell a token from a device id).
pub const TOKEN_PREFIX: &str = "opd_";

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("SQLite store error: {0}; check the database file's path, permissions and free disk space")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL failed.
    #[error("PostgreSQL store error: {0}; check that the database is reachable and the URL is right")]
    Postgres(#[from] tokio_postgres::Error),
    /// No PostgreSQL connection could be taken from the pool.
    #[error("could not get a PostgreSQL connection ({0}); check that the database is running")]
    Pool(String),
    /// A named thing does not exist.
    #[error("{0} not found; check the spelling or create it first")]
    NotFound(String),
    /// A named thing already exists.
    #[error("{0} already exists; pick another name")]
    AlreadyExists(String),
    /// A migration failed.
    #[error("database migration {version} failed: {reason}; the database was left at the previous version")]
    Migration {
        /// The migration's number.
        version: u32,
        /// What failed.
        reason: String,
    },
    /// The database URL is not understood.
    #[error("unsupported database `{0}`; use sqlite:PATH or postgres://USER@HOST:PORT/DB")]
    BadUrl(String),
    /// Stored data is inconsistent (e.g. an update that yrs cannot read).
    #[error("stored data is inconsistent: {0}; restore the database from a backup")]
    Corrupt(String),
    /// A blocking database task was lost.
    #[error("a database task was interrupted ({0}); retry")]
    Task(String),
}

/// An organisation as created or listed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrgInfo {
    /// Id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// Whether `org`-visible records are shared with reps.
    pub share_records: bool,
    /// Whether reps may also update other people's `org`-visible records.
    pub share_editing: bool,
}

/// A user as created.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UserInfo {
    /// Id.
    pub id: i64,
    /// Organisation name.
    pub org: String,
    /// Unique e-mail address.
    pub email: String,
    /// Role.
    pub role: Role,
}

/// Counts of a maintenance (compaction) run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct CompactStats {
    /// Documents compacted.
    pub docs: u64,
    /// Update rows removed (merged into snapshots).
    pub updates_removed: u64,
    /// Whether the store's files were scrubbed (VACUUM, WAL truncated) because an erasure or a
    /// requested compaction left deleted bytes behind.
    pub scrubbed: bool,
}

/// Per-user quotas, checked on every push. An item over a quota is refused with
/// [`ErrorCode::QuotaExceeded`] and nothing of it is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotas {
    /// Most documents one user may own.
    pub max_docs_per_user: u64,
    /// Most update bytes one user may have stored per UTC day (history growth).
    pub max_bytes_per_user_per_day: u64,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas { max_docs_per_user: 250_000, max_bytes_per_user_per_day: 2 * 1024 * 1024 * 1024 }
    }
}

/// The UTC day number (days since 1970-01-01) quotas count bytes in.
pub fn utc_day() -> i64 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    i64::try_from(secs / 86_400).unwrap_or(0)
}

/// A user's quota usage during one push batch (read once, checked per item, written once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Usage {
    pub(crate) docs: u64,
    pub(crate) bytes_today: u64,
}

impl Usage {
    /// Counts `item` against `quotas` (`creates`: it creates a document), or refuses it.
    pub(crate) fn admit(&mut self, quotas: &Quotas, item: &PushItem, creates: bool) -> Result<(), ErrorMessage> {
        if creates && self.docs >= quotas.max_docs_per_user {
            return Err(ErrorMessage::new(
                ErrorCode::QuotaExceeded,
                format!(
                    "you own {} documents, the most this server allows per user; document {} was not stored \
                     (ask your administrator to raise --max-docs-per-user)",
                    self.docs, item.doc_id
                ),
            ));
        }
        let bytes = item.update.len() as u64;
        if self.bytes_today.saturating_add(bytes) > quotas.max_bytes_per_user_per_day {
            return Err(ErrorMessage::new(
                ErrorCode::QuotaExceeded,
                format!(
                    "you stored {} bytes today, and this {bytes}-byte change of document {} would pass the \
                     daily limit of {} bytes per user; it was not stored, retry tomorrow \
                     (or ask your administrator to raise --max-bytes-per-user-per-day)",
                    self.bytes_today, item.doc_id, quotas.max_bytes_per_user_per_day
                ),
            ));
        }
        self.bytes_today += bytes;
        if creates {
            self.docs += 1;
        }
        Ok(())
    }
}

/// The narrow storage interface of the sync server.
pub trait Store: Send + Sync {
    /// Creates an organisation (sharing records with reps by default).
    fn create_org<'a>(&'a self, name: &'a str) -> StoreFuture<'a, OrgInfo>;
    /// Turns sharing of `org`-visible records with reps on or off.
    fn set_org_sharing<'a>(&'a self, org: &'a str, share: bool) -> StoreFuture<'a, OrgInfo>;
    /// Turns reps' editing of other people's `org`-visible records on or off.
    fn set_org_editing<'a>(&'a self, org: &'a str, share: bool) -> StoreFuture<'a, OrgInfo>;
    /// Adds a user to an organisation.
    fn add_user<'a>(&'a self, org: &'a str, email: &'a str, role: Role) -> StoreFuture<'a, UserInfo>;
    /// Registers a device of the user with `email`, storing only the token's hash; returns the device id.
    fn create_device<'a>(&'a self, email: &'a str, label: &'a str, token_hash: &'a str) -> StoreFuture<'a, String>;
    /// Revokes the device whose id or token hash is given; false if none was active.
    fn revoke_device<'a>(&'a self, id_or_token_hash: &'a str) -> StoreFuture<'a, bool>;
    /// The active (not revoked) device with this token hash.
    fn authenticate<'a>(&'a self, token_hash: &'a str) -> StoreFuture<'a, Option<Principal>>;
    /// Stores a batch of updates atomically, deciding each item with [`decide_push`] and counting
    /// it against `quotas`.
    fn push<'a>(
        &'a self,
        who: &'a Principal,
        items: &'a [PushItem],
        quotas: &'a Quotas,
    ) -> StoreFuture<'a, Vec<PushResult>>;
    /// The updates after `since` that `who` may read, at most `limit`.
    fn pull<'a>(&'a self, who: &'a Principal, since: u64, limit: u32) -> StoreFuture<'a, PullResponse>;
    /// Background maintenance: merges the updates of every document with at least `min_updates`
    /// rows, or whose compaction a push requested, into one snapshot; then, when an erasure or
    /// a compaction left deleted bytes behind, scrubs the store's files (VACUUM).
    fn compact(&self, min_updates: u32) -> StoreFuture<'_, CompactStats>;
    /// Forwards other processes' changes (organisation ids) into `changes`, if the backend can
    /// (PostgreSQL LISTEN/NOTIFY). The default does nothing: SQLite has one server process per file.
    fn watch_changes(&self, changes: tokio::sync::broadcast::Sender<i64>) {
        let _ = changes;
    }
}

/// SHA-256 (hex) of a device token: the only form in which tokens are stored.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.trim().as_bytes()))
}

/// A new random device token (`opd_` + 64 hex characters, 256 bits).
pub fn new_device_token() -> Result<String, StoreError> {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).map_err(|e| StoreError::Task(format!("random source failed: {e}")))?;
    Ok(format!("{TOKEN_PREFIX}{}", hex::encode(buf)))
}

/// Opens the store named by `url`: `sqlite:PATH` (or a plain path) or `postgres://…`
/// (`postgresql://` too). Applies pending migrations.
pub async fn open(url: &str) -> Result<std::sync::Arc<dyn Store>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(std::sync::Arc::new(postgres::PgStore::connect(url).await?))
    } else {
        let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
        if path.is_empty() {
            return Err(StoreError::BadUrl(redacted_url(url)));
        }
        let path = std::path::PathBuf::from(path);
        let store = tokio::task::spawn_blocking(move || sqlite::SqliteStore::open(&path))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))??;
        Ok(std::sync::Arc::new(store))
    }
}
