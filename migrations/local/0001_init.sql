-- Outpost local store, first schema: the rep's world.
-- Timestamps are RFC 3339 UTC text, calendar dates are YYYY-MM-DD text, ids are UUIDv7 text.
-- Money is stored in minor units (cents) to keep sums exact.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE companies (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL CHECK (length(trim(name)) > 0),
    domain        TEXT,
    industry      TEXT,
    location      TEXT,
    size          TEXT,
    custom_fields TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom_fields)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX companies_domain ON companies (domain) WHERE domain IS NOT NULL;
CREATE INDEX companies_name ON companies (name COLLATE NOCASE);

CREATE TABLE contacts (
    id                TEXT PRIMARY KEY,
    first_name        TEXT,
    last_name         TEXT,
    email             TEXT,
    phone             TEXT,
    title             TEXT,
    company_id        TEXT REFERENCES companies (id) ON DELETE SET NULL,
    email_opt_out     INTEGER NOT NULL DEFAULT 0 CHECK (email_opt_out IN (0, 1)),
    sms_opt_out       INTEGER NOT NULL DEFAULT 0 CHECK (sms_opt_out IN (0, 1)),
    do_not_call       INTEGER NOT NULL DEFAULT 0 CHECK (do_not_call IN (0, 1)),
    lead_source       TEXT,
    notes             TEXT,
    custom_fields     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom_fields)),
    last_contacted_at TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK (coalesce(first_name, last_name, email, phone) IS NOT NULL)
);
CREATE INDEX contacts_email ON contacts (email) WHERE email IS NOT NULL;
CREATE INDEX contacts_company ON contacts (company_id);

CREATE TABLE pipelines (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at TEXT NOT NULL
);

