-- Remote values a device refused to store. A pulled update is applied to the record's CRDT
-- document (so every replica still converges), but a field whose value breaks its definition
-- (outpost_sync::entity: a text amount, an invalid e-mail, a 1 MB name, an unparseable time) is
-- not written into the row: the row keeps its last valid value and the refusal is kept here,
-- one entry per record and field, listed by `sync status` and on the Sync screen. An entry
-- disappears when a later valid value (remote, or an edit made here) replaces the refused one,
-- and with the record when it is deleted or erased. `value` is a preview (first 200 characters)
-- of the refused value, never the whole of it.
CREATE TABLE sync_quarantine (
    doc_id      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    field       TEXT NOT NULL,
    reason      TEXT NOT NULL,
    value       TEXT,
    received_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, field)
);

-- Rows written before values were checked may hold a non-number in a number column (a peer's
-- deal with a text `value_minor` broke every read of deals). Such values are moved into the
-- quarantine and the column falls back to its default.
INSERT OR REPLACE INTO sync_quarantine (doc_id, kind, field, reason, value, received_at)
SELECT id, 'deal', 'value_minor', 'must be a whole number (stored before values were checked)',
       substr(CAST(value_minor AS TEXT), 1, 200), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM deals WHERE typeof(value_minor) <> 'integer';
UPDATE deals SET value_minor = 0 WHERE typeof(value_minor) <> 'integer';

INSERT OR REPLACE INTO sync_quarantine (doc_id, kind, field, reason, value, received_at)
SELECT id, 'meeting', 'calendar_sequence', 'must be a whole number (stored before values were checked)',
       substr(CAST(calendar_sequence AS TEXT), 1, 200), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM meetings WHERE calendar_sequence IS NOT NULL AND typeof(calendar_sequence) <> 'integer';
UPDATE meetings SET calendar_sequence = NULL
WHERE calendar_sequence IS NOT NULL AND typeof(calendar_sequence) <> 'integer';

-- A provider base URL carrying a credential (user:password@, ?key=…) is refused now; audit rows
-- written before that kept it in clear. Their changes are replaced by a content-free note.
UPDATE audit_log SET changes = '{"redacted":"a provider URL that carried credentials"}'
WHERE entity_type = 'setting' AND entity_id = 'copilot.provider'
  AND (lower(coalesce(json_extract(changes, '$.base_url'), '')) GLOB '*[?&]*key=*'
       OR lower(coalesce(json_extract(changes, '$.base_url'), '')) GLOB '*[?&]*token=*'
       OR lower(coalesce(json_extract(changes, '$.base_url'), '')) GLOB '*[?&]*secret=*'
       OR lower(coalesce(json_extract(changes, '$.base_url'), '')) GLOB '*[?&]*password=*'
       OR lower(coalesce(json_extract(changes, '$.base_url'), '')) GLOB '*[?&]sig=*'
       OR coalesce(json_extract(changes, '$.base_url'), '') GLOB '*://*@*');
