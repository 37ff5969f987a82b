//! A Dropbox folder as a watched source (`dropbox:///path/to/folder`), read through a Dropbox
//! connection: `files/list_folder` for the first poll, then `files/list_folder/continue` from the
//! saved cursor (saved after every handled page, so a restart resumes there). Files are
//! downloaded with `files/download`. Ledger key: the file id; checksum: `content_hash`. The core
//! saves the cursors and imports the files (`outpost_core::import::watch`); this adapter only
//! speaks the Dropbox API.

use std::path::Path;

use outpost_core::{
    import::watch::{importable_name, RemoteError, RemoteFile, RemoteListing, RemotePage},
    integrations::connections::Provider,
    store::ids::ConnectionId,
    BoxFuture, Ctx,
};
use serde::Deserialize;

use crate::Net;

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

/// The entries of one Dropbox folder, page by page.
pub(super) struct Listing<'a> {
    ctx: &'a Ctx,
    net: &'a Net,
    connection: ConnectionId,
    http: reqwest::Client,
    api: String,
    path: &'a str,
    location: &'a str,
    cursor: Option<String>,
    done: bool,
}

impl<'a> Listing<'a> {
    pub(super) fn new(
        ctx: &'a Ctx,
        net: &'a Net,
        connection: ConnectionId,
        path: &'a str,
        location: &'a str,
        cursor: Option<String>,
    ) -> Result<Self, RemoteError> {
        let http = crate::http::client()?;
        let api = Provider::Dropbox.endpoints().api;
        Ok(Listing { ctx, net, connection, http, api, path, location, cursor, done: false })
    }

    async fn rpc(&self, what: &str, endpoint: &str, body: serde_json::Value) -> Result<Page, RemoteError> {
        let request = self.http.post(format!("{}{endpoint}", self.api)).json(&body);
        let response = super::send(self.ctx, self.net, self.connection, what, request).await?;
        response.json().await.map_err(|e| RemoteError::Failed(format!("{what}: unreadable answer ({e})")))
    }

    async fn page(&mut self) -> Result<Option<RemotePage>, RemoteError> {
        if self.done {
            return Ok(None);
        }
        let page = match self.cursor.as_deref() {
            None => {
                let body = serde_json::json!({ "path": self.path, "recursive": false, "include_deleted": false });
                self.rpc("Dropbox folder listing", "/2/files/list_folder", body).await?
            }
            Some(c) => {
                self.rpc("Dropbox folder changes", "/2/files/list_folder/continue", serde_json::json!({ "cursor": c }))
                    .await?
            }
        };
        let mut files = Vec::new();
        for entry in page.entries {
            let (Some(id), Some(hash)) = (entry.id, entry.content_hash) else { continue };
            if entry.tag != "file" || !importable_name(&entry.name) {
                continue;
            }
            let display = format!("{}/{}", self.location.trim_end_matches('/'), entry.name);
            files.push(RemoteFile { id, checksum: hash, name: entry.name, display, converted: false });
        }
        self.done = !page.has_more;
        self.cursor = Some(page.cursor.clone());
        Ok(Some(RemotePage { files, checkpoint: Some(page.cursor) }))
    }
}

impl RemoteListing for Listing<'_> {
    fn next_page(&mut self) -> BoxFuture<'_, Result<Option<RemotePage>, RemoteError>> {
        Box::pin(self.page())
    }
}

/// Downloads a file into `to` (`files/download`, the file named by id).
pub(super) async fn download(
    ctx: &Ctx,
    net: &Net,
    connection: ConnectionId,
    file: &RemoteFile,
    to: &Path,
) -> Result<(), RemoteError> {
    let http = crate::http::client()?;
    let content = Provider::Dropbox.endpoints().content;
    let arg = serde_json::json!({ "path": file.id }).to_string();
    let request = http.post(format!("{content}/2/files/download")).header("Dropbox-API-Arg", arg);
    let what = format!("download of {}", file.name);
    let response = super::send(ctx, net, connection, &what, request).await?;
    super::save(&file.name, response, to).await
}
