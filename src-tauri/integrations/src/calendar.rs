//! Google Calendar API v3 behind the core's `CalendarEvents` port: one page of
//! `calendars/<id>/events` (single events, deleted ones included, 250 a page), from a sync token
//! or from an instant, turned into provider-neutral events (rooms and resources dropped from the
//! attendees). The sync itself (tokens, 410 resync, mirroring into meetings) stays in
//! `outpost_core::integrations::google_calendar`.

use outpost_core::{
    integrations::{
        connections::Provider,
        google_calendar::{CalendarEvent, CalendarEvents, CalendarFailure, EventPage, EventsFrom},
    },
    BoxFuture, Error,
};
use serde::Deserialize;

use crate::Net;

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
struct WirePage {
    #[serde(default)]
    items: Vec<Event>,
    next_page_token: Option<String>,
    next_sync_token: Option<String>,
}

impl From<Event> for CalendarEvent {
    fn from(event: Event) -> Self {
        CalendarEvent {
            id: event.id,
            cancelled: event.status.as_deref() == Some("cancelled"),
            title: event.summary,
            description: event.description,
            location: event.location,
            starts_at: event.start.as_ref().and_then(When::text),
            ends_at: event.end.as_ref().and_then(When::text),
            attendees: event
                .attendees
                .into_iter()
                .filter(|a| !a.resource)
                .filter_map(|a| a.email.map(|e| (e, a.display_name)))
                .collect(),
        }
    }
}

impl CalendarEvents for Net {
    fn events<'a>(
        &'a self,
        access_token: &'a str,
        calendar: &'a str,
        from: EventsFrom<'a>,
        page_token: Option<&'a str>,
    ) -> BoxFuture<'a, Result<EventPage, CalendarFailure>> {
        Box::pin(async move {
            let http = crate::http::client().map_err(CalendarFailure::Other)?;
            let url = format!("{}/calendar/v3/calendars/{calendar}/events", Provider::Google.endpoints().api);
            let mut query = vec![("singleEvents", "true"), ("showDeleted", "true"), ("maxResults", "250")];
            match from {
                EventsFrom::SyncToken(token) => query.push(("syncToken", token)),
                EventsFrom::Since(since) => query.push(("timeMin", since)),
            }
            if let Some(page) = page_token {
                query.push(("pageToken", page));
            }
            let response = http.get(&url).query(&query).bearer_auth(access_token).send().await.map_err(|e| {
                CalendarFailure::Other(Error::Remote(format!(
                    "Google Calendar is unreachable: {}; try again later",
                    e.without_url()
                )))
            })?;
            if !response.status().is_success() {
                return Err(CalendarFailure::Status(response.status().as_u16()));
            }
            let page: WirePage = response.json().await.map_err(|e| {
                CalendarFailure::Other(Error::Remote(format!("Google Calendar sent an unreadable page ({e})")))
            })?;
            Ok(EventPage {
                events: page.items.into_iter().map(CalendarEvent::from).collect(),
                next_page_token: page.next_page_token,
                next_sync_token: page.next_sync_token,
            })
        })
    }
}
