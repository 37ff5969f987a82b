//! Companies: the accounts a rep sells to.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::replica::{Action, EntityKind};
use crate::{
    store::audit,
    store::ctx::Tx,
    store::ids::CompanyId,
    store::search::{like_pattern, ListQuery},
    store::validate::{self, MAX_SHORT},
    Ctx, Error, Result,
};

/// A company as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Company {
    /// Id.
    pub id: CompanyId,
    /// Display name.
    pub name: String,
    /// Bare web domain, e.g. `acme.com`.
    pub domain: Option<String>,
    /// Industry.
    pub industry: Option<String>,
    /// City / region / country, free text.
    pub location: Option<String>,
    /// Head-count band, e.g. `51-200`.
    pub size: Option<String>,
    /// Extra fields kept from imports.
    #[ts(type = "Record<string, unknown>")]
    pub custom_fields: serde_json::Value,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

/// Input for creating a company.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct NewCompany {
    /// Display name (required).
    pub name: String,
    /// Website or domain; reduced to the bare domain.
    #[serde(default)]
    pub domain: Option<String>,
    /// Industry.
    #[serde(default)]
    pub industry: Option<String>,
    /// Location.
    #[serde(default)]
    pub location: Option<String>,
    /// Head-count band.
    #[serde(default)]
    pub size: Option<String>,
}

/// Changes to a company; absent fields stay as they are, an empty string clears a field.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export)]
pub struct CompanyUpdate {
    /// Which company.
    pub id: CompanyId,
    /// New name (cannot be blank).
    #[serde(default)]
    pub name: Option<String>,
    /// New domain.
    #[serde(default)]
    pub domain: Option<String>,
    /// New industry.
    #[serde(default)]
    pub industry: Option<String>,
    /// New location.
    #[serde(default)]
    pub location: Option<String>,
    /// New size band.
    #[serde(default)]
    pub size: Option<String>,
}

/// What a delete call removed.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Deleted {
    /// Kind of record.
    pub entity: String,
    /// Its id.
    pub id: String,
}

const COLUMNS: &str = "id, name, domain, industry, location, size, custom_fields, created_at, updated_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Company> {
    let custom: String = row.get(6)?;
    Ok(Company {
        id: row.get(0)?,
        name: row.get(1)?,
        domain: row.get(2)?,
        industry: row.get(3)?,
        location: row.get(4)?,
        size: row.get(5)?,
        custom_fields: serde_json::from_str(&custom).unwrap_or_default(),
        created_at: row.get(7)?,
        updated_at: row.get(8)?,
    })
}

pub(crate) fn fetch(conn: &Connection, id: CompanyId) -> Result<Company> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM companies WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: "company", id: id.to_string() })
}

/// Finds a company by exact (case-insensitive) name, creating it when there is none. Used when a
/// contact or deal names its company.
pub(crate) fn find_or_create_by_name(tx: &Tx<'_>, name: String) -> Result<CompanyId> {
    let name = validate::required("company", Some(name))?;
    let existing: Option<CompanyId> = tx
        .sql
        .prepare_cached("SELECT id FROM companies WHERE name = ?1 COLLATE NOCASE ORDER BY created_at LIMIT 1")?
        .query_row([&name], |row| row.get(0))
        .optional()?;
    match existing {
        Some(id) => Ok(id),
        None => insert(tx, NewCompany { name, ..Default::default() }).map(|c| c.id),
    }
}

fn insert(tx: &Tx<'_>, req: NewCompany) -> Result<Company> {
    let mut company = Company {
        id: CompanyId::new(),
        name: validate::required("name", Some(req.name))?,
        domain: validate::domain("domain", req.domain)?,
        industry: validate::text("industry", req.industry, MAX_SHORT)?,
        location: validate::text("location", req.location, MAX_SHORT)?,
        size: validate::text("size", req.size, MAX_SHORT)?,
        custom_fields: serde_json::json!({}),
        created_at: tx.stamp(),
        updated_at: tx.stamp(),
    };
    company.id = crate::replica::company_id(tx, company.domain.as_deref(), &company.name, company.id)?;
    tx.sql
        .prepare_cached(
            "INSERT INTO companies (id, name, domain, industry, location, size, created_at, updated_at, name_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            company.id,
            company.name,
            company.domain,
            company.industry,
            company.location,
            company.size,
            company.created_at,
            company.updated_at,
            crate::canonical::company::normalized_company_name(&company.name)
        ])?;
    tx.changed(EntityKind::Company, &company.id, Action::Create, &company)?;
    Ok(company)
}

