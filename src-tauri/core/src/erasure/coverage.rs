//! Which TEXT columns of the local schema a GDPR erasure reaches, and which hold no personal data
//! about a contact. The test at the bottom enumerates every TEXT column of every table and fails
//! when one is in neither list, so a new column must be decided on when it is added: declare it
//! personal in its entity's definition (`outpost_sync::entity`), add it to the erasure, or declare
//! it here with the reason.

/// Columns the erasure handles other than by scanning free text (see `erasure.rs`).
pub const HANDLED: &[(&str, &[&str], &str)] = &[
    (
        "contacts",
        &["first_name", "last_name", "email", "phone", "phone_e164", "name_key", "linkedin_url"],
        "the person's own identity: erased with their contact (a namesake in another contact is another person)",
    ),
    ("meeting_attendees", &["email", "name"], "the person's attendee entries are deleted"),
    ("memories", &["content"], "memories linked to or naming the person are removed whole"),
    ("audit_log", &["changes"], "rows of erased records deleted, rows naming the person redacted"),
    ("import_rows", &["message"], "unlinked and redacted"),
    ("import_jobs", &["error"], "redacted when it names the person"),
    ("processed_files", &["message"], "redacted when it names the person"),
    ("merge_suggestions", &["reason"], "deleted"),
    ("sync_quarantine", &["value", "reason"], "entries of erased records or naming the person deleted"),
    ("companies", &["name_key"], "recomputed from the redacted name"),
    (
        "scores",
        &["factors", "explanation", "label"],
        "scores of erased records deleted; others are derived and recomputed",
    ),
];

