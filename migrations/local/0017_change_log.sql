-- The change log: which records changed, in commit order, whatever wrote them — a command of
-- the desktop app or the CLI, a remote update materialised by sync, a watched-folder import, the
-- agent, calendar sync or the outbound runner, in this process or another one on the same data
-- directory. Open screens refresh from it (core `changes` module: it polls `PRAGMA data_version`
-- and reads the rows after the last one it published). The existing logs do not cover every
-- write: the audit log has no rows for materialised remote updates or imported rows and is
-- rewritten by erasure, and outbox entries are deleted once pushed. So the log is fed by
-- triggers on the tables screens show, and writers need not remember it. `id` is NULL when a
-- record is erased (its id is scrubbed; the kind still tells screens to refresh). Rows are
-- pruned by the reader once published.
CREATE TABLE change_log (
    seq  INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    id   TEXT
);

CREATE TRIGGER change_log_companies_insert AFTER INSERT ON companies BEGIN
    INSERT INTO change_log (kind, id) VALUES ('company', NEW.id);
END;
CREATE TRIGGER change_log_companies_update AFTER UPDATE ON companies BEGIN
    INSERT INTO change_log (kind, id) VALUES ('company', NEW.id);
END;
CREATE TRIGGER change_log_companies_delete AFTER DELETE ON companies BEGIN
    INSERT INTO change_log (kind, id) VALUES ('company', OLD.id);
END;
CREATE TRIGGER change_log_contacts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO change_log (kind, id) VALUES ('contact', NEW.id);
END;
CREATE TRIGGER change_log_contacts_update AFTER UPDATE ON contacts BEGIN
    INSERT INTO change_log (kind, id) VALUES ('contact', NEW.id);
END;
CREATE TRIGGER change_log_contacts_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO change_log (kind, id) VALUES ('contact', OLD.id);
END;
CREATE TRIGGER change_log_deals_insert AFTER INSERT ON deals BEGIN
    INSERT INTO change_log (kind, id) VALUES ('deal', NEW.id);
END;
CREATE TRIGGER change_log_deals_update AFTER UPDATE ON deals BEGIN
    INSERT INTO change_log (kind, id) VALUES ('deal', NEW.id);
END;
CREATE TRIGGER change_log_deals_delete AFTER DELETE ON deals BEGIN
    INSERT INTO change_log (kind, id) VALUES ('deal', OLD.id);
END;
CREATE TRIGGER change_log_tasks_insert AFTER INSERT ON tasks BEGIN
    INSERT INTO change_log (kind, id) VALUES ('task', NEW.id);
END;
CREATE TRIGGER change_log_tasks_update AFTER UPDATE ON tasks BEGIN
    INSERT INTO change_log (kind, id) VALUES ('task', NEW.id);
END;
CREATE TRIGGER change_log_tasks_delete AFTER DELETE ON tasks BEGIN
    INSERT INTO change_log (kind, id) VALUES ('task', OLD.id);
END;
CREATE TRIGGER change_log_activities_insert AFTER INSERT ON activities BEGIN
    INSERT INTO change_log (kind, id) VALUES ('activity', NEW.id);
END;
CREATE TRIGGER change_log_activities_update AFTER UPDATE ON activities BEGIN
    INSERT INTO change_log (kind, id) VALUES ('activity', NEW.id);
END;
CREATE TRIGGER change_log_activities_delete AFTER DELETE ON activities BEGIN
    INSERT INTO change_log (kind, id) VALUES ('activity', OLD.id);
END;
CREATE TRIGGER change_log_meetings_insert AFTER INSERT ON meetings BEGIN
    INSERT INTO change_log (kind, id) VALUES ('meeting', NEW.id);
END;
CREATE TRIGGER change_log_meetings_update AFTER UPDATE ON meetings BEGIN
    INSERT INTO change_log (kind, id) VALUES ('meeting', NEW.id);
END;
CREATE TRIGGER change_log_meetings_delete AFTER DELETE ON meetings BEGIN
    INSERT INTO change_log (kind, id) VALUES ('meeting', OLD.id);
END;
CREATE TRIGGER change_log_meeting_attendees_insert AFTER INSERT ON meeting_attendees BEGIN
    INSERT INTO change_log (kind, id) VALUES ('meeting', NEW.meeting_id);
END;
CREATE TRIGGER change_log_meeting_attendees_update AFTER UPDATE ON meeting_attendees BEGIN
    INSERT INTO change_log (kind, id) VALUES ('meeting', NEW.meeting_id);
END;
CREATE TRIGGER change_log_meeting_attendees_delete AFTER DELETE ON meeting_attendees BEGIN
    INSERT INTO change_log (kind, id) VALUES ('meeting', OLD.meeting_id);
END;
CREATE TRIGGER change_log_memories_insert AFTER INSERT ON memories BEGIN
    INSERT INTO change_log (kind, id) VALUES ('memory', NEW.id);
END;
-- A recall bumps a memory's access statistics (access_count, last_accessed_at) and nothing else:
-- that is a read, not a change a screen shows, and logging it would make a screen that recalls
-- refresh itself over and over.
CREATE TRIGGER change_log_memories_update AFTER UPDATE ON memories
WHEN OLD.updated_at IS NOT NEW.updated_at
  OR (OLD.access_count IS NEW.access_count AND OLD.last_accessed_at IS NEW.last_accessed_at)
BEGIN
    INSERT INTO change_log (kind, id) VALUES ('memory', NEW.id);
