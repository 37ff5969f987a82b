//! GDPR erasure of a person: `outpost contacts erase ID` removes the contact and every trace of
//! their personal data from this replica, and replicates the erasure.
//!
//! What an erasure of contact X does, in one transaction:
//! - **Activities** linked to X (calls, e-mails, notes: the record of interactions with the person,
//!   whose subjects and bodies name them) and **tasks** attached to X are erased with it.
//! - **Deals** linked to X are kept (they are the business's record) and unlinked (`contact_id`
//!   set to NULL, replicated like any edit). **Meetings** keep their other attendees; X's
//!   attendee entry (by contact or e-mail address) is removed, replicated.
//! - **Merge suggestions** naming X are deleted; **import rows** that created, updated or matched X,
//!   or whose message mentions X, are unlinked and their message redacted (the job's counts stay);
//!   **memory links** to X are deleted.
//! - The **audit log** rows of every erased record are deleted and any other row whose changes
//!   mention X's e-mail, phone or names is redacted; one content-free `erase` row remains.
//! - Every erased record's CRDT document and unsent outbox entries are deleted, a content-free
//!   tombstone of its id is kept (so stale updates never resurrect it) and an erase entry is
//!   queued for the server, which deletes all stored updates of the document and tells every
//!   other replica to erase it too (they run this same function when the erasure arrives).
//!
//! - **Free text in other records** naming the person is redacted and **copilot memories** about
//!   them are removed ([`free_text`]); every document the erasure rewrote (unlinked deals, meetings
//!   that lost the attendee, redacted records) is queued for a server-side history compaction, so
//!   the server keeps no older update holding the person's data.
//!
//! Afterwards [`crate::replica::erase::scrub`] rebuilds the search indexes, VACUUMs and empties the
//! WAL, so the bytes are gone from the files as well.

#[cfg(test)]
mod coverage;
mod free_text;

use rusqlite::params;
use serde::Serialize;
use ts_rs::TS;

use crate::replica::erase::{forget, is_erased, queue, scrub, view};
use crate::replica::{Action, EntityKind};
use crate::store::ctx::Tx;
use crate::store::ids::ContactId;
use crate::{replica, Ctx, Error, Result};

/// What an erasure removed.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct Erased {
    /// The erased contact's id.
    pub id: String,
    /// Linked activities erased with the contact.
    #[ts(type = "number")]
    pub activities: u64,
    /// Tasks attached to the contact, erased with it.
    #[ts(type = "number")]
    pub tasks: u64,
    /// Deals kept but unlinked from the contact.
    #[ts(type = "number")]
    pub deals_unlinked: u64,
    /// Meetings the contact was removed from as an attendee.
    #[ts(type = "number")]
    pub meetings_updated: u64,
    /// Other records whose free text named the person, redacted.
    #[ts(type = "number")]
    pub records_redacted: u64,
    /// Copilot memories about the person, removed.
    #[ts(type = "number")]
    pub memories_removed: u64,
}

/// Text placed where a redacted message or audit payload was.
const REDACTED: &str = "personal data erased";

/// Erases contact `id` everywhere (see the module docs). Erasing an id that is already erased
/// only scrubs the files again (useful if the first scrub was blocked by another process).
pub fn erase_contact(ctx: &Ctx, id: ContactId) -> Result<Erased> {
    let id = id.to_string();
    let erased = ctx.write(|tx| {
        if is_erased(&tx.sql, &id)? {
            return Ok(Erased { id: id.clone(), ..Erased::default() });
        }
        let exists: bool =
            tx.sql.query_row("SELECT EXISTS(SELECT 1 FROM contacts WHERE id = ?1)", [&id], |r| r.get(0))?;
        if !exists && view(tx, &id)?.is_none() {
            return Err(Error::NotFound { entity: "contact", id: id.clone() });
        }
        erase_person(tx, &id, true)
    })?;
    scrub(ctx)?;
    Ok(erased)
}

/// Applies an erasure that came from the server (a pulled erasure marker, or a push refused
/// because the document was erased elsewhere). Returns whether anything was erased here.
pub(crate) fn erase_remote(tx: &Tx<'_>, kind: &str, doc_id: &str) -> Result<bool> {
    if is_erased(&tx.sql, doc_id)? {
        return Ok(false);
    }
    if kind == "contact" {
        erase_person(tx, doc_id, false)?;
        return Ok(true);
    }
    let identifiers = identifiers(tx, kind, doc_id)?;
    forget(tx, kind, doc_id)?;
    redact(tx, &[doc_id.to_string()], &identifiers)?;
    Ok(true)
}

