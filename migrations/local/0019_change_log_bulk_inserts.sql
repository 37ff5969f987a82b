-- Inside a bulk write (an import chunk, a pulled sync page: the transactions that mark
-- `search_deferred`, migration 0013), new contacts and companies are logged in bulk instead of one
-- trigger row per insert. The per-row trigger wrote one `change_log` row per statement, and SQLite
-- copies every page a statement first touches into its statement journal, so the change log's
-- last page was copied once per imported row. The search triggers already record each row
-- inserted in such a transaction in `search_dirty`; `search::deferred` writes their change-log
-- rows from there with one statement per chunk, in the same transaction, before the mark is
-- lifted. Updates and deletes are still logged row by row: the search triggers record only
-- updates of searchable columns, and a deleted row's id is gone by chunk end.
DROP TRIGGER change_log_companies_insert;
DROP TRIGGER change_log_contacts_insert;

CREATE TRIGGER change_log_companies_insert AFTER INSERT ON companies
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT INTO change_log (kind, id) VALUES ('company', NEW.id);
END;
CREATE TRIGGER change_log_contacts_insert AFTER INSERT ON contacts
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT INTO change_log (kind, id) VALUES ('contact', NEW.id);
END;
