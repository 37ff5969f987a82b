-- Meetings from calendars and after the meeting.
--
-- Calendar import (`outpost meetings import FILE.ics`, watched folders): a meeting remembers the
-- iCalendar event it came from so a later export of the same calendar updates it instead of adding
-- a copy. `external_uid` (already UNIQUE) is the occurrence key: the event's UID for a single event,
-- `UID#<occurrence start, UTC>` for one occurrence of a recurring series. `calendar_uid` is the
-- bare UID shared by every occurrence of a series; `calendar_sequence` / `calendar_stamp` are the
-- SEQUENCE and DTSTAMP of the version last applied (an older version never overwrites a newer one).
-- All-day events keep their dates as midnight UTC with `all_day = 1`.
ALTER TABLE meetings ADD COLUMN all_day INTEGER NOT NULL DEFAULT 0 CHECK (all_day IN (0, 1));
ALTER TABLE meetings ADD COLUMN calendar_uid TEXT;
ALTER TABLE meetings ADD COLUMN calendar_sequence INTEGER;
ALTER TABLE meetings ADD COLUMN calendar_stamp TEXT;
CREATE INDEX meetings_calendar_uid ON meetings (calendar_uid) WHERE calendar_uid IS NOT NULL;

-- "Create follow-ups": one row per action line of a meeting's notes that became a task, so running
-- it again never duplicates a task (even after the task was completed). `line_key` is the action
-- text, whitespace-collapsed and lower-cased. Local bookkeeping, not replicated.
CREATE TABLE meeting_follow_ups (
    meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    line_key   TEXT NOT NULL,
    task_id    TEXT REFERENCES tasks (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, line_key)
);
