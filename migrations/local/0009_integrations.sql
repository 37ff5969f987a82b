-- Integrations: the outbound delivery queue and connections to provider accounts.
-- Secrets (webhook URLs, OAuth tokens) are never stored here: `target_ref` and `secret_ref` name
-- the OS keychain entry that holds them.

CREATE TABLE outbound_deliveries (
    id               TEXT PRIMARY KEY,
    idempotency_key  TEXT NOT NULL UNIQUE,
    channel          TEXT NOT NULL CHECK (channel IN ('slack', 'webhook')),
    target_ref       TEXT NOT NULL,
    target_label     TEXT NOT NULL,
    body             TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sending', 'delivered', 'failed', 'cancelled')),
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts     INTEGER NOT NULL DEFAULT 8 CHECK (max_attempts >= 1),
    next_attempt_at  TEXT NOT NULL,
    lease_until      TEXT,
    last_error       TEXT,
    last_http_status INTEGER,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    delivered_at     TEXT
);
CREATE INDEX outbound_deliveries_due ON outbound_deliveries (status, next_attempt_at);

CREATE TABLE connections (
    id               TEXT PRIMARY KEY,
    provider         TEXT NOT NULL,
    account          TEXT,
    status           TEXT NOT NULL DEFAULT 'connected'
                     CHECK (status IN ('connected', 'reconnect', 'error')),
    scopes           TEXT NOT NULL DEFAULT '',
    secret_ref       TEXT NOT NULL UNIQUE,
    token_expires_at TEXT,
    last_sync_at     TEXT,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE UNIQUE INDEX connections_provider_account ON connections (provider, account);

-- Cloud watched folders (Google Drive, Dropbox): where the change feed was read up to, and the
-- backoff after rate limiting or provider failures. Survives restarts; goes with its source.
CREATE TABLE source_cursors (
    source_id    TEXT PRIMARY KEY REFERENCES watched_sources (id) ON DELETE CASCADE,
    cursor       TEXT,
    failures     INTEGER NOT NULL DEFAULT 0,
    next_poll_at TEXT,
    updated_at   TEXT NOT NULL
);

-- Google Calendar read sync: the events-list sync token per connection and calendar.
CREATE TABLE calendar_sync (
    connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    calendar_id   TEXT NOT NULL,
    sync_token    TEXT,
    last_full_at  TEXT,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (connection_id, calendar_id)
);
