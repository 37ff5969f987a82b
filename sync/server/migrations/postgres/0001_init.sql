-- Outpost sync server schema (PostgreSQL). Applied once, in a transaction, recorded in schema_migrations.
CREATE TABLE orgs (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    share_records BOOLEAN NOT NULL DEFAULT TRUE,
    last_seq BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('rep', 'manager', 'admin')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at TIMESTAMPTZ
);
CREATE TABLE docs (
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    doc_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users(id),
    visibility TEXT NOT NULL,
    update_count BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, doc_id)
);
CREATE TABLE updates (
    org_id BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    doc_id TEXT NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (org_id, seq)
);
CREATE INDEX updates_by_doc ON updates (org_id, doc_id, seq);
CREATE TABLE push_receipts (
    device_id TEXT NOT NULL,
    client_seq BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    PRIMARY KEY (device_id, client_seq)
);
