-- CSV import: normalised keys for de-duplication, import jobs with per-row outcomes, mapping
-- templates, merge suggestions, and watched sources with the files they already imported.

ALTER TABLE contacts ADD COLUMN phone_e164 TEXT;
CREATE INDEX contacts_phone_e164 ON contacts (phone_e164) WHERE phone_e164 IS NOT NULL;
-- lower(first) || ' ' || lower(last), for the name + company duplicate rule.
ALTER TABLE contacts ADD COLUMN name_key TEXT;
CREATE INDEX contacts_name_company ON contacts (name_key, company_id) WHERE name_key IS NOT NULL;

-- Normalised company name (case, accents and legal suffixes folded) and switchboard number.
ALTER TABLE companies ADD COLUMN name_key TEXT;
ALTER TABLE companies ADD COLUMN phone_e164 TEXT;
CREATE INDEX companies_name_key ON companies (name_key) WHERE name_key IS NOT NULL;
CREATE INDEX companies_phone_e164 ON companies (phone_e164) WHERE phone_e164 IS NOT NULL;

CREATE TABLE import_jobs (
    id           TEXT PRIMARY KEY,
    status       TEXT NOT NULL CHECK (status IN ('previewed', 'importing', 'completed', 'failed', 'cancelled')),
    mode         TEXT NOT NULL DEFAULT 'skip' CHECK (mode IN ('skip', 'update')),
    source_kind  TEXT NOT NULL DEFAULT 'file',
    source_path  TEXT NOT NULL,
    checksum     TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    encoding     TEXT NOT NULL,
    delimiter    TEXT NOT NULL,
    headers      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(headers)),
    mapping      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(mapping)),
    total        INTEGER NOT NULL DEFAULT 0,
    imported     INTEGER NOT NULL DEFAULT 0,
    updated      INTEGER NOT NULL DEFAULT 0,
    skipped      INTEGER NOT NULL DEFAULT 0,
    failed       INTEGER NOT NULL DEFAULT 0,
    resume_row   INTEGER NOT NULL DEFAULT 0,
    forced       INTEGER NOT NULL DEFAULT 0 CHECK (forced IN (0, 1)),
    error        TEXT,
    duration_ms  INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    finished_at  TEXT
);
CREATE INDEX import_jobs_checksum ON import_jobs (checksum, status);

CREATE TABLE import_rows (
    job_id      TEXT NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
    row         INTEGER NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('imported', 'updated', 'skipped', 'failed')),
    record_type TEXT,
    record_id   TEXT,
    message     TEXT,
    PRIMARY KEY (job_id, row)
) WITHOUT ROWID;

CREATE TABLE mapping_templates (
    fingerprint TEXT PRIMARY KEY,
    headers     TEXT NOT NULL CHECK (json_valid(headers)),
    mapping     TEXT NOT NULL CHECK (json_valid(mapping)),
    updated_at  TEXT NOT NULL
);

CREATE TABLE merge_suggestions (
    id          TEXT PRIMARY KEY,
    entity_type TEXT NOT NULL CHECK (entity_type IN ('contact', 'company')),
    keep_id     TEXT NOT NULL,
    merge_id    TEXT NOT NULL,
    score       REAL NOT NULL,
    reason      TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'dismissed')),
    created_at  TEXT NOT NULL,
    resolved_at TEXT,
    UNIQUE (entity_type, keep_id, merge_id)
);

CREATE TABLE watched_sources (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('folder', 's3', 'gdrive', 'dropbox')),
    location     TEXT NOT NULL UNIQUE,
    settings     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
    status       TEXT NOT NULL DEFAULT 'idle',
    last_scan_at TEXT,
    last_error   TEXT,
    created_at   TEXT NOT NULL
);

CREATE TABLE processed_files (
    source_id    TEXT NOT NULL REFERENCES watched_sources (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    checksum     TEXT NOT NULL,
    job_id       TEXT,
    outcome      TEXT NOT NULL,
    processed_at TEXT NOT NULL,
    PRIMARY KEY (source_id, key, checksum)
);
