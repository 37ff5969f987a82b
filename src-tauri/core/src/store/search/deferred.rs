//! Bulk search indexing and change logging for big write transactions.
//!
//! FTS5 flushes its pending terms at every statement savepoint, so the per-row triggers that keep
//! `contacts_fts` and `companies_fts` current write one tiny index segment per row and then merge
//! them; for a bulk import that was the single largest cost. Inside a transaction marked with
//! [`defer`], the triggers only record the changed rows (migration `0013`), and [`index_dirty`]
//! indexes them with one statement per table. [`resume`] indexes what is left and lifts the mark;
//! it must run before the transaction commits (the mark is a row written inside the transaction,
//! so other connections never see it, and a rollback removes it with everything else).
//!
//! The same mark stops the change log's insert triggers for contacts and companies (migration
//! `0019`): each would add a row, and a statement-journal copy of the log's last page, per insert.
//! [`index_dirty`] logs the rows inserted since its last call from `search_dirty` instead, so
//! the change log still names every new record before the transaction commits.

use crate::{store::ctx::Tx, Result};

/// Makes the search triggers record changed rows instead of indexing them, for the rest of `tx`
/// or until [`resume`].
pub fn defer(tx: &Tx<'_>) -> Result<()> {
    tx.sql.prepare_cached("INSERT OR IGNORE INTO search_deferred (only) VALUES (1)")?.execute([])?;
    Ok(())
}

/// Logs and indexes every row recorded since the last call, in bulk; returns how many rows it
/// indexed.
pub fn index_dirty(tx: &Tx<'_>) -> Result<usize> {
    let statements = [
        // Every recorded row that still exists: the inserts' only log rows. An update is logged
        // twice (its own trigger logs it too), which the change feed coalesces; a row inserted
        // into the rowid of one deleted earlier in the transaction is recorded as `indexed = 1`
        // and so is still logged.
        "INSERT INTO change_log (kind, id)
         SELECT 'company', c.id FROM search_dirty d JOIN companies c ON c.rowid = d.rid
         WHERE d.tbl = 'companies' ORDER BY d.rid",
        "INSERT INTO change_log (kind, id)
         SELECT 'contact', c.id FROM search_dirty d JOIN contacts c ON c.rowid = d.rid
         WHERE d.tbl = 'contacts' ORDER BY d.rid",
        "DELETE FROM contacts_fts WHERE rowid IN
             (SELECT rid FROM search_dirty WHERE tbl = 'contacts' AND indexed = 1)",
        "DELETE FROM companies_fts WHERE rowid IN
             (SELECT rid FROM search_dirty WHERE tbl = 'companies' AND indexed = 1)",
        "INSERT INTO contacts_fts (rowid, first_name, last_name, email, title, company)
         SELECT c.rowid, c.first_name, c.last_name, c.email, c.title,
                (SELECT name FROM companies WHERE id = c.company_id)
         FROM search_dirty d JOIN contacts c ON c.rowid = d.rid
         WHERE d.tbl = 'contacts' ORDER BY d.rid",
        "INSERT INTO companies_fts (rowid, name, domain, industry, location)
         SELECT c.rowid, c.name, c.domain, c.industry, c.location
         FROM search_dirty d JOIN companies c ON c.rowid = d.rid
         WHERE d.tbl = 'companies' ORDER BY d.rid",
    ];
    for sql in statements {
        tx.sql.prepare_cached(sql)?.execute([])?;
    }
    Ok(tx.sql.prepare_cached("DELETE FROM search_dirty")?.execute([])?)
}

