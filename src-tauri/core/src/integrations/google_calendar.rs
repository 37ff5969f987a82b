//! Google Calendar read sync into meetings (through a Google connection; nothing is written back).
//!
//! The first sync lists the primary calendar's events from 30 days ago on (single events, deleted
//! ones included), page by page, and keeps the `nextSyncToken` of the last page; later syncs send
//! that token and receive only what changed. A `410 Gone` (token expired) triggers a full resync,
//! after which mirrored meetings from the window that the calendar no longer has are cancelled.
//! Each event becomes (or updates) the meeting with external uid `gcal:<connection>:<event id>`
//! via [`crate::meetings::external`]; cancelled events cancel their meeting.

use std::collections::HashSet;

use chrono::Duration as ChronoDuration;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    integrations::connections::{self, Provider},
    integrations::outbound::stamp,
    meetings::external::{self, ExternalMeeting, Mirrored},
    store::ids::ConnectionId,
    Ctx, Error, Result,
};

/// The calendar synced.
pub const CALENDAR_ID: &str = "primary";
/// How far back a full sync reaches.
pub const FULL_SYNC_DAYS: i64 = 30;

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CalendarReport {
    /// The connection synced.
    pub connection_id: Option<ConnectionId>,
    /// True when the whole window was listed (first sync, or the sync token had expired).
    pub full_resync: bool,
    /// Meetings created.
    pub created: u32,
    /// Meetings updated.
    pub updated: u32,
    /// Meetings cancelled.
    pub cancelled: u32,
    /// Events that changed nothing.
    pub unchanged: u32,
}

#[derive(Deserialize, Default)]
struct When {
    #[serde(rename = "dateTime")]
    date_time: Option<String>,
    date: Option<String>,
}

