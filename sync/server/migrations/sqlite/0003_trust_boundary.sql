-- Issue 14: write authorisation, no silent loss, resource limits.
-- Reps may update other people's org-visible records (org setting, on by default).
ALTER TABLE orgs ADD COLUMN share_editing INTEGER NOT NULL DEFAULT 1;
-- Each document's merged state (one yrs update of everything stored), so a push is authorised and
-- validated by applying it to the state in memory; NULL for documents stored before this
-- migration (rebuilt from their updates on their next push) and for erased ones.
ALTER TABLE docs ADD COLUMN state BLOB;
-- A push asked for this document's history to be compacted (done by the background maintenance).
ALTER TABLE docs ADD COLUMN compact_requested INTEGER NOT NULL DEFAULT 0;
-- Idempotency and restore detection per (device, epoch, client_seq), with the stored bytes' digest.
CREATE TABLE push_receipts_v4 (
    device_id TEXT NOT NULL,
    epoch INTEGER NOT NULL,
    client_seq INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (device_id, epoch, client_seq)
);
-- Digests of the updates stored per document: the same bytes under a new sequence number are
-- answered `duplicate`, never stored twice. Deleted with the document's updates on erasure.
CREATE TABLE update_digests (
    org_id INTEGER NOT NULL,
    doc_id TEXT NOT NULL,
    digest TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (org_id, doc_id, digest)
);
-- Per-user quotas: documents owned, and bytes stored per UTC day (history growth).
ALTER TABLE users ADD COLUMN doc_count INTEGER NOT NULL DEFAULT 0;
UPDATE users SET doc_count = (SELECT count(*) FROM docs WHERE docs.owner_id = users.id);
CREATE TABLE usage (
    user_id INTEGER NOT NULL,
    day INTEGER NOT NULL,
    bytes INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, day)
);
-- Background maintenance: a scrub (VACUUM + WAL truncation) is due after erasures and compactions.
CREATE TABLE maintenance (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    scrub_due INTEGER NOT NULL DEFAULT 0
);
INSERT INTO maintenance (id, scrub_due) VALUES (1, 1);
