//! Pre-meeting briefs: deterministic, offline summaries of who is in the room, where the deals
//! stand, what was promised and what to ask, built only from local records.
//!
//! [`inputs::gather`] reads everything a brief needs in one pass; [`build::build_brief`] is the
//! pure builder; the stored brief keeps a fingerprint (SHA-256 of the inputs) and is regenerated
//! whenever it is read and the inputs differ. Status goes draft → ready (the agent marks it ready
//! ahead of the meeting) → reviewed (a manager); a regeneration never changes the status nor the
//! comments (a brief regenerated after its review stays reviewed; `generated_at` later than
//! `reviewed_at` shows it changed since).
//!
//! **Sync.** Briefs and comments replicate to the org (kinds `brief` and `brief_comment`, see
//! `replica::kinds`) so managers review the team's briefs from their own desktop. A brief's id is
//! derived from its meeting's id ([`brief_id`]): the brief generated for a meeting on any device
//! is the same document. Only the review record (status, reviewer, comments) travels; the content
//! is derived and rebuilt locally by the deterministic builder (a received brief has an empty
//! fingerprint, so its first read builds it).

pub mod build;
pub mod content;
pub mod inputs;
pub mod markdown;
pub mod relevant;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

pub use crate::error::UnsourcedStatement;
pub use build::build_brief;
pub use content::BriefContent;

use outpost_sync::doc::natural_key_doc_id;

use crate::replica::{Action, EntityKind};
use crate::{
    replica,
    store::ctx::Tx,
    store::ids::{BriefId, CommentId, MeetingId},
    store::validate::{self, MAX_LONG},
    Ctx, Error, Result,
};

/// The sync document kind of briefs.
const REPLICA_KIND: EntityKind = EntityKind::Brief;

/// A manager's comment on a brief.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BriefComment {
    /// Id.
    pub id: CommentId,
    /// Who wrote it.
    pub author: String,
    /// The comment.
    pub body: String,
    /// When (RFC 3339).
    pub created_at: String,
}

/// A stored brief.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Brief {
    /// Id.
    pub id: BriefId,
    /// The meeting it prepares.
    pub meeting_id: MeetingId,
    /// draft, ready or reviewed.
    pub status: String,
    /// SHA-256 of the inputs it was built from.
    pub fingerprint: String,
    /// When it was (re)generated (RFC 3339).
    pub generated_at: String,
    /// When a manager reviewed it.
    pub reviewed_at: Option<String>,
    /// Who reviewed it.
    pub reviewed_by: Option<String>,
    /// Manager comments, oldest first.
    pub comments: Vec<BriefComment>,
    /// The brief itself.
    pub content: BriefContent,
}

/// A brief in a list.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BriefSummary {
    /// Id.
    pub id: BriefId,
    /// Meeting.
    pub meeting_id: MeetingId,
    /// Meeting title.
    pub meeting_title: String,
    /// Meeting start.
    pub starts_at: String,
    /// draft, ready or reviewed.
    pub status: String,
    /// When it was generated.
    pub generated_at: String,
    /// Number of comments.
    pub comments: u32,
}

/// Marks a brief reviewed, optionally with a comment.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct ReviewBrief {
    /// Which brief.
    pub id: BriefId,
    /// A comment for the rep.
    #[serde(default)]
    pub comment: Option<String>,
}

/// Which briefs to list.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct BriefQuery {
    /// Only this status.
    #[serde(default)]
    pub status: Option<String>,
    /// Maximum rows (default 100).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// The fingerprint of a brief's inputs.
pub fn fingerprint(inputs: &inputs::BriefInputs) -> Result<String> {
    let bytes = serde_json::to_vec(inputs)?;
    Ok(Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect())
}

const SELECT: &str =
    "SELECT id, meeting_id, status, fingerprint, generated_at, reviewed_at, reviewed_by, content FROM briefs";