/// Creates a company.
pub fn add(ctx: &Ctx, req: NewCompany) -> Result<Company> {
    ctx.write(|tx| insert(tx, req))
}

/// One company by id.
pub fn get(ctx: &Ctx, id: CompanyId) -> Result<Company> {
    ctx.read(|conn| fetch(conn, id))
}

/// Companies, alphabetically; `search` matches name, domain, industry and location by word prefix.
pub fn list(ctx: &Ctx, query: ListQuery) -> Result<Vec<Company>> {
    let limit = query.limit()?;
    ctx.read(|conn| {
        let rows = match (query.fts(), query.search.as_deref()) {
            (Some(fts), _) => {
                let mut stmt = conn.prepare(&format!(
                    "SELECT {COLUMNS} FROM companies WHERE rowid IN
                       (SELECT rowid FROM companies_fts WHERE companies_fts MATCH ?1)
                     ORDER BY name COLLATE NOCASE LIMIT ?2"
                ))?;
                let rows = stmt.query_map(params![fts, limit], from_row)?;
                rows.collect::<rusqlite::Result<Vec<_>>>()?
            }
            (None, Some(text)) if !text.trim().is_empty() => {
                let mut stmt = conn.prepare(&format!(
                    "SELECT {COLUMNS} FROM companies WHERE name LIKE ?1 ESCAPE '\\'
                     ORDER BY name COLLATE NOCASE LIMIT ?2"
                ))?;
                let rows = stmt.query_map(params![like_pattern(text), limit], from_row)?;
                rows.collect::<rusqlite::Result<Vec<_>>>()?
            }
            _ => {
                let mut stmt =
                    conn.prepare(&format!("SELECT {COLUMNS} FROM companies ORDER BY name COLLATE NOCASE LIMIT ?1"))?;
                let rows = stmt.query_map([limit], from_row)?;
                rows.collect::<rusqlite::Result<Vec<_>>>()?
            }
        };
        Ok(rows)
    })
}

/// Applies a partial update.
pub fn update(ctx: &Ctx, req: CompanyUpdate) -> Result<Company> {
    ctx.write(|tx| {
        let old = fetch(&tx.sql, req.id)?;
        let mut new = old.clone();
        if let Some(name) = req.name {
            new.name = validate::required("name", Some(name))?;
        }
        if let Some(domain) = req.domain {
            new.domain = validate::domain("domain", Some(domain))?;
        }
        if let Some(industry) = req.industry {
            new.industry = validate::text("industry", Some(industry), MAX_SHORT)?;
        }
        if let Some(location) = req.location {
            new.location = validate::text("location", Some(location), MAX_SHORT)?;
        }
        if let Some(size) = req.size {
            new.size = validate::text("size", Some(size), MAX_SHORT)?;
        }
        new.updated_at = tx.stamp();
        tx.sql
            .prepare_cached(
                "UPDATE companies SET name = ?2, domain = ?3, industry = ?4, location = ?5, size = ?6,
                 updated_at = ?7, name_key = ?8 WHERE id = ?1",
            )?
            .execute(params![
                new.id,
                new.name,
                new.domain,
                new.industry,
                new.location,
                new.size,
                new.updated_at,
                crate::canonical::company::normalized_company_name(&new.name)
            ])?;
        tx.changed(EntityKind::Company, &new.id, Action::Update, &audit::diff(&old, &new)?)?;
        Ok(new)
    })
}

/// Deletes a company; its contacts and deals stay, unlinked.
pub fn delete(ctx: &Ctx, id: CompanyId) -> Result<Deleted> {
    ctx.write(|tx| {
        let old = fetch(&tx.sql, id)?;
        tx.sql.execute("DELETE FROM companies WHERE id = ?1", [id])?;
        tx.changed(EntityKind::Company, &id, Action::Delete, &old)?;
        Ok(Deleted { entity: "company".into(), id: id.to_string() })
    })
}

/// Calls `f` with every company, oldest first, streaming (for exports).
pub(crate) fn each(conn: &Connection, mut f: impl FnMut(Company) -> Result<()>) -> Result<()> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM companies ORDER BY created_at, id"))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        f(from_row(row)?)?;
    }
    Ok(())
}
