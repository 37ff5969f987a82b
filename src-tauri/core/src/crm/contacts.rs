//! Contacts: the people a rep talks to, with their consent flags.

use rusqlite::{params, types::Value as SqlValue, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::replica::{row::Write, Action, EntityKind};
use crate::{
    crm::companies,
    crm::companies::Deleted,
    store::audit,
    store::ctx::Tx,
    store::ids::{CompanyId, ContactId},
    store::search::{like_pattern, ListQuery},
    store::validate::{self, MAX_LONG, MAX_SHORT},
    Ctx, Error, Result,
};

/// A contact as stored, with its company's name for display.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Contact {
    /// Id.
    pub id: ContactId,
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Lower-cased email address.
    pub email: Option<String>,
    /// Phone as entered.
    pub phone: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// Employer.
    pub company_id: Option<CompanyId>,
    /// Employer's name (read-only, joined).
    pub company_name: Option<String>,
    /// Asked not to be emailed.
    pub email_opt_out: bool,
    /// Asked not to be texted.
    pub sms_opt_out: bool,
    /// Asked not to be called.
    pub do_not_call: bool,
    /// Where the lead came from.
    pub lead_source: Option<String>,
    /// LinkedIn profile, `https://www.linkedin.com/in/<profile>`.
    pub linkedin_url: Option<String>,
    /// IANA time zone (`Europe/Berlin`).
    pub time_zone: Option<String>,
    /// Free-form notes.
    pub notes: Option<String>,
    /// Extra fields kept from imports.
    #[ts(type = "Record<string, unknown>")]
    pub custom_fields: serde_json::Value,
    /// Last call/email/meeting logged (RFC 3339).
    pub last_contacted_at: Option<String>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl Contact {
    /// "First Last", falling back to the email or phone.
    pub fn display_name(&self) -> String {
        let name =
            [self.first_name.as_deref(), self.last_name.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            self.email.clone().or_else(|| self.phone.clone()).unwrap_or_default()
        } else {
            name
        }
    }
}

/// Input for creating a contact.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct NewContact {
    /// Given name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Email address.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// Job title.
    #[serde(default)]
    pub title: Option<String>,
    /// Existing company id.
    #[serde(default)]
    pub company_id: Option<CompanyId>,
    /// Company by name: linked if it exists (case-insensitive), created otherwise.
    #[serde(default)]
    pub company: Option<String>,
    /// Email opt-out.
    #[serde(default)]
    pub email_opt_out: Option<bool>,
    /// SMS opt-out.
    #[serde(default)]
    pub sms_opt_out: Option<bool>,
    /// Do-not-call.
    #[serde(default)]
    pub do_not_call: Option<bool>,
    /// Lead source.
    #[serde(default)]
    pub lead_source: Option<String>,
    /// LinkedIn profile URL (the scheme may be left out).
    #[serde(default)]
    pub linkedin_url: Option<String>,
    /// IANA time zone name (`Europe/Berlin`).
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
}

/// Changes to a contact; absent fields stay, an empty string clears a text field.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct ContactUpdate {
    /// Which contact.
    pub id: ContactId,
    /// Given name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Link to this company id.
    #[serde(default)]
    pub company_id: Option<CompanyId>,
    /// Link to the company with this name (created if missing); empty string unlinks.
    #[serde(default)]
    pub company: Option<String>,
    /// Email opt-out.
    #[serde(default)]
    pub email_opt_out: Option<bool>,
    /// SMS opt-out.
    #[serde(default)]
    pub sms_opt_out: Option<bool>,
    /// Do-not-call.
    #[serde(default)]
    pub do_not_call: Option<bool>,
    /// Lead source.
    #[serde(default)]
    pub lead_source: Option<String>,
    /// LinkedIn profile URL (the scheme may be left out).
    #[serde(default)]
    pub linkedin_url: Option<String>,
    /// IANA time zone name (`Europe/Berlin`).
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
}

const COLUMNS: &str = "c.id, c.first_name, c.last_name, c.email, c.phone, c.title, c.company_id, co.name,
    c.email_opt_out, c.sms_opt_out, c.do_not_call, c.lead_source, c.notes, c.custom_fields,
    c.last_contacted_at, c.created_at, c.updated_at, c.linkedin_url, c.time_zone";
