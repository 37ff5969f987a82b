//! Fake Google Drive v3 and Dropbox v2 servers on 127.0.0.1: folder listings and change feeds
//! that page two entries at a time, downloads and Sheet exports, bearer tokens checked against the
//! fake OAuth server, and one-shot injected failures (429 with `Retry-After`, 5xx) on chosen pages.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use anyhow::Result;
use serde_json::{json, Value};

use super::{
    fake_oauth::OAuthState,
    support::{FakeServer, Reply, Request},
};

/// One file in the fake drive or Dropbox.
#[derive(Clone)]
pub struct CloudFile {
    /// Provider id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Drive folder id, or Dropbox folder path.
    pub parent: String,
    /// Bytes (CSV text).
    pub content: String,
    /// Drive: a Google Sheet (exported as CSV).
    pub sheet: bool,
    /// Bumped on every edit.
    pub version: u64,
}

impl CloudFile {
    /// A new file.
    pub fn new(id: &str, name: &str, parent: &str, content: &str) -> Self {
        CloudFile {
            id: id.into(),
            name: name.into(),
            parent: parent.into(),
            content: content.into(),
            sheet: false,
            version: 1,
        }
    }

    fn checksum(&self) -> String {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(self.content.as_bytes());
        digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
    }
}

/// The provider's files, its change log and what it was asked.
#[derive(Default)]
pub struct CloudState {
    files: Vec<CloudFile>,
    /// File ids in the order they changed (Drive change tokens / Dropbox cursors index into it).
    log: Vec<String>,
    /// One-shot failures: (path, page token or cursor, HTTP status).
    failures: Vec<(String, String, u16)>,
    /// (path, page token or cursor) of every authorised request.
    pub requests: Vec<(String, String)>,
    /// Ids of downloaded or exported files, in order.
    pub downloads: Vec<String>,
}

impl CloudState {
    /// Adds (or replaces and bumps the version of) a file; it appears in the change feed.
    pub fn put(&mut self, mut file: CloudFile) {
        if let Some(existing) = self.files.iter_mut().find(|f| f.id == file.id) {
            file.version = existing.version + 1;
            *existing = file.clone();
        } else {
            self.files.push(file.clone());
        }
        self.log.push(file.id);
    }

    /// The next request to `path` with page token / cursor `token` fails with `status`.
    pub fn fail_once(&mut self, path: &str, token: &str, status: u16) {
        self.failures.push((path.into(), token.into(), status));
    }

    fn file(&self, id: &str) -> Option<&CloudFile> {
        self.files.iter().find(|f| f.id == id)
    }

    fn drive_json(&self, f: &CloudFile) -> Value {
        let mime = if f.sheet { "application/vnd.google-apps.spreadsheet" } else { "text/csv" };
        let mut file = json!({ "id": f.id, "name": f.name, "mimeType": mime, "parents": [f.parent],
                               "trashed": false, "version": f.version.to_string() });
        if !f.sheet {
            file["md5Checksum"] = json!(f.checksum());
        }
        file
    }

    fn dropbox_json(&self, f: &CloudFile) -> Value {
        json!({ ".tag": "file", "name": f.name, "id": f.id, "path_display": format!("{}/{}", f.parent, f.name),
                "content_hash": f.checksum() })
    }
}

fn injected(state: &mut CloudState, path: &str, token: &str) -> Option<Reply> {
    let at = state.failures.iter().position(|(p, t, _)| p == path && t == token)?;
    let (_, _, status) = state.failures.remove(at);
    let headers = if status == 429 { vec![("Retry-After".to_owned(), "1".to_owned())] } else { vec![] };
    Some(Reply::Respond(status, headers, json!({ "error": "injected" }).to_string()))
}

fn page<T: Clone>(items: &[T], from: usize) -> (Vec<T>, Option<usize>) {
    let end = (from + 2).min(items.len());
    let next = (end < items.len()).then_some(end);
    (items.get(from..end).unwrap_or_default().to_vec(), next)
}

