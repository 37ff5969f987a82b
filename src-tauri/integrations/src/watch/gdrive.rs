//! A Google Drive folder as a watched source (`gdrive://<folder id>`), read through a Google
//! connection with the Drive v3 API.
//!
//! First poll: take a changes start page token, then list the folder (`files.list`, all pages)
//! and import every CSV-like file and every Google Sheet (exported as CSV); save the token. Later
//! polls read `changes.list` from the saved token, page by page, saving the next token after each
//! page, and import files that are (still) in the folder. Ledger key: file id; checksum:
//! `md5Checksum`, or `v<version>` for Google Sheets (which have no md5). The core saves each
//! page's checkpoint and imports the files (`outpost_core::import::watch`); this adapter only
//! speaks the Drive API.

use std::path::Path;

use outpost_core::{
    import::watch::{importable_name, RemoteError, RemoteFile, RemoteListing, RemotePage},
    integrations::connections::Provider,
    store::ids::ConnectionId,
    BoxFuture, Ctx,
};
use serde::Deserialize;

use crate::Net;

const SHEET: &str = "application/vnd.google-apps.spreadsheet";
const FILE_FIELDS: &str = "id,name,mimeType,md5Checksum,version,parents,trashed";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DriveFile {
    id: String,
    name: String,
    mime_type: String,
    md5_checksum: Option<String>,
    version: Option<String>,
    #[serde(default)]
    parents: Vec<String>,
    #[serde(default)]
    trashed: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileList {
    #[serde(default)]
    files: Vec<DriveFile>,
    next_page_token: Option<String>,
}

#[derive(Deserialize)]
struct Change {
    #[serde(default)]
    removed: bool,
    file: Option<DriveFile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChangeList {
    #[serde(default)]
    changes: Vec<Change>,
    next_page_token: Option<String>,
    new_start_page_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StartToken {
    start_page_token: String,
}

/// Where a listing is.
enum State {
    /// First poll: take a start page token, then list the folder.
    Start,
    /// Listing the folder; `start` is saved once the last page is handled.
    Listing { start: String, page_token: Option<String> },
    /// Reading changes from a saved (or just reached) token.
    Changes { token: String },
    /// Nothing more.
    Done,
}

/// The changes of one Drive folder, page by page.
pub(super) struct Listing<'a> {
    ctx: &'a Ctx,
    net: &'a Net,
    connection: ConnectionId,
    http: reqwest::Client,
    api: String,
    folder: &'a str,
    state: State,
}

impl<'a> Listing<'a> {
    pub(super) fn new(
        ctx: &'a Ctx,
        net: &'a Net,
        connection: ConnectionId,
        folder: &'a str,
        cursor: Option<String>,
    ) -> Result<Self, RemoteError> {
        let state = match cursor {
            None => State::Start,
            Some(token) => State::Changes { token },
        };
        let http = crate::http::client()?;
        Ok(Listing { ctx, net, connection, http, api: Provider::Google.endpoints().api, folder, state })
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        what: &str,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, RemoteError> {
        let request = self.http.get(format!("{}{path}", self.api)).query(query);
        let response = super::send(self.ctx, self.net, self.connection, what, request).await?;
        response.json().await.map_err(|e| RemoteError::Failed(format!("{what}: unreadable answer ({e})")))
    }

    /// The file as a remote file worth importing, or `None` (another folder, trashed, not CSV-like).
    fn candidate(&self, file: &DriveFile) -> Option<RemoteFile> {
        if file.trashed || !file.parents.iter().any(|p| p == self.folder) {
            return None;
        }
        let sheet = file.mime_type == SHEET;
        if !sheet && !importable_name(&file.name) {
            return None;
        }
        let checksum = match (&file.md5_checksum, &file.version) {
            (Some(md5), _) if !sheet => md5.clone(),
            (_, Some(version)) => format!("v{version}"),
            _ => return None,
        };
        let name = if sheet { format!("{}.csv", file.name) } else { file.name.clone() };
        let display = format!("gdrive://{}/{name}", self.folder);
        Some(RemoteFile { id: file.id.clone(), checksum, name, display, converted: sheet })
    }

    async fn page(&mut self) -> Result<Option<RemotePage>, RemoteError> {
        if let State::Start = self.state {
            let start: StartToken = self.get("Drive start page token", "/drive/v3/changes/startPageToken", &[]).await?;
            self.state = State::Listing { start: start.start_page_token, page_token: None };
        }
        match std::mem::replace(&mut self.state, State::Done) {
            State::Start | State::Done => Ok(None),
            State::Listing { start, page_token } => {
                let query = format!("'{}' in parents and trashed = false", self.folder.replace('\'', "\\'"));
                let fields = format!("nextPageToken,files({FILE_FIELDS})");
                let mut params = vec![("q", query.as_str()), ("fields", fields.as_str()), ("pageSize", "100")];
                if let Some(token) = page_token.as_deref() {
                    params.push(("pageToken", token));
                }
                let page: FileList = self.get("Drive folder listing", "/drive/v3/files", &params).await?;
                let files = page.files.iter().filter_map(|f| self.candidate(f)).collect();
                let checkpoint = match page.next_page_token {
                    Some(next) => {
                        self.state = State::Listing { start, page_token: Some(next) };
                        None
                    }
                    None => Some(start),
                };
                Ok(Some(RemotePage { files, checkpoint }))
            }
            State::Changes { token } => {
                let fields = format!("nextPageToken,newStartPageToken,changes(removed,file({FILE_FIELDS}))");
                let params = [("pageToken", token.as_str()), ("fields", fields.as_str()), ("pageSize", "100")];
                let page: ChangeList = self.get("Drive changes", "/drive/v3/changes", &params).await?;
                let files = page
                    .changes
                    .iter()
                    .filter(|c| !c.removed)
                    .filter_map(|c| c.file.as_ref())
                    .filter_map(|f| self.candidate(f))
                    .collect();
                let checkpoint = match (page.next_page_token, page.new_start_page_token) {
                    (Some(next), _) => {
                        self.state = State::Changes { token: next.clone() };
                        Some(next)
                    }
                    (None, new_start) => new_start,
                };
                Ok(Some(RemotePage { files, checkpoint }))
            }
        }
    }
}

impl RemoteListing for Listing<'_> {
    fn next_page(&mut self) -> BoxFuture<'_, Result<Option<RemotePage>, RemoteError>> {
        Box::pin(self.page())
    }
}

/// Downloads a file (a Google Sheet is exported as CSV) into `to`.
pub(super) async fn download(
    ctx: &Ctx,
    net: &Net,
    connection: ConnectionId,
    file: &RemoteFile,
    to: &Path,
) -> Result<(), RemoteError> {
    let http = crate::http::client()?;
    let api = Provider::Google.endpoints().api;
    let what = format!("download of {}", file.name);
    let request = if file.converted {
        http.get(format!("{api}/drive/v3/files/{}/export", file.id)).query(&[("mimeType", "text/csv")])
    } else {
        http.get(format!("{api}/drive/v3/files/{}", file.id)).query(&[("alt", "media")])
    };
    let response = super::send(ctx, net, connection, &what, request).await?;
    super::save(&file.name, response, to).await
}
