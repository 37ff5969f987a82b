-- GDPR erasure (`outpost contacts erase ID`). An erased record's document, outbox entries, audit
-- rows and linked personal data are deleted; what remains is this content-free tombstone of its
-- id, so a late or stale update of the document is never applied again here, and the outbox
-- entry with erase = 1 that tells the server (and through it every replica) to erase it too.
CREATE TABLE sync_erased (
    doc_id    TEXT PRIMARY KEY,
    kind      TEXT NOT NULL,
    erased_at TEXT NOT NULL
);

ALTER TABLE sync_outbox ADD COLUMN erase INTEGER NOT NULL DEFAULT 0 CHECK (erase IN (0, 1));

-- References a materialised row could not hold yet: record `doc_id` (of `kind`) points at
-- `ref_id`, which this replica did not have when the row was written, so the column was stored
-- as NULL. When `ref_id`'s row arrives, the referencing rows are re-materialised and re-linked.
CREATE TABLE sync_pending_refs (
    doc_id TEXT NOT NULL,
    kind   TEXT NOT NULL,
    ref_id TEXT NOT NULL,
    PRIMARY KEY (doc_id, ref_id)
) WITHOUT ROWID;
CREATE INDEX sync_pending_refs_by_ref ON sync_pending_refs (ref_id);
