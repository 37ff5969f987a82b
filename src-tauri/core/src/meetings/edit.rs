//! Editing a meeting: its fields, what it is linked to, and who is invited.

use rusqlite::params;
use serde::Deserialize;
use ts_rs::TS;

use super::{attendees, fetch, Meeting};
use crate::replica::{Action, EntityKind};
use crate::{
    crm::companies,
    crm::deals,
    store::audit,
    store::ids::{CompanyId, DealId, MeetingId},
    store::validate::{self, MAX_LONG, MAX_SHORT},
    Ctx, Error, Result,
};

/// Changes to a meeting; absent fields stay as they are, an empty text clears an optional one.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct MeetingUpdate {
    /// Which meeting.
    pub id: MeetingId,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Start: RFC 3339, or `YYYY-MM-DD HH:MM` in UTC.
    #[serde(default)]
    pub starts_at: Option<String>,
    /// End, same formats.
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
    /// The whole new attendee list, as `email` or `Name <email>`.
    #[serde(default)]
    pub attendees: Option<Vec<String>>,
}

/// Updates a meeting.
pub fn update(ctx: &Ctx, req: MeetingUpdate) -> Result<Meeting> {
    ctx.write(|tx| {
        let old = fetch(&tx.sql, req.id)?;
        let title = match req.title {
            Some(title) => validate::required("title", Some(title))?,
            None => old.title.clone(),
        };
        let starts_at = match req.starts_at {
            Some(raw) => validate::timestamp("starts_at", Some(raw))?
                .ok_or_else(|| Error::invalid("starts_at", "cannot be cleared; give the new start"))?,
            None => old.starts_at.clone(),
        };
        let ends_at = match req.ends_at {
            Some(raw) => validate::timestamp("ends_at", Some(raw))?,
            None => old.ends_at.clone(),
        };
        if ends_at.as_ref().is_some_and(|end| *end < starts_at) {
            return Err(Error::invalid("ends_at", "is before the start; check the times"));
        }
        let text = |field: &str, value: Option<String>, max: usize, current: &Option<String>| match value {
            Some(v) => validate::text(field, Some(v), max),
            None => Ok(current.clone()),
        };
        let location = text("location", req.location, MAX_SHORT, &old.location)?;
        let description = text("description", req.description, MAX_LONG, &old.description)?;
        if let Some(id) = req.company_id {
            companies::fetch(&tx.sql, id)?;
        }
        if let Some(id) = req.deal_id {
            deals::fetch(&tx.sql, id)?;
        }
        tx.sql.execute(
            "UPDATE meetings SET title = ?2, starts_at = ?3, ends_at = ?4, location = ?5, description = ?6,
                 company_id = coalesce(?7, company_id), deal_id = coalesce(?8, deal_id), updated_at = ?9 WHERE id = ?1",
            params![req.id, title, starts_at, ends_at, location, description, req.company_id, req.deal_id, tx.stamp()],
        )?;
        if let Some(list) = req.attendees {
            let mut people: Vec<(String, Option<String>)> = Vec::new();
            for raw in list.iter().filter(|r| !r.trim().is_empty()) {
                let (email, name) = attendees::parse(raw)?;
                if !people.iter().any(|(e, _)| *e == email) {
                    people.push((email, name));
                }
            }
            tx.sql.execute("DELETE FROM meeting_attendees WHERE meeting_id = ?1", [req.id])?;
            attendees::write(tx, req.id, &people)?;
        }
        let new = fetch(&tx.sql, req.id)?;
        tx.changed(EntityKind::Meeting, &req.id, Action::Update, &audit::diff(&old, &new)?)?;
        Ok(new)
    })
}
