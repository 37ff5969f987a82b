-- Records changed by bulk work (CSV imports) whose CRDT documents are built lazily, just before
-- the next push or before remote updates are applied. The marker is written in the SAME
-- transaction as the row, so a crash can never lose a change: the document is derived from the
-- row whenever the marker is flushed. Append-only (rowid order = parents before children, and no
-- random-key index to maintain while a million rows are imported); a record marked twice is
-- simply documented twice, the second time as a no-op.
CREATE TABLE sync_pending (
    seq    INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL,
    kind   TEXT NOT NULL
);