CREATE TABLE stages (
    id          TEXT PRIMARY KEY,
    pipeline_id TEXT NOT NULL REFERENCES pipelines (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    probability INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
    kind        TEXT NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
    UNIQUE (pipeline_id, name COLLATE NOCASE),
    UNIQUE (pipeline_id, position)
);

-- The default pipeline has fixed ids so every device (and, later, every sync replica) agrees on them.
INSERT INTO pipelines (id, name, is_default, created_at)
VALUES ('01900000-0000-7000-8000-000000000001', 'Sales', 1, '2026-01-01T00:00:00Z');
INSERT INTO stages (id, pipeline_id, name, position, probability, kind) VALUES
    ('01900000-0000-7000-8000-000000000101', '01900000-0000-7000-8000-000000000001', 'Lead',        1, 10,  'open'),
    ('01900000-0000-7000-8000-000000000102', '01900000-0000-7000-8000-000000000001', 'Qualified',   2, 25,  'open'),
    ('01900000-0000-7000-8000-000000000103', '01900000-0000-7000-8000-000000000001', 'Proposal',    3, 50,  'open'),
    ('01900000-0000-7000-8000-000000000104', '01900000-0000-7000-8000-000000000001', 'Negotiation', 4, 75,  'open'),
    ('01900000-0000-7000-8000-000000000105', '01900000-0000-7000-8000-000000000001', 'Won',         5, 100, 'won'),
    ('01900000-0000-7000-8000-000000000106', '01900000-0000-7000-8000-000000000001', 'Lost',        6, 0,   'lost');

CREATE TABLE deals (
    id               TEXT PRIMARY KEY,
    title            TEXT NOT NULL CHECK (length(trim(title)) > 0),
    value_minor      INTEGER NOT NULL DEFAULT 0 CHECK (value_minor >= 0),
    currency         TEXT NOT NULL DEFAULT 'USD' CHECK (length(currency) = 3),
    pipeline_id      TEXT NOT NULL REFERENCES pipelines (id),
    stage_id         TEXT NOT NULL REFERENCES stages (id),
    stage_entered_at TEXT NOT NULL,
    expected_close   TEXT,
    owner            TEXT,
    contact_id       TEXT REFERENCES contacts (id) ON DELETE SET NULL,
    company_id       TEXT REFERENCES companies (id) ON DELETE SET NULL,
    next_step        TEXT,
    notes            TEXT,
    closed_at        TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX deals_stage ON deals (stage_id);
CREATE INDEX deals_contact ON deals (contact_id);
CREATE INDEX deals_company ON deals (company_id);

CREATE TABLE tasks (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL CHECK (length(trim(title)) > 0),
    notes       TEXT,
    due_date    TEXT,
    priority    TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high')),
    entity_type TEXT CHECK (entity_type IN ('contact', 'company', 'deal', 'meeting')),
    entity_id   TEXT,
    done_at     TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK ((entity_type IS NULL) = (entity_id IS NULL))
);
CREATE INDEX tasks_open ON tasks (done_at, due_date);
CREATE INDEX tasks_entity ON tasks (entity_type, entity_id);

CREATE TABLE meetings (
    id           TEXT PRIMARY KEY,
    title        TEXT NOT NULL CHECK (length(trim(title)) > 0),
    starts_at    TEXT NOT NULL,
    ends_at      TEXT,
    location     TEXT,
    description  TEXT,
    notes        TEXT,
    status       TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    external_uid TEXT UNIQUE,
    company_id   TEXT REFERENCES companies (id) ON DELETE SET NULL,
    deal_id      TEXT REFERENCES deals (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (ends_at IS NULL OR ends_at >= starts_at)
);
CREATE INDEX meetings_starts ON meetings (starts_at);

CREATE TABLE meeting_attendees (
    meeting_id  TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    email       TEXT NOT NULL,
    name        TEXT,
    contact_id  TEXT REFERENCES contacts (id) ON DELETE SET NULL,
    is_internal INTEGER NOT NULL DEFAULT 0 CHECK (is_internal IN (0, 1)),
    PRIMARY KEY (meeting_id, email)
);
CREATE INDEX meeting_attendees_contact ON meeting_attendees (contact_id);

CREATE TABLE activities (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('note', 'call', 'email', 'meeting', 'stage_change')),
    subject     TEXT NOT NULL,
    body        TEXT,
    occurred_at TEXT NOT NULL,
    contact_id  TEXT REFERENCES contacts (id) ON DELETE SET NULL,
    company_id  TEXT REFERENCES companies (id) ON DELETE SET NULL,
    deal_id     TEXT REFERENCES deals (id) ON DELETE SET NULL,
    meeting_id  TEXT REFERENCES meetings (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX activities_contact ON activities (contact_id, occurred_at);
CREATE INDEX activities_company ON activities (company_id, occurred_at);
CREATE INDEX activities_deal ON activities (deal_id, occurred_at);

CREATE TABLE memories (
    id               TEXT PRIMARY KEY,
    category         TEXT NOT NULL CHECK (category IN ('deal', 'relationship', 'preference', 'commitment', 'fact')),
    content          TEXT NOT NULL CHECK (length(trim(content)) > 0),
    confidence       REAL NOT NULL DEFAULT 1.0 CHECK (confidence BETWEEN 0.0 AND 1.0),
    source           TEXT NOT NULL DEFAULT 'user' CHECK (source IN ('user', 'copilot', 'event')),
    owner            TEXT NOT NULL,
    access_count     INTEGER NOT NULL DEFAULT 0 CHECK (access_count >= 0),
    last_accessed_at TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

CREATE TABLE memory_links (
    memory_id   TEXT NOT NULL REFERENCES memories (id) ON DELETE CASCADE,
    entity_type TEXT NOT NULL CHECK (entity_type IN ('contact', 'company', 'deal', 'meeting')),
    entity_id   TEXT NOT NULL,
    PRIMARY KEY (memory_id, entity_type, entity_id)
);
CREATE INDEX memory_links_entity ON memory_links (entity_type, entity_id);

CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    changes     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(changes))
);
CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);

-- Full-text search. Standalone FTS5 tables keyed by the owning row's rowid, kept current by triggers.
CREATE VIRTUAL TABLE contacts_fts USING fts5 (
    first_name, last_name, email, title, company, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE companies_fts USING fts5 (
    name, domain, industry, location, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE memories_fts USING fts5 (
    content, tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts (rowid, first_name, last_name, email, title, company)
    VALUES (new.rowid, new.first_name, new.last_name, new.email, new.title,
            (SELECT name FROM companies WHERE id = new.company_id));
END;
CREATE TRIGGER contacts_fts_update AFTER UPDATE ON contacts BEGIN
    DELETE FROM contacts_fts WHERE rowid = old.rowid;
    INSERT INTO contacts_fts (rowid, first_name, last_name, email, title, company)
    VALUES (new.rowid, new.first_name, new.last_name, new.email, new.title,
            (SELECT name FROM companies WHERE id = new.company_id));
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM contacts_fts WHERE rowid = old.rowid;
END;

CREATE TRIGGER companies_fts_insert AFTER INSERT ON companies BEGIN
    INSERT INTO companies_fts (rowid, name, domain, industry, location)
    VALUES (new.rowid, new.name, new.domain, new.industry, new.location);
END;
CREATE TRIGGER companies_fts_update AFTER UPDATE ON companies BEGIN
    DELETE FROM companies_fts WHERE rowid = old.rowid;
    INSERT INTO companies_fts (rowid, name, domain, industry, location)
    VALUES (new.rowid, new.name, new.domain, new.industry, new.location);
    -- Contacts are searchable by their company's name: refresh them when it changes.
    UPDATE contacts SET company_id = company_id WHERE company_id = new.id AND old.name IS NOT new.name;
END;
CREATE TRIGGER companies_fts_delete AFTER DELETE ON companies BEGIN
    DELETE FROM companies_fts WHERE rowid = old.rowid;
END;

CREATE TRIGGER memories_fts_insert AFTER INSERT ON memories BEGIN
    INSERT INTO memories_fts (rowid, content) VALUES (new.rowid, new.content);
END;
CREATE TRIGGER memories_fts_update AFTER UPDATE OF content ON memories BEGIN
    DELETE FROM memories_fts WHERE rowid = old.rowid;
    INSERT INTO memories_fts (rowid, content) VALUES (new.rowid, new.content);
END;
CREATE TRIGGER memories_fts_delete AFTER DELETE ON memories BEGIN
    DELETE FROM memories_fts WHERE rowid = old.rowid;
END;
