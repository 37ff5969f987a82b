//! Notifications raised by the proactive agent: stored, read/unread, each with a deep link to the
//! record and a dedupe key naming the event, so the same alert is never raised twice, not even
//! across restarts.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{store::ctx::Tx, store::ids::NotificationId, store::search::ListQuery, Ctx, Error, Result};

/// A stored notification.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Notification {
    /// Id.
    pub id: NotificationId,
    /// brief_ready, digest, task_overdue, deal_stale or close_date_passed.
    pub kind: String,
    /// The event it reports; unique.
    pub dedupe_key: String,
    /// One line.
    pub title: String,
    /// Details.
    pub body: String,
    /// Record kind it is about.
    pub entity_type: Option<String>,
    /// Record id it is about.
    pub entity_id: Option<String>,
    /// Deep link, e.g. `outpost://deal/<id>`.
    pub link: String,
    /// Raised (RFC 3339).
    pub created_at: String,
    /// Read (RFC 3339); None while unread.
    pub read_at: Option<String>,
}

/// An alert the agent wants to raise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAlert {
    /// Kind (see [`Notification::kind`]).
    pub kind: &'static str,
    /// The event's unique key.
    pub dedupe_key: String,
    /// One line.
    pub title: String,
    /// Details.
    pub body: String,
    /// Record kind.
    pub entity_type: Option<&'static str>,
    /// Record id.
    pub entity_id: Option<String>,
    /// Deep link.
    pub link: String,
}

/// Which notifications to list.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct AlertQuery {
    /// Only unread ones.
    #[serde(default)]
    pub unread: Option<bool>,
    /// Maximum rows.
    #[serde(default)]
    pub limit: Option<u32>,
}

const SELECT: &str =
    "SELECT id, kind, dedupe_key, title, body, entity_type, entity_id, link, created_at, read_at FROM notifications";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Notification> {
    Ok(Notification {
        id: r.get(0)?,
        kind: r.get(1)?,
        dedupe_key: r.get(2)?,
        title: r.get(3)?,
        body: r.get(4)?,
        entity_type: r.get(5)?,
        entity_id: r.get(6)?,
        link: r.get(7)?,
        created_at: r.get(8)?,
        read_at: r.get(9)?,
    })
}

fn fetch(conn: &Connection, id: NotificationId) -> Result<Notification> {
    conn.query_row(&format!("{SELECT} WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: "notification", id: id.to_string() })
}

/// Whether an alert with this key was already raised.
pub(crate) fn raised(conn: &Connection, dedupe_key: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM notifications WHERE dedupe_key = ?1")?
        .query_row([dedupe_key], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Stores `alert` unless its dedupe key was seen before; returns the new notification, if any.
pub(crate) fn raise(tx: &Tx<'_>, alert: &NewAlert) -> Result<Option<Notification>> {
    let id = NotificationId::new();
    let inserted = tx
        .sql
        .prepare_cached(
            "INSERT INTO notifications (id, kind, dedupe_key, title, body, entity_type, entity_id, link, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (dedupe_key) DO NOTHING",
        )?
        .execute(params![
            id,
            alert.kind,
            alert.dedupe_key,
            alert.title,
            alert.body,
            alert.entity_type,
            alert.entity_id,
            alert.link,
            tx.stamp()
        ])?;
    if inserted == 0 {
        return Ok(None);
    }
    fetch(&tx.sql, id).map(Some)
}

/// Notifications, newest first.
pub fn list(ctx: &Ctx, query: AlertQuery) -> Result<Vec<Notification>> {
    let limit = ListQuery { search: None, limit: query.limit }.limit()?;
    let unread = query.unread.unwrap_or(false);
    ctx.read(|conn| {
        let mut stmt = conn.prepare(&format!(
            "{SELECT} WHERE (?1 = 0 OR read_at IS NULL) ORDER BY created_at DESC, id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![unread, limit], from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })
}

/// How many notifications are unread (the badge).
pub fn unread_count(ctx: &Ctx) -> Result<u32> {
    ctx.read(|conn| Ok(conn.query_row("SELECT count(*) FROM notifications WHERE read_at IS NULL", [], |r| r.get(0))?))
}

/// Marks a notification read (reading it twice keeps the first time).
pub fn mark_read(ctx: &Ctx, id: NotificationId) -> Result<Notification> {
    ctx.write(|tx| {
        fetch(&tx.sql, id)?;
        tx.sql.execute(
            "UPDATE notifications SET read_at = coalesce(read_at, ?2) WHERE id = ?1",
            params![id, tx.stamp()],
        )?;
        fetch(&tx.sql, id)
    })
}
