-- One index serves both contact lookups by company: the company's people (`company_id = ?`) and
-- the import's duplicate check by name at a company (`name_key = ? AND company_id = ?`). Two
-- separate indexes with random keys (company ids are derived from domains) doubled the B-tree
-- pages a bulk import touches; at 1M rows they no longer fit the page cache.
DROP INDEX contacts_company;
DROP INDEX contacts_name_company;
CREATE INDEX contacts_company_name ON contacts (company_id, name_key);
