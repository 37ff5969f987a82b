-- Copilot memories and conversation threads now replicate, as the owner-only sync kinds
-- `copilot_memory` and `copilot_conversation` (the server delivers them to their owner's devices
-- only), and briefs and brief comments replicate to the org (`brief`, `brief_comment`). Rows
-- written before this version get their documents lazily: a marker per row, flushed (document
-- built from the row, queued for the server) before the next push.
-- Only rows of the device's acting user are documented at flush time; access statistics
-- (access_count, last_accessed_at) stay local and never enter the CRDT.
INSERT INTO sync_pending (doc_id, kind)
SELECT id, 'copilot_memory' FROM memories ORDER BY created_at, id;
INSERT INTO sync_pending (doc_id, kind)
SELECT id, 'copilot_conversation' FROM copilot_threads ORDER BY created_at, id;
INSERT INTO sync_pending (doc_id, kind)
SELECT id, 'brief' FROM briefs ORDER BY created_at, id;
INSERT INTO sync_pending (doc_id, kind)
SELECT id, 'brief_comment' FROM brief_comments ORDER BY created_at, id;

-- GDPR erase rewrites documents that held the erased person's data (a meeting's attendee list, a
-- deal titled with their name): such an outbox entry carries compact = 1, asking the server to
-- replace the document's stored history with one garbage-collected snapshot of its state.
ALTER TABLE sync_outbox ADD COLUMN compact INTEGER NOT NULL DEFAULT 0 CHECK (compact IN (0, 1));
