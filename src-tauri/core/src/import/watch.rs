//! Watched sources: folders, S3 buckets and cloud folders (Google Drive `gdrive://<folder id>`,
//! Dropbox `dropbox:///path`) whose new CSV files are imported unattended.
//!
//! A rep points Outpost at the folder their lead tool exports into (or an `s3://bucket/prefix`),
//! and every new lead list that lands there goes through the ordinary import engine
//! ([`crate::import::jobs::import_file`]), with the mapping template saved for those headers.
//!
//! - [`browse`] lists one folder's sub-folders for the desktop app's folder chooser.
//! - [`add`], [`list`], [`remove`] manage the `watched_sources` rows. Credentials are never stored
//!   in SQLite: S3 uses the standard AWS chain (environment, profiles, …) at every poll, or an
//!   access key given when the source was added, kept in the OS keychain ([`crate::store::secrets`]) under
//!   `s3:<source id>` and deleted with the source.
//! - [`remote`] is the port to S3, Google Drive and Dropbox ([`RemoteFolders`]: list changes,
//!   download a file); its adapters live in the `outpost-integrations` crate, handed in by the app.
//! - [`scan_once`] processes everything currently in every source and returns; [`run`] keeps doing
//!   so until told to stop, woken by file-system events (`notify`) and a periodic rescan / S3 poll
//!   every [`poll_interval`] (default 30 s, `OUTPOST_WATCH_POLL_MS`).
//!
//! Guarantees:
//!
//! - Only regular `.csv` / `.tsv` / `.txt` files and workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`,
//!   `.ods`) (lead lists) and `.ics` files (calendars, imported as meetings by
//!   [`crate::meetings::ics`]) are imported, in the folder and (setting `subfolders`, on by
//!   default) its subfolders down to `max_depth` levels; every other file, lock and temporary file
//!   and folder past the limit is listed in [`WatchedSource::skipped`] with the reason.
//! - A file is imported only once it is completely written: its size and modification time have
//!   not changed for the source's settle time, or it was renamed into the folder.
//! - Every handled file is recorded in `processed_files` by content checksum (S3: by key and ETag),
//!   so nothing is imported twice, across restarts, renames and copies (outcome `duplicate`).
//! - A symlink pointing outside the folder is refused (not followed) with a per-file error.
//! - A file that cannot be imported is recorded as `failed` with the reason and does not stop the
//!   watcher; source-level failures (folder gone, S3 auth or network) are stored as `last_error`
//!   and retried at the next scan.

mod browse;
mod cloud;
mod folder;
mod ledger;
pub mod remote;
mod runner;
mod s3;
mod sources;
mod walk;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::store::ids::{ConnectionId, ImportJobId, SourceId};

pub use browse::{browse, BrowseRequest, FolderListing, MAX_FOLDERS};
pub use folder::importable_name;
pub use remote::{RemoteError, RemoteFile, RemoteFolders, RemoteListing, RemotePage, RemoteSource};
pub use runner::{background, poll_interval, run, scan_once};
pub use sources::{add, list, remove};
pub use walk::{DEFAULT_MAX_DEPTH, MAX_DEPTH_LIMIT};

/// Default time a file's size and modification time must stay unchanged before it is imported.
pub const DEFAULT_SETTLE_MS: u64 = 1_500;

/// Default S3 region when none is given.
pub const DEFAULT_REGION: &str = "us-east-1";

/// What to watch.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct NewSource {
    /// A folder path (must exist) or `s3://bucket/prefix`.
    pub location: String,
    /// S3 only: endpoint of an S3-compatible store (MinIO, moto, …); path-style addressing.
    #[serde(default)]
    pub endpoint: Option<String>,
    /// S3 only: region (default `us-east-1`).
    #[serde(default)]
    pub region: Option<String>,
    /// Folder only: how long a file must stay unchanged before import (default 1500 ms).
    #[serde(default)]
    #[ts(as = "Option<u32>")]
    pub settle_ms: Option<u64>,
    /// Folder only: move handled files into `<folder>/processed/` (default off).
    #[serde(default)]
    pub move_processed: Option<bool>,
    /// Folder only: also import files in subfolders (default on).
    #[serde(default)]
    pub subfolders: Option<bool>,
    /// Folder only: how many levels of subfolders to look into (default 5, at most 20).
    #[serde(default)]
    pub max_depth: Option<u32>,
    /// `gdrive://` and `dropbox://` only: the connection to read through (default: the only
    /// connection of that provider).
    #[serde(default)]
    pub connection_id: Option<ConnectionId>,
    /// S3 only: an access key to use instead of the standard AWS chain; stored in the OS
    /// keychain, never in the database.
    #[serde(default)]
    pub s3_access_key: Option<S3AccessKey>,
}

/// An S3 access key pair (kept only in the OS keychain).
#[derive(Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct S3AccessKey {
    /// Access key id (`AKIA…`).
    pub access_key_id: String,
    /// Secret access key.
    pub secret_access_key: String,
}