/// Indexes what is still recorded and makes the triggers index at once again.
pub fn resume(tx: &Tx<'_>) -> Result<()> {
    index_dirty(tx)?;
    tx.sql.prepare_cached("DELETE FROM search_deferred")?.execute([])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{defer, index_dirty, resume};
    use crate::Ctx;

    fn matches(ctx: &Ctx, table: &str, query: &str) -> Vec<i64> {
        ctx.read(|conn| {
            let sql = format!("SELECT rowid FROM {table} WHERE {table} MATCH ?1 ORDER BY rowid");
            let mut stmt = conn.prepare(&sql)?;
            let rows = stmt.query_map([query], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok(rows)
        })
        .expect("search")
    }

    /// FTS5's integrity check is an INSERT command, so it runs on the writer (readers are query-only).
    fn integrity(ctx: &Ctx) {
        ctx.write(|tx| {
            tx.sql.execute("INSERT INTO contacts_fts (contacts_fts) VALUES ('integrity-check')", [])?;
            tx.sql.execute("INSERT INTO companies_fts (companies_fts) VALUES ('integrity-check')", [])?;
            Ok(())
        })
        .expect("the search indexes match their tables");
    }

    fn insert_contact(
        tx: &crate::store::ctx::Tx<'_>,
        id: &str,
        first: &str,
        company: Option<&str>,
    ) -> rusqlite::Result<i64> {
        tx.sql.execute(
            "INSERT INTO contacts (id, first_name, company_id, created_at, updated_at) VALUES (?1, ?2, ?3, 'x', 'x')",
            rusqlite::params![id, first, company],
        )?;
        Ok(tx.sql.last_insert_rowid())
    }

    /// Inserts, updates, deletes and a company rename inside a deferred transaction end up in the
    /// index exactly as the per-row triggers would have left it, with nothing indexed twice.
    #[test]
    fn deferred_changes_are_indexed_once_each_and_match_the_tables() {
        let dir = tempfile::tempdir().expect("tmp");
        let ctx = Ctx::open(dir.path()).expect("open");
        let (kept, renamed) = ctx
            .write(|tx| {
                tx.sql.execute(
                    "INSERT INTO companies (id, name, created_at, updated_at) VALUES ('co', 'Acme', 'x', 'x')",
                    [],
                )?;
                let kept = insert_contact(tx, "a", "Ada", None)?;
                let renamed = insert_contact(tx, "b", "Grace", Some("co"))?;
                insert_contact(tx, "c", "Edsger", None)?;
                Ok((kept, renamed))
            })
            .expect("seed");
        ctx.write(|tx| {
            defer(tx)?;
            let added = insert_contact(tx, "d", "Barbara", None)?;
            tx.sql.execute("UPDATE contacts SET first_name = 'Adele' WHERE rowid = ?1", [kept])?;
            tx.sql.execute("UPDATE contacts SET first_name = 'Babs' WHERE rowid = ?1", [added])?;
            assert_eq!(index_dirty(tx)?, 2, "contacts a and d wait, once each");
            tx.sql.execute("DELETE FROM contacts WHERE id = 'c'", [])?;
            tx.sql.execute("UPDATE companies SET name = 'Globex' WHERE id = 'co'", [])?;
            insert_contact(tx, "e", "Linus", Some("co"))?;
            resume(tx)
        })
        .expect("deferred writes");
        assert_eq!(matches(&ctx, "contacts_fts", "adele"), vec![kept]);
        assert!(matches(&ctx, "contacts_fts", "ada").is_empty(), "the old name left the index");
        assert!(matches(&ctx, "contacts_fts", "barbara").is_empty());
        assert_eq!(matches(&ctx, "contacts_fts", "babs").len(), 1);
        assert!(matches(&ctx, "contacts_fts", "edsger").is_empty(), "deleted contact left the index");
        assert_eq!(matches(&ctx, "contacts_fts", "globex").len(), 2, "renamed company reaches its people");
        assert!(matches(&ctx, "contacts_fts", "acme").is_empty());
        assert_eq!(matches(&ctx, "companies_fts", "globex").len(), 1);
        assert!(matches(&ctx, "contacts_fts", "grace").contains(&renamed));
        integrity(&ctx);
        let (deferred, dirty): (i64, i64) = ctx
            .read(|conn| {
                Ok(conn.query_row(
                    "SELECT (SELECT count(*) FROM search_deferred), (SELECT count(*) FROM search_dirty)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?)
            })
            .expect("state");
        assert_eq!((deferred, dirty), (0, 0), "nothing deferred outlives the transaction");

        // Back to per-row indexing: a plain write is searchable at once.
        ctx.write(|tx| insert_contact(tx, "f", "Margaret", None).map_err(Into::into)).expect("plain write");
        assert_eq!(matches(&ctx, "contacts_fts", "margaret").len(), 1);
        integrity(&ctx);
    }

    /// Inside a deferred transaction the insert triggers leave the change log to the bulk step:
    /// every record inserted is logged exactly once by the time the transaction commits (also one
    /// inserted into the rowid of one deleted just before), and a deleted one keeps its own row.
    #[test]
    fn records_inserted_while_deferred_are_logged_once_each_before_commit() {
        let dir = tempfile::tempdir().expect("tmp");
        let ctx = Ctx::open(dir.path()).expect("open");
        let logged = |ctx: &Ctx| -> Vec<(String, String, i64)> {
            ctx.read(|conn| {
                let mut stmt = conn.prepare(
                    "SELECT kind, id, count(*) FROM change_log WHERE id IS NOT NULL GROUP BY kind, id ORDER BY kind, id",
                )?;
                let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
            })
            .expect("log")
        };
        let before = logged(&ctx);
        ctx.write(|tx| {
            defer(tx)?;
            tx.sql.execute(
                "INSERT INTO companies (id, name, created_at, updated_at) VALUES ('co', 'Acme', 'x', 'x')",
                [],
            )?;
            insert_contact(tx, "a", "Ada", Some("co"))?;
            index_dirty(tx)?;
            insert_contact(tx, "b", "Grace", None)?;
            let last = insert_contact(tx, "c", "Edsger", None)?;
            tx.sql.execute("DELETE FROM contacts WHERE id = 'c'", [])?;
            let reused = insert_contact(tx, "d", "Barbara", None)?;
            assert_eq!(reused, last, "SQLite reuses the rowid of the deleted last row");
            resume(tx)
        })
        .expect("deferred writes");
        let after: Vec<_> = logged(&ctx).into_iter().filter(|row| !before.contains(row)).collect();
        let expected = [("company", "co"), ("contact", "a"), ("contact", "b"), ("contact", "c"), ("contact", "d")];
        assert_eq!(after, expected.map(|(kind, id)| (kind.to_owned(), id.to_owned(), 1)).to_vec());
    }
}
