//! A per-job Bloom filter over every de-duplication key the store holds, so planning only asks
//! SQLite about keys that may exist.
//!
//! Most rows of a lead list are new people: without the filter each one costs half a dozen indexed
//! probes (email, phone, switchboard, name at company, company domain and name, natural-id
//! collisions) that all answer "no". The filter answers "definitely not" from memory; a "maybe"
//! (a real hit, or a false positive, ~1%) falls through to the real probe, so the plan is exactly
//! the one SQLite alone would give.
//!
//! The filter may only ever over-approximate. It is built from the store inside the import's own
//! write transaction, every key the import writes is added as it is written, and it is rebuilt
//! whenever anything else wrote to the database between two batches (this connection's change
//! counter moved, or `PRAGMA data_version` reports another connection's commit) or when it has
//! taken more keys than it was sized for. Memory: 12 bits per key (1M contacts ≈ 6 MB).

use std::hash::{Hash, Hasher};

use rusqlite::Connection;

/// The kinds of key, mixed into each hash so equal strings of different kinds do not collide.
#[derive(Debug, Clone, Copy, Hash)]
pub(crate) enum Key {
    /// A contact's e-mail address, as stored.
    Email,
    /// A contact's E.164 phone.
    Phone,
    /// A contact's name key at a company (`name_key`, `company_id`).
    NameAtCompany,
    /// A company's domain.
    Domain,
    /// A company's normalised name.
    CompanyName,
    /// A company switchboard number.
    Switchboard,
    /// A record or CRDT document id (natural-id collisions).
    Id,
    /// The name key of a contact with neither email nor company (identical people without
    /// either are the same person).
    BareName,
}

const BITS_PER_KEY: u64 = 12;
const PROBES: u64 = 8;
const MIN_BITS: u64 = 1 << 20;

/// Every key of the store (and of this import so far), as a Bloom filter.
pub(crate) struct KeyFilter {
    bits: Vec<u64>,
    capacity: u64,
    inserted: u64,
    /// `total_changes()` of the connection after this job's last batch.
    own_changes: u64,
    /// `PRAGMA data_version` after this job's last batch.
    data_version: i64,
}

fn hash_of(kind: Key, parts: &[&str]) -> u64 {
    // SipHash with fixed keys: deterministic, and plenty fast next to a SQLite probe.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    kind.hash(&mut hasher);
    parts.hash(&mut hasher);
    hasher.finish()
}

const KEY_QUERIES: &[(Key, &str)] = &[
    (Key::Email, "SELECT email FROM contacts WHERE email IS NOT NULL"),
    (Key::Phone, "SELECT phone_e164 FROM contacts WHERE phone_e164 IS NOT NULL"),
    (Key::Domain, "SELECT domain FROM companies WHERE domain IS NOT NULL"),
    (Key::CompanyName, "SELECT name_key FROM companies WHERE name_key IS NOT NULL"),
    (Key::Switchboard, "SELECT phone_e164 FROM companies WHERE phone_e164 IS NOT NULL"),
    (Key::Id, "SELECT id FROM contacts UNION ALL SELECT id FROM companies UNION ALL SELECT doc_id FROM sync_docs"),
];

