//! A Dropbox folder as a watched source (`dropbox:///path/to/folder`), read through a Dropbox
//! connection: `files/list_folder` for the first poll, then `files/list_folder/continue` from the
//! saved cursor (saved after every handled page, so a restart resumes there). Files are
//! downloaded with `files/download`. Ledger key: the file id; checksum: `content_hash`.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::Deserialize;

use super::{
    cloud::{self, CloudError, RemoteFile},
    folder::importable_name,
    ledger, WatchEvent, WatchedSource,
};
use crate::{integrations::connections::Provider, store::ids::ConnectionId, Ctx, Result};

#[derive(Debug, Deserialize)]
struct Entry {
    #[serde(rename = ".tag")]
    tag: String,
    name: String,
    id: Option<String>,
    content_hash: Option<String>,
}

#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    entries: Vec<Entry>,
    cursor: String,
    has_more: bool,
}

/// The folder path of a `dropbox://` location (`""` is the root).
pub(super) fn folder_path(location: &str) -> String {
    let path = location.trim_start_matches("dropbox://").trim_end_matches('/');
    if path.is_empty() {
        String::new()
    } else {
        format!("/{}", path.trim_start_matches('/'))
    }
}

struct Dropbox<'a> {
    ctx: &'a Ctx,
    connection: ConnectionId,
    http: reqwest::Client,
    api: String,
    content: String,
}

impl Dropbox<'_> {
    async fn rpc(&self, what: &str, endpoint: &str, body: serde_json::Value) -> Result<Page, CloudError> {
        let request = self.http.post(format!("{}{endpoint}", self.api)).json(&body);
        let response = cloud::send(self.ctx, self.connection, what, request).await?;
        response.json().await.map_err(|e| CloudError::Failed(format!("{what}: unreadable answer ({e})")))
    }
}

/// Polls one Dropbox folder once (skipped while backing off).
pub(super) async fn poll(ctx: &Ctx, source: &WatchedSource, stop: &AtomicBool) -> Result<Vec<WatchEvent>> {
    if cloud::backing_off(ctx, source)? {
        return Ok(Vec::new());
    }
    let connection = cloud::connection_of(source)?;
    let endpoints = Provider::Dropbox.endpoints();
    let dropbox = Dropbox {
        ctx,
        connection,
        http: crate::integrations::connections::oauth::http()?,
        api: endpoints.api,
        content: endpoints.content,
    };
    let mut events = Vec::new();
    let folder = folder_path(&source.location);
    let mut cursor = cloud::load_cursor(ctx, source)?.cursor;
    let outcome = loop {
        let page = match cursor.as_deref() {
            None => {
                let body = serde_json::json!({ "path": folder, "recursive": false, "include_deleted": false });
                dropbox.rpc("Dropbox folder listing", "/2/files/list_folder", body).await
            }
            Some(c) => {
                dropbox
                    .rpc("Dropbox folder changes", "/2/files/list_folder/continue", serde_json::json!({ "cursor": c }))
                    .await
            }
        };
        let page = match page {
            Ok(page) => page,
            Err(e) => break Some(e),
        };
        if let Some(error) = handle(&dropbox, source, &page.entries, stop, &mut events).await? {
            break Some(error);
        }
        if stop.load(Ordering::Relaxed) {
            break None;
        }
        cloud::save_cursor(ctx, source, &page.cursor)?;
        cursor = Some(page.cursor);
        if !page.has_more {
            break None;
        }
    };
    cloud::finish_poll(ctx, source, connection, outcome, events)
}

async fn handle(
    dropbox: &Dropbox<'_>,
    source: &WatchedSource,
    entries: &[Entry],
    stop: &AtomicBool,
    events: &mut Vec<WatchEvent>,
) -> Result<Option<CloudError>> {
    for entry in entries {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let (Some(id), Some(hash)) = (&entry.id, &entry.content_hash) else { continue };
        if entry.tag != "file" || !importable_name(&entry.name) {
            continue;
        }
        let file = RemoteFile {
            id: id.clone(),
            checksum: hash.clone(),
            name: entry.name.clone(),
            display: format!("{}/{}", source.location.trim_end_matches('/'), entry.name),
        };
        if ledger::is_processed(dropbox.ctx, source, &file.id, &file.checksum)? {
            continue;
        }
        let arg = serde_json::json!({ "path": id }).to_string();
        let request = dropbox.http.post(format!("{}/2/files/download", dropbox.content)).header("Dropbox-API-Arg", arg);
        let what = format!("download of {}", entry.name);
        let response = match cloud::send(dropbox.ctx, dropbox.connection, &what, request).await {
            Ok(response) => response,
            Err(e) => return Ok(Some(e)),
        };
        let downloaded = match cloud::download(dropbox.ctx, &file.name, response).await {
            Ok(downloaded) => downloaded,
            Err(e) => return Ok(Some(e)),
        };
        events.extend(cloud::import(dropbox.ctx, source, &file, downloaded, stop).await?);
    }
    Ok(None)
}
