//! A fake Google Calendar v3 events feed on 127.0.0.1: pages of two, sync tokens that return only
//! what changed since they were issued (cancelled events included), tokens that can be expired
//! (410 Gone), and events that can be purged (absent even from a full listing).

use std::sync::{Arc, Mutex};

use anyhow::Result;
use serde_json::{json, Value};

use super::{
    fake_oauth::OAuthState,
    support::{FakeServer, Reply, Request},
};

/// The calendar's events and what it was asked.
#[derive(Default)]
pub struct CalendarState {
    /// (event JSON, change sequence number, purged).
    events: Vec<(Value, usize, bool)>,
    seq: usize,
    expired_before: usize,
    /// Query of every authorised request.
    pub requests: Vec<Request>,
}

impl CalendarState {
    /// Adds or replaces an event (by `id`).
    pub fn put(&mut self, event: Value) {
        self.seq += 1;
        let seq = self.seq;
        match self.events.iter_mut().find(|(e, _, _)| e["id"] == event["id"]) {
            Some(existing) => *existing = (event, seq, false),
            None => self.events.push((event, seq, false)),
        }
    }

    /// Cancels an event (it shows up as `cancelled` in incremental syncs).
    pub fn cancel(&mut self, id: &str) {
        self.put(json!({ "id": id, "status": "cancelled" }));
    }

    /// Deletes an event for good: no listing shows it any more.
    pub fn purge(&mut self, id: &str) {
        self.events.iter_mut().filter(|(e, _, _)| e["id"] == id).for_each(|e| e.2 = true);
    }

    /// Every sync token issued so far becomes invalid (410 Gone).
    pub fn expire_tokens(&mut self) {
        self.expired_before = self.seq + 1;
    }
}

fn events(state: &mut CalendarState, req: &Request) -> Reply {
    state.requests.push(req.clone());
    if req.path != "/calendar/v3/calendars/primary/events" {
        return Reply::json(404, json!({ "error": { "code": 404 } }));
    }
    let visible: Vec<Value> = match req.query.get("syncToken") {
        Some(token) => {
            let since: usize = token.trim_start_matches("sync-").parse().unwrap_or(0);
            if since < state.expired_before {
                return Reply::json(
                    410,
                    json!({ "error": { "code": 410, "message": "Sync token is no longer valid" } }),
                );
            }
            state.events.iter().filter(|(_, seq, purged)| *seq > since && !purged).map(|(e, _, _)| e.clone()).collect()
        }
        None => state
            .events
            .iter()
            .filter(|(e, _, purged)| !purged && e["status"] != "cancelled")
            .map(|(e, _, _)| e.clone())
            .collect(),
    };
    let from: usize = req.query.get("pageToken").and_then(|p| p.parse().ok()).unwrap_or(0);
    let end = (from + 2).min(visible.len());
    let mut body = json!({ "kind": "calendar#events", "items": visible.get(from..end).unwrap_or_default() });
    if end < visible.len() {
        body["nextPageToken"] = json!(end.to_string());
    } else {
        body["nextSyncToken"] = json!(format!("sync-{}", state.seq));
    }
    Reply::json(200, body)
}

/// Starts the fake Calendar API, accepting the access tokens of `oauth`.
pub fn start(oauth: Arc<Mutex<OAuthState>>) -> Result<(FakeServer, Arc<Mutex<CalendarState>>)> {
    let state = Arc::new(Mutex::new(CalendarState::default()));
    let shared = state.clone();
    let server = FakeServer::start(move |req| {
        if !oauth.lock().expect("oauth").authorised(req.header("authorization")) {
            return Reply::json(401, json!({ "error": { "code": 401 } }));
        }
        events(&mut shared.lock().expect("calendar"), req)
    })?;
    Ok((server, state))
}
