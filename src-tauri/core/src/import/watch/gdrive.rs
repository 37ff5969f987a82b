//! A Google Drive folder as a watched source (`gdrive://<folder id>`), read through a Google
//! connection with the Drive v3 API.
//!
//! First poll: take a changes start page token, then list the folder (`files.list`, all pages)
//! and import every CSV-like file and every Google Sheet (exported as CSV); save the token. Later
//! polls read `changes.list` from the saved token, page by page, saving the next token after each
//! page, and import files that are (still) in the folder. Ledger key: file id; checksum:
//! `md5Checksum`, or `v<version>` for Google Sheets (which have no md5).

use std::sync::atomic::{AtomicBool, Ordering};

use serde::Deserialize;

use super::{
    cloud::{self, CloudError, RemoteFile},
    folder::importable_name,
    ledger, WatchEvent, WatchedSource,
};
use crate::{integrations::connections::Provider, store::ids::ConnectionId, Ctx, Result};

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

struct Drive<'a> {
    ctx: &'a Ctx,
    connection: ConnectionId,
    http: reqwest::Client,
    api: String,
    folder: String,
}

impl Drive<'_> {
    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        what: &str,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, CloudError> {
        let request = self.http.get(format!("{}{path}", self.api)).query(query);
        let response = cloud::send(self.ctx, self.connection, what, request).await?;
        response.json().await.map_err(|e| CloudError::Failed(format!("{what}: unreadable answer ({e})")))
    }

    /// The file as a remote file worth importing, or `None` (another folder, trashed, not CSV-like).
    fn candidate(&self, file: &DriveFile) -> Option<RemoteFile> {
        if file.trashed || !file.parents.contains(&self.folder) {
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
        Some(RemoteFile { id: file.id.clone(), checksum, name, display })
    }

    async fn fetch(&self, file: &RemoteFile, sheet: bool) -> Result<reqwest::Response, CloudError> {
        let what = format!("download of {}", file.name);
        let request = if sheet {
            self.http.get(format!("{}/drive/v3/files/{}/export", self.api, file.id)).query(&[("mimeType", "text/csv")])
        } else {
            self.http.get(format!("{}/drive/v3/files/{}", self.api, file.id)).query(&[("alt", "media")])
        };
        cloud::send(self.ctx, self.connection, &what, request).await
    }

    async fn handle(
        &self,
        source: &WatchedSource,
        files: &[DriveFile],
        stop: &AtomicBool,
        events: &mut Vec<WatchEvent>,
    ) -> Result<Option<CloudError>> {
        for drive_file in files {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let Some(file) = self.candidate(drive_file) else { continue };
            if ledger::is_processed(self.ctx, source, &file.id, &file.checksum)? {
                continue;
            }
            let response = match self.fetch(&file, drive_file.mime_type == SHEET).await {
                Ok(response) => response,
                Err(e) => return Ok(Some(e)),
            };
            let downloaded = match cloud::download(self.ctx, &file.name, response).await {
                Ok(downloaded) => downloaded,
                Err(e) => return Ok(Some(e)),
            };
            events.extend(cloud::import(self.ctx, source, &file, downloaded, stop).await?);
        }
        Ok(None)
    }
}

/// Polls one Drive folder once (skipped while backing off).
pub(super) async fn poll(ctx: &Ctx, source: &WatchedSource, stop: &AtomicBool) -> Result<Vec<WatchEvent>> {
    if cloud::backing_off(ctx, source)? {
        return Ok(Vec::new());
    }
    let mut events = Vec::new();
    let connection = cloud::connection_of(source)?;
    let drive = Drive {
        ctx,
        connection,
        http: crate::integrations::connections::oauth::http()?,
        api: Provider::Google.endpoints().api,
        folder: source.location.trim_start_matches("gdrive://").to_owned(),
    };
    let outcome = match cloud::load_cursor(ctx, source)?.cursor {
        None => full_listing(&drive, source, stop, &mut events).await?,
        Some(token) => changes(&drive, source, token, stop, &mut events).await?,
    };
    cloud::finish_poll(ctx, source, connection, outcome, events)
}

async fn full_listing(
    drive: &Drive<'_>,
    source: &WatchedSource,
    stop: &AtomicBool,
    events: &mut Vec<WatchEvent>,
) -> Result<Option<CloudError>> {
    let start: StartToken = match drive.get("Drive start page token", "/drive/v3/changes/startPageToken", &[]).await {
        Ok(start) => start,
        Err(e) => return Ok(Some(e)),
    };
    let query = format!("'{}' in parents and trashed = false", drive.folder.replace('\'', "\\'"));
    let fields = format!("nextPageToken,files({FILE_FIELDS})");
    let mut page_token: Option<String> = None;
    loop {
        let mut params = vec![("q", query.as_str()), ("fields", fields.as_str()), ("pageSize", "100")];
        if let Some(token) = page_token.as_deref() {
            params.push(("pageToken", token));
        }
        let page: FileList = match drive.get("Drive folder listing", "/drive/v3/files", &params).await {
            Ok(page) => page,
            Err(e) => return Ok(Some(e)),
        };
        if let Some(error) = drive.handle(source, &page.files, stop, events).await? {
            return Ok(Some(error));
        }
        if stop.load(Ordering::Relaxed) {
            return Ok(None);
        }
        match page.next_page_token {
            Some(next) => page_token = Some(next),
            None => break,
        }
    }
    cloud::save_cursor(drive.ctx, source, &start.start_page_token)?;
    Ok(None)
}

async fn changes(
    drive: &Drive<'_>,
    source: &WatchedSource,
    mut token: String,
    stop: &AtomicBool,
    events: &mut Vec<WatchEvent>,
) -> Result<Option<CloudError>> {
    let fields = format!("nextPageToken,newStartPageToken,changes(removed,file({FILE_FIELDS}))");
    loop {
        let params = [("pageToken", token.as_str()), ("fields", fields.as_str()), ("pageSize", "100")];
        let page: ChangeList = match drive.get("Drive changes", "/drive/v3/changes", &params).await {
            Ok(page) => page,
            Err(e) => return Ok(Some(e)),
        };
        let files: Vec<DriveFile> = page.changes.into_iter().filter(|c| !c.removed).filter_map(|c| c.file).collect();
        if let Some(error) = drive.handle(source, &files, stop, events).await? {
            return Ok(Some(error));
        }
        if stop.load(Ordering::Relaxed) {
            return Ok(None);
        }
        match (page.next_page_token, page.new_start_page_token) {
            (Some(next), _) => {
                cloud::save_cursor(drive.ctx, source, &next)?;
                token = next;
            }
            (None, Some(new_start)) => {
                cloud::save_cursor(drive.ctx, source, &new_start)?;
                return Ok(None);
            }
            (None, None) => return Ok(None),
        }
    }
}
