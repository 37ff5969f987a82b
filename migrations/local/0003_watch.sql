-- Watched sources: why a file failed (shown by `outpost watch list` and the app), and a lookup of
-- processed files by content so the same bytes under a new name are recognised as a duplicate.

ALTER TABLE processed_files ADD COLUMN message TEXT;
CREATE INDEX processed_files_checksum ON processed_files (source_id, checksum);
