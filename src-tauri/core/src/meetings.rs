//! Meetings and their attendees. Attendees are linked to contacts by email. Meetings mirrored
//! from an external calendar (Google Calendar) are kept up to date through [`external`].

pub mod external;

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    audit, companies, deals,
    ids::{CompanyId, ContactId, DealId, MeetingId},
    search::{like_pattern, ListQuery},
    validate::{self, MAX_LONG, MAX_SHORT},
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
    /// From the rep's own organisation (by the `org_domains` setting).
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
    /// Who is invited.
    pub attendees: Vec<Attendee>,
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

const SELECT: &str = "SELECT id, title, starts_at, ends_at, location, description, notes, status, company_id, deal_id,
    created_at, updated_at FROM meetings";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Meeting> {
    Ok(Meeting {
        id: row.get(0)?,
        title: row.get(1)?,
        starts_at: row.get(2)?,
        ends_at: row.get(3)?,
        location: row.get(4)?,
        description: row.get(5)?,
        notes: row.get(6)?,
        status: row.get(7)?,
        company_id: row.get(8)?,
        deal_id: row.get(9)?,
        attendees: Vec::new(),
        created_at: row.get(10)?,
        updated_at: row.get(11)?,
    })
}

fn attendees_of(conn: &Connection, id: MeetingId) -> Result<Vec<Attendee>> {
    let mut stmt = conn.prepare(
        "SELECT email, name, contact_id, is_internal FROM meeting_attendees WHERE meeting_id = ?1 ORDER BY is_internal, email",
    )?;
    let rows = stmt.query_map([id], |row| {
        Ok(Attendee { email: row.get(0)?, name: row.get(1)?, contact_id: row.get(2)?, is_internal: row.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(crate) fn fetch(conn: &Connection, id: MeetingId) -> Result<Meeting> {
    let mut meeting = conn
        .query_row(&format!("{SELECT} WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: "meeting", id: id.to_string() })?;
    meeting.attendees = attendees_of(conn, id)?;
    Ok(meeting)
}

/// Splits `Name <email>` or a bare email into (email, name), validating the address.
fn parse_attendee(raw: &str) -> Result<(String, Option<String>)> {
    let raw = raw.trim();
    let (name, address) = match (raw.rfind('<'), raw.ends_with('>')) {
        (Some(open), true) => {
            let name = raw[..open].trim().trim_matches('"').trim();
            (Some(name.to_owned()).filter(|n| !n.is_empty()), &raw[open + 1..raw.len() - 1])
        }
        _ => (None, raw),
    };
    let email = validate::email("attendees", Some(address.to_owned()))?
        .ok_or_else(|| Error::invalid("attendees", "an attendee needs an email address"))?;
    Ok((email, name))
}

fn org_domains(conn: &Connection) -> Result<Vec<String>> {
    let setting: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = 'org_domains'", [], |r| r.get(0)).optional()?;
    Ok(setting.unwrap_or_default().split(',').map(|d| d.trim().to_lowercase()).filter(|d| !d.is_empty()).collect())
}

/// Creates a meeting, linking attendees to contacts by email.
pub async fn add(ctx: &Ctx, req: NewMeeting) -> Result<Meeting> {
    ctx.write(|tx| {
        let title = validate::required("title", Some(req.title))?;
        let starts_at = validate::timestamp("starts_at", Some(req.starts_at))?
            .ok_or_else(|| Error::invalid("starts_at", "is required"))?;
        let ends_at = validate::timestamp("ends_at", req.ends_at)?;
        if ends_at.as_ref().is_some_and(|end| *end < starts_at) {
            return Err(Error::invalid("ends_at", "is before the start; check the times"));
        }
        if let Some(id) = req.company_id {
            companies::fetch(&tx.sql, id)?;
        }
        if let Some(id) = req.deal_id {
            deals::fetch(&tx.sql, id)?;
        }
        let mut attendees = Vec::new();
        for raw in &req.attendees {
            let (email, name) = parse_attendee(raw)?;
            if !attendees.iter().any(|(e, _): &(String, Option<String>)| *e == email) {
                attendees.push((email, name));
            }
        }
        let id = MeetingId::new();
        tx.sql.execute(
            "INSERT INTO meetings (id, title, starts_at, ends_at, location, description, company_id, deal_id,
                 created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
            params![
                id,
                title,
                starts_at,
                ends_at,
                validate::text("location", req.location, MAX_SHORT)?,
                validate::text("description", req.description, MAX_LONG)?,
                req.company_id,
                req.deal_id,
                tx.stamp()
            ],
        )?;
        let internal = org_domains(&tx.sql)?;
        for (email, name) in attendees {
            let contact: Option<ContactId> = tx
                .sql
                .query_row("SELECT id FROM contacts WHERE email = ?1 LIMIT 1", [&email], |r| r.get(0))
                .optional()?;
            let domain = email.rsplit('@').next().unwrap_or_default();
            tx.sql.execute(
                "INSERT INTO meeting_attendees (meeting_id, email, name, contact_id, is_internal)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, email, name, contact, internal.iter().any(|d| d == domain)],
            )?;
        }
        crate::replica::record_row(tx, "meeting", &id)?;
        let meeting = fetch(&tx.sql, id)?;
        audit::record(tx, "create", "meeting", &id, &meeting)?;
        Ok(meeting)
    })
}

/// One meeting with its attendees.
pub async fn get(ctx: &Ctx, id: MeetingId) -> Result<Meeting> {
    ctx.read(|conn| fetch(conn, id))
}

/// Meetings in start order; `search` matches the title.
pub async fn list(ctx: &Ctx, query: ListQuery) -> Result<Vec<Meeting>> {
    let limit = query.limit()?;
    ctx.read(|conn| {
        let pattern = query.search.as_deref().filter(|s| !s.trim().is_empty()).map(like_pattern);
        let mut stmt = conn
            .prepare(&format!("{SELECT} WHERE ?1 IS NULL OR title LIKE ?1 ESCAPE '\\' ORDER BY starts_at LIMIT ?2"))?;
        let mut meetings = stmt.query_map(params![pattern, limit], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        for meeting in &mut meetings {
            meeting.attendees = attendees_of(conn, meeting.id)?;
        }
        Ok(meetings)
    })
}
