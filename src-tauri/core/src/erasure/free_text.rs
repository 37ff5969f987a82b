//! The erased person in *other* records: free text that names them, and copilot memories.
//!
//! - **Free text** (every column the entity definitions mark personal — deal titles, next steps,
//!   notes and BANT fields; company names, industries, locations, sizes and custom fields; other
//!   contacts' titles, lead sources, notes and custom fields; activity subjects and bodies; meeting
//!   titles, descriptions, notes and locations; task titles and notes; brief comments; copilot
//!   thread titles, summaries and messages — plus the local-only brief contents, copilot actions,
//!   notifications and outbound messages) that mentions the
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
use crate::{memories, replica, store::ctx::Tx, Result};

/// What replaces an erased person's identifiers in free text.
pub const ERASED: &str = "[erased]";

/// Free text outside the entity definitions' personal columns: local-only columns (redacted in
/// place, nothing to replicate) and a conversation's messages (stored in their own table, carried
/// in the thread's document): the sync kind, the table, the column holding the id of the
/// record's document (the row's own id, or a message's thread), the text columns.
const LOCAL_FREE_TEXT: &[(&str, &str, &str, &[&str])] = &[
    ("brief", "briefs", "id", &["content"]),
    ("copilot_conversation", "copilot_messages", "thread_id", &["content", "response"]),
    ("copilot_action", "copilot_actions", "id", &["preview", "impact", "arguments", "result", "error"]),
    ("notification", "notifications", "id", &["title", "body"]),
    ("outbound", "outbound_deliveries", "id", &["body"]),
];

/// What is scanned for the person: every personal column of every replicated entity (from
/// [`outpost_sync::entity`], so a new personal field is covered by declaring it), then
/// [`LOCAL_FREE_TEXT`]. Copilot memories are removed rather than scrubbed ([`forget_memories`]).
pub(crate) fn scanned() -> Vec<(&'static str, &'static str, &'static str, Vec<&'static str>)> {
    let entities = outpost_sync::entity::entities().iter().filter(|e| e.kind != "copilot_memory");
    let mut list: Vec<_> = entities
        .map(|e| (e.kind, e.table, "id", e.personal_columns().collect::<Vec<_>>()))
        .filter(|(_, _, _, columns)| !columns.is_empty())
        .collect();
    list.extend(LOCAL_FREE_TEXT.iter().map(|(kind, table, doc, columns)| (*kind, *table, *doc, columns.to_vec())));
    list
}

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
    for (kind, table, doc_column, columns) in scanned() {
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
            let mut key_redacted = false;
            for (column, value) in columns.iter().zip(&values) {
                let Some(original) = value.as_deref() else { continue };
                let Some(mut redacted) = redact_text(original, needles) else { continue };
                let was_json = serde_json::from_str::<serde_json::Value>(original).is_ok();
                if was_json && serde_json::from_str::<serde_json::Value>(&redacted).is_err() {
                    // A JSON column (custom fields, arguments) must stay JSON: drop it whole.
                    redacted = if original.trim_start().starts_with('[') { "[]".into() } else { "{}".into() };
                }
                tx.sql.execute(&format!("UPDATE {table} SET {column} = ?2 WHERE id = ?1"), params![id, redacted])?;
                if table == "companies" && *column == "name" {
                    // The derived search key would still spell the old name.
                    let key = crate::canonical::company::normalized_company_name(&redacted);
                    tx.sql.execute("UPDATE companies SET name_key = ?2 WHERE id = ?1", params![id, key])?;
                }
                key_redacted |= KEY_COLUMNS.contains(column);
                changed = true;
            }
            // Local-only kinds (copilot actions, notifications, …) were redacted in place: nothing
            // to replicate.
            if let (true, Some(replicated)) = (changed, replica::EntityKind::parse(kind)) {
                replica::record_row(tx, replicated, &doc_id)?;
                erase_creation_key(tx, replicated, &doc_id, key_redacted, needles)?;
            }
            if changed {
                rewritten.push((kind, doc_id));
            }
        }
    }
    Ok(rewritten)
}

/// Columns a natural key derives from: when one of them named the person, so did the record's
/// creation key.
const KEY_COLUMNS: &[&str] = &["name", "domain", "email"];

/// Scrubs the creation key of natural-key record `doc_id` (the normalised e-mail, domain or
/// company name its id derives from, kept in its document) when it spells the person: when one of
/// its key columns was redacted, or the key itself (accent-folded, as company names are) mentions
/// them. The server's compaction of the rewritten document then drops the old value from its
/// store too.
fn erase_creation_key(
    tx: &Tx<'_>,
    kind: replica::EntityKind,
    doc_id: &str,
    key_redacted: bool,
    needles: &Needles,
) -> Result<()> {
    let Some(key) = replica::record::creation_key(tx, doc_id)? else { return Ok(()) };
    if key == outpost_sync::entity::natural_key::ERASED_CREATION_KEY {
        return Ok(());
    }
    let fold = outpost_sync::entity::natural_key::fold;
    let folded: Needles = needles.iter().map(|(a, b)| (fold(a), fold(b))).collect();
    if key_redacted || redact_text(&key, needles).is_some() || redact_text(&fold(&key), &folded).is_some() {
        replica::record::erase_creation_key(tx, kind, doc_id)?;
    }
    Ok(())
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

    #[test]
    fn erase_redacts_bant_company_and_lead_source_and_the_email_before_the_name() {
        use crate::{crm::companies, crm::contacts, crm::deals, Ctx};
        let dir = tempfile::tempdir().expect("tmp");
        let ctx = Ctx::open(dir.path()).expect("open");
        let person = contacts::NewContact {
            first_name: Some("Ann".into()),
            last_name: Some("Smith".into()),
            email: Some("ann.smith@quillfeather.example".into()),
            ..Default::default()
        };
        let ann = contacts::add(&ctx, person).expect("ann");
        let mention = "ann.smith@quillfeather.example (Ann Smith)";
        let bant = deals::Bant {
            budget: Some(format!("signed off by {mention}")),
            authority: Some(mention.into()),
            need: Some(mention.into()),
            timeline: Some(mention.into()),
        };
        let deal = deals::NewDeal { title: "Renewal".into(), bant, ..Default::default() };
        deals::add(&ctx, deal).expect("deal");
        let company = companies::NewCompany {
            name: "Globex".into(),
            industry: Some(format!("consulting for {mention}")),
            location: Some(format!("c/o {mention}")),
            ..Default::default()
        };
        companies::add(&ctx, company).expect("company");
        let other = contacts::NewContact {
            first_name: Some("Bob".into()),
            lead_source: Some(format!("referred by {mention}")),
            ..Default::default()
        };
        contacts::add(&ctx, other).expect("bob");
        crate::erasure::erase_contact(&ctx, ann.id).expect("erase");

        let leftovers: Vec<String> = ctx
            .read(|c| {
                let mut stmt = c.prepare(
                    "SELECT budget || authority || need || timeline FROM deals
                     UNION ALL SELECT coalesce(industry, '') || coalesce(location, '') FROM companies
                     UNION ALL SELECT coalesce(lead_source, '') FROM contacts",
                )?;
                let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })
            .expect("read");
        for text in &leftovers {
            let lower = text.to_lowercase();
            assert!(!lower.contains("quillfeather") && !lower.contains("smith"), "left behind: {text}");
        }
        assert!(leftovers.iter().any(|t| t.contains("signed off by [erased] ([erased] [erased])")), "{leftovers:?}");
    }
}
