-- Issue 14: write authorisation, no silent loss, resource limits (see the SQLite migration).
ALTER TABLE orgs ADD COLUMN share_editing BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE docs ADD COLUMN state BYTEA;
ALTER TABLE docs ADD COLUMN compact_requested BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE push_receipts_v4 (
    device_id TEXT NOT NULL,
    epoch BIGINT NOT NULL,
    client_seq BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (device_id, epoch, client_seq)
);
CREATE TABLE update_digests (
    org_id BIGINT NOT NULL,
    doc_id TEXT NOT NULL,
    digest TEXT NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (org_id, doc_id, digest)
);
ALTER TABLE users ADD COLUMN doc_count BIGINT NOT NULL DEFAULT 0;
UPDATE users SET doc_count = (SELECT count(*) FROM docs WHERE docs.owner_id = users.id);
CREATE TABLE usage (
    user_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    bytes BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, day)
);
CREATE TABLE maintenance (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    scrub_due BOOLEAN NOT NULL DEFAULT FALSE
);
INSERT INTO maintenance (id, scrub_due) VALUES (1, TRUE);
