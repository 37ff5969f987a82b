-- Copilot: conversation threads and messages, pending actions awaiting the rep's confirmation,
-- and per-user monthly LLM usage. All of it is private to its owner (the acting user) and stays
-- on this device: none of these tables is replicated (memories and conversations would travel
-- only as the owner-only sync kinds `copilot_memory` / `copilot_conversation`).
-- Settings keys used: copilot.provider (JSON: kind, base_url, model, timeouts; never the API key,
-- which lives in the OS keychain), copilot.monthly_token_limit.

-- Memories are looked up by owner and, for event memories, by the event that produced them.
CREATE INDEX memories_owner ON memories (owner, updated_at);

CREATE TABLE copilot_threads (
    id         TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    title      TEXT NOT NULL,
    -- Summary of the messages compacted away (older turns of a long thread).
    summary    TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX copilot_threads_owner ON copilot_threads (owner, updated_at);

CREATE TABLE copilot_messages (
    id         TEXT PRIMARY KEY,
    thread_id  TEXT NOT NULL REFERENCES copilot_threads (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
    content    TEXT NOT NULL,
    -- The structured response of an assistant turn (JSON), NULL for user turns.
    response   TEXT CHECK (response IS NULL OR json_valid(response)),
    compacted  INTEGER NOT NULL DEFAULT 0 CHECK (compacted IN (0, 1)),
    created_at TEXT NOT NULL
);
CREATE INDEX copilot_messages_thread ON copilot_messages (thread_id, created_at);

CREATE TABLE copilot_actions (
    id          TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    thread_id   TEXT REFERENCES copilot_threads (id) ON DELETE SET NULL,
    tool        TEXT NOT NULL,
    arguments   TEXT NOT NULL CHECK (json_valid(arguments)),
    preview     TEXT NOT NULL,
    impact      TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'executed', 'dismissed', 'failed')),
    result      TEXT CHECK (result IS NULL OR json_valid(result)),
    error       TEXT,
    created_at  TEXT NOT NULL,
    resolved_at TEXT
);
CREATE INDEX copilot_actions_owner ON copilot_actions (owner, status, created_at);

CREATE TABLE copilot_usage (
    owner         TEXT NOT NULL,
    month         TEXT NOT NULL,
    requests      INTEGER NOT NULL DEFAULT 0,
    input_tokens  INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (owner, month)
);

-- Emails and calls know who reached out, so the copilot can find emails the rep has not
-- answered (an inbound email with no later outbound one). Replicated with the activity.
ALTER TABLE activities ADD COLUMN direction TEXT CHECK (direction IS NULL OR direction IN ('inbound', 'outbound'));
