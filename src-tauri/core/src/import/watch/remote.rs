//! The watcher's port to the network: what a remote source (an S3 bucket prefix, a Google Drive or
//! Dropbox folder) must offer — list what changed, download one file to a path the core chose.
//!
//! The core keeps everything that is not a provider's wire format: which sources exist, the saved
//! change cursor and the backoff ([`super::cloud`]), the ledger of handled files, the import
//! itself. The HTTP and SDK adapters live in the `outpost-integrations` crate, which implements
//! [`RemoteFolders`]; the desktop app and the CLI build it once and hand it to [`super::run`] /
//! [`super::scan_once`]. Keeping the port here keeps the AWS SDK and the HTTP client out of the core.

use std::path::Path;

use chrono::Duration as ChronoDuration;

use super::S3AccessKey;
use crate::{store::ids::ConnectionId, BoxFuture, Ctx, Error};

/// A remote source as an adapter needs it: where it is and how to authenticate (never stored).
#[derive(Debug, Clone)]
pub enum RemoteSource {
    /// An S3 (or S3-compatible) bucket prefix.
    S3 {
        /// Bucket name.
        bucket: String,
        /// Key prefix (may be empty).
        prefix: String,
        /// Endpoint of an S3-compatible store (path-style addressing), if not AWS.
        endpoint: Option<String>,
        /// Region.
        region: String,
        /// The source's own access key (from the OS keychain); `None`: the standard AWS chain.
        access_key: Option<S3AccessKey>,
        /// `s3://bucket/prefix`, for messages.
        location: String,
    },
    /// A Google Drive folder read through a Google connection.
    GoogleDrive {
        /// The connection whose access token authorises the calls.
        connection: ConnectionId,
        /// The Drive folder id.
        folder: String,
    },
    /// A Dropbox folder read through a Dropbox connection.
    Dropbox {
        /// The connection whose access token authorises the calls.
        connection: ConnectionId,
        /// The folder path (`""` is the root, otherwise `/a/b`).
        path: String,
        /// `dropbox:///a/b`, for display names.
        location: String,
    },
}

/// A remote file that should be imported unless already handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFile {
    /// Provider file id or object key (the ledger key).
    pub id: String,
    /// Provider checksum: ETag, Drive `md5Checksum` or `v<version>`, Dropbox `content_hash`
    /// (the ledger checksum: a new checksum means the file changed).
    pub checksum: String,
    /// File name, e.g. `leads.csv`.
    pub name: String,
    /// Shown as the import job's source, e.g. `gdrive://folder/leads.csv`.
    pub display: String,
    /// True when the provider converts the file to CSV on download (a Google Sheet).
    pub converted: bool,
}

/// One page of a listing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemotePage {
    /// Importable files on the page (already filtered to the folder and to importable names).
    pub files: Vec<RemoteFile>,
    /// The cursor to save once every file of the page is handled, so the next poll starts after
    /// it; `None`: nothing to save yet (e.g. in the middle of a first full listing).
    pub checkpoint: Option<String>,
}

/// Why a provider call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemoteError {
    /// 429, 5xx or a broken connection: back off (at least `retry_after`) and try again later.
    Busy {
        /// What failed, for the source's `last_error`.
        message: String,
        /// The provider's `Retry-After`, if it sent one.
        retry_after: Option<ChronoDuration>,
    },
    /// Anything else: reported as the source's error; retried at the next poll.
    Failed(String),
}

impl std::fmt::Display for RemoteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RemoteError::Busy { message, .. } | RemoteError::Failed(message) => f.write_str(message),
        }
    }
}

impl From<Error> for RemoteError {
    fn from(e: Error) -> Self {
        RemoteError::Failed(e.to_string())
    }
}

/// A listing in progress: pages in order, `Ok(None)` once it is complete.
pub trait RemoteListing: Send {
    /// The next page.
    fn next_page(&mut self) -> BoxFuture<'_, Result<Option<RemotePage>, RemoteError>>;
}

/// What the watcher needs from the network (implemented by `outpost-integrations`).
pub trait RemoteFolders: Send + Sync {
    /// Starts listing `source` after `cursor` (the last checkpoint saved; `None`: everything in
    /// the folder). `ctx` gives the adapter the connection's access token.
    fn list<'a>(
        &'a self,
        ctx: &'a Ctx,
        source: &'a RemoteSource,
        cursor: Option<String>,
    ) -> BoxFuture<'a, Result<Box<dyn RemoteListing + 'a>, RemoteError>>;

    /// Streams `file` into `to` (a new file in a folder the core created and removes afterwards).
    fn download<'a>(
        &'a self,
        ctx: &'a Ctx,
        source: &'a RemoteSource,
        file: &'a RemoteFile,
        to: &'a Path,
    ) -> BoxFuture<'a, Result<(), RemoteError>>;
}
