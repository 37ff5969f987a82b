//! The timeline: notes, calls, emails, meetings and stage changes on contacts, companies and deals.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::replica::{Action, EntityKind};
use crate::{
    crm::companies,
    crm::contacts,
    memories::{self, MemoryCategory},
    store::ctx::Tx,
    store::ids::{self, ActivityId, CompanyId, ContactId, DealId, MeetingId},
    store::search::ListQuery,
    store::validate::{self, MAX_LONG, MAX_SHORT},
    Ctx, Error, Result,
};

/// What kind of timeline entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ActivityKind {
    /// A written note.
    #[default]
    Note,
    /// A phone call.
    Call,
    /// An email.
    Email,
    /// A meeting.
    Meeting,
    /// A deal moved stage (written by the core).
    StageChange,
}

impl ActivityKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Note => "note",
            ActivityKind::Call => "call",
            ActivityKind::Email => "email",
            ActivityKind::Meeting => "meeting",
            ActivityKind::StageChange => "stage_change",
        }
    }

    /// Parses a stored or typed name.
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_lowercase().replace('-', "_").as_str() {
            "note" => Ok(ActivityKind::Note),
            "call" => Ok(ActivityKind::Call),
            "email" => Ok(ActivityKind::Email),
            "meeting" => Ok(ActivityKind::Meeting),
            "stage_change" => Ok(ActivityKind::StageChange),
            _ => {
                Err(Error::invalid("kind", format!("unknown activity kind '{text}'; use note, call, email or meeting")))
            }
        }
    }

    /// Kinds that count as reaching out to the contact.
    fn is_contact(self) -> bool {
        matches!(self, ActivityKind::Call | ActivityKind::Email | ActivityKind::Meeting)
    }
}

/// One timeline entry.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Activity {
    /// Id.
    pub id: ActivityId,
    /// Kind.
    pub kind: ActivityKind,
    /// One-line summary.
    pub subject: String,
    /// Details.
    pub body: Option<String>,
    /// When it happened (RFC 3339).
    pub occurred_at: String,
    /// Linked contact.
    pub contact_id: Option<ContactId>,
    /// Linked company.
    pub company_id: Option<CompanyId>,
    /// Linked deal.
    pub deal_id: Option<DealId>,
    /// Linked meeting.
    pub meeting_id: Option<MeetingId>,
    /// For emails and calls: `inbound` (from the contact) or `outbound` (from the rep).
    pub direction: Option<String>,
    /// Recorded (RFC 3339).
    pub created_at: String,
}

/// Input for logging an activity. At least one of contact, company or deal is required.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct NewActivity {
    /// Kind (`stage_change` is reserved for the core).
    #[serde(default)]
    pub kind: ActivityKind,
    /// One-line summary.
    pub subject: String,
    /// Details.
    #[serde(default)]
    pub body: Option<String>,
    /// When it happened (RFC 3339; default now).
    #[serde(default)]
    pub occurred_at: Option<String>,
    /// Contact.
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    /// Company.
    #[serde(default)]
    pub company_id: Option<CompanyId>,
    /// Deal.
    #[serde(default)]
    pub deal_id: Option<DealId>,
    /// Meeting.
    #[serde(default)]
    pub meeting_id: Option<MeetingId>,
    /// `inbound` (from the contact) or `outbound` (from the rep); used to find unanswered emails.
    #[serde(default)]
    pub direction: Option<String>,
}

/// Which timeline to read.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct ActivityQuery {
    /// Only this contact's timeline.
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    /// Only this company's timeline (includes its contacts and deals).
    #[serde(default)]
    pub company_id: Option<CompanyId>,
    /// Only this deal's timeline.
    #[serde(default)]
    pub deal_id: Option<DealId>,
    /// Maximum rows.
    #[serde(default)]
    pub limit: Option<u32>,
}

const SELECT: &str = "SELECT a.id, a.kind, a.subject, a.body, a.occurred_at, a.contact_id, a.company_id, a.deal_id,
    a.meeting_id, a.created_at, a.direction FROM activities a";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Activity> {
    let kind: String = row.get(1)?;
    Ok(Activity {
        id: row.get(0)?,
        kind: ActivityKind::parse(&kind).unwrap_or_default(),
        subject: row.get(2)?,
        body: row.get(3)?,
        occurred_at: row.get(4)?,
        contact_id: row.get(5)?,
        company_id: row.get(6)?,
        deal_id: row.get(7)?,
        meeting_id: row.get(8)?,
        created_at: row.get(9)?,
        direction: row.get(10)?,
    })
}