END;
CREATE TRIGGER change_log_memories_delete AFTER DELETE ON memories BEGIN
    INSERT INTO change_log (kind, id) VALUES ('memory', OLD.id);
END;
CREATE TRIGGER change_log_memory_links_insert AFTER INSERT ON memory_links BEGIN
    INSERT INTO change_log (kind, id) VALUES ('memory', NEW.memory_id);
END;
CREATE TRIGGER change_log_memory_links_update AFTER UPDATE ON memory_links BEGIN
    INSERT INTO change_log (kind, id) VALUES ('memory', NEW.memory_id);
END;
CREATE TRIGGER change_log_memory_links_delete AFTER DELETE ON memory_links BEGIN
    INSERT INTO change_log (kind, id) VALUES ('memory', OLD.memory_id);
END;
CREATE TRIGGER change_log_notifications_insert AFTER INSERT ON notifications BEGIN
    INSERT INTO change_log (kind, id) VALUES ('alert', NEW.id);
END;
CREATE TRIGGER change_log_notifications_update AFTER UPDATE ON notifications BEGIN
    INSERT INTO change_log (kind, id) VALUES ('alert', NEW.id);
END;
CREATE TRIGGER change_log_notifications_delete AFTER DELETE ON notifications BEGIN
    INSERT INTO change_log (kind, id) VALUES ('alert', OLD.id);
END;
CREATE TRIGGER change_log_briefs_insert AFTER INSERT ON briefs BEGIN
    INSERT INTO change_log (kind, id) VALUES ('brief', NEW.id);
END;
CREATE TRIGGER change_log_briefs_update AFTER UPDATE ON briefs BEGIN
    INSERT INTO change_log (kind, id) VALUES ('brief', NEW.id);
END;
CREATE TRIGGER change_log_briefs_delete AFTER DELETE ON briefs BEGIN
    INSERT INTO change_log (kind, id) VALUES ('brief', OLD.id);
END;
CREATE TRIGGER change_log_pipelines_insert AFTER INSERT ON pipelines BEGIN
    INSERT INTO change_log (kind, id) VALUES ('pipeline', NEW.id);
END;
CREATE TRIGGER change_log_pipelines_update AFTER UPDATE ON pipelines BEGIN
    INSERT INTO change_log (kind, id) VALUES ('pipeline', NEW.id);
END;
CREATE TRIGGER change_log_pipelines_delete AFTER DELETE ON pipelines BEGIN
    INSERT INTO change_log (kind, id) VALUES ('pipeline', OLD.id);
END;
CREATE TRIGGER change_log_stages_insert AFTER INSERT ON stages BEGIN
    INSERT INTO change_log (kind, id) VALUES ('pipeline', NEW.pipeline_id);
END;
CREATE TRIGGER change_log_stages_update AFTER UPDATE ON stages BEGIN
    INSERT INTO change_log (kind, id) VALUES ('pipeline', NEW.pipeline_id);
END;
CREATE TRIGGER change_log_stages_delete AFTER DELETE ON stages BEGIN
    INSERT INTO change_log (kind, id) VALUES ('pipeline', OLD.pipeline_id);
END;
CREATE TRIGGER change_log_import_jobs_insert AFTER INSERT ON import_jobs BEGIN
    INSERT INTO change_log (kind, id) VALUES ('import_job', NEW.id);
END;
CREATE TRIGGER change_log_import_jobs_update AFTER UPDATE ON import_jobs BEGIN
    INSERT INTO change_log (kind, id) VALUES ('import_job', NEW.id);
END;
CREATE TRIGGER change_log_import_jobs_delete AFTER DELETE ON import_jobs BEGIN
    INSERT INTO change_log (kind, id) VALUES ('import_job', OLD.id);
END;
CREATE TRIGGER change_log_watched_sources_insert AFTER INSERT ON watched_sources BEGIN
    INSERT INTO change_log (kind, id) VALUES ('watched_source', NEW.id);
END;
CREATE TRIGGER change_log_watched_sources_update AFTER UPDATE ON watched_sources BEGIN
    INSERT INTO change_log (kind, id) VALUES ('watched_source', NEW.id);
END;
CREATE TRIGGER change_log_watched_sources_delete AFTER DELETE ON watched_sources BEGIN
    INSERT INTO change_log (kind, id) VALUES ('watched_source', OLD.id);
END;
CREATE TRIGGER change_log_outbound_deliveries_insert AFTER INSERT ON outbound_deliveries BEGIN
    INSERT INTO change_log (kind, id) VALUES ('delivery', NEW.id);
END;
CREATE TRIGGER change_log_outbound_deliveries_update AFTER UPDATE ON outbound_deliveries BEGIN
    INSERT INTO change_log (kind, id) VALUES ('delivery', NEW.id);
END;
CREATE TRIGGER change_log_outbound_deliveries_delete AFTER DELETE ON outbound_deliveries BEGIN
    INSERT INTO change_log (kind, id) VALUES ('delivery', OLD.id);
END;
CREATE TRIGGER change_log_connections_insert AFTER INSERT ON connections BEGIN
    INSERT INTO change_log (kind, id) VALUES ('connection', NEW.id);
END;
CREATE TRIGGER change_log_connections_update AFTER UPDATE ON connections BEGIN
    INSERT INTO change_log (kind, id) VALUES ('connection', NEW.id);
END;
CREATE TRIGGER change_log_connections_delete AFTER DELETE ON connections BEGIN
    INSERT INTO change_log (kind, id) VALUES ('connection', OLD.id);
END;
