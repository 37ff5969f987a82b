-- Local-first sync: every replicated record (company, contact, deal, task, activity, meeting) is
-- backed by one small yrs CRDT document. A local mutation stores the document's new state and the
-- update to ship in the SAME transaction as the relational row; remote updates are applied and
-- re-materialised into the row the same way. Settings keys used: sync.client_id,
-- sync.db_fingerprint, sync.seq_base, sync.server_url, sync.cursor, sync.last_sync_at,
-- sync.last_error (the device token is kept in the OS keychain, never here).

-- The compacted state of each record's document (a yrs v1 update of the whole doc).
CREATE TABLE sync_docs (
    doc_id TEXT PRIMARY KEY,
    kind   TEXT NOT NULL,
    state  BLOB NOT NULL
);

-- Local changes not yet acknowledged by the server, in the order they were made. A NULL update
-- means "the document's whole current state" (a new record: its first update IS its state, so it
-- is not stored twice; pushing a later, larger state is equally correct since updates are idempotent).
CREATE TABLE sync_outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    visibility TEXT NOT NULL DEFAULT 'org',
    "update"   BLOB,
    created_at TEXT NOT NULL
);