impl std::fmt::Debug for S3AccessKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3AccessKey").field("access_key_id", &self.access_key_id).finish_non_exhaustive()
    }
}

/// Per-source settings, stored as JSON (never credentials).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SourceSettings {
    /// S3 endpoint override.
    #[serde(default)]
    pub endpoint: Option<String>,
    /// S3 region.
    #[serde(default)]
    pub region: Option<String>,
    /// Settle time in milliseconds.
    #[serde(default = "default_settle")]
    #[ts(type = "number")]
    pub settle_ms: u64,
    /// Move handled files into `processed/`.
    #[serde(default)]
    pub move_processed: bool,
    /// Folders: files in subfolders are imported too (sources added before this setting: on).
    #[serde(default = "default_subfolders")]
    pub subfolders: bool,
    /// Folders: subfolder levels looked into below the folder.
    #[serde(default = "default_max_depth")]
    pub max_depth: u32,
    /// Cloud folders: the connection they are read through.
    #[serde(default)]
    pub connection_id: Option<ConnectionId>,
    /// S3: the keychain entry holding the source's access key (`s3:<source id>`); `None` means
    /// the standard AWS credential chain.
    #[serde(default)]
    pub keychain_credentials: Option<String>,
}

fn default_settle() -> u64 {
    DEFAULT_SETTLE_MS
}

fn default_subfolders() -> bool {
    true
}

fn default_max_depth() -> u32 {
    walk::DEFAULT_MAX_DEPTH
}

/// The most recent import a source triggered.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LastImport {
    /// The import job.
    pub job_id: ImportJobId,
    /// File name or object key.
    pub key: String,
    /// Job status (`completed`, `failed`, …).
    pub status: String,
    /// New contacts.
    #[ts(type = "number")]
    pub imported: u64,
    /// Updated contacts.
    #[ts(type = "number")]
    pub updated: u64,
    /// Duplicates left alone.
    #[ts(type = "number")]
    pub skipped: u64,
    /// Rejected rows.
    #[ts(type = "number")]
    pub failed: u64,
    /// When the file was handled (RFC 3339).
    pub at: String,
}

/// A file in a watched folder that is not imported (wrong kind, lock file, too deep…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SkippedFile {
    /// Path relative to the folder (`/`-separated; a folder ends with `/`).
    pub key: String,
    /// Why it is not imported.
    pub reason: String,
    /// When it was first seen (RFC 3339).
    pub seen_at: String,
}

/// A watched folder or bucket with its state.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct WatchedSource {
    /// Id.
    pub id: SourceId,
    /// `folder` or `s3`.
    pub kind: String,
    /// Canonical folder path or `s3://bucket/prefix`.
    pub location: String,
    /// Settings.
    pub settings: SourceSettings,
    /// `idle` (never scanned), `ok` or `error`.
    pub status: String,
    /// Last completed scan or poll (RFC 3339).
    pub last_scan_at: Option<String>,
    /// The last problem: the source is unreachable (cleared when it recovers), or a file could not
    /// be imported (kept until a newer problem replaces it).
    pub last_error: Option<String>,
    /// Added (RFC 3339).
    pub created_at: String,
    /// Files handled so far (imported, duplicate or failed).
    #[ts(type = "number")]
    pub files_processed: u64,
    /// Files that could not be imported.
    #[ts(type = "number")]
    pub files_failed: u64,
    /// Files the folder holds that are not imported, and why (the first 100).
    pub skipped: Vec<SkippedFile>,
    /// The most recent import job.
    pub last_import: Option<LastImport>,
}

/// What happened to a file (or a source) during a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum WatchEventKind {
    /// The file was imported (see the job's counts).
    Imported,
    /// The same content was imported before (under this or another name).
    Duplicate,
    /// The file could not be imported; `message` says why.
    Failed,
    /// The source itself could not be read (folder gone, S3 auth or network); retried next scan.
    SourceError,
}

/// One line of the watcher's log.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct WatchEvent {
    /// What happened.
    pub event: WatchEventKind,
    /// The source.
    pub source_id: SourceId,
    /// The source's location.
    pub location: String,
    /// File name or object key (empty for a source error).
    pub key: String,
    /// The import job, if one ran (or the earlier job, for a duplicate).
    pub job_id: Option<ImportJobId>,
    /// Job status.
    pub status: Option<String>,
    /// New contacts.
    #[ts(type = "number")]
    pub imported: u64,
    /// Updated contacts.
    #[ts(type = "number")]
    pub updated: u64,
    /// Duplicates left alone.
    #[ts(type = "number")]
    pub skipped: u64,
    /// Rejected rows.
    #[ts(type = "number")]
    pub failed: u64,
    /// Why it failed, or what it duplicates.
    pub message: Option<String>,
    /// When (RFC 3339).
    pub at: String,
}
