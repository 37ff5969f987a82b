//! The erased person in *other* records: free text that names them, and copilot memories.
//!
//! - **Free text** (deal titles, next steps and notes; activity subjects and bodies; meeting titles,
//!   descriptions and notes; task titles and notes; other contacts' notes; brief contents and
//!   comments; copilot thread titles, summaries and messages; and the local-only copilot actions
//!   and notifications) that mentions the
//!   person (their e-mail, their phone, or their first AND last name) has every occurrence of
//!   those identifiers replaced by [`ERASED`]. The rewrite goes through the normal write path
//!   ([`replica::record_row`]), so it replicates like any edit.
//! - **Copilot memories** linked to the person, or whose text mentions them, are *removed*, not
//!   scrubbed: a memory about a person is personal data about them as a whole ("prefers calls
//!   after 4pm" still describes them once the name is gone). The removal is the memory's own
//!   erasure (`memories::forget_in`), queued for the server when it belongs to this device's
//!   user; the owner's other devices get the contact's erasure too and do the same there.
//!
//! Every document rewritten here is also queued with the `compact` flag: the server replaces that
//! document's stored history with one garbage-collected snapshot, so older updates holding the
//! person's data (a meeting's attendee list, a deal's old title) are gone from its store too.

use rusqlite::params;

use super::Needles;
use crate::{ctx::Tx, memories, replica, Result};

/// What replaces an erased person's identifiers in free text.
pub const ERASED: &str = "[erased]";

/// What is scanned for the person: the sync kind, the table, the column holding the id of the
/// record's document (the row's own id, or a conversation message's thread), the text columns.
const FREE_TEXT: &[(&str, &str, &str, &[&str])] = &[
    ("deal", "deals", "id", &["title", "next_step", "notes"]),
    ("activity", "activities", "id", &["subject", "body"]),
    ("meeting", "meetings", "id", &["title", "description", "notes", "location"]),
    ("task", "tasks", "id", &["title", "notes"]),
    ("contact", "contacts", "id", &["notes", "title"]),
    ("company", "companies", "id", &["name"]),
    ("brief", "briefs", "id", &["content"]),
    ("brief_comment", "brief_comments", "id", &["body"]),
    ("copilot_conversation", "copilot_threads", "id", &["title", "summary"]),
    ("copilot_conversation", "copilot_messages", "thread_id", &["content", "response"]),
    // Local only (not sync kinds): redacted in place, nothing to replicate.
    ("copilot_action", "copilot_actions", "id", &["preview", "arguments", "result", "error"]),
    ("notification", "notifications", "id", &["title", "body"]),
];

/// Replaces every ASCII-case-insensitive occurrence of `needle` (lower-cased) in `text`.
fn replace_ci(text: &str, needle: &str) -> String {
    if needle.is_empty() {
        return text.to_string();
    }
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (at, _) in lower.match_indices(needle) {
        out.push_str(&text[last..at]);
        out.push_str(ERASED);
        last = at + needle.len();
    }
    out.push_str(&text[last..]);
    out
}

/// `text` with the person's identifiers redacted (see the module docs), or None if it does not
/// mention them.
pub fn redact_text(text: &str, needles: &Needles) -> Option<String> {
    let mut out = text.to_string();
    for (a, b) in needles {
        let lower = out.to_ascii_lowercase();
        if lower.contains(a.as_str()) && lower.contains(b.as_str()) {
            out = replace_ci(&replace_ci(&out, a), b);
        }
    }
    (out != text).then_some(out)
}