impl When {
    fn text(&self) -> Option<String> {
        self.date_time.clone().or_else(|| self.date.clone())
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EventAttendee {
    email: Option<String>,
    display_name: Option<String>,
    #[serde(default)]
    resource: bool,
}

#[derive(Deserialize)]
struct Event {
    id: String,
    status: Option<String>,
    summary: Option<String>,
    description: Option<String>,
    location: Option<String>,
    start: Option<When>,
    end: Option<When>,
    #[serde(default)]
    attendees: Vec<EventAttendee>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EventPage {
    #[serde(default)]
    items: Vec<Event>,
    next_page_token: Option<String>,
    next_sync_token: Option<String>,
}

fn pick_connection(ctx: &Ctx, given: Option<ConnectionId>) -> Result<ConnectionId> {
    let ids: Vec<ConnectionId> = ctx.read(|conn| {
        let mut stmt = conn.prepare("SELECT id FROM connections WHERE provider = 'google' ORDER BY created_at")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    match (given, ids.as_slice()) {
        (Some(id), _) if ids.contains(&id) => Ok(id),
        (Some(id), _) => Err(Error::invalid(
            "connection_id",
            format!("{id} is not a Google connection; see `outpost connections list`"),
        )),
        (None, [only]) => Ok(*only),
        (None, []) => {
            Err(Error::invalid("connection_id", "no Google account is connected; run `outpost connections add google`"))
        }
        (None, _) => Err(Error::invalid(
            "connection_id",
            "several Google accounts are connected; choose one with --connection ID",
        )),
    }
}

fn load_token(ctx: &Ctx, id: ConnectionId) -> Result<Option<String>> {
    ctx.read(|conn| {
        Ok(conn
            .query_row(
                "SELECT sync_token FROM calendar_sync WHERE connection_id = ?1 AND calendar_id = ?2",
                params![id, CALENDAR_ID],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()?
            .flatten())
    })
}

fn save_token(ctx: &Ctx, id: ConnectionId, token: Option<&str>, full: bool) -> Result<()> {
    ctx.write(|tx| {
        let now = tx.stamp();
        tx.sql.execute(
            "INSERT INTO calendar_sync (connection_id, calendar_id, sync_token, last_full_at, updated_at)
             VALUES (?1, ?2, ?3, CASE WHEN ?4 THEN ?5 END, ?5)
             ON CONFLICT (connection_id, calendar_id) DO UPDATE SET sync_token = ?3,
                 last_full_at = CASE WHEN ?4 THEN ?5 ELSE last_full_at END, updated_at = ?5",
            params![id, CALENDAR_ID, token, full, now],
        )?;
        Ok(())
    })
}

/// One pass over the events feed. `Ok(None)` means the sync token expired (410).
async fn pass(ctx: &Ctx, id: ConnectionId, token: Option<&str>, report: &mut CalendarReport) -> Result<Option<()>> {
    let http = connections::oauth::http()?;
    let url = format!("{}/calendar/v3/calendars/{CALENDAR_ID}/events", Provider::Google.endpoints().api);
    let since = stamp(ctx.now() - ChronoDuration::days(FULL_SYNC_DAYS));
    let prefix = format!("gcal:{id}:");
    let mut seen = HashSet::new();
    let mut page_token: Option<String> = None;
    loop {
        let mut query = vec![
            ("singleEvents", "true".to_owned()),
            ("showDeleted", "true".to_owned()),
            ("maxResults", "250".to_owned()),
        ];
        match token {
            Some(t) => query.push(("syncToken", t.to_owned())),
            None => query.push(("timeMin", since.clone())),
        }
        if let Some(p) = &page_token {
            query.push(("pageToken", p.clone()));
        }
        let access = connections::access_token(ctx, id).await?;
        let response = http.get(&url).query(&query).bearer_auth(access).send().await.map_err(|e| {
            Error::Remote(format!("Google Calendar is unreachable: {}; try again later", e.without_url()))
        })?;
        let status = response.status().as_u16();
        if status == 410 && token.is_some() {
            return Ok(None);
        }
        if !response.status().is_success() {
            let hint = if status == 429 || status >= 500 {
                "the service is busy; try again later"
            } else {
                "check the connection with `outpost connections test`"
            };
            return Err(Error::Remote(format!("Google Calendar answered HTTP {status}; {hint}")));
        }
        let page: EventPage = response
            .json()
            .await
            .map_err(|e| Error::Remote(format!("Google Calendar sent an unreadable page ({e})")))?;
        for event in page.items {
            let uid = format!("{prefix}{}", event.id);
            seen.insert(uid.clone());
            if event.status.as_deref() == Some("cancelled") {
                report.cancelled += u32::from(external::cancel_external(ctx, &uid)?);
                continue;
            }
            let Some(starts_at) = event.start.as_ref().and_then(When::text) else { continue };
            let attendees = event
                .attendees
                .iter()
                .filter(|a| !a.resource)
                .filter_map(|a| a.email.clone().map(|e| (e, a.display_name.clone())))
                .collect();
            let meeting = ExternalMeeting {
                external_uid: uid,
                title: event.summary.unwrap_or_default(),
                starts_at,
                ends_at: event.end.as_ref().and_then(When::text),
                location: event.location,
                description: event.description,
                attendees,
            };
            match external::mirror(ctx, meeting)?.1 {
                Mirrored::Created => report.created += 1,
                Mirrored::Updated => report.updated += 1,
                Mirrored::Unchanged => report.unchanged += 1,
            }
        }
        match (page.next_page_token, page.next_sync_token) {
            (Some(next), _) => page_token = Some(next),
            (None, sync_token) => {
                if token.is_none() {
                    for uid in external::live_external_uids(ctx, &prefix, &since)? {
                        if !seen.contains(&uid) {
                            report.cancelled += u32::from(external::cancel_external(ctx, &uid)?);
                        }
                    }
                }
                save_token(ctx, id, sync_token.as_deref(), token.is_none())?;
                return Ok(Some(()));
            }
        }
    }
}

/// Syncs every Google connection that is not waiting for the rep to reconnect, one after the
/// other; a failure is recorded on its connection (`last_error`, shown on the Connections screen)
/// and does not stop the others. Returns the reports of the syncs that succeeded.
pub async fn sync_all(ctx: &Ctx) -> Result<Vec<CalendarReport>> {
    let ids: Vec<ConnectionId> = ctx.read(|conn| {
        let mut stmt = conn.prepare(
            "SELECT id FROM connections WHERE provider = 'google' AND status <> 'reconnect' ORDER BY created_at",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    let mut reports = Vec::with_capacity(ids.len());
    for id in ids {
        match sync(ctx, Some(id)).await {
            Ok(report) => reports.push(report),
            Err(e) => tracing::warn!("calendar sync of connection {id} failed: {e}"),
        }
    }
    Ok(reports)
}

/// The desktop app's background calendar sync: [`sync_all`] every `every` while the app runs.
pub async fn background(ctx: std::sync::Arc<Ctx>, every: std::time::Duration) {
    loop {
        if let Err(e) = sync_all(&ctx).await {
            tracing::warn!("calendar sync skipped: {e}");
        }
        tokio::time::sleep(every).await;
    }
}

/// Syncs the primary calendar of the Google connection `connection` (default: the only one).
pub async fn sync(ctx: &Ctx, connection: Option<ConnectionId>) -> Result<CalendarReport> {
    let id = pick_connection(ctx, connection)?;
    let mut report = CalendarReport { connection_id: Some(id), ..Default::default() };
    let token = load_token(ctx, id)?;
    let result = match pass(ctx, id, token.as_deref(), &mut report).await {
        Ok(Some(())) => Ok(()),
        Ok(None) => {
            report.full_resync = true;
            save_token(ctx, id, None, false)?;
            pass(ctx, id, None, &mut report).await.map(|_| ())
        }
        Err(e) => Err(e),
    };
    if token.is_none() {
        report.full_resync = true;
    }
    match result {
        Ok(()) => {
            connections::record_sync(ctx, id, None)?;
            Ok(report)
        }
        Err(e) => {
            let _ = connections::record_sync(ctx, id, Some(&e.to_string()));
            Err(e)
        }
    }
}
