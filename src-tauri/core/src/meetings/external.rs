//! Meetings mirrored from an external calendar, keyed by `external_uid` (e.g.
//! `gcal:<connection>:<event id>`). The calendar owns title, times, place, agenda, attendees and
//! whether it is cancelled; the rep's own notes and company / deal links are never overwritten.
//! Nothing is ever written back to the calendar.

use std::collections::HashSet;

use rusqlite::{params, OptionalExtension};

use super::{fetch, Meeting};
use crate::replica::{Action, EntityKind};
use crate::{
    store::ctx::Tx,
    store::ids::MeetingId,
    store::validate::{self, MAX_LONG, MAX_SHORT},
    Ctx, Error, Result,
};

/// A meeting as the external calendar describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExternalMeeting {
    /// Stable id in the calendar, prefixed by its source (`gcal:<connection>:<event id>`).
    pub external_uid: String,
    /// Title.
    pub title: String,
    /// Start: RFC 3339 or a date (all-day).
    pub starts_at: String,
    /// End, same formats.
    pub ends_at: Option<String>,
    /// Where.
    pub location: Option<String>,
    /// Agenda.
    pub description: Option<String>,
    /// Attendees: (email, display name).
    pub attendees: Vec<(String, Option<String>)>,
}

/// What mirroring an event did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mirrored {
    /// A new meeting.
    Created,
    /// An existing meeting changed.
    Updated,
    /// Nothing changed.
    Unchanged,
}

/// Replaces the attendees (linked to contacts, internal by the org's domains: the same rules as
/// every other meeting).
fn set_attendees(tx: &Tx<'_>, id: MeetingId, attendees: &[(String, Option<String>)]) -> Result<()> {
    tx.sql.execute("DELETE FROM meeting_attendees WHERE meeting_id = ?1", [id])?;
    let mut seen = HashSet::new();
    let valid: Vec<(String, Option<String>)> = attendees
        .iter()
        .filter_map(|(raw, name)| match validate::email("attendees", Some(raw.clone())) {
            Ok(Some(email)) if seen.insert(email.clone()) => Some((email, name.clone())),
            _ => None,
        })
        .collect();
    super::attendees::write(tx, id, &valid)
}

/// Creates or updates the meeting mirroring `event` (status back to `scheduled`).
pub fn mirror(ctx: &Ctx, event: ExternalMeeting) -> Result<(Meeting, Mirrored)> {
    ctx.write(|tx| {
        let title = validate::required("title", Some(event.title.clone())).unwrap_or_else(|_| "(no title)".to_owned());
        let starts_at = validate::timestamp("starts_at", Some(event.starts_at.clone()))?
            .ok_or_else(|| Error::invalid("starts_at", "the calendar event has no start"))?;
        let ends_at = validate::timestamp("ends_at", event.ends_at.clone())?.filter(|end| *end >= starts_at);
        let location = validate::text("location", event.location.clone(), MAX_SHORT).unwrap_or(None);
        let description = validate::text("description", event.description.clone(), MAX_LONG).unwrap_or(None);
        let existing: Option<MeetingId> = tx
            .sql
            .query_row("SELECT id FROM meetings WHERE external_uid = ?1", [&event.external_uid], |r| r.get(0))
            .optional()?;
        let (id, outcome) = match existing {
            None => {
                let id = MeetingId::new();
                tx.sql.execute(
                    "INSERT INTO meetings (id, title, starts_at, ends_at, location, description, external_uid, created_at,
                                           updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                    params![id, title, starts_at, ends_at, location, description, event.external_uid, tx.stamp()],
                )?;
                (id, Mirrored::Created)
            }
            Some(id) => {
                let before = fetch(&tx.sql, id)?;
                tx.sql.execute(
                    "UPDATE meetings SET title = ?2, starts_at = ?3, ends_at = ?4, location = ?5, description = ?6,
                            status = 'scheduled' WHERE id = ?1",
                    params![id, title, starts_at, ends_at, location, description],
                )?;
                set_attendees(tx, id, &event.attendees)?;
                let after = fetch(&tx.sql, id)?;
                if same_content(&before, &after) {
                    return Ok((before, Mirrored::Unchanged));
                }
                (id, Mirrored::Updated)
            }
        };
        if outcome == Mirrored::Created {
            set_attendees(tx, id, &event.attendees)?;
        }
        tx.sql.execute("UPDATE meetings SET updated_at = ?2 WHERE id = ?1", params![id, tx.stamp()])?;
        let meeting = fetch(&tx.sql, id)?;
        let action = if outcome == Mirrored::Created { Action::Create } else { Action::Update };
        tx.changed(EntityKind::Meeting, &id, action, &meeting)?;
        Ok((meeting, outcome))
    })
}

fn same_content(a: &Meeting, b: &Meeting) -> bool {
    (&a.title, &a.starts_at, &a.ends_at, &a.location, &a.description, &a.status, &a.attendees)
        == (&b.title, &b.starts_at, &b.ends_at, &b.location, &b.description, &b.status, &b.attendees)
}

/// Marks the meeting mirroring `external_uid` cancelled; returns true if it changed.
pub fn cancel_external(ctx: &Ctx, external_uid: &str) -> Result<bool> {
    ctx.write(|tx| {
        let id: Option<MeetingId> = tx
            .sql
            .query_row(
                "SELECT id FROM meetings WHERE external_uid = ?1 AND status <> 'cancelled'",
                [external_uid],
                |r| r.get(0),
            )
            .optional()?;
        let Some(id) = id else { return Ok(false) };
        tx.sql.execute(
            "UPDATE meetings SET status = 'cancelled', updated_at = ?2 WHERE id = ?1",
            params![id, tx.stamp()],
        )?;
        tx.changed(EntityKind::Meeting, &id, Action::Cancel, &serde_json::json!({ "external_uid": external_uid }))?;
        Ok(true)
    })
}

/// External uids starting with `prefix` of meetings that are not cancelled and start at or after
/// `since` (RFC 3339).
pub fn live_external_uids(ctx: &Ctx, prefix: &str, since: &str) -> Result<Vec<String>> {
    ctx.read(|conn| {
        let mut stmt = conn.prepare(
            "SELECT external_uid FROM meetings WHERE substr(external_uid, 1, length(?1)) = ?1 AND status <> 'cancelled'
             AND starts_at >= ?2",
        )?;
        let rows = stmt.query_map([prefix, since], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })
}
