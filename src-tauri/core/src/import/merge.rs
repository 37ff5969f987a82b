//! Merge suggestions: near-duplicates the import found but did not merge on its own (similar names
//! at one company). The user accepts one — the second contact is folded into the first, with its
//! deals, timeline, tasks and meetings — or dismisses it.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::replica::{Action, EntityKind};
use crate::{crm::contacts, store::audit, store::ids::ContactId, Ctx, Error, Result};

/// One suggestion.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct MergeSuggestion {
    /// Id.
    pub id: String,
    /// `contact` (companies later).
    pub entity_type: String,
    /// The record that stays.
    pub keep_id: String,
    /// The record folded into it on accept.
    pub merge_id: String,
    /// Similarity, 0–1.
    pub score: f64,
    /// Why it was suggested.
    pub reason: String,
    /// `open`, `accepted` or `dismissed`.
    pub status: String,
}

const SELECT: &str = "SELECT id, entity_type, keep_id, merge_id, score, reason, status FROM merge_suggestions";

fn suggestion_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MergeSuggestion> {
    Ok(MergeSuggestion {
        id: r.get(0)?,
        entity_type: r.get(1)?,
        keep_id: r.get(2)?,
        merge_id: r.get(3)?,
        score: r.get(4)?,
        reason: r.get(5)?,
        status: r.get(6)?,
    })
}

/// Open suggestions, most similar first.
pub fn list(ctx: &Ctx) -> Result<Vec<MergeSuggestion>> {
    ctx.read(|conn| {
        let mut stmt = conn.prepare(&format!("{SELECT} WHERE status = 'open' ORDER BY score DESC, created_at"))?;
        let rows = stmt.query_map([], suggestion_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })
}

fn open_suggestion(conn: &rusqlite::Connection, id: &str) -> Result<(ContactId, ContactId)> {
    let found: Option<(String, String, String)> = conn
        .query_row("SELECT keep_id, merge_id, status FROM merge_suggestions WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let (keep, merge, status) = found.ok_or_else(|| Error::NotFound { entity: "merge suggestion", id: id.into() })?;
    if status != "open" {
        return Err(Error::Conflict { message: format!("merge suggestion {id} was already {status}") });
    }
    Ok((keep.parse()?, merge.parse()?))
}

fn linked(conn: &rusqlite::Connection, sql: &str, contact: ContactId) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([contact], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Folds the suggested duplicate into the kept contact and marks the suggestion accepted. The
/// change replicates: the kept contact's new fields and the re-pointed deals, activities and
/// tasks as edits, the merged-away contact as a delete (final on every replica).
pub fn accept(ctx: &Ctx, id: String) -> Result<contacts::Contact> {
    ctx.write(|tx| {
        let (keep, merge) = open_suggestion(&tx.sql, &id)?;
        let kept = contacts::fetch(&tx.sql, keep)?;
        let gone = contacts::fetch(&tx.sql, merge)?;
        tx.sql.execute(
            "UPDATE contacts SET
                 first_name = coalesce(first_name, ?2), last_name = coalesce(last_name, ?3),
                 email = coalesce(email, ?4), phone = coalesce(phone, ?5), title = coalesce(title, ?6),
                 company_id = coalesce(company_id, ?7), updated_at = ?8
             WHERE id = ?1",
            params![
                keep,
                gone.first_name,
                gone.last_name,
                gone.email,
                gone.phone,
                gone.title,
                gone.company_id,
                tx.stamp()
            ],
        )?;
        // The re-pointed records replicate like any edit; the merged-away contact like a delete.
        let relinked: Vec<(EntityKind, Vec<String>)> = vec![
            (EntityKind::Deal, linked(&tx.sql, "SELECT id FROM deals WHERE contact_id = ?1", merge)?),
            (EntityKind::Activity, linked(&tx.sql, "SELECT id FROM activities WHERE contact_id = ?1", merge)?),
            (
                EntityKind::Task,
                linked(&tx.sql, "SELECT id FROM tasks WHERE entity_type = 'contact' AND entity_id = ?1", merge)?,
            ),
            (
                EntityKind::CopilotMemory,
                linked(
                    &tx.sql,
                    "SELECT memory_id FROM memory_links WHERE entity_type = 'contact' AND entity_id = ?1",
                    merge,
                )?,
            ),
        ];
        for sql in [
            "UPDATE deals SET contact_id = ?1 WHERE contact_id = ?2",
            "UPDATE activities SET contact_id = ?1 WHERE contact_id = ?2",
            "UPDATE tasks SET entity_id = ?1 WHERE entity_type = 'contact' AND entity_id = ?2",
            "UPDATE OR IGNORE meeting_attendees SET contact_id = ?1 WHERE contact_id = ?2",
            "UPDATE OR IGNORE memory_links SET entity_id = ?1 WHERE entity_type = 'contact' AND entity_id = ?2",
        ] {
            tx.sql.execute(sql, params![keep, merge])?;
        }
        // A memory linked to both kept its link to the kept contact (OR IGNORE above).
        tx.sql.execute("DELETE FROM memory_links WHERE entity_type = 'contact' AND entity_id = ?1", params![merge])?;
        tx.sql.execute(
            "UPDATE merge_suggestions SET status = 'dismissed', resolved_at = ?3
             WHERE status = 'open' AND id <> ?1 AND (keep_id = ?2 OR merge_id = ?2)",
            params![id, merge, tx.stamp()],
        )?;
        tx.sql.execute("DELETE FROM contacts WHERE id = ?1", [merge])?;
        crate::replica::record_delete(tx, EntityKind::Contact, &merge)?;
        for (kind, ids) in &relinked {
            for id in ids {
                crate::replica::record_row(tx, *kind, id)?;
            }
        }
        tx.sql.execute(
            "UPDATE merge_suggestions SET status = 'accepted', resolved_at = ?2 WHERE id = ?1",
            params![id, tx.stamp()],
        )?;
        tx.changed(
            EntityKind::Contact,
            &keep,
            Action::Merge,
            &serde_json::json!({ "merged": merge, "kept": kept.id }),
        )?;
        contacts::fetch(&tx.sql, keep)
    })
}

/// Marks a suggestion dismissed; the two contacts stay separate.
pub fn dismiss(ctx: &Ctx, id: String) -> Result<MergeSuggestion> {
    ctx.write(|tx| {
        open_suggestion(&tx.sql, &id)?;
        tx.sql.execute(
            "UPDATE merge_suggestions SET status = 'dismissed', resolved_at = ?2 WHERE id = ?1",
            params![id, tx.stamp()],
        )?;
        audit::record(tx, "dismiss", "merge_suggestion", &id, &serde_json::json!({}))?;
        tx.sql.query_row(&format!("{SELECT} WHERE id = ?1"), [&id], suggestion_from_row).map_err(Error::from)
    })
}
