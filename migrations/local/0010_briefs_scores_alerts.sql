-- Briefs, scores and the proactive agent's notifications.
--
-- BANT qualification fields on deals are user data: they travel through the deals API and its
-- CRDT document like every other deal field. Everything else here is local: briefs are derived
-- from the records they cite (regenerated when the input fingerprint changes), scores are derived
-- (never replicated), notifications are this device's own alerts. Settings keys used:
-- competitors (comma-separated names), stale_deal_days (default 7), agent.brief_lead_hours
-- (default 2), agent.digest_time (HH:MM local, default 09:00), agent.utc_offset (e.g. +01:00).

ALTER TABLE deals ADD COLUMN budget TEXT;
ALTER TABLE deals ADD COLUMN authority TEXT;
ALTER TABLE deals ADD COLUMN need TEXT;
ALTER TABLE deals ADD COLUMN timeline TEXT;

-- Deals by owner for the manager view; open-task and close-date scans for the agent.
CREATE INDEX deals_owner ON deals (owner, stage_id);
CREATE INDEX deals_expected_close ON deals (expected_close) WHERE expected_close IS NOT NULL;
CREATE INDEX activities_occurred ON activities (occurred_at);
-- A meeting's timeline and a company's meetings, for briefs and scores (IF NOT EXISTS: the
-- meetings work may add the same index).
CREATE INDEX IF NOT EXISTS activities_meeting ON activities (meeting_id, occurred_at);
CREATE INDEX IF NOT EXISTS meetings_company ON meetings (company_id, starts_at);

-- One brief per meeting. `content` is the generated brief (JSON, every statement with the ids of
-- the records it came from); `fingerprint` is a hash of the inputs it was built from.
CREATE TABLE briefs (
    id           TEXT PRIMARY KEY,
    meeting_id   TEXT NOT NULL UNIQUE REFERENCES meetings (id) ON DELETE CASCADE,
    status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'ready', 'reviewed')),
    fingerprint  TEXT NOT NULL,
    content      TEXT NOT NULL CHECK (json_valid(content)),
    generated_at TEXT NOT NULL,
    reviewed_at  TEXT,
    reviewed_by  TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);

CREATE TABLE brief_comments (
    id         TEXT PRIMARY KEY,
    brief_id   TEXT NOT NULL REFERENCES briefs (id) ON DELETE CASCADE,
    author     TEXT NOT NULL,
    body       TEXT NOT NULL CHECK (length(trim(body)) > 0),
    created_at TEXT NOT NULL
);
CREATE INDEX brief_comments_brief ON brief_comments (brief_id, created_at);

-- Derived scores: relationship health (contact, company), lead score (contact), heat (deal).
-- `factors` is the JSON list of factors that produced the value; `as_of` the day it was computed
-- for (scores decay with time, so a score from another day is recomputed on read).
CREATE TABLE scores (
    entity_type TEXT NOT NULL CHECK (entity_type IN ('contact', 'company', 'deal')),
    entity_id   TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('health', 'lead', 'heat')),
    value       INTEGER NOT NULL CHECK (value BETWEEN 0 AND 100),
    label       TEXT,
    factors     TEXT NOT NULL CHECK (json_valid(factors)),
    explanation TEXT NOT NULL,
    as_of       TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    PRIMARY KEY (entity_type, entity_id, kind)
);

-- Records whose scores are out of date; filled by triggers (so local edits, imports and synced
-- changes all count), drained lazily when scores are read or by the agent.
CREATE TABLE score_dirty (
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    PRIMARY KEY (entity_type, entity_id)
) WITHOUT ROWID;

-- The triggers avoid conflicts instead of relying on OR IGNORE: a trigger fired by an UPSERT (as
-- sync materialisation does) runs its statements with the outer statement's ABORT policy, so an
-- ignored duplicate would fail the whole write.
CREATE TRIGGER score_dirty_activity_insert AFTER INSERT ON activities BEGIN
    INSERT INTO score_dirty (entity_type, entity_id)
    SELECT t, i FROM (
        SELECT 'contact' AS t, new.contact_id AS i
        UNION SELECT 'company', new.company_id
        UNION SELECT 'company', (SELECT company_id FROM contacts WHERE id = new.contact_id)
        UNION SELECT 'deal', new.deal_id
    )
    WHERE i IS NOT NULL AND NOT EXISTS (SELECT 1 FROM score_dirty d WHERE d.entity_type = t AND d.entity_id = i);
END;
CREATE TRIGGER score_dirty_activity_delete AFTER DELETE ON activities BEGIN
    INSERT INTO score_dirty (entity_type, entity_id)
    SELECT t, i FROM (
        SELECT 'contact' AS t, old.contact_id AS i
        UNION SELECT 'company', old.company_id
        UNION SELECT 'deal', old.deal_id
    )
    WHERE i IS NOT NULL AND NOT EXISTS (SELECT 1 FROM score_dirty d WHERE d.entity_type = t AND d.entity_id = i);
END;
CREATE TRIGGER score_dirty_contact_update AFTER UPDATE ON contacts
WHEN NOT EXISTS (SELECT 1 FROM score_dirty WHERE entity_type = 'contact' AND entity_id = new.id) BEGIN
    INSERT INTO score_dirty (entity_type, entity_id) VALUES ('contact', new.id);
END;
CREATE TRIGGER score_dirty_deal_update AFTER UPDATE ON deals
WHEN NOT EXISTS (SELECT 1 FROM score_dirty WHERE entity_type = 'deal' AND entity_id = new.id) BEGIN
    INSERT INTO score_dirty (entity_type, entity_id) VALUES ('deal', new.id);
END;
CREATE TRIGGER score_dirty_attendee_insert AFTER INSERT ON meeting_attendees
WHEN new.contact_id IS NOT NULL
 AND NOT EXISTS (SELECT 1 FROM score_dirty WHERE entity_type = 'contact' AND entity_id = new.contact_id) BEGIN
    INSERT INTO score_dirty (entity_type, entity_id) VALUES ('contact', new.contact_id);
END;

-- The agent's notifications. `dedupe_key` names the event (e.g. "deal-stale:<id>:<last activity>")
-- so the same alert is never stored, nor shown, twice, across restarts.
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('brief_ready', 'digest', 'task_overdue', 'deal_stale', 'close_date_passed')),
    dedupe_key  TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    entity_type TEXT,
    entity_id   TEXT,
    link        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    read_at     TEXT
);
CREATE INDEX notifications_unread ON notifications (read_at, created_at);
