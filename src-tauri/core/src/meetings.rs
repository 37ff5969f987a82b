//! Meetings and their attendees.
//!
//! Attendees are linked to contacts by email (at read time, so a contact created later links up)
//! and marked internal when their domain is one of the organisation's `internal-domains`
//! ([`crate::store::settings`]); external attendees with no contact are offered as new contacts
//! ([`Meeting::suggested_contacts`], [`create_contacts`]). Meetings also come from calendar files
//! ([`calendar`] files, and Google Calendar through [`external`], which keeps mirrored meetings up
//! to date), and after the meeting its notes become tasks ([`follow_ups`]).

pub mod action_items;
mod attendees;
mod edit;
pub mod external;
mod follow_ups;
pub mod ics;

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use attendees::{create_contacts, CreateContacts, SuggestedContact};
pub use edit::{update, MeetingUpdate};
pub use follow_ups::{follow_ups, set_notes, FollowUps, MeetingNotes};

use crate::replica::{Action, EntityKind};
use crate::{
    crm::companies,
    crm::deals,
    store::audit,
    store::ctx::Tx,
    store::ids::{CompanyId, ContactId, DealId, MeetingId},
    store::search::{like_pattern, ListQuery},
    store::validate::{self, MAX_LONG, MAX_SHORT},
    Ctx, Error, Result,
};

/// A person invited to a meeting.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Attendee {
    /// Email (lower-cased).
    pub email: String,
    /// Display name, if known.
    pub name: Option<String>,
    /// The contact with this email, if any.
    pub contact_id: Option<ContactId>,
    /// From the rep's own organisation (by the `internal-domains` setting).
    pub is_internal: bool,
}

/// A meeting.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Meeting {
    /// Id.
    pub id: MeetingId,
    /// Title.
    pub title: String,
    /// Start (RFC 3339 UTC).
    pub starts_at: String,
    /// End (RFC 3339 UTC).
    pub ends_at: Option<String>,
    /// An all-day event: `starts_at` / `ends_at` are midnights UTC of its dates (end exclusive).
    pub all_day: bool,
    /// Where.
    pub location: Option<String>,
    /// Agenda / invite text.
    pub description: Option<String>,
    /// The rep's notes.
    pub notes: Option<String>,
    /// `scheduled` or `cancelled`.
    pub status: String,
    /// Company it is with.
    pub company_id: Option<CompanyId>,
    /// Deal it is about.
    pub deal_id: Option<DealId>,
    /// UID of the calendar event it was imported from.
    pub calendar_uid: Option<String>,
    /// Who is invited (external first).
    pub attendees: Vec<Attendee>,
    /// External attendees who are not contacts yet, offered as new contacts.
    pub suggested_contacts: Vec<SuggestedContact>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

/// Input for creating a meeting.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct NewMeeting {
    /// Title (required).
    pub title: String,
    /// Start: RFC 3339, or `YYYY-MM-DD HH:MM` in UTC.
    pub starts_at: String,
    /// End, same formats; not before the start.
    #[serde(default)]
    pub ends_at: Option<String>,
    /// Where.
    #[serde(default)]
    pub location: Option<String>,
    /// Agenda.
    #[serde(default)]
    pub description: Option<String>,
    /// Company.
    #[serde(default)]
    pub company_id: Option<CompanyId>,
    /// Deal.
    #[serde(default)]
    pub deal_id: Option<DealId>,
    /// Attendees as `email` or `Name <email>`.
    #[serde(default)]
    pub attendees: Vec<String>,
}

/// A meeting's row as written by the core (validated), shared by [`add`] and calendar import.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct MeetingRecord {
    pub title: String,
    pub starts_at: String,
    pub ends_at: Option<String>,
    pub all_day: bool,
    pub location: Option<String>,
    pub description: Option<String>,
    pub status: String,
    pub company_id: Option<CompanyId>,
    pub deal_id: Option<DealId>,
    /// Where an imported meeting came from.
    pub calendar: Option<CalendarKey>,
    /// (email, name), de-duplicated, emails validated and lower-cased.
    pub attendees: Vec<(String, Option<String>)>,
}

/// The calendar event (occurrence) an imported meeting came from, and the version applied.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct CalendarKey {
    /// Occurrence key (`UID`, or `UID#<start>` for one occurrence of a series).
    pub external_uid: String,
    /// The event's UID.
    pub uid: String,
    /// SEQUENCE of the version applied.
    pub sequence: i64,
    /// DTSTAMP of the version applied (RFC 3339).
    pub stamp: Option<String>,
}

const SELECT: &str = "SELECT id, title, starts_at, ends_at, all_day, location, description, notes, status,
    company_id, deal_id, calendar_uid, created_at, updated_at FROM meetings";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Meeting> {
    Ok(Meeting {
        id: row.get(0)?,
        title: row.get(1)?,
        starts_at: row.get(2)?,
        ends_at: row.get(3)?,
        all_day: row.get(4)?,
        location: row.get(5)?,
        description: row.get(6)?,
        notes: row.get(7)?,
        status: row.get(8)?,
        company_id: row.get(9)?,
        deal_id: row.get(10)?,
        calendar_uid: row.get(11)?,
        attendees: Vec::new(),
        suggested_contacts: Vec::new(),
        created_at: row.get(12)?,
        updated_at: row.get(13)?,
    })
}

fn complete(conn: &Connection, meeting: &mut Meeting) -> Result<()> {
    meeting.attendees = attendees::of(conn, meeting.id)?;
    meeting.suggested_contacts = attendees::suggestions(&meeting.attendees);
    Ok(())
}