impl KeyFilter {
    /// Builds the filter from the store, sized for its keys plus `expected_new` more.
    pub(crate) fn load(conn: &Connection, expected_new: u64) -> rusqlite::Result<Self> {
        let existing: u64 = conn.query_row(
            "SELECT (SELECT count(*) FROM contacts) * 4 + (SELECT count(*) FROM companies) * 4
                  + (SELECT count(*) FROM sync_docs)",
            [],
            |r| r.get(0),
        )?;
        let capacity = existing + expected_new;
        let bits = (capacity * BITS_PER_KEY).max(MIN_BITS).next_power_of_two();
        let mut filter = Self {
            bits: vec![0; usize::try_from(bits / 64).unwrap_or(usize::MAX)],
            capacity,
            inserted: 0,
            own_changes: 0,
            data_version: 0,
        };
        for (kind, sql) in KEY_QUERIES {
            let mut stmt = conn.prepare(sql)?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                if let rusqlite::types::ValueRef::Text(text) = row.get_ref(0)? {
                    filter.insert(*kind, &[&String::from_utf8_lossy(text)]);
                }
            }
        }
        let mut stmt = conn.prepare("SELECT name_key, company_id FROM contacts WHERE name_key IS NOT NULL")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let (name, company): (String, Option<String>) = (row.get(0)?, row.get(1)?);
            match company {
                Some(company) => filter.insert(Key::NameAtCompany, &[&name, &company]),
                None => filter.insert(Key::BareName, &[&name]),
            }
        }
        filter.mark_synced(conn)?;
        Ok(filter)
    }

    /// The filter's bit positions for one hash (double hashing), as (word, mask) pairs.
    fn positions(words: usize, hash: u64) -> impl Iterator<Item = (usize, u64)> {
        let mask = (words as u64 * 64) - 1;
        let step = (hash >> 32) | 1;
        (0..PROBES).map(move |i| {
            let bit = hash.wrapping_add(i.wrapping_mul(step)) & mask;
            ((bit / 64) as usize, 1u64 << (bit % 64))
        })
    }

    /// Adds a key.
    pub(crate) fn insert(&mut self, kind: Key, parts: &[&str]) {
        let hash = hash_of(kind, parts);
        for (word, bit) in Self::positions(self.bits.len(), hash) {
            self.bits[word] |= bit;
        }
        self.inserted += 1;
    }

    /// False only when the key is certainly absent from the store.
    pub(crate) fn may_contain(&self, kind: Key, parts: &[&str]) -> bool {
        let hash = hash_of(kind, parts);
        Self::positions(self.bits.len(), hash).all(|(word, bit)| self.bits[word] & bit != 0)
    }

    /// Remembers the database's state after this job's own batch (call inside its transaction).
    pub(crate) fn mark_synced(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        self.own_changes = conn.total_changes();
        self.data_version = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok(())
    }

    /// Whether the filter no longer covers the store: someone else wrote since the last batch, or
    /// it holds more keys than it was sized for (too many false positives).
    pub(crate) fn is_stale(&self, conn: &Connection) -> rusqlite::Result<bool> {
        let version: i64 = conn.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        Ok(conn.total_changes() != self.own_changes || version != self.data_version || self.inserted > self.capacity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_written_are_found_and_kinds_do_not_collide() {
        let conn = Connection::open_in_memory().expect("in-memory database");
        conn.execute_batch(
            "CREATE TABLE contacts (id TEXT, email TEXT, phone_e164 TEXT, name_key TEXT, company_id TEXT);
             CREATE TABLE companies (id TEXT, domain TEXT, name_key TEXT, phone_e164 TEXT);
             CREATE TABLE sync_docs (doc_id TEXT);
             INSERT INTO contacts VALUES ('c1', 'ada@example.com', '+442071000000', 'ada lovelace', 'k1');
             INSERT INTO companies VALUES ('k1', 'example.com', 'example', '+442079999999');",
        )
        .expect("fixture");
        let mut filter = KeyFilter::load(&conn, 10).expect("filter");
        assert!(filter.may_contain(Key::Email, &["ada@example.com"]));
        assert!(filter.may_contain(Key::NameAtCompany, &["ada lovelace", "k1"]));
        assert!(filter.may_contain(Key::Switchboard, &["+442079999999"]));
        assert!(filter.may_contain(Key::Id, &["c1"]));
        assert!(!filter.may_contain(Key::Domain, &["ada@example.com"]));
        assert!(!filter.may_contain(Key::Email, &["grace@example.com"]));
        filter.insert(Key::Email, &["grace@example.com"]);
        assert!(filter.may_contain(Key::Email, &["grace@example.com"]));
        let absent = (0..10_000).filter(|i| filter.may_contain(Key::Email, &[&format!("nobody{i}@x.io")])).count();
        assert!(absent < 100, "{absent} false positives in 10,000");
    }

    #[test]
    fn another_writer_makes_the_filter_stale() {
        let conn = Connection::open_in_memory().expect("in-memory database");
        conn.execute_batch(
            "CREATE TABLE contacts (id TEXT, email TEXT, phone_e164 TEXT, name_key TEXT, company_id TEXT);
             CREATE TABLE companies (id TEXT, domain TEXT, name_key TEXT, phone_e164 TEXT);
             CREATE TABLE sync_docs (doc_id TEXT);",
        )
        .expect("fixture");
        let filter = KeyFilter::load(&conn, 10).expect("filter");
        assert!(!filter.is_stale(&conn).expect("stale check"));
        conn.execute("INSERT INTO contacts (id, email) VALUES ('c2', 'x@y.z')", []).expect("insert");
        assert!(filter.is_stale(&conn).expect("stale check"));
    }
}