const FROM: &str = "contacts c LEFT JOIN companies co ON co.id = c.company_id";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Contact> {
    let custom: String = row.get(13)?;
    Ok(Contact {
        id: row.get(0)?,
        first_name: row.get(1)?,
        last_name: row.get(2)?,
        email: row.get(3)?,
        phone: row.get(4)?,
        title: row.get(5)?,
        company_id: row.get(6)?,
        company_name: row.get(7)?,
        email_opt_out: row.get(8)?,
        sms_opt_out: row.get(9)?,
        do_not_call: row.get(10)?,
        lead_source: row.get(11)?,
        linkedin_url: row.get(17)?,
        time_zone: row.get(18)?,
        notes: row.get(12)?,
        custom_fields: serde_json::from_str(&custom).unwrap_or_default(),
        last_contacted_at: row.get(14)?,
        created_at: row.get(15)?,
        updated_at: row.get(16)?,
    })
}

pub(crate) fn fetch(conn: &Connection, id: ContactId) -> Result<Contact> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE c.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: "contact", id: id.to_string() })
}

/// Resolves the company a contact or deal should link to: an explicit id must exist; a name links
/// to (or creates) that company; an empty name means "no company".
pub(crate) fn resolve_company(
    tx: &Tx<'_>,
    id: Option<CompanyId>,
    name: Option<String>,
) -> Result<Option<Option<CompanyId>>> {
    if let Some(id) = id {
        companies::fetch(&tx.sql, id)?;
        return Ok(Some(Some(id)));
    }
    match name {
        None => Ok(None),
        Some(name) if name.trim().is_empty() => Ok(Some(None)),
        Some(name) => companies::find_or_create_by_name(tx, name).map(|id| Some(Some(id))),
    }
}

fn ensure_email_unique(tx: &Tx<'_>, email: Option<&str>, except: Option<ContactId>) -> Result<()> {
    let Some(email) = email else { return Ok(()) };
    let clash: Option<ContactId> = tx
        .sql
        .query_row("SELECT id FROM contacts WHERE email = ?1 AND id IS NOT ?2 LIMIT 1", params![email, except], |row| {
            row.get(0)
        })
        .optional()?;
    match clash {
        Some(other) => Err(Error::Conflict {
            message: format!("a contact with email {email} already exists ({other}); update that contact instead"),
        }),
        None => Ok(()),
    }
}

fn check_identity(contact: &Contact) -> Result<()> {
    if contact.first_name.is_none() && contact.last_name.is_none() && contact.email.is_none() && contact.phone.is_none()
    {
        return Err(Error::invalid("first_name", "a contact needs at least a name, an email or a phone number"));
    }
    Ok(())
}

/// Stores `contact`'s row (every replicated column, from the definition; see
/// [`crate::replica::row`]) with its derived search keys. `e164` is the phone in E.164 when the
/// caller knows better than the default region (the importer reads the row's country); `None`
/// derives it here. Shared by `contacts add/edit` and the importer.
pub(crate) fn write_row(tx: &Tx<'_>, contact: &Contact, write: Write, e164: Option<Option<String>>) -> Result<()> {
    write_checked_row(tx, contact, crate::replica::row::check(EntityKind::Contact, contact)?, write, e164)
}

/// [`write_row`] of the columns `checked` holds — `contact` checked by [`crate::replica::row::check`],
/// which the importer does before it writes the contact's company — with the search keys derived
/// from `contact`.
pub(crate) fn write_checked_row(
    tx: &Tx<'_>,
    contact: &Contact,
    checked: crate::replica::row::Checked,
    write: Write,
    e164: Option<Option<String>>,
) -> Result<()> {
    let e164 = e164.unwrap_or_else(|| {
        contact.phone.as_deref().and_then(|p| {
            crate::canonical::contact_info::phone_to_e164(p, crate::canonical::contact_info::region_of("GB"))
        })
    });
    let name_key = crate::canonical::names::name_key(contact.first_name.as_deref(), contact.last_name.as_deref());
    let local = [
        ("phone_e164", e164.map_or(SqlValue::Null, SqlValue::Text)),
        ("name_key", name_key.map_or(SqlValue::Null, SqlValue::Text)),
    ];
    crate::replica::row::write_checked(tx, &contact.id, checked, &local, write)
}

/// Creates a contact.
pub fn add(ctx: &Ctx, req: NewContact) -> Result<Contact> {
    ctx.write(|tx| insert(tx, req))
}