/// What identifies the person in free text: each entry is one or two needles that must all
/// appear (e-mail; phone; LinkedIn profile; first AND last name, so a shared surname alone
/// matches nothing).
type Needles = Vec<(String, String)>;

/// The personal identifiers of record `id` of `kind` (from its row, else its document), used to
/// find mentions of the person in logs. Only values of 3+ characters, to avoid matching noise;
/// ASCII-lower-cased like SQLite's `lower()`, which the lookups use.
fn identifiers(tx: &Tx<'_>, kind: &str, id: &str) -> Result<Needles> {
    if kind != "contact" {
        return Ok(Vec::new());
    }
    let from_row: Option<Vec<Option<String>>> = tx
        .sql
        .query_row(
            "SELECT email, phone, phone_e164, linkedin_url, first_name, last_name FROM contacts WHERE id = ?1",
            [id],
            |r| Ok(vec![r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?]),
        )
        .map(Some)
        .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?;
    let values = match from_row {
        Some(values) => values,
        None => {
            let fields = view(tx, id)?.map(|v| v.fields).unwrap_or_default();
            ["email", "phone", "phone_e164", "linkedin_url", "first_name", "last_name"]
                .iter()
                .map(|f| fields.get(*f).and_then(|v| v.as_str()).map(str::to_string))
                .collect()
        }
    };
    let clean =
        |v: &Option<String>| v.as_deref().map(|v| v.trim().to_ascii_lowercase()).filter(|v| v.chars().count() >= 3);
    let mut needles: Needles = values[..3].iter().filter_map(clean).map(|v| (v.clone(), v)).collect();
    // The LinkedIn profile as people paste it: with or without scheme and `www.`.
    if let Some(profile) = clean(&values[3]).as_deref().and_then(|url| url.split_once("linkedin.com/")) {
        let profile = format!("linkedin.com/{}", profile.1);
        needles.push((profile.clone(), profile));
    }
    match (clean(&values[4]), clean(&values[5])) {
        (Some(first), Some(last)) => needles.push((first, last)),
        (Some(one), None) | (None, Some(one)) => needles.push((one.clone(), one)),
        (None, None) => {}
    }
    // E-mail first, then phones, then the name: replacing the name first would leave
    // `[erased].[erased]@their-domain` where the e-mail was, keeping the domain.
    let mut unique: Needles = Vec::new();
    for needle in needles {
        if !unique.contains(&needle) {
            unique.push(needle);
        }
    }
    let needles = unique;
    Ok(needles)
}

