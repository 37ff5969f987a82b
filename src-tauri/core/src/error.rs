//! The core's error type. Every variant's message says what happened and what to do about it.

pub mod import;
pub mod workbook;

use std::path::PathBuf;

use serde::Serialize;
use ts_rs::TS;

/// Result alias used across the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input failed validation; `field` names the offending field (snake_case, as in the schema).
    #[error("{field}: {message}")]
    Invalid {
        /// The field that is wrong.
        field: String,
        /// Why it is wrong and what is accepted instead.
        message: String,
    },
    /// A referenced record does not exist.
    #[error("{entity} {id} not found; check the id (list them with `outpost {entity}s list`)")]
    NotFound {
        /// Entity kind, e.g. `contact`.
        entity: &'static str,
        /// The id or name that was looked up.
        id: String,
    },
    /// The change would duplicate or contradict an existing record.
    #[error("{message}")]
    Conflict {
        /// What clashes, and with which record.
        message: String,
    },
    /// The data directory cannot be created or opened.
    #[error("cannot use data directory {path}: {source}; check that it exists and is writable, or choose another with --data-dir / OUTPOST_DATA_DIR")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// The I/O failure.
        source: std::io::Error,
    },
    /// The database was written by a newer Outpost.
    #[error("{path} was written by a newer Outpost (schema version {found}; this build knows up to {known}); upgrade Outpost to open it, or point --data-dir elsewhere")]
    DatabaseTooNew {
        /// Database file.
        path: PathBuf,
        /// Highest migration recorded in the file.
        found: u32,
        /// Highest migration this build embeds.
        known: u32,
    },
    /// An already-applied migration differs from the embedded one.
    #[error("migration {version} ({name}) differs from the one applied to this database; migrations are append-only, so add a new migration instead of editing an old one")]
    MigrationChanged {
        /// Migration number.
        version: u32,
        /// Migration name.
        name: String,
    },
    /// A migration failed to apply; nothing of it was kept.
    #[error("migration {version} ({name}) failed and was rolled back: {source}")]
    MigrationFailed {
        /// Migration number.
        version: u32,
        /// Migration name.
        name: String,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// The store's lock was poisoned by a panic in another thread.
    #[error("the local store is unavailable after an internal failure; restart Outpost")]
    Poisoned,
    /// A core call run off the async runtime ([`crate::store::ctx::off_runtime`]) panicked or was
    /// cancelled before it finished (a bug; nothing it did after the failure was committed).
    #[error("the operation stopped before it finished ({0}); try again, and report it if it persists")]
    Interrupted(String),
    /// No reader connection could be had (the file cannot be opened, or every reader stayed busy).
    #[error("cannot read the local database: {0}; if it persists, check disk space and file permissions")]
    Readers(#[from] r2d2::Error),
    /// Any other SQLite failure.
    #[error("local database error: {0}; if it persists, check disk space and file permissions")]
    Sqlite(#[from] rusqlite::Error),
    /// A file could not be imported (not CSV, unreadable, bad mapping, …).
    #[error(transparent)]
    Import(#[from] crate::error::import::ImportError),
    /// Sync with the server failed or is not set up (the message says what to do).
    #[error("sync: {0}")]
    Sync(String),
    /// The copilot's LLM provider is not set up or its API key cannot be stored (the message says
    /// what to do).
    #[error("copilot: {0}")]
    Provider(String),
    /// The OS keychain refused or lacks a secret (the message says what to do).
    #[error("keychain: {0}")]
    Keychain(String),
    /// A remote service (webhook receiver, OAuth or cloud provider) failed or refused a request.
    #[error("{0}")]
    Remote(String),
    /// The brief builder refused a statement that cites no record (a bug in the builder).
    #[error(transparent)]
    UnsourcedBrief(#[from] UnsourcedStatement),
    /// Stored JSON could not be read or written.
    #[error("stored data could not be encoded or decoded: {0}")]
    Json(#[from] serde_json::Error),
}

impl Error {
    /// Shorthand for a validation error.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid { field: field.into(), message: message.into() }
    }

    /// A stable machine-readable kind, used in JSON output and by the UI.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Invalid { .. } => "invalid",
            Error::NotFound { .. } => "not_found",
            Error::Conflict { .. } => "conflict",
            Error::DataDir { .. } => "data_dir",
            Error::DatabaseTooNew { .. } => "database_too_new",
            Error::MigrationChanged { .. } | Error::MigrationFailed { .. } => "migration",
            Error::Poisoned | Error::Interrupted(_) | Error::UnsourcedBrief(_) => "internal",
            Error::Import(_) => "import",
            Error::Sync(_) => "sync",
            Error::Provider(_) => "provider",
            Error::Keychain(_) => "keychain",
            Error::Remote(_) => "remote",
            Error::Sqlite(_) | Error::Readers(_) | Error::Json(_) => "storage",
        }
    }
}

/// The serialisable face of [`Error`] handed to the UI and printed by `--json`.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ErrorPayload {
    /// Stable kind: `invalid`, `not_found`, `storage`, …
    pub kind: String,
    /// Human-readable message saying what happened and what to do.
    pub message: String,
    /// For `invalid`, the field at fault (for inline form errors).
    pub field: Option<String>,
}

impl From<&Error> for ErrorPayload {
    fn from(error: &Error) -> Self {
        let (message, field) = match error {
            Error::Invalid { field, message } => (message.clone(), Some(field.clone())),
            other => (other.to_string(), None),
        };
        ErrorPayload { kind: error.kind().to_owned(), message, field }
    }
}

impl From<Error> for ErrorPayload {
    fn from(error: Error) -> Self {
        ErrorPayload::from(&error)
    }
}

/// A brief statement that names no record it came from: the builder refuses to produce one, so a
/// brief can never assert something that cannot be traced back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("brief statement `{kind}` (\"{text}\") cites no record; every statement must name the records it came from")]
pub struct UnsourcedStatement {
    /// The statement's kind, e.g. `deal_stalled`.
    pub kind: String,
    /// The statement's text.
    pub text: String,
}