fn drive(state: &mut CloudState, req: &Request) -> Reply {
    let token = req.query.get("pageToken").cloned().unwrap_or_default();
    state.requests.push((req.path.clone(), token.clone()));
    if let Some(reply) = injected(state, &req.path, &token) {
        return reply;
    }
    let from: usize = token.parse().unwrap_or(0);
    match req.path.as_str() {
        "/drive/v3/changes/startPageToken" => {
            Reply::json(200, json!({ "startPageToken": state.log.len().to_string() }))
        }
        "/drive/v3/files" => {
            let q = req.query.get("q").cloned().unwrap_or_default();
            let folder = q.split('\'').nth(1).unwrap_or_default().to_owned();
            let inside: Vec<CloudFile> = state.files.iter().filter(|f| f.parent == folder).cloned().collect();
            let (files, next) = page(&inside, from);
            let files: Vec<Value> = files.iter().map(|f| state.drive_json(f)).collect();
            let mut body = json!({ "files": files });
            if let Some(next) = next {
                body["nextPageToken"] = json!(next.to_string());
            }
            Reply::json(200, body)
        }
        "/drive/v3/changes" => {
            let (ids, next) = page(&state.log, from);
            let changes: Vec<Value> = ids
                .iter()
                .filter_map(|id| state.file(id))
                .map(|f| json!({ "fileId": f.id, "removed": false, "file": state.drive_json(f) }))
                .collect();
            let mut body = json!({ "changes": changes });
            match next {
                Some(next) => body["nextPageToken"] = json!(next.to_string()),
                None => body["newStartPageToken"] = json!(state.log.len().to_string()),
            }
            Reply::json(200, body)
        }
        path => {
            let rest = path.strip_prefix("/drive/v3/files/").unwrap_or_default();
            let (id, export) = match rest.strip_suffix("/export") {
                Some(id) => (id, true),
                None => (rest, false),
            };
            let Some(file) = state.file(id).cloned() else { return Reply::Respond(404, vec![], "no such file".into()) };
            let wrong_call = if file.sheet {
                !export || req.query.get("mimeType").map(String::as_str) != Some("text/csv")
            } else {
                export || req.query.get("alt").map(String::as_str) != Some("media")
            };
            if wrong_call {
                return Reply::Respond(403, vec![], "use export for Google Sheets and alt=media for files".into());
            }
            state.downloads.push(file.id.clone());
            Reply::Respond(200, vec![], file.content)
        }
    }
}

fn dropbox(state: &mut CloudState, req: &Request) -> Reply {
    let body = req.json();
    let cursor = body["cursor"].as_str().unwrap_or_default().to_owned();
    state.requests.push((req.path.clone(), cursor.clone()));
    if let Some(reply) = injected(state, &req.path, &cursor) {
        return reply;
    }
    let listing = |state: &CloudState, folder: &str, from: usize| {
        let log: Vec<String> =
            state.log.iter().filter(|id| state.file(id).is_some_and(|f| f.parent == folder)).cloned().collect();
        let (ids, next) = page(&log, from);
        let entries: Vec<Value> = ids.iter().filter_map(|id| state.file(id)).map(|f| state.dropbox_json(f)).collect();
        let reached = next.unwrap_or(log.len());
        json!({ "entries": entries, "cursor": format!("{folder}|{reached}"), "has_more": next.is_some() })
    };
    match req.path.as_str() {
        "/2/files/list_folder" => Reply::json(200, listing(state, body["path"].as_str().unwrap_or_default(), 0)),
        "/2/files/list_folder/continue" => {
            let Some((folder, from)) = cursor.split_once('|') else {
                return Reply::json(409, json!({ "error_summary": "reset/" }));
            };
            Reply::json(200, listing(state, folder, from.parse().unwrap_or(0)))
        }
        "/2/files/download" => {
            let arg: Value =
                serde_json::from_str(req.header("dropbox-api-arg").unwrap_or("null")).unwrap_or(Value::Null);
            let Some(file) = state.file(arg["path"].as_str().unwrap_or_default()).cloned() else {
                return Reply::json(409, json!({ "error_summary": "path/not_found/" }));
            };
            state.downloads.push(file.id.clone());
            Reply::Respond(200, vec![], file.content)
        }
        _ => Reply::Respond(404, vec![], "not found".into()),
    }
}

/// Which API the fake speaks.
#[derive(Clone, Copy)]
pub enum Api {
    /// Google Drive v3.
    Drive,
    /// Dropbox v2 (RPC and content endpoints on the same server).
    Dropbox,
}

/// Starts a fake provider API that accepts the access tokens of `oauth`.
pub fn start(api: Api, oauth: Arc<Mutex<OAuthState>>) -> Result<(FakeServer, Arc<Mutex<CloudState>>)> {
    let state = Arc::new(Mutex::new(CloudState::default()));
    let shared = state.clone();
    let server = FakeServer::start(move |req| {
        if !oauth.lock().expect("oauth").authorised(req.header("authorization")) {
            return Reply::json(401, json!({ "error": "invalid_token" }));
        }
        let mut state = shared.lock().expect("cloud state");
        match api {
            Api::Drive => drive(&mut state, req),
            Api::Dropbox => dropbox(&mut state, req),
        }
    })?;
    Ok((server, state))
}

/// Lines of `--json` event output as JSON values.
pub fn events(stdout: &str) -> Vec<Value> {
    stdout.lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

/// (key, event) pairs of events, sorted.
pub fn kinds(events: &[Value]) -> Vec<(String, String)> {
    let mut kinds: Vec<(String, String)> = events
        .iter()
        .map(|e| (e["key"].as_str().unwrap_or_default().to_owned(), e["event"].as_str().unwrap_or_default().to_owned()))
        .collect();
    kinds.sort();
    kinds
}

/// A map from a request path to the page tokens / cursors it was called with, in order.
pub fn tokens_by_path(requests: &[(String, String)]) -> HashMap<String, Vec<String>> {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for (path, token) in requests {
        map.entry(path.clone()).or_default().push(token.clone());
    }
    map
}