fn from_row(row: &Row<'_>) -> rusqlite::Result<(Brief, String)> {
    let brief = Brief {
        id: row.get(0)?,
        meeting_id: row.get(1)?,
        status: row.get(2)?,
        fingerprint: row.get(3)?,
        generated_at: row.get(4)?,
        reviewed_at: row.get(5)?,
        reviewed_by: row.get(6)?,
        comments: Vec::new(),
        content: BriefContent {
            meeting_id: String::new(),
            meeting_title: String::new(),
            starts_at: String::new(),
            attendees: Vec::new(),
            company: None,
            deals: Vec::new(),
            timeline: Vec::new(),
            tasks: Vec::new(),
            commitments: Vec::new(),
            memories: Vec::new(),
            risks: Vec::new(),
            questions: Vec::new(),
            competitors: Vec::new(),
            talking_points: Vec::new(),
        },
    };
    Ok((brief, row.get(7)?))
}

fn load(conn: &Connection, clause: &str, key: &str) -> Result<Option<Brief>> {
    let found = conn.prepare_cached(&format!("{SELECT} WHERE {clause} = ?1"))?.query_row([key], from_row).optional()?;
    let Some((mut brief, content)) = found else { return Ok(None) };
    // A brief received through sync and not built here yet has no fingerprint and no content.
    brief.content =
        if brief.fingerprint.is_empty() { BriefContent::default() } else { serde_json::from_str(&content)? };
    let mut stmt = conn.prepare_cached(
        "SELECT id, author, body, created_at FROM brief_comments WHERE brief_id = ?1 ORDER BY created_at, id",
    )?;
    brief.comments = stmt
        .query_map([brief.id], |r| {
            Ok(BriefComment { id: r.get(0)?, author: r.get(1)?, body: r.get(2)?, created_at: r.get(3)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(brief))
}

/// Generates (or refreshes) the brief of `meeting_id` inside `tx`: returns the stored brief when
/// its fingerprint still matches, else rebuilds and stores it.
pub(crate) fn refresh(tx: &Tx<'_>, meeting_id: MeetingId, now: DateTime<Utc>) -> Result<Brief> {
    let inputs = inputs::gather(&tx.sql, meeting_id, now)?;
    let print = fingerprint(&inputs)?;
    let existing = load(&tx.sql, "meeting_id", &meeting_id.to_string())?;
    if let Some(brief) = existing.as_ref().filter(|b| b.fingerprint == print) {
        return Ok(brief.clone());
    }
    let content = serde_json::to_string(&build_brief(&inputs)?)?;
    match existing {
        Some(old) => {
            tx.sql.execute(
                "UPDATE briefs SET fingerprint = ?2, content = ?3, generated_at = ?4, updated_at = ?4 WHERE id = ?1",
                params![old.id, print, content, tx.stamp()],
            )?;
            replica::record_row(tx, REPLICA_KIND, &old.id)?;
        }
        None => {
            let id = brief_id(meeting_id);
            tx.sql.execute(
                "INSERT INTO briefs (id, meeting_id, status, fingerprint, content, generated_at, created_at, updated_at)
                 VALUES (?1, ?2, 'draft', ?3, ?4, ?5, ?5, ?5)",
                params![id, meeting_id, print, content, tx.stamp()],
            )?;
            replica::record_row(tx, REPLICA_KIND, &id)?;
        }
    }
    load(&tx.sql, "meeting_id", &meeting_id.to_string())?
        .ok_or_else(|| Error::NotFound { entity: "brief", id: meeting_id.to_string() })
}

/// The id of the brief of `meeting_id`: the same on every device (see the module docs).
pub fn brief_id(meeting_id: MeetingId) -> BriefId {
    BriefId::from(natural_key_doc_id(replica::NATURAL_KEY_SCOPE, REPLICA_KIND.name(), &meeting_id.to_string()).0)
}

/// Marks the brief of `meeting_id` ready (from draft); returns whether it changed.
pub(crate) fn mark_ready(tx: &Tx<'_>, meeting_id: MeetingId) -> Result<bool> {
    let changed = tx.sql.execute(
        "UPDATE briefs SET status = 'ready', updated_at = ?2 WHERE meeting_id = ?1 AND status = 'draft'",
        params![meeting_id, tx.stamp()],
    )?;
    if changed > 0 {
        let id: String = tx.sql.query_row("SELECT id FROM briefs WHERE meeting_id = ?1", [meeting_id], |r| r.get(0))?;
        replica::record_row(tx, REPLICA_KIND, &id)?;
    }
    Ok(changed > 0)
}

/// The brief of a meeting, generated or regenerated if its inputs changed.
pub fn for_meeting(ctx: &Ctx, meeting_id: MeetingId) -> Result<Brief> {
    ctx.write(|tx| refresh(tx, meeting_id, tx.now))
}

/// One brief by id, regenerated first if its inputs changed.
pub fn get(ctx: &Ctx, id: BriefId) -> Result<Brief> {
    ctx.write(|tx| {
        let brief = load(&tx.sql, "id", &id.to_string())?
            .ok_or_else(|| Error::NotFound { entity: "brief", id: id.to_string() })?;
        refresh(tx, brief.meeting_id, tx.now)
    })
}

/// Stored briefs, soonest meeting first.
pub fn list(ctx: &Ctx, query: BriefQuery) -> Result<Vec<BriefSummary>> {
    let limit = crate::store::search::ListQuery { search: None, limit: query.limit }.limit()?;
    let status = query.status.map(|s| s.trim().to_lowercase());
    if let Some(s) = status.as_deref() {
        if !["draft", "ready", "reviewed"].contains(&s) {
            return Err(Error::invalid("status", format!("unknown status '{s}'; use draft, ready or reviewed")));
        }
    }
    ctx.read(|conn| {
        let mut stmt = conn.prepare(
            "SELECT b.id, b.meeting_id, m.title, m.starts_at, b.status, b.generated_at,
                    (SELECT count(*) FROM brief_comments c WHERE c.brief_id = b.id)
             FROM briefs b JOIN meetings m ON m.id = b.meeting_id
             WHERE ?1 IS NULL OR b.status = ?1 ORDER BY m.starts_at, b.id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![status, limit], |r| {
            Ok(BriefSummary {
                id: r.get(0)?,
                meeting_id: r.get(1)?,
                meeting_title: r.get(2)?,
                starts_at: r.get(3)?,
                status: r.get(4)?,
                generated_at: r.get(5)?,
                comments: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })
}

/// Marks a brief reviewed by the acting user, with an optional comment.
pub fn review(ctx: &Ctx, req: ReviewBrief) -> Result<Brief> {
    let comment = validate::text("comment", req.comment, MAX_LONG)?;
    ctx.write(|tx| {
        let brief = load(&tx.sql, "id", &req.id.to_string())?
            .ok_or_else(|| Error::NotFound { entity: "brief", id: req.id.to_string() })?;
        // Review what the brief says now, not a stale version.
        let brief = refresh(tx, brief.meeting_id, tx.now)?;
        tx.sql.execute(
            "UPDATE briefs SET status = 'reviewed', reviewed_at = ?2, reviewed_by = ?3, updated_at = ?2 WHERE id = ?1",
            params![brief.id, tx.stamp(), tx.actor],
        )?;
        if let Some(body) = &comment {
            let id = CommentId::new();
            tx.sql.execute(
                "INSERT INTO brief_comments (id, brief_id, author, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, brief.id, tx.actor, body, tx.stamp()],
            )?;
            replica::record_row(tx, EntityKind::BriefComment, &id)?;
        }
        tx.changed(REPLICA_KIND, &brief.id, Action::Review, &serde_json::json!({ "comment": comment }))?;
        load(&tx.sql, "id", &brief.id.to_string())?
            .ok_or_else(|| Error::NotFound { entity: "brief", id: brief.id.to_string() })
    })
}
