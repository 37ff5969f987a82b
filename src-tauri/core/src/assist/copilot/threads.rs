//! Conversation threads and messages, private to their owner. Each thread replicates as one
//! owner-only sync document of kind `copilot_conversation` (one field per message, see
//! `replica::kinds`): every write records it in the same transaction, and the server delivers it
//! to the owner's own devices only.
//!
//! **Compaction.** When a thread holds more than [`COMPACT_AFTER`] live messages, all but the last
//! [`KEEP_RECENT`] are folded into the thread's summary (one line per turn: the question and the
//! answer's summary) and marked compacted; they are no longer sent to the model. "Remember …"
//! requests found in the folded user messages are returned so the caller can propose them as
//! memories (the rep confirms them like any other action).

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::CopilotResponse;
use crate::{replica, store::ids::ThreadId, Ctx, Error, Result};

/// The sync document kind of conversations (owner-only on the server).
const REPLICA_KIND: replica::EntityKind = replica::EntityKind::CopilotConversation;

/// Live messages above which a thread is compacted.
pub const COMPACT_AFTER: usize = 20;
/// Messages kept verbatim after compaction.
pub const KEEP_RECENT: usize = 6;

/// One message of a thread.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Message {
    /// `user` or `assistant`.
    pub role: String,
    /// The text.
    pub content: String,
    /// When (RFC 3339).
    pub created_at: String,
}

/// A thread with its summary and live messages.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Thread {
    /// Id.
    pub id: ThreadId,
    /// First question, shortened.
    pub title: String,
    /// Summary of compacted turns.
    pub summary: Option<String>,
    /// Messages not compacted, oldest first.
    pub messages: Vec<Message>,
}

/// The owner's thread `id`, or a new one titled after `question`.
pub(crate) fn open(ctx: &Ctx, id: Option<ThreadId>, question: &str) -> Result<ThreadId> {
    ctx.write(|tx| {
        if let Some(id) = id {
            let found: Option<String> = tx
                .sql
                .query_row("SELECT id FROM copilot_threads WHERE id = ?1 AND owner = ?2", params![id, tx.actor], |r| {
                    r.get(0)
                })
                .optional()?;
            return found.map(|_| id).ok_or_else(|| Error::NotFound { entity: "thread", id: id.to_string() });
        }
        let id = ThreadId::new();
        let title: String = question.chars().take(80).collect();
        tx.sql.execute(
            "INSERT INTO copilot_threads (id, owner, title, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
            params![id, tx.actor, title, tx.stamp()],
        )?;
        replica::record_row(tx, REPLICA_KIND, &id)?;
        Ok(id)
    })
}

/// Appends a message (with the structured response for assistant turns).
pub(crate) fn append(
    ctx: &Ctx,
    thread: ThreadId,
    role: &str,
    content: &str,
    response: Option<&CopilotResponse>,
) -> Result<()> {
    // Nothing that looks like a credential is stored (and so replicated), whoever wrote it.
    let content = super::context::redact(content);
    let response = response
        .map(serde_json::to_value)
        .transpose()?
        .map(|value| serde_json::to_string(&super::context::redact_value(value)))
        .transpose()?;
    ctx.write(|tx| {
        tx.sql.execute(
            "INSERT INTO copilot_messages (id, thread_id, role, content, response, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![uuid::Uuid::now_v7().to_string(), thread, role, content, response, tx.stamp()],
        )?;
        tx.sql.execute("UPDATE copilot_threads SET updated_at = ?2 WHERE id = ?1", params![thread, tx.stamp()])?;
        replica::record_row(tx, REPLICA_KIND, &thread)
    })
}

/// One of the owner's threads, as listed (without its messages).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ThreadSummary {
    /// Id.
    pub id: ThreadId,
    /// First question, shortened.
    pub title: String,
    /// Last message (RFC 3339).
    pub updated_at: String,
}

/// The owner's threads, most recently active first, at most `limit`.
pub fn list(ctx: &Ctx, limit: u32) -> Result<Vec<ThreadSummary>> {
    let owner = ctx.actor().to_owned();
    ctx.read(|conn| {
        let mut stmt = conn.prepare(
            "SELECT id, title, updated_at FROM copilot_threads WHERE owner = ?1
             ORDER BY updated_at DESC, rowid DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![owner, limit.clamp(1, 500)], |r| {
            Ok(ThreadSummary { id: r.get(0)?, title: r.get(1)?, updated_at: r.get(2)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })
}

/// The owner's thread with its live messages.
pub fn get(ctx: &Ctx, id: ThreadId) -> Result<Thread> {
    let owner = ctx.actor().to_owned();
    ctx.read(|conn| {
        let (title, summary) = conn
            .query_row(
                "SELECT title, summary FROM copilot_threads WHERE id = ?1 AND owner = ?2",
                params![id, owner],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)),
            )
            .optional()?
            .ok_or_else(|| Error::NotFound { entity: "thread", id: id.to_string() })?;
        let mut stmt = conn.prepare(
            "SELECT role, content, created_at FROM copilot_messages WHERE thread_id = ?1 AND compacted = 0
             ORDER BY created_at, rowid",
        )?;
        let messages = stmt
            .query_map([id], |r| Ok(Message { role: r.get(0)?, content: r.get(1)?, created_at: r.get(2)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Thread { id, title, summary, messages })
    })
}

/// Compacts `thread` if it is long (see the module docs); returns the "remember" requests found
/// in the folded user messages.
pub(crate) fn compact(ctx: &Ctx, thread: ThreadId) -> Result<Vec<String>> {
    ctx.write(|tx| {
        let live: Vec<(i64, String, String)> = {
            let mut stmt = tx.sql.prepare(
                "SELECT rowid, role, content FROM copilot_messages WHERE thread_id = ?1 AND compacted = 0
                 ORDER BY created_at, rowid",
            )?;
            let rows = stmt.query_map([thread], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        if live.len() <= COMPACT_AFTER {
            return Ok(Vec::new());
        }
        let fold = &live[..live.len() - KEEP_RECENT];
        let mut lines = Vec::new();
        let mut remembered = Vec::new();
        for (rowid, role, content) in fold {
            let short: String = content.chars().take(160).collect();
            lines.push(format!("{}: {short}", if role == "user" { "Q" } else { "A" }));
            let lower = content.trim().to_lowercase();
            if role == "user" {
                if let Some(rest) = lower.strip_prefix("remember that ").or_else(|| lower.strip_prefix("remember ")) {
                    let trimmed = content.trim();
                    remembered.push(trimmed[trimmed.len() - rest.len()..].trim().to_owned());
                }
            }
            tx.sql.execute("UPDATE copilot_messages SET compacted = 1 WHERE rowid = ?1", [rowid])?;
        }
        let old: Option<String> =
            tx.sql.query_row("SELECT summary FROM copilot_threads WHERE id = ?1", [thread], |r| r.get(0))?;
        let summary = [old, Some(lines.join("\n"))].into_iter().flatten().collect::<Vec<_>>().join("\n");
        tx.sql.execute("UPDATE copilot_threads SET summary = ?2 WHERE id = ?1", params![thread, summary])?;
        replica::record_row(tx, REPLICA_KIND, &thread)?;
        Ok(remembered)
    })
}