pub(crate) fn fetch(conn: &Connection, id: MeetingId) -> Result<Meeting> {
    let mut meeting = conn
        .query_row(&format!("{SELECT} WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: "meeting", id: id.to_string() })?;
    complete(conn, &mut meeting)?;
    Ok(meeting)
}

/// Checks what a record refers to and its times.
fn check(tx: &Tx<'_>, record: &MeetingRecord) -> Result<()> {
    if record.ends_at.as_ref().is_some_and(|end| *end < record.starts_at) {
        return Err(Error::invalid("ends_at", "is before the start; check the times"));
    }
    if let Some(id) = record.company_id {
        companies::fetch(&tx.sql, id)?;
    }
    if let Some(id) = record.deal_id {
        deals::fetch(&tx.sql, id)?;
    }
    Ok(())
}

/// Inserts a meeting inside `tx`: row, attendees, sync record and audit row.
pub(crate) fn insert(tx: &Tx<'_>, record: MeetingRecord) -> Result<Meeting> {
    check(tx, &record)?;
    let id = MeetingId::new();
    let calendar = record.calendar.as_ref();
    tx.sql.execute(
        "INSERT INTO meetings (id, title, starts_at, ends_at, all_day, location, description, status, company_id,
             deal_id, external_uid, calendar_uid, calendar_sequence, calendar_stamp, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15)",
        params![
            id,
            record.title,
            record.starts_at,
            record.ends_at,
            record.all_day,
            record.location,
            record.description,
            record.status,
            record.company_id,
            record.deal_id,
            calendar.map(|c| &c.external_uid),
            calendar.map(|c| &c.uid),
            calendar.map(|c| c.sequence),
            calendar.and_then(|c| c.stamp.as_ref()),
            tx.stamp()
        ],
    )?;
    attendees::write(tx, id, &record.attendees)?;
    let meeting = fetch(&tx.sql, id)?;
    tx.changed(EntityKind::Meeting, &id, Action::Create, &meeting)?;
    Ok(meeting)
}

/// Rewrites an existing meeting's calendar-owned fields inside `tx` (notes, company and deal are
/// the rep's and kept); audits the difference. `action` names the change (`update`, `cancel`).
pub(crate) fn replace(tx: &Tx<'_>, id: MeetingId, record: MeetingRecord, action: Action) -> Result<Meeting> {
    let old = fetch(&tx.sql, id)?;
    check(tx, &record)?;
    let calendar = record.calendar.as_ref();
    tx.sql.execute(
        "UPDATE meetings SET title = ?2, starts_at = ?3, ends_at = ?4, all_day = ?5, location = ?6,
             description = ?7, status = ?8, calendar_sequence = coalesce(?9, calendar_sequence),
             calendar_stamp = coalesce(?10, calendar_stamp), updated_at = ?11 WHERE id = ?1",
        params![
            id,
            record.title,
            record.starts_at,
            record.ends_at,
            record.all_day,
            record.location,
            record.description,
            record.status,
            calendar.map(|c| c.sequence),
            calendar.and_then(|c| c.stamp.as_ref()),
            tx.stamp()
        ],
    )?;
    tx.sql.execute("DELETE FROM meeting_attendees WHERE meeting_id = ?1", [id])?;
    attendees::write(tx, id, &record.attendees)?;
    let new = fetch(&tx.sql, id)?;
    tx.changed(EntityKind::Meeting, &id, action, &audit::diff(&old, &new)?)?;
    Ok(new)
}

/// Creates a meeting, linking attendees to contacts by email.
pub fn add(ctx: &Ctx, req: NewMeeting) -> Result<Meeting> {
    ctx.write(|tx| {
        let starts_at = validate::timestamp("starts_at", Some(req.starts_at))?
            .ok_or_else(|| Error::invalid("starts_at", "is required"))?;
        let mut people: Vec<(String, Option<String>)> = Vec::new();
        for raw in &req.attendees {
            let (email, name) = attendees::parse(raw)?;
            if !people.iter().any(|(e, _)| *e == email) {
                people.push((email, name));
            }
        }
        let record = MeetingRecord {
            title: validate::required("title", Some(req.title))?,
            starts_at,
            ends_at: validate::timestamp("ends_at", req.ends_at)?,
            all_day: false,
            location: validate::text("location", req.location, MAX_SHORT)?,
            description: validate::text("description", req.description, MAX_LONG)?,
            status: "scheduled".into(),
            company_id: req.company_id,
            deal_id: req.deal_id,
            calendar: None,
            attendees: people,
        };
        insert(tx, record)
    })
}

/// One meeting with its attendees and contact suggestions.
pub fn get(ctx: &Ctx, id: MeetingId) -> Result<Meeting> {
    ctx.read(|conn| fetch(conn, id))
}

/// Meetings in start order; `search` matches the title.
pub fn list(ctx: &Ctx, query: ListQuery) -> Result<Vec<Meeting>> {
    let limit = query.limit()?;
    ctx.read(|conn| {
        let pattern = query.search.as_deref().filter(|s| !s.trim().is_empty()).map(like_pattern);
        let mut stmt = conn
            .prepare(&format!("{SELECT} WHERE ?1 IS NULL OR title LIKE ?1 ESCAPE '\\' ORDER BY starts_at LIMIT ?2"))?;
        let mut meetings = stmt.query_map(params![pattern, limit], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        for meeting in &mut meetings {
            complete(conn, meeting)?;
        }
        Ok(meetings)
    })
}
