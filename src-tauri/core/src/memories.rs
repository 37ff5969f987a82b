//! Copilot memories: short facts, preferences and commitments about contacts, companies, deals
//! and meetings, each with a confidence. The copilot will write most of them; the rep (or an
//! event) can record one too. Briefs cite the most relevant ones (see `briefs::relevant`).

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    audit,
    ids::MemoryId,
    validate::{self, MAX_LONG},
    Ctx, Error, Result,
};

/// Kinds of memory (the schema's `category`).
pub const CATEGORIES: [&str; 5] = ["deal", "relationship", "preference", "commitment", "fact"];

/// A record a memory is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemoryLink {
    /// `contact`, `company`, `deal` or `meeting`.
    pub entity_type: String,
    /// The record's id.
    pub entity_id: String,
}

/// A stored memory.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Memory {
    /// Id.
    pub id: MemoryId,
    /// deal, relationship, preference, commitment or fact.
    pub category: String,
    /// The remembered statement.
    pub content: String,
    /// How sure (0–1).
    pub confidence: f64,
    /// user, copilot or event.
    pub source: String,
    /// Records it is about.
    pub links: Vec<MemoryLink>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

/// Input for recording a memory.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct NewMemory {
    /// deal, relationship, preference, commitment or fact.
    pub category: String,
    /// The statement (required).
    pub content: String,
    /// How sure, 0–1 (default 1).
    #[serde(default)]
    pub confidence: Option<f64>,
    /// user (default), copilot or event.
    #[serde(default)]
    pub source: Option<String>,
    /// Records it is about.
    #[serde(default)]
    pub links: Vec<MemoryLink>,
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<Memory> {
    Ok(Memory {
        id: row.get(0)?,
        category: row.get(1)?,
        content: row.get(2)?,
        confidence: row.get(3)?,
        source: row.get(4)?,
        links: Vec::new(),
        created_at: row.get(5)?,
        updated_at: row.get(6)?,
    })
}

pub(crate) fn fetch(conn: &Connection, id: MemoryId) -> Result<Memory> {
    let mut memory = conn
        .query_row(
            "SELECT id, category, content, confidence, source, created_at, updated_at FROM memories WHERE id = ?1",
            [id],
            from_row,
        )
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: "memory", id: id.to_string() })?;
    let mut stmt = conn.prepare_cached(
        "SELECT entity_type, entity_id FROM memory_links WHERE memory_id = ?1 ORDER BY entity_type, entity_id",
    )?;
    memory.links = stmt
        .query_map([id], |r| Ok(MemoryLink { entity_type: r.get(0)?, entity_id: r.get(1)? }))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(memory)
}

fn check_link(conn: &Connection, link: &MemoryLink) -> Result<()> {
    let table = match link.entity_type.as_str() {
        "contact" => "contacts",
        "company" => "companies",
        "deal" => "deals",
        "meeting" => "meetings",
        other => {
            return Err(Error::invalid(
                "links",
                format!("cannot link a memory to a '{other}'; use contact, company, deal or meeting"),
            ))
        }
    };
    let found: Option<i64> =
        conn.query_row(&format!("SELECT 1 FROM {table} WHERE id = ?1"), [&link.entity_id], |r| r.get(0)).optional()?;
    match found {
        Some(_) => Ok(()),
        None => Err(Error::NotFound { entity: "linked record", id: link.entity_id.clone() }),
    }
}

/// Records a memory about one or more records.
pub async fn add(ctx: &Ctx, req: NewMemory) -> Result<Memory> {
    let category = req.category.trim().to_lowercase();
    if !CATEGORIES.contains(&category.as_str()) {
        return Err(Error::invalid(
            "category",
            format!("unknown category '{}'; use {}", req.category, CATEGORIES.join(", ")),
        ));
    }
    let content = validate::text("content", Some(req.content), MAX_LONG)?
        .ok_or_else(|| Error::invalid("content", "is required: say what to remember"))?;
    let confidence = req.confidence.unwrap_or(1.0);
    if !(0.0..=1.0).contains(&confidence) {
        return Err(Error::invalid("confidence", format!("{confidence} is outside 0–1")));
    }
    let source = req.source.map(|s| s.trim().to_lowercase()).unwrap_or_else(|| "user".into());
    if !["user", "copilot", "event"].contains(&source.as_str()) {
        return Err(Error::invalid("source", format!("unknown source '{source}'; use user, copilot or event")));
    }
    ctx.write(|tx| {
        let id = MemoryId::new();
        tx.sql.execute(
            "INSERT INTO memories (id, category, content, confidence, source, owner, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![id, category, content, confidence, source, tx.actor, tx.stamp()],
        )?;
        for link in &req.links {
            check_link(&tx.sql, link)?;
            tx.sql.execute(
                "INSERT OR IGNORE INTO memory_links (memory_id, entity_type, entity_id) VALUES (?1, ?2, ?3)",
                params![id, link.entity_type, link.entity_id],
            )?;
        }
        let memory = fetch(&tx.sql, id)?;
        audit::record(tx, "create", "memory", &id, &memory)?;
        Ok(memory)
    })
}
