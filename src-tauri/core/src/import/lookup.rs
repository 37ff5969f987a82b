//! [`Existing`] answered by the local SQLite store, inside the import's own transaction (so rows
//! written earlier in the same batch are seen).

use rusqlite::{params, Connection, OptionalExtension};

use crate::import::{
    key_filter::{Key, KeyFilter},
    plan::{Existing, KnownContact},
};
use crate::store::ids::CompanyId;

/// Store-backed duplicate lookups using cached prepared statements.
pub struct SqlExisting<'a> {
    tx: &'a Connection,
}

impl<'a> SqlExisting<'a> {
    /// Lookups over `tx`.
    pub fn new(tx: &'a Connection) -> Self {
        Self { tx }
    }
}

const CONTACT: &str =
    "SELECT id, name_key, company_id, coalesce(linkedin_url, json_extract(custom_fields, '$.linkedin')) FROM contacts";

fn known(row: &rusqlite::Row<'_>) -> rusqlite::Result<KnownContact> {
    Ok(KnownContact { id: row.get(0)?, name_key: row.get(1)?, company_id: row.get(2)?, linkedin: row.get(3)? })
}

impl Existing for SqlExisting<'_> {
    type Error = rusqlite::Error;

    fn contact_by_email(&mut self, email: &str) -> rusqlite::Result<Option<KnownContact>> {
        let mut stmt = self.tx.prepare_cached(&format!("{CONTACT} WHERE email = ?1 LIMIT 1"))?;
        stmt.query_row([email], known).optional()
    }

    fn contacts_by_phone(&mut self, e164: &str) -> rusqlite::Result<Vec<KnownContact>> {
        let mut stmt = self.tx.prepare_cached(&format!("{CONTACT} WHERE phone_e164 = ?1 LIMIT 20"))?;
        let rows = stmt.query_map([e164], known)?;
        rows.collect()
    }

    fn contact_by_name_company(
        &mut self,
        name_key: &str,
        company: CompanyId,
    ) -> rusqlite::Result<Option<KnownContact>> {
        let mut stmt = self.tx.prepare_cached(&format!("{CONTACT} WHERE name_key = ?1 AND company_id = ?2 LIMIT 1"))?;
        stmt.query_row(params![name_key, company], known).optional()
    }

    fn company_by_domain(&mut self, domain: &str) -> rusqlite::Result<Option<CompanyId>> {
        let mut stmt = self.tx.prepare_cached("SELECT id FROM companies WHERE domain = ?1 LIMIT 1")?;
        stmt.query_row([domain], |r| r.get(0)).optional()
    }

    fn is_switchboard(&mut self, e164: &str) -> rusqlite::Result<bool> {
        let mut stmt = self.tx.prepare_cached("SELECT 1 FROM companies WHERE phone_e164 = ?1 LIMIT 1")?;
        Ok(stmt.query_row([e164], |_| Ok(())).optional()?.is_some())
    }

    fn company_by_name(&mut self, name_key: &str, location: Option<&str>) -> rusqlite::Result<Option<CompanyId>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT id FROM companies WHERE name_key = ?1
               AND (?2 IS NULL OR location IS NULL OR location = ?2 COLLATE NOCASE)
             ORDER BY created_at LIMIT 1",
        )?;
        stmt.query_row(params![name_key, location], |r| r.get(0)).optional()
    }

    fn contact_by_bare_name(
        &mut self,
        name_key: &str,
        e164: Option<&str>,
        city: Option<&str>,
    ) -> rusqlite::Result<Option<KnownContact>> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "{CONTACT} WHERE name_key = ?1 AND company_id IS NULL AND email IS NULL
               AND (phone_e164 IS ?2 OR phone_e164 IS NULL OR ?2 IS NULL)
               AND (?3 IS NULL OR coalesce(json_extract(custom_fields, '$.city'), json_extract(custom_fields, '$.home_city'))
                    IS NULL OR coalesce(json_extract(custom_fields, '$.city'), json_extract(custom_fields, '$.home_city'))
                    = ?3 COLLATE NOCASE)
             LIMIT 1"
        ))?;
        stmt.query_row(params![name_key, e164, city], known).optional()
    }
}

/// [`SqlExisting`] behind a [`KeyFilter`]: SQLite is only asked about keys that may exist, so the
/// answers are exactly SQLite's, without the probes that would all answer "no".
pub(crate) struct FilteredExisting<'a> {
    sql: SqlExisting<'a>,
    keys: &'a KeyFilter,
}

impl<'a> FilteredExisting<'a> {
    /// Lookups over `tx`, filtered by `keys`.
    pub(crate) fn new(tx: &'a Connection, keys: &'a KeyFilter) -> Self {
        Self { sql: SqlExisting::new(tx), keys }
    }
}

impl Existing for FilteredExisting<'_> {
    type Error = rusqlite::Error;

    fn contact_by_email(&mut self, email: &str) -> rusqlite::Result<Option<KnownContact>> {
        if !self.keys.may_contain(Key::Email, &[email]) {
            return Ok(None);
        }
        self.sql.contact_by_email(email)
    }

    fn contacts_by_phone(&mut self, e164: &str) -> rusqlite::Result<Vec<KnownContact>> {
        if !self.keys.may_contain(Key::Phone, &[e164]) {
            return Ok(Vec::new());
        }
        self.sql.contacts_by_phone(e164)
    }

    fn contact_by_name_company(
        &mut self,
        name_key: &str,
        company: CompanyId,
    ) -> rusqlite::Result<Option<KnownContact>> {
        if !self.keys.may_contain(Key::NameAtCompany, &[name_key, &company.to_string()]) {
            return Ok(None);
        }
        self.sql.contact_by_name_company(name_key, company)
    }

    fn company_by_domain(&mut self, domain: &str) -> rusqlite::Result<Option<CompanyId>> {
        if !self.keys.may_contain(Key::Domain, &[domain]) {
            return Ok(None);
        }
        self.sql.company_by_domain(domain)
    }

    fn is_switchboard(&mut self, e164: &str) -> rusqlite::Result<bool> {
        if !self.keys.may_contain(Key::Switchboard, &[e164]) {
            return Ok(false);
        }
        self.sql.is_switchboard(e164)
    }

    fn company_by_name(&mut self, name_key: &str, location: Option<&str>) -> rusqlite::Result<Option<CompanyId>> {
        if !self.keys.may_contain(Key::CompanyName, &[name_key]) {
            return Ok(None);
        }
        self.sql.company_by_name(name_key, location)
    }

    fn contact_by_bare_name(
        &mut self,
        name_key: &str,
        e164: Option<&str>,
        city: Option<&str>,
    ) -> rusqlite::Result<Option<KnownContact>> {
        if !self.keys.may_contain(Key::BareName, &[name_key]) {
            return Ok(None);
        }
        self.sql.contact_by_bare_name(name_key, e164, city)
    }
}
