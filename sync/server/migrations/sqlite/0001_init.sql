-- Outpost sync server schema (SQLite). Applied once, in a transaction, recorded in schema_migrations.
CREATE TABLE orgs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    share_records INTEGER NOT NULL DEFAULT 1,
    last_seq INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('rep', 'manager', 'admin')),
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    revoked_at TEXT
);
CREATE TABLE docs (
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    doc_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    owner_id INTEGER NOT NULL REFERENCES users(id),
    visibility TEXT NOT NULL,
    update_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, doc_id)
);
CREATE TABLE updates (
    org_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    doc_id TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (org_id, seq)
);
CREATE INDEX updates_by_doc ON updates (org_id, doc_id, seq);
CREATE TABLE push_receipts (
    device_id TEXT NOT NULL,
    client_seq INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (device_id, client_seq)
);
