//! Tasks: things the rep has to do, optionally linked to a contact, company, deal or meeting.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::replica::{Action, EntityKind};
use crate::{
    crm::companies,
    crm::contacts,
    crm::deals,
    memories::{self, MemoryCategory},
    store::audit,
    store::ids::{self, CompanyId, ContactId, DealId, MeetingId, TaskId},
    store::search::ListQuery,
    store::validate::{self, MAX_LONG},
    Ctx, Error, Result,
};

/// Task priority.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Priority {
    /// Whenever.
    Low,
    /// The default.
    #[default]
    Normal,
    /// First thing.
    High,
}

impl Priority {
    fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
        }
    }

    fn from_stored(text: &str) -> Self {
        match text {
            "low" => Priority::Low,
            "high" => Priority::High,
            _ => Priority::Normal,
        }
    }
}

/// A task.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Task {
    /// Id.
    pub id: TaskId,
    /// What to do.
    pub title: String,
    /// Details.
    pub notes: Option<String>,
    /// Due date (YYYY-MM-DD).
    pub due_date: Option<String>,
    /// Priority.
    pub priority: Priority,
    /// Linked record kind: `contact`, `company`, `deal` or `meeting`.
    pub entity_type: Option<String>,
    /// Linked record id.
    pub entity_id: Option<String>,
    /// What the linked record is called (the deal's or meeting's title, the contact's name, the
    /// company's name), read when the task is read; `None` when unlinked or the record is gone.
    pub entity_name: Option<String>,
    /// When it was completed (RFC 3339); `None` while open.
    pub done_at: Option<String>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

/// Input for creating a task; link at most one record.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct NewTask {
    /// What to do (required).
    pub title: String,
    /// Details.
    #[serde(default)]
    pub notes: Option<String>,
    /// Due date (YYYY-MM-DD).
    #[serde(default)]
    pub due_date: Option<String>,
    /// Priority (default normal).
    #[serde(default)]
    pub priority: Option<Priority>,
    /// Link to a contact.
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    /// Link to a company.
    #[serde(default)]
    pub company_id: Option<CompanyId>,
    /// Link to a deal.
    #[serde(default)]
    pub deal_id: Option<DealId>,
    /// Link to a meeting.
    #[serde(default)]
    pub meeting_id: Option<MeetingId>,
}

/// Which tasks to list.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct TaskQuery {
    /// Include completed tasks (default: open only).
    #[serde(default)]
    pub include_done: Option<bool>,
    /// Only tasks linked to this record id.
    #[serde(default)]
    pub entity_id: Option<String>,
    /// Maximum rows.
    #[serde(default)]
    pub limit: Option<u32>,
}

/// A contact's display name as the UI shows it: full name, else email, else phone.
const CONTACT_NAME: &str = "COALESCE(NULLIF(trim(COALESCE(p.first_name, '') || ' ' || COALESCE(p.last_name, '')), ''),
    p.email, p.phone)";

fn select() -> String {
    format!(
        "SELECT id, title, notes, due_date, priority, entity_type, entity_id, done_at, created_at, updated_at,
        CASE entity_type
            WHEN 'deal' THEN (SELECT d.title FROM deals d WHERE d.id = tasks.entity_id)
            WHEN 'company' THEN (SELECT c.name FROM companies c WHERE c.id = tasks.entity_id)
            WHEN 'meeting' THEN (SELECT m.title FROM meetings m WHERE m.id = tasks.entity_id)
            WHEN 'contact' THEN (SELECT {CONTACT_NAME} FROM contacts p WHERE p.id = tasks.entity_id)
        END
    FROM tasks"
    )
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Task> {
    let priority: String = row.get(4)?;
    Ok(Task {
        id: row.get(0)?,
        title: row.get(1)?,
        notes: row.get(2)?,
        due_date: row.get(3)?,
        priority: Priority::from_stored(&priority),
        entity_type: row.get(5)?,
        entity_id: row.get(6)?,
        entity_name: row.get(10)?,
        done_at: row.get(7)?,
        created_at: row.get(8)?,
        updated_at: row.get(9)?,
    })
}

fn fetch(conn: &Connection, id: TaskId) -> Result<Task> {
    conn.prepare_cached(&format!("{} WHERE id = ?1", select()))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: "task", id: id.to_string() })
}

