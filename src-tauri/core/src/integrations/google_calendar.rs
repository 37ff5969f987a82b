//! Google Calendar read sync into meetings (through a Google connection; nothing is written back).
//!
//! The first sync lists the primary calendar's events from 30 days ago on (single events, deleted
//! ones included), page by page, and keeps the `nextSyncToken` of the last page; later syncs send
//! that token and receive only what changed. A `410 Gone` (token expired) triggers a full resync,
//! after which mirrored meetings from the window that the calendar no longer has are cancelled.
//! Each event becomes (or updates) the meeting with external uid `gcal:<connection>:<event id>`
//! via [`crate::meetings::external`]; cancelled events cancel their meeting. The events are read
//! through the [`CalendarEvents`] port (the Calendar API client lives in `outpost-integrations`).

use std::collections::HashSet;

use chrono::Duration as ChronoDuration;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::{
    integrations::connections::{self, OAuthClient},
    integrations::outbound::stamp,
    meetings::external::{self, ExternalMeeting, Mirrored},
    store::ids::ConnectionId,
    BoxFuture, Ctx, Error, Result,
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

/// One calendar event as the [`CalendarEvents`] port reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarEvent {
    /// The provider's event id.
    pub id: String,
    /// The event was cancelled (or deleted).
    pub cancelled: bool,
    /// Title.
    pub title: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Location.
    pub location: Option<String>,
    /// Start: an RFC 3339 instant, or a date for all-day events.
    pub starts_at: Option<String>,
    /// End, likewise.
    pub ends_at: Option<String>,
    /// Attendees that are people (rooms and resources left out): email and display name.
    pub attendees: Vec<(String, Option<String>)>,
}

/// One page of the events feed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventPage {
    /// The events on the page.
    pub events: Vec<CalendarEvent>,
    /// The next page of this listing, if any.
    pub next_page_token: Option<String>,
    /// On the last page: the token the next incremental sync starts from.
    pub next_sync_token: Option<String>,
}

/// Which events a listing asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventsFrom<'a> {
    /// What changed since this sync token.
    SyncToken(&'a str),
    /// Every event (deleted ones included) from this instant on (RFC 3339).
    Since(&'a str),
}

/// Why a page could not be read.
#[derive(Debug)]
pub enum CalendarFailure {
    /// The calendar answered with this HTTP status (410: the sync token expired).
    Status(u16),
    /// The calendar could not be reached or its answer read.
    Other(Error),
}

/// The calendar sync's port to the network (implemented by `outpost-integrations`): one page of a
/// calendar's events (single events, deleted ones included), authorised with `access_token`.
pub trait CalendarEvents: Send + Sync {
    /// The page `page_token` (the first when `None`) of `calendar`'s events from `from`.
    fn events<'a>(
        &'a self,
        access_token: &'a str,
        calendar: &'a str,
        from: EventsFrom<'a>,
        page_token: Option<&'a str>,
    ) -> BoxFuture<'a, std::result::Result<EventPage, CalendarFailure>>;
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
async fn pass(
    ctx: &Ctx,
    net: &(impl OAuthClient + CalendarEvents),
    id: ConnectionId,
    token: Option<&str>,
    report: &mut CalendarReport,
) -> Result<Option<()>> {
    let since = stamp(ctx.now() - ChronoDuration::days(FULL_SYNC_DAYS));
    let prefix = format!("gcal:{id}:");
    let mut seen = HashSet::new();
    let mut page_token: Option<String> = None;
    loop {
        let from = match token {
            Some(t) => EventsFrom::SyncToken(t),
            None => EventsFrom::Since(&since),
        };
        let access = connections::access_token(ctx, net, id).await?;
        let page = match net.events(&access, CALENDAR_ID, from, page_token.as_deref()).await {
            Ok(page) => page,
            Err(CalendarFailure::Status(410)) if token.is_some() => return Ok(None),
            Err(CalendarFailure::Status(status)) => {
                let hint = if status == 429 || status >= 500 {
                    "the service is busy; try again later"
                } else {
                    "check the connection with `outpost connections test`"
                };
                return Err(Error::Remote(format!("Google Calendar answered HTTP {status}; {hint}")));
            }
            Err(CalendarFailure::Other(e)) => return Err(e),
        };
        for event in page.events {
            let uid = format!("{prefix}{}", event.id);
            seen.insert(uid.clone());
            if event.cancelled {
                report.cancelled += u32::from(external::cancel_external(ctx, &uid)?);
                continue;
            }
            let Some(starts_at) = event.starts_at else { continue };
            let meeting = ExternalMeeting {
                external_uid: uid,
                title: event.title.unwrap_or_default(),
                starts_at,
                ends_at: event.ends_at,
                location: event.location,
                description: event.description,
                attendees: event.attendees,
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
pub async fn sync_all(ctx: &Ctx, net: &(impl OAuthClient + CalendarEvents)) -> Result<Vec<CalendarReport>> {
    let ids: Vec<ConnectionId> = ctx.read(|conn| {
        let mut stmt = conn.prepare(
            "SELECT id FROM connections WHERE provider = 'google' AND status <> 'reconnect' ORDER BY created_at",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    let mut reports = Vec::with_capacity(ids.len());
    for id in ids {
        match sync(ctx, net, Some(id)).await {
            Ok(report) => reports.push(report),
            Err(e) => tracing::warn!("calendar sync of connection {id} failed: {e}"),
        }
    }
    Ok(reports)
}

/// The desktop app's background calendar sync: [`sync_all`] every `every` while the app runs.
pub async fn background(
    ctx: std::sync::Arc<Ctx>,
    net: std::sync::Arc<impl OAuthClient + CalendarEvents>,
    every: std::time::Duration,
) {
    loop {
        if let Err(e) = sync_all(&ctx, net.as_ref()).await {
            tracing::warn!("calendar sync skipped: {e}");
        }
        tokio::time::sleep(every).await;
    }
}

/// Syncs the primary calendar of the Google connection `connection` (default: the only one),
/// reading it through `net` (the adapters of `outpost-integrations`).
pub async fn sync(
    ctx: &Ctx,
    net: &(impl OAuthClient + CalendarEvents),
    connection: Option<ConnectionId>,
) -> Result<CalendarReport> {
    let id = pick_connection(ctx, connection)?;
    let mut report = CalendarReport { connection_id: Some(id), ..Default::default() };
    let token = load_token(ctx, id)?;
    let result = match pass(ctx, net, id, token.as_deref(), &mut report).await {
        Ok(Some(())) => Ok(()),
        Ok(None) => {
            report.full_resync = true;
            save_token(ctx, id, None, false)?;
            pass(ctx, net, id, None, &mut report).await.map(|_| ())
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