/// Creates a contact inside an existing transaction (used by the core, e.g. meeting suggestions).
pub(crate) fn insert(tx: &Tx<'_>, req: NewContact) -> Result<Contact> {
    {
        let company_id = resolve_company(tx, req.company_id, req.company)?.flatten();
        let mut contact = Contact {
            id: ContactId::new(),
            first_name: validate::text("first_name", req.first_name, MAX_SHORT)?,
            last_name: validate::text("last_name", req.last_name, MAX_SHORT)?,
            email: validate::email("email", req.email)?,
            phone: validate::phone("phone", req.phone)?,
            title: validate::text("title", req.title, MAX_SHORT)?,
            company_id,
            company_name: None,
            email_opt_out: req.email_opt_out.unwrap_or(false),
            sms_opt_out: req.sms_opt_out.unwrap_or(false),
            do_not_call: req.do_not_call.unwrap_or(false),
            lead_source: validate::text("lead_source", req.lead_source, MAX_SHORT)?,
            linkedin_url: validate::linkedin_url("linkedin_url", req.linkedin_url)?,
            time_zone: validate::time_zone("time_zone", req.time_zone)?,
            notes: validate::text("notes", req.notes, MAX_LONG)?,
            custom_fields: serde_json::json!({}),
            last_contacted_at: None,
            created_at: tx.stamp(),
            updated_at: tx.stamp(),
        };
        check_identity(&contact)?;
        ensure_email_unique(tx, contact.email.as_deref(), None)?;
        contact.id = crate::replica::contact_id(tx, contact.email.as_deref(), contact.id)?;
        write_row(tx, &contact, Write::Insert, None)?;
        contact = fetch(&tx.sql, contact.id)?;
        tx.changed(EntityKind::Contact, &contact.id, Action::Create, &contact)?;
        Ok(contact)
    }
}

/// One contact by id.
pub fn get(ctx: &Ctx, id: ContactId) -> Result<Contact> {
    ctx.read(|conn| fetch(conn, id))
}

/// The order of the contacts list: by display name, then first name, ignoring case. Index
/// `contacts_list_order` (migration 0018) is on exactly this expression, so a page of the list
/// reads the index in order and stops at its limit instead of sorting the whole table.
const LIST_ORDER: &str =
    "ORDER BY coalesce(c.last_name, c.first_name, c.email) COLLATE NOCASE, c.first_name COLLATE NOCASE";

/// Contacts by name; `search` matches names, email, title and company name by word prefix.
pub fn list(ctx: &Ctx, query: ListQuery) -> Result<Vec<Contact>> {
    let limit = query.limit()?;
    let order = LIST_ORDER;
    ctx.read(|conn| {
        let rows = match (query.fts(), query.search.as_deref()) {
            (Some(fts), _) => {
                let mut stmt = conn.prepare(&format!(
                    "SELECT {COLUMNS} FROM {FROM} WHERE c.rowid IN
                       (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?1) {order} LIMIT ?2"
                ))?;
                let rows = stmt.query_map(params![fts, limit], from_row)?;
                rows.collect::<rusqlite::Result<Vec<_>>>()?
            }
            (None, Some(text)) if !text.trim().is_empty() => {
                let mut stmt = conn.prepare(&format!(
                    "SELECT {COLUMNS} FROM {FROM} WHERE c.phone LIKE ?1 ESCAPE '\\' {order} LIMIT ?2"
                ))?;
                let rows = stmt.query_map(params![like_pattern(text), limit], from_row)?;
                rows.collect::<rusqlite::Result<Vec<_>>>()?
            }
            _ => {
                let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM {FROM} {order} LIMIT ?1"))?;
                let rows = stmt.query_map([limit], from_row)?;
                rows.collect::<rusqlite::Result<Vec<_>>>()?
            }
        };
        Ok(rows)
    })
}

