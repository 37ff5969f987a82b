-- Server sequence numbers of this device's own pushed updates that the pull cursor has not passed
-- yet, with the SHA-256 of the bytes pushed. A pull skips an update only when both match: it is
-- already applied here, and decoding it back cost as much as applying someone else's. When the
-- server has since compacted the document into a snapshot stored under that number (which may
-- carry other devices' edits), the digest differs and the snapshot is applied like any other
-- update. Written in the transaction that removes the update from the outbox and pruned as the
-- cursor advances; restoring a backup restores this table together with the cursor, so updates
-- pushed after the backup are pulled again.
CREATE TABLE sync_own_pushes (
    seq    INTEGER PRIMARY KEY,
    digest BLOB NOT NULL
);