fn fetch(conn: &Connection, id: ActivityId) -> Result<Activity> {
    conn.prepare_cached(&format!("{SELECT} WHERE a.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: "activity", id: id.to_string() })
}

fn direction(value: Option<String>) -> Result<Option<String>> {
    match validate::clean(value).map(|v| v.to_lowercase()) {
        None => Ok(None),
        Some(v) if v == "inbound" || v == "outbound" => Ok(Some(v)),
        Some(v) => Err(Error::invalid("direction", format!("'{v}' is not a direction; use inbound or outbound"))),
    }
}

/// Writes an activity inside an existing transaction (used by the core itself, e.g. stage moves).
/// A logged meeting also leaves an event memory on the records it is linked to.
pub(crate) fn insert(tx: &Tx<'_>, req: NewActivity) -> Result<Activity> {
    let activity = Activity {
        id: ActivityId::new(),
        kind: req.kind,
        subject: validate::required("subject", Some(req.subject))?,
        body: validate::text("body", req.body, MAX_LONG)?,
        occurred_at: validate::timestamp("occurred_at", req.occurred_at)?.unwrap_or_else(|| tx.stamp()),
        contact_id: req.contact_id,
        company_id: req.company_id,
        deal_id: req.deal_id,
        meeting_id: req.meeting_id,
        direction: direction(req.direction)?,
        created_at: tx.stamp(),
    };
    tx.sql
        .prepare_cached(
            "INSERT INTO activities (id, kind, subject, body, occurred_at, contact_id, company_id, deal_id,
             meeting_id, created_at, direction) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            activity.id,
            activity.kind.as_str(),
            activity.subject,
            activity.body,
            activity.occurred_at,
            activity.contact_id,
            activity.company_id,
            activity.deal_id,
            activity.meeting_id,
            activity.created_at,
            activity.direction
        ])?;
    if let (Some(contact), true) = (activity.contact_id, activity.kind.is_contact()) {
        contacts::touch_last_contacted(tx, contact, &activity.occurred_at)?;
    }
    tx.changed(EntityKind::Activity, &activity.id, Action::Create, &activity)?;
    if activity.kind == ActivityKind::Meeting {
        let date = activity.occurred_at.get(..10).unwrap_or(&activity.occurred_at);
        memories::record_event(
            tx,
            MemoryCategory::Relationship,
            format!("Meeting logged: {} ({date})", activity.subject),
            &[
                memories::link("contact", activity.contact_id),
                memories::link("company", activity.company_id),
                memories::link("deal", activity.deal_id),
                memories::link("meeting", activity.meeting_id),
            ],
        )?;
    }
    Ok(activity)
}

/// Logs an activity on a contact, company and/or deal.
pub fn log(ctx: &Ctx, req: NewActivity) -> Result<Activity> {
    if req.kind == ActivityKind::StageChange {
        return Err(Error::invalid(
            "kind",
            "stage changes are logged automatically when a deal moves; use note, call, email or meeting",
        ));
    }
    let _ = validate::text("subject", Some(req.subject.clone()), MAX_SHORT)?;
    ctx.write(|tx| {
        if req.contact_id.is_none() && req.company_id.is_none() && req.deal_id.is_none() {
            return Err(Error::invalid("contact_id", "link the activity to a contact, company or deal"));
        }
        if let Some(id) = req.contact_id {
            contacts::fetch(&tx.sql, id)?;
        }
        if let Some(id) = req.company_id {
            companies::fetch(&tx.sql, id)?;
        }
        if let Some(id) = req.deal_id {
            ids::require_row(&tx.sql, "deals", "deal", &id)?;
        }
        let activity = insert(tx, req)?;
        fetch(&tx.sql, activity.id)
    })
}

/// A timeline, newest first. With no filter, the whole workspace's timeline.
pub fn list(ctx: &Ctx, query: ActivityQuery) -> Result<Vec<Activity>> {
    let limit = ListQuery { search: None, limit: query.limit }.limit()?;
    ctx.read(|conn| {
        let mut stmt = conn.prepare(&format!(
            "{SELECT} WHERE (?1 IS NULL OR a.contact_id = ?1)
               AND (?2 IS NULL OR a.company_id = ?2
                    OR a.contact_id IN (SELECT id FROM contacts WHERE company_id = ?2)
                    OR a.deal_id IN (SELECT id FROM deals WHERE company_id = ?2))
               AND (?3 IS NULL OR a.deal_id = ?3)
             ORDER BY a.occurred_at DESC, a.id DESC LIMIT ?4"
        ))?;
        let rows = stmt.query_map(params![query.contact_id, query.company_id, query.deal_id, limit], from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })
}