/// Applies a partial update.
pub fn update(ctx: &Ctx, req: ContactUpdate) -> Result<Contact> {
    ctx.write(|tx| {
        let old = fetch(&tx.sql, req.id)?;
        let mut new = old.clone();
        if let Some(v) = req.first_name {
            new.first_name = validate::text("first_name", Some(v), MAX_SHORT)?;
        }
        if let Some(v) = req.last_name {
            new.last_name = validate::text("last_name", Some(v), MAX_SHORT)?;
        }
        if let Some(v) = req.email {
            new.email = validate::email("email", Some(v))?;
        }
        if let Some(v) = req.phone {
            new.phone = validate::phone("phone", Some(v))?;
        }
        if let Some(v) = req.title {
            new.title = validate::text("title", Some(v), MAX_SHORT)?;
        }
        if let Some(company) = resolve_company(tx, req.company_id, req.company)? {
            new.company_id = company;
        }
        new.email_opt_out = req.email_opt_out.unwrap_or(new.email_opt_out);
        new.sms_opt_out = req.sms_opt_out.unwrap_or(new.sms_opt_out);
        new.do_not_call = req.do_not_call.unwrap_or(new.do_not_call);
        if let Some(v) = req.lead_source {
            new.lead_source = validate::text("lead_source", Some(v), MAX_SHORT)?;
        }
        if let Some(v) = req.linkedin_url {
            new.linkedin_url = validate::linkedin_url("linkedin_url", Some(v))?;
        }
        if let Some(v) = req.time_zone {
            new.time_zone = validate::time_zone("time_zone", Some(v))?;
        }
        if let Some(v) = req.notes {
            new.notes = validate::text("notes", Some(v), MAX_LONG)?;
        }
        check_identity(&new)?;
        ensure_email_unique(tx, new.email.as_deref(), Some(new.id))?;
        new.updated_at = tx.stamp();
        write_row(tx, &new, Write::Update, None)?;
        let new = fetch(&tx.sql, new.id)?;
        tx.changed(EntityKind::Contact, &new.id, Action::Update, &audit::diff(&old, &new)?)?;
        Ok(new)
    })
}

/// Deletes a contact; deals and timeline entries that referenced them stay, unlinked.
pub fn delete(ctx: &Ctx, id: ContactId) -> Result<Deleted> {
    ctx.write(|tx| {
        let old = fetch(&tx.sql, id)?;
        tx.sql.execute("DELETE FROM contacts WHERE id = ?1", [id])?;
        tx.changed(EntityKind::Contact, &id, Action::Delete, &old)?;
        Ok(Deleted { entity: "contact".into(), id: id.to_string() })
    })
}

/// Marks the contact as contacted at `at` if that is later than what is recorded.
pub(crate) fn touch_last_contacted(tx: &Tx<'_>, id: ContactId, at: &str) -> Result<()> {
    tx.sql
        .prepare_cached(
            "UPDATE contacts SET last_contacted_at = ?2
         WHERE id = ?1 AND (last_contacted_at IS NULL OR last_contacted_at < ?2)",
        )?
        .execute(params![id, at])?;
    Ok(())
}

/// Calls `f` with every contact, oldest first, streaming (for exports).
pub(crate) fn each(conn: &Connection, mut f: impl FnMut(Contact) -> Result<()>) -> Result<()> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM {FROM} ORDER BY c.created_at, c.id"))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        f(from_row(row)?)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan SQLite picks for `sql` (its `detail` lines, joined).
    fn plan(ctx: &Ctx, sql: &str) -> String {
        ctx.read(|c| Ok(crate::store::query_plan(c, sql, [])?.join("\n"))).expect("plan")
    }

    /// Regression: the list sorted the whole table for every page (~400 ms p95 at 200k contacts
    /// while an import ran). Filled with enough rows that the planner's choice is the real one.
    #[test]
    fn contacts_list_pages_read_the_name_index_instead_of_sorting_the_table() {
        let dir = tempfile::tempdir().expect("tmp");
        let ctx = Ctx::open(dir.path()).expect("open");
        ctx.write(|tx| {
            let mut insert = tx.sql.prepare(
                "INSERT INTO contacts (id, first_name, last_name, email, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
            )?;
            for i in 0..2_000 {
                let last = (i % 3 != 0).then(|| format!("Last{}", i % 97));
                let email = format!("p{i}@example.com");
                insert.execute(params![format!("c{i}"), format!("First{i}"), last, email, tx.stamp()])?;
            }
            Ok(())
        })
        .expect("seed");
        ctx.write(|tx| Ok(tx.sql.execute_batch("ANALYZE")?)).expect("analyze");

        let page = plan(&ctx, &format!("SELECT {COLUMNS} FROM {FROM} {LIST_ORDER} LIMIT 50"));
        assert!(page.contains("USING INDEX contacts_list_order"), "the list page does not use the index:\n{page}");
        assert!(!page.contains("TEMP B-TREE"), "the list page sorts the table:\n{page}");

        let listed = ctx.read(|c| {
            let mut stmt = c.prepare(&format!("SELECT c.id FROM {FROM} {LIST_ORDER} LIMIT 3"))?;
            let ids = stmt.query_map([], |r| r.get::<_, String>(0))?;
            Ok(ids.collect::<rusqlite::Result<Vec<_>>>()?)
        });
        assert_eq!(listed.expect("list").len(), 3, "the ordered query runs");
    }
}