/// Redacts the person from the free text of every other record (see the module docs). Returns
/// the (kind, id) of every rewritten record.
pub(super) fn redact_records(tx: &Tx<'_>, needles: &Needles) -> Result<Vec<(&'static str, String)>> {
    let mut rewritten = Vec::new();
    if needles.is_empty() {
        return Ok(rewritten);
    }
    for (kind, table, doc_column, columns) in FREE_TEXT {
        let mention =
            columns.iter().map(|c| format!("instr(lower(coalesce({c}, '')), ?1) > 0")).collect::<Vec<_>>().join(" OR ");
        let select = format!("SELECT id, {doc_column}, {} FROM {table} WHERE {mention}", columns.join(", "));
        let mut hits: Vec<(String, String, Vec<Option<String>>)> = Vec::new();
        for (a, _) in needles {
            let mut stmt = tx.sql.prepare(&select)?;
            let rows = stmt.query_map([a], |r| {
                let values = (2..columns.len() + 2).map(|i| r.get(i)).collect::<rusqlite::Result<Vec<_>>>()?;
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, values))
            })?;
            for row in rows {
                let row = row?;
                if !hits.iter().any(|(id, _, _)| *id == row.0) {
                    hits.push(row);
                }
            }
        }
        for (id, doc_id, values) in hits {
            let mut changed = false;
            for (column, value) in columns.iter().zip(&values) {
                let Some(redacted) = value.as_deref().and_then(|v| redact_text(v, needles)) else { continue };
                tx.sql.execute(&format!("UPDATE {table} SET {column} = ?2 WHERE id = ?1"), params![id, redacted])?;
                changed = true;
            }
            if changed {
                replica::record_row(tx, kind, &doc_id)?;
                rewritten.push((*kind, doc_id));
            }
        }
    }
    Ok(rewritten)
}

/// Removes the copilot memories linked to contact `id` or mentioning the person (see the module
/// docs). Returns how many were removed.
pub(super) fn forget_memories(tx: &Tx<'_>, id: &str, needles: &Needles) -> Result<u64> {
    let mut doomed: Vec<(String, String)> = {
        let mut stmt = tx.sql.prepare(
            "SELECT id, owner FROM memories
             WHERE id IN (SELECT memory_id FROM memory_links WHERE entity_type = 'contact' AND entity_id = ?1)",
        )?;
        let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (a, b) in needles {
        let mut stmt = tx.sql.prepare(
            "SELECT id, owner FROM memories WHERE instr(lower(content), ?1) > 0 AND instr(lower(content), ?2) > 0",
        )?;
        let rows = stmt.query_map(params![a, b], |r| Ok((r.get(0)?, r.get(1)?)))?;
        for row in rows {
            let row = row?;
            if !doomed.contains(&row) {
                doomed.push(row);
            }
        }
    }
    let mut removed = 0;
    for (memory, owner) in &doomed {
        let gone = if owner == tx.actor {
            memories::forget_in(tx, memory)?
        } else {
            // Another local user's memory: removed here; their own devices remove it when the
            // contact's erasure reaches them (this device's token may not erase their document).
            replica::erase::forget(tx, "copilot_memory", memory)?
        };
        removed += u64::from(gone);
    }
    tx.sql.execute("DELETE FROM memory_links WHERE entity_type = 'contact' AND entity_id = ?1", [id])?;
    Ok(removed)
}

/// Queues a history compaction of document `doc_id` for the server (see the module docs): the
/// document's whole current state, flagged `compact`.
pub(super) fn queue_compaction(tx: &Tx<'_>, kind: &str, doc_id: &str) -> Result<()> {
    if !replica::has_document(&tx.sql, doc_id)? {
        return Ok(());
    }
    tx.sql.execute(
        "INSERT INTO sync_outbox (doc_id, kind, visibility, \"update\", created_at, compact)
         VALUES (?1, ?2, ?3, NULL, ?4, 1)",
        params![doc_id, kind, replica::visibility(kind), tx.stamp()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_texts_naming_the_person_are_redacted_case_insensitively() {
        let needles = vec![
            ("zeb@x.example".to_string(), "zeb@x.example".to_string()),
            ("zebulon".to_string(), "quartermaine".to_string()),
        ];
        assert_eq!(
            redact_text("Renewal for ZEBULON Quartermaine (Zeb@X.example)", &needles).as_deref(),
            Some("Renewal for [erased] [erased] ([erased])")
        );
        assert_eq!(redact_text("Zebulon's other deal", &needles), None, "a first name alone is not the person");
        assert_eq!(redact_text("nothing here", &needles), None);
    }
}
