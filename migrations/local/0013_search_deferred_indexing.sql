-- Search indexing of contacts and companies can be deferred inside one write transaction and
-- done in bulk (`search::deferred`). FTS5 flushes its pending terms to disk at every statement
-- savepoint, so indexing one row per statement — as the triggers do — writes one tiny index
-- segment per row and then merges them. A bulk import therefore marks its transaction
-- deferred (a row in `search_deferred`, deleted before commit, so no other connection ever sees
-- it), the triggers below record which rows changed in `search_dirty`, and the import indexes
-- them with one statement per chunk. Outside such a transaction the triggers index at once, as
-- before. Either way an update reaches the index only when a searchable column changed (a synced
-- edit of, say, the lead source rewrites the whole row, but its search entry stays as it was).
CREATE TABLE search_deferred (
    only INTEGER PRIMARY KEY CHECK (only = 1)
);

CREATE TABLE search_dirty (
    tbl     TEXT NOT NULL CHECK (tbl IN ('contacts', 'companies')),
    rid     INTEGER NOT NULL,
    -- 1 when the row was in the search index before it changed (its old entry must go).
    indexed INTEGER NOT NULL CHECK (indexed IN (0, 1)),
    PRIMARY KEY (tbl, rid)
) WITHOUT ROWID;

DROP TRIGGER contacts_fts_insert;
DROP TRIGGER contacts_fts_update;
DROP TRIGGER contacts_fts_delete;
DROP TRIGGER companies_fts_insert;
DROP TRIGGER companies_fts_update;
DROP TRIGGER companies_fts_delete;

CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT INTO contacts_fts (rowid, first_name, last_name, email, title, company)
    VALUES (new.rowid, new.first_name, new.last_name, new.email, new.title,
            (SELECT name FROM companies WHERE id = new.company_id));
END;
CREATE TRIGGER contacts_fts_update AFTER UPDATE ON contacts
WHEN NOT EXISTS (SELECT 1 FROM search_deferred)
 AND (old.first_name IS NOT new.first_name OR old.last_name IS NOT new.last_name OR old.email IS NOT new.email
      OR old.title IS NOT new.title OR old.company_id IS NOT new.company_id) BEGIN
    DELETE FROM contacts_fts WHERE rowid = old.rowid;
    INSERT INTO contacts_fts (rowid, first_name, last_name, email, title, company)
    VALUES (new.rowid, new.first_name, new.last_name, new.email, new.title,
            (SELECT name FROM companies WHERE id = new.company_id));
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    DELETE FROM contacts_fts WHERE rowid = old.rowid;
END;

CREATE TRIGGER contacts_fts_insert_deferred AFTER INSERT ON contacts
WHEN EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT OR IGNORE INTO search_dirty (tbl, rid, indexed) VALUES ('contacts', new.rowid, 0);
END;
CREATE TRIGGER contacts_fts_update_deferred AFTER UPDATE ON contacts
WHEN EXISTS (SELECT 1 FROM search_deferred)
 AND (old.first_name IS NOT new.first_name OR old.last_name IS NOT new.last_name OR old.email IS NOT new.email
      OR old.title IS NOT new.title OR old.company_id IS NOT new.company_id) BEGIN
    INSERT OR IGNORE INTO search_dirty (tbl, rid, indexed) VALUES ('contacts', old.rowid, 1);
END;
CREATE TRIGGER contacts_fts_delete_deferred AFTER DELETE ON contacts
WHEN EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT OR IGNORE INTO search_dirty (tbl, rid, indexed) VALUES ('contacts', old.rowid, 1);
END;

CREATE TRIGGER companies_fts_insert AFTER INSERT ON companies
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT INTO companies_fts (rowid, name, domain, industry, location)
    VALUES (new.rowid, new.name, new.domain, new.industry, new.location);
END;
CREATE TRIGGER companies_fts_update AFTER UPDATE ON companies
WHEN NOT EXISTS (SELECT 1 FROM search_deferred)
 AND (old.name IS NOT new.name OR old.domain IS NOT new.domain OR old.industry IS NOT new.industry
      OR old.location IS NOT new.location) BEGIN
    DELETE FROM companies_fts WHERE rowid = old.rowid;
    INSERT INTO companies_fts (rowid, name, domain, industry, location)
    VALUES (new.rowid, new.name, new.domain, new.industry, new.location);
    -- Contacts are searchable by their company's name: refresh them when it changes.
    DELETE FROM contacts_fts
    WHERE old.name IS NOT new.name AND rowid IN (SELECT rowid FROM contacts WHERE company_id = new.id);
    INSERT INTO contacts_fts (rowid, first_name, last_name, email, title, company)
    SELECT rowid, first_name, last_name, email, title, new.name
    FROM contacts WHERE old.name IS NOT new.name AND company_id = new.id;
END;
CREATE TRIGGER companies_fts_delete AFTER DELETE ON companies
WHEN NOT EXISTS (SELECT 1 FROM search_deferred) BEGIN
    DELETE FROM companies_fts WHERE rowid = old.rowid;
END;

CREATE TRIGGER companies_fts_insert_deferred AFTER INSERT ON companies
WHEN EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT OR IGNORE INTO search_dirty (tbl, rid, indexed) VALUES ('companies', new.rowid, 0);
END;
CREATE TRIGGER companies_fts_update_deferred AFTER UPDATE ON companies
WHEN EXISTS (SELECT 1 FROM search_deferred)
 AND (old.name IS NOT new.name OR old.domain IS NOT new.domain OR old.industry IS NOT new.industry
      OR old.location IS NOT new.location) BEGIN
    INSERT OR IGNORE INTO search_dirty (tbl, rid, indexed) VALUES ('companies', old.rowid, 1);
    INSERT OR IGNORE INTO search_dirty (tbl, rid, indexed)
    SELECT 'contacts', rowid, 1 FROM contacts WHERE old.name IS NOT new.name AND company_id = new.id;
END;
CREATE TRIGGER companies_fts_delete_deferred AFTER DELETE ON companies
WHEN EXISTS (SELECT 1 FROM search_deferred) BEGIN
    INSERT OR IGNORE INTO search_dirty (tbl, rid, indexed) VALUES ('companies', old.rowid, 1);
END;