fn ids(tx: &Tx<'_>, sql: &str, id: &str) -> Result<Vec<String>> {
    let mut stmt = tx.sql.prepare(sql)?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The erasure of contact `id` and what hangs off it (see the module docs), inside `tx`. The
/// contact's own erasure is queued for the server only when it started here (`local`); linked
/// records found here are always queued, since the eraser may not have known them.
fn erase_person(tx: &Tx<'_>, id: &str, local: bool) -> Result<Erased> {
    let identifiers = identifiers(tx, "contact", id)?;
    let email: Option<String> = tx
        .sql
        .query_row("SELECT lower(email) FROM contacts WHERE id = ?1", [id], |r| r.get(0))
        .or_else(|e| if e == rusqlite::Error::QueryReturnedNoRows { Ok(None) } else { Err(e) })?;
    let mut erased = Erased { id: id.to_string(), ..Erased::default() };
    let mut gone = vec![id.to_string()];

    for activity in ids(tx, "SELECT id FROM activities WHERE contact_id = ?1", id)? {
        if forget(tx, "activity", &activity)? {
            queue(tx, "activity", &activity)?;
            erased.activities += 1;
        }
        gone.push(activity);
    }
    for task in ids(tx, "SELECT id FROM tasks WHERE entity_type = 'contact' AND entity_id = ?1", id)? {
        if forget(tx, "task", &task)? {
            queue(tx, "task", &task)?;
            erased.tasks += 1;
        }
        gone.push(task);
    }
    let mut rewritten: Vec<(&'static str, String)> = Vec::new();
    for deal in ids(tx, "SELECT id FROM deals WHERE contact_id = ?1", id)? {
        tx.sql
            .execute("UPDATE deals SET contact_id = NULL, updated_at = ?2 WHERE id = ?1", params![deal, tx.stamp()])?;
        rewritten.push(("deal", deal.clone()));
        tx.changed(EntityKind::Deal, &deal, Action::Unlink, &serde_json::json!({ "contact_id": null }))?;
        erased.deals_unlinked += 1;
    }
    let meetings = {
        let mut stmt = tx.sql.prepare(
            "SELECT DISTINCT meeting_id FROM meeting_attendees WHERE contact_id = ?1 OR (?2 IS NOT NULL AND lower(email) = ?2)",
        )?;
        let rows = stmt.query_map(params![id, email], |r| r.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    for meeting in &meetings {
        tx.sql.execute(
            "DELETE FROM meeting_attendees WHERE meeting_id = ?1 AND (contact_id = ?2 OR (?3 IS NOT NULL AND lower(email) = ?3))",
            params![meeting, id, email],
        )?;
        replica::record_row(tx, EntityKind::Meeting, meeting)?;
        rewritten.push(("meeting", meeting.clone()));
        erased.meetings_updated += 1;
    }
    erased.memories_removed = free_text::forget_memories(tx, id, &identifiers)?;
    if forget(tx, "contact", id)? && local {
        queue(tx, "contact", id)?;
    }
    let redacted = free_text::redact_records(tx, &identifiers)?;
    erased.records_redacted = redacted.len() as u64;
    rewritten.extend(redacted);
    rewritten.sort();
    rewritten.dedup();
    for (kind, doc_id) in &rewritten {
        free_text::queue_compaction(tx, kind, doc_id)?;
    }
    redact(tx, &gone, &identifiers)?;
    let summary = serde_json::json!({
        "activities": erased.activities,
        "tasks": erased.tasks,
        "deals_unlinked": erased.deals_unlinked,
        "meetings_updated": erased.meetings_updated,
        "records_redacted": erased.records_redacted,
        "memories_removed": erased.memories_removed,
    });
    tx.changed(EntityKind::Contact, &id, Action::Erase, &summary)?;
    Ok(erased)
}

/// Removes mentions of erased records `gone` and of the person's `identifiers` from the merge
/// suggestions, import rows and audit log.
fn redact(tx: &Tx<'_>, gone: &[String], identifiers: &[(String, String)]) -> Result<()> {
    for id in gone {
        tx.sql.execute("DELETE FROM merge_suggestions WHERE keep_id = ?1 OR merge_id = ?1", [id])?;
        tx.sql.execute("DELETE FROM sync_quarantine WHERE doc_id = ?1", [id])?;
        tx.sql.execute("DELETE FROM scores WHERE entity_id = ?1", [id])?;
        tx.sql.execute("DELETE FROM score_dirty WHERE entity_id = ?1", [id])?;
        tx.sql.execute(
            "UPDATE import_rows SET record_id = NULL, record_type = NULL,
                    message = CASE WHEN message IS NULL THEN NULL ELSE ?2 END
             WHERE record_id = ?1",
            params![id, REDACTED],
        )?;
        tx.sql.execute("DELETE FROM audit_log WHERE entity_id = ?1", [id])?;
        // The change log keeps the kind (open screens still refresh), never the erased id.
        tx.sql.execute("UPDATE change_log SET id = NULL WHERE id = ?1", [id])?;
    }
    let redacted_changes = serde_json::json!({ "redacted": REDACTED }).to_string();
    for (a, b) in identifiers {
        let mentions = |column: &str| format!("instr(lower({column}), ?1) > 0 AND instr(lower({column}), ?2) > 0");
        tx.sql.execute(&format!("DELETE FROM merge_suggestions WHERE {}", mentions("reason")), params![a, b])?;
        // A refused value naming the person: its preview and reason go (the row never held it).
        tx.sql.execute(
            &format!(
                "DELETE FROM sync_quarantine WHERE ({}) OR ({})",
                mentions("coalesce(value, '')"),
                mentions("reason")
            ),
            params![a, b],
        )?;
        tx.sql.execute(
            &format!("UPDATE import_rows SET message = ?3 WHERE {}", mentions("coalesce(message, '')")),
            params![a, b, REDACTED],
        )?;
        tx.sql.execute(
            &format!("UPDATE audit_log SET changes = ?3 WHERE {}", mentions("changes")),
            params![a, b, redacted_changes],
        )?;
        tx.sql.execute(
            &format!("UPDATE import_jobs SET error = ?3 WHERE {}", mentions("coalesce(error, '')")),
            params![a, b, REDACTED],
        )?;
        tx.sql.execute(
            &format!("UPDATE processed_files SET message = ?3 WHERE {}", mentions("coalesce(message, '')")),
            params![a, b, REDACTED],
        )?;
    }
    Ok(())
}