fn link(conn: &Connection, req: &NewTask) -> Result<Option<(&'static str, String)>> {
    let mut links = Vec::new();
    if let Some(id) = req.contact_id {
        contacts::fetch(conn, id)?;
        links.push(("contact", id.to_string()));
    }
    if let Some(id) = req.company_id {
        companies::fetch(conn, id)?;
        links.push(("company", id.to_string()));
    }
    if let Some(id) = req.deal_id {
        deals::fetch(conn, id)?;
        links.push(("deal", id.to_string()));
    }
    if let Some(id) = req.meeting_id {
        ids::require_row(conn, "meetings", "meeting", &id)?;
        links.push(("meeting", id.to_string()));
    }
    if links.len() > 1 {
        return Err(Error::invalid(
            "entity_id",
            "link a task to one record only (a contact, company, deal or meeting)",
        ));
    }
    Ok(links.pop())
}

/// Creates a task.
pub fn add(ctx: &Ctx, req: NewTask) -> Result<Task> {
    ctx.write(|tx| insert(tx, req))
}

/// Creates a task inside an existing transaction (used by the core, e.g. meeting follow-ups).
pub(crate) fn insert(tx: &crate::store::ctx::Tx<'_>, req: NewTask) -> Result<Task> {
    {
        let linked = link(&tx.sql, &req)?;
        let task = Task {
            id: TaskId::new(),
            title: validate::required("title", Some(req.title))?,
            notes: validate::text("notes", req.notes, MAX_LONG)?,
            due_date: validate::date("due_date", req.due_date)?.map(|d| d.to_string()),
            priority: req.priority.unwrap_or_default(),
            entity_type: linked.as_ref().map(|(kind, _)| (*kind).to_owned()),
            entity_id: linked.map(|(_, id)| id),
            // Read back below: the audit row keeps what was stored, not the looked-up name.
            entity_name: None,
            done_at: None,
            created_at: tx.stamp(),
            updated_at: tx.stamp(),
        };
        tx.sql
            .prepare_cached(
                "INSERT INTO tasks (id, title, notes, due_date, priority, entity_type, entity_id, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                task.id,
                task.title,
                task.notes,
                task.due_date,
                task.priority.as_str(),
                task.entity_type,
                task.entity_id,
                task.created_at,
                task.updated_at
            ],
        )?;
        tx.changed(EntityKind::Task, &task.id, Action::Create, &task)?;
        fetch(&tx.sql, task.id)
    }
}

/// Tasks, soonest due first (undated last).
pub fn list(ctx: &Ctx, query: TaskQuery) -> Result<Vec<Task>> {
    let limit = ListQuery { search: None, limit: query.limit }.limit()?;
    ctx.read(|conn| {
        let mut stmt = conn.prepare(&format!(
            "{} WHERE (?1 OR done_at IS NULL) AND (?2 IS NULL OR entity_id = ?2)
             ORDER BY done_at IS NOT NULL, due_date IS NULL, due_date, created_at LIMIT ?3",
            select()
        ))?;
        let rows = stmt.query_map(params![query.include_done.unwrap_or(false), query.entity_id, limit], from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })
}

/// Marks a task done (idempotent: completing a done task keeps its first completion time). A
/// task linked to a record leaves an event memory on it.
pub fn complete(ctx: &Ctx, id: TaskId) -> Result<Task> {
    ctx.write(|tx| {
        let old = fetch(&tx.sql, id)?;
        if old.done_at.is_some() {
            return Ok(old);
        }
        tx.sql.execute("UPDATE tasks SET done_at = ?2, updated_at = ?2 WHERE id = ?1", params![id, tx.stamp()])?;
        let new = fetch(&tx.sql, id)?;
        let linked = new.entity_type.as_deref().zip(new.entity_id.as_deref());
        memories::record_event(
            tx,
            MemoryCategory::Commitment,
            format!("Completed task \"{}\" on {}", new.title, memories::day(tx)),
            &[linked.map(|(kind, entity)| memories::EntityRef::new(kind, entity))],
        )?;
        tx.changed(EntityKind::Task, &id, Action::Complete, &audit::diff(&old, &new)?)?;
        Ok(new)
    })
}