/// Columns that hold no personal data about a contact, with the reason. Besides these, columns
/// named `id`, `*_id`, `*_at` (ids and times) and the FTS shadow tables (`*_fts*`, rebuilt after
/// every erasure) are not personal.
pub const NOT_PERSONAL: &[(&str, &[&str], &str)] = &[
    ("settings", &["key", "value"], "app settings"),
    ("schema_migrations", &["name", "checksum"], "migration bookkeeping"),
    ("deals", &["expected_close"], "a date"),
    ("contacts", &["time_zone"], "an IANA zone name (`Europe/Berlin`), deleted with the contact's row"),
    ("audit_log", &["at"], "a time"),
    ("change_log", &["kind"], "an entity kind (the ids of erased records are set to NULL by the erasure)"),
    ("outbound_deliveries", &["lease_until"], "a time"),
    ("scores", &["as_of"], "a date"),
    ("pipelines", &["name"], "pipeline configuration"),
    ("stages", &["name", "kind"], "pipeline configuration"),
    ("companies", &["domain", "phone_e164"], "the company's own web domain and switchboard number"),
    ("deals", &["currency", "owner"], "currency code; owner is a user of this app, not a contact"),
    ("tasks", &["priority", "due_date", "entity_type"], "enums and dates"),
    ("meetings", &["status", "external_uid", "calendar_uid", "calendar_stamp"], "status and calendar identifiers"),
    ("activities", &["kind", "direction"], "enums"),
    ("briefs", &["status", "fingerprint", "reviewed_by"], "status, a hash, and the reviewing user"),
    ("brief_comments", &["author"], "a user of this app"),
    ("memories", &["category", "source", "owner"], "enums and the owning user"),
    ("memory_links", &["entity_type"], "enum; links to the person are deleted"),
    ("copilot_threads", &["owner"], "the owning user"),
    ("copilot_messages", &["role"], "enum"),
    ("copilot_actions", &["owner", "tool", "status"], "the owning user, tool name, status"),
    ("copilot_usage", &["owner", "month"], "token accounting per user"),
    ("audit_log", &["actor", "action", "entity_type"], "the acting user and what they did"),
    (
        "import_jobs",
        &["status", "mode", "source_kind", "source_path", "checksum", "encoding", "delimiter", "headers", "mapping"],
        "file metadata and column mapping",
    ),
    ("import_rows", &["outcome", "record_type"], "enums"),
    ("mapping_templates", &["fingerprint", "headers", "mapping"], "column mapping"),
    ("merge_suggestions", &["entity_type", "status"], "enums"),
    ("watched_sources", &["kind", "location", "settings", "status", "last_error"], "folder or bucket configuration"),
    ("processed_files", &["key", "checksum", "outcome"], "file ledger"),
    ("sync_docs", &["kind"], "document kind"),
    ("sync_erased", &["kind"], "content-free tombstone"),
    ("sync_outbox", &["kind", "visibility"], "document kind"),
    ("sync_pending", &["kind"], "document kind"),
    ("sync_pending_refs", &["kind"], "document kind"),
    ("sync_quarantine", &["kind", "field"], "document kind and field name"),
    ("meeting_follow_ups", &["line_key"], "hash of a notes line"),
    (
        "outbound_deliveries",
        &["idempotency_key", "channel", "target_ref", "target_label", "status", "last_error"],
        "delivery bookkeeping; the webhook target is configuration",
    ),
    (
        "connections",
        &["provider", "account", "status", "scopes", "secret_ref", "last_error"],
        "the user's own provider account",
    ),
    ("source_cursors", &["cursor"], "provider paging cursor"),
    ("calendar_sync", &["sync_token"], "provider sync token"),
    ("notifications", &["kind", "dedupe_key", "entity_type", "link"], "alert bookkeeping"),
    ("scores", &["entity_type", "kind"], "enums"),
    ("score_dirty", &["entity_type"], "enum"),
    ("search_dirty", &["tbl"], "table name"),
    ("sqlite_sequence", &["name", "seq"], "SQLite bookkeeping"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Ctx;

    /// Whether `table.column` is redacted by the free-text scan or handled/declared above.
    fn decided(table: &str, column: &str) -> bool {
        let listed =
            |list: &[(&str, &[&str], &str)]| list.iter().any(|(t, cols, _)| *t == table && cols.contains(&column));
        let scanned =
            super::super::free_text::scanned().iter().any(|(_, t, _, cols)| *t == table && cols.contains(&column));
        let by_name = column == "id" || column.ends_with("_id") || column.ends_with("_at") || table.contains("_fts");
        scanned || listed(HANDLED) || listed(NOT_PERSONAL) || by_name
    }

    #[test]
    fn every_text_column_is_either_erased_or_declared_not_personal() {
        let dir = tempfile::tempdir().expect("tmp");
        let ctx = Ctx::open(dir.path()).expect("open");
        let columns: Vec<(String, String)> = ctx
            .read(|c| {
                let mut stmt = c.prepare(
                    "SELECT t.name, i.name FROM sqlite_schema t, pragma_table_info(t.name) i
                     WHERE t.type = 'table' AND (upper(i.type) LIKE '%TEXT%' OR i.type = '')
                     ORDER BY t.name, i.cid",
                )?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })
            .expect("schema");
        assert!(columns.len() > 100, "the schema was read: {}", columns.len());
        let undecided: Vec<String> =
            columns.iter().filter(|(t, c)| !decided(t, c)).map(|(t, c)| format!("{t}.{c}")).collect();
        assert!(undecided.is_empty(), "TEXT columns neither erased nor declared not personal: {undecided:?}");
    }

    #[test]
    fn the_columns_the_issue_found_unredacted_are_scanned() {
        for (table, column) in [
            ("deals", "budget"),
            ("deals", "authority"),
            ("deals", "need"),
            ("deals", "timeline"),
            ("companies", "industry"),
            ("companies", "location"),
            ("contacts", "lead_source"),
        ] {
            assert!(
                super::super::free_text::scanned().iter().any(|(_, t, _, cols)| *t == table && cols.contains(&column)),
                "{table}.{column}"
            );
        }
    }
}
