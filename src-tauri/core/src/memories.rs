//! Copilot memories: what the rep (or the copilot, or a business event) wants remembered about a
//! contact, company, deal or meeting.
//!
//! A memory has a category (deal, relationship, preference, commitment, fact), a confidence,
//! a source (`user`, `copilot` after the rep confirmed it, `event` written by the core when a deal
//! moves stage or changes value, a task is completed or a meeting is logged), links to the records
//! it is about, and access statistics updated by every [`recall`] (see [`recall`] for the ranking
//! formula).
//!
//! **Privacy.** Memories belong to their owner (the acting user of the [`Ctx`] that wrote them) and
//! every read is filtered by owner. They replicate as the owner-only sync kind `copilot_memory`
//! (text, category, confidence, source and links; see `replica::kinds`): every write records the
//! memory's document in the same transaction, and the server delivers it to the owner's devices
//! only, never to another user (managers and admins included). Access statistics stay local.
//! **Forgetting is real deletion**, on every device of the owner and on the server: the row, its
//! links, its full-text entry, its CRDT document and unsent changes are deleted, an erasure is
//! queued (the server deletes every stored update and snapshot of the memory and tells the
//! owner's other devices to forget it too), and the database files are scrubbed (VACUUM, WAL
//! truncated). Audit rows of memories never carry the memory's text.

mod events;
mod recall;

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    replica,
    replica::erase,
    store::ctx::Tx,
    store::ids::{self, CompanyId, ContactId, DealId, MeetingId, MemoryId},
    store::search::ListQuery,
    store::validate::{self, MAX_LONG},
    Ctx, Error, Result,
};

pub(crate) use events::{day, link, record_event};

/// The sync document kind of memories (owner-only on the server).
const REPLICA_KIND: replica::EntityKind = replica::EntityKind::CopilotMemory;
pub use recall::{recall, RecallQuery, Recalled};

/// What kind of thing a memory records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MemoryCategory {
    /// About a deal: stage, value, blockers.
    Deal,
    /// About the relationship with a person or account.
    Relationship,
    /// How someone likes to work ("prefers email after 4pm").
    Preference,
    /// Something promised, by either side.
    Commitment,
    /// Any other fact.
    Fact,
}

impl MemoryCategory {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MemoryCategory::Deal => "deal",
            MemoryCategory::Relationship => "relationship",
            MemoryCategory::Preference => "preference",
            MemoryCategory::Commitment => "commitment",
            MemoryCategory::Fact => "fact",
        }
    }

    /// Parses a stored or typed name.
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_lowercase().as_str() {
            "deal" => Ok(MemoryCategory::Deal),
            "relationship" => Ok(MemoryCategory::Relationship),
            "preference" => Ok(MemoryCategory::Preference),
            "commitment" => Ok(MemoryCategory::Commitment),
            "fact" => Ok(MemoryCategory::Fact),
            _ => Err(Error::invalid(
                "category",
                format!("unknown memory category '{text}'; use deal, relationship, preference, commitment or fact"),
            )),
        }
    }
}

/// Who created a memory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum MemorySource {
    /// The rep said so.
    #[default]
    User,
    /// Proposed by the copilot and confirmed by the rep.
    Copilot,
    /// Written by the core from a business event.
    Event,
}

impl MemorySource {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MemorySource::User => "user",
            MemorySource::Copilot => "copilot",
            MemorySource::Event => "event",
        }
    }

    fn from_stored(text: &str) -> Self {
        match text {
            "copilot" => MemorySource::Copilot,
            "event" => MemorySource::Event,
            _ => MemorySource::User,
        }
    }
}

/// A record a memory is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EntityRef {
    /// `contact`, `company`, `deal` or `meeting`.
    pub entity_type: String,
    /// The record's id.
    pub entity_id: String,
}

impl EntityRef {
    /// A reference to record `id` of kind `entity_type`.
    pub fn new(entity_type: &str, id: impl ToString) -> Self {
        EntityRef { entity_type: entity_type.to_owned(), entity_id: id.to_string() }
    }
}

/// A memory with its links.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Memory {
    /// Id.
    pub id: MemoryId,
    /// Category.
    pub category: MemoryCategory,
    /// What to remember.
    pub content: String,
    /// How sure we are, 0..1.
    pub confidence: f64,
    /// Who created it.
    pub source: MemorySource,
    /// The user it belongs to.
    pub owner: String,
    /// How many times it was recalled.
    #[ts(type = "number")]
    pub access_count: i64,
    /// Last recalled (RFC 3339).
    pub last_accessed_at: Option<String>,
    /// The records it is about.
    pub links: Vec<EntityRef>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

/// Input for remembering something; link at least one record.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct NewMemory {
    /// Category.
    pub category: MemoryCategory,
    /// What to remember (required).
    pub content: String,
    /// Confidence 0..1 (default 1).
    #[serde(default)]
    pub confidence: Option<f64>,
    /// `user` (default) or `copilot`; `event` is reserved for the core.
    #[serde(default)]
    pub source: Option<MemorySource>,
    /// About this contact.
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    /// About this company.
    #[serde(default)]
    pub company_id: Option<CompanyId>,
    /// About this deal.
    #[serde(default)]
    pub deal_id: Option<DealId>,
    /// About this meeting.
    #[serde(default)]
    pub meeting_id: Option<MeetingId>,
}

/// Edits a memory; absent fields stay.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct MemoryUpdate {
    /// Which memory.
    pub id: MemoryId,
    /// New text.
    #[serde(default)]
    pub content: Option<String>,
    /// New category.
    #[serde(default)]
    pub category: Option<MemoryCategory>,
    /// New confidence 0..1.
    #[serde(default)]
    pub confidence: Option<f64>,
}

/// Which memories to list.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct MemoryQuery {
    /// Only memories linked to this record id.
    #[serde(default)]
    pub entity_id: Option<String>,
    /// Maximum rows.
    #[serde(default)]
    pub limit: Option<u32>,
}

/// What [`forget`] deleted.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Forgotten {
    /// The deleted memory's id.
    pub id: MemoryId,
    /// Always true: the row, its links and its search entry are gone.
    pub deleted: bool,
}

const SELECT: &str = "SELECT id, category, content, confidence, source, owner, access_count, last_accessed_at,
    created_at, updated_at FROM memories";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Memory> {
    let category: String = row.get(1)?;
    let source: String = row.get(4)?;
    Ok(Memory {
        id: row.get(0)?,
        category: MemoryCategory::parse(&category).unwrap_or(MemoryCategory::Fact),
        content: row.get(2)?,
        confidence: row.get(3)?,
        source: MemorySource::from_stored(&source),
        owner: row.get(5)?,
        access_count: row.get(6)?,
        last_accessed_at: row.get(7)?,
        links: Vec::new(),
        created_at: row.get(8)?,
        updated_at: row.get(9)?,
    })
}

fn links_of(conn: &Connection, id: MemoryId) -> Result<Vec<EntityRef>> {
    let mut stmt = conn.prepare_cached(
        "SELECT entity_type, entity_id FROM memory_links WHERE memory_id = ?1 ORDER BY entity_type, entity_id",
    )?;
    let rows = stmt.query_map([id], |r| Ok(EntityRef { entity_type: r.get(0)?, entity_id: r.get(1)? }))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The owner's memory `id` (another user's memory is reported as not found).
pub(crate) fn fetch(conn: &Connection, owner: &str, id: MemoryId) -> Result<Memory> {
    let mut memory = conn
        .query_row(&format!("{SELECT} WHERE id = ?1 AND owner = ?2"), params![id, owner], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: "memory", id: id.to_string() })?;
    memory.links = links_of(conn, id)?;
    Ok(memory)
}

fn check_confidence(value: f64) -> Result<f64> {
    if value.is_finite() && (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(Error::invalid("confidence", format!("{value} is out of range; use a number from 0 to 1")))
    }
}

/// Writes a memory and its links inside `tx` (links must already be checked).
pub(crate) fn insert(
    tx: &Tx<'_>,
    category: MemoryCategory,
    content: String,
    confidence: f64,
    source: MemorySource,
    links: &[EntityRef],
) -> Result<Memory> {
    let id = MemoryId::new();
    tx.sql.execute(
        "INSERT INTO memories (id, category, content, confidence, source, owner, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![id, category.as_str(), content, confidence, source.as_str(), tx.actor, tx.stamp()],
    )?;
    for link in links {
        tx.sql.execute(
            "INSERT OR IGNORE INTO memory_links (memory_id, entity_type, entity_id) VALUES (?1, ?2, ?3)",
            params![id, link.entity_type, link.entity_id],
        )?;
    }
    // The audit row names the memory but never holds its text: forgetting must leave nothing behind.
    tx.changed(
        REPLICA_KIND,
        &id,
        replica::Action::Create,
        &serde_json::json!({ "category": category.as_str(), "source": source.as_str(), "links": links }),
    )?;
    fetch(&tx.sql, tx.actor, id)
}

fn checked_links(conn: &Connection, req: &NewMemory) -> Result<Vec<EntityRef>> {
    let mut links = Vec::new();
    if let Some(id) = req.contact_id {
        ids::require_row(conn, "contacts", "contact", &id)?;
        links.push(EntityRef::new("contact", id));
    }
    if let Some(id) = req.company_id {
        ids::require_row(conn, "companies", "company", &id)?;
        links.push(EntityRef::new("company", id));
    }
    if let Some(id) = req.deal_id {
        ids::require_row(conn, "deals", "deal", &id)?;
        links.push(EntityRef::new("deal", id));
    }
    if let Some(id) = req.meeting_id {
        ids::require_row(conn, "meetings", "meeting", &id)?;
        links.push(EntityRef::new("meeting", id));
    }
    if links.is_empty() {
        return Err(Error::invalid(
            "contact_id",
            "link the memory to a contact, company, deal or meeting (e.g. --contact ID)",
        ));
    }
    Ok(links)
}

/// Remembers something about one or more records, owned by the acting user.
pub fn add(ctx: &Ctx, req: NewMemory) -> Result<Memory> {
    ctx.write(|tx| add_in(tx, req))
}

/// [`add`] inside an existing transaction (used by confirmed copilot actions).
pub(crate) fn add_in(tx: &Tx<'_>, req: NewMemory) -> Result<Memory> {
    let source = req.source.unwrap_or_default();
    if source == MemorySource::Event {
        return Err(Error::invalid("source", "event memories are written by Outpost itself; use user or copilot"));
    }
    let content = validate::text("content", Some(req.content.clone()), MAX_LONG)?
        .ok_or_else(|| Error::invalid("content", "is required and cannot be blank"))?;
    let confidence = check_confidence(req.confidence.unwrap_or(1.0))?;
    let links = checked_links(&tx.sql, &req)?;
    insert(tx, req.category, content, confidence, source, &links)
}

/// The acting user's memories, most recently changed first; optionally only those linked to one
/// record. Listing does not count as recall (access statistics are unchanged).
pub fn list(ctx: &Ctx, query: MemoryQuery) -> Result<Vec<Memory>> {
    let limit = ListQuery { search: None, limit: query.limit }.limit()?;
    let owner = ctx.actor().to_owned();
    ctx.read(|conn| {
        let mut stmt = conn.prepare(&format!(
            "{SELECT} WHERE owner = ?1
               AND (?2 IS NULL OR id IN (SELECT memory_id FROM memory_links WHERE entity_id = ?2))
             ORDER BY updated_at DESC, id DESC LIMIT ?3"
        ))?;
        let mut memories =
            stmt.query_map(params![owner, query.entity_id, limit], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        for memory in &mut memories {
            memory.links = links_of(conn, memory.id)?;
        }
        Ok(memories)
    })
}

/// One of the acting user's memories.
pub fn get(ctx: &Ctx, id: MemoryId) -> Result<Memory> {
    let owner = ctx.actor().to_owned();
    ctx.read(|conn| fetch(conn, &owner, id))
}

/// Edits a memory's text, category or confidence.
pub fn update(ctx: &Ctx, req: MemoryUpdate) -> Result<Memory> {
    ctx.write(|tx| {
        let old = fetch(&tx.sql, tx.actor, req.id)?;
        let content = match req.content {
            Some(text) => validate::text("content", Some(text), MAX_LONG)?
                .ok_or_else(|| Error::invalid("content", "cannot be blank; forget the memory instead"))?,
            None => old.content.clone(),
        };
        let category = req.category.unwrap_or(old.category);
        let confidence = check_confidence(req.confidence.unwrap_or(old.confidence))?;
        tx.sql.execute(
            "UPDATE memories SET content = ?2, category = ?3, confidence = ?4, updated_at = ?5 WHERE id = ?1",
            params![req.id, content, category.as_str(), confidence, tx.stamp()],
        )?;
        tx.changed(
            REPLICA_KIND,
            &req.id,
            replica::Action::Update,
            &serde_json::json!({ "category": category.as_str(), "confidence": confidence,
                                 "content_changed": content != old.content }),
        )?;
        fetch(&tx.sql, tx.actor, req.id)
    })
}

/// Forgets a memory for good, here, on the owner's other devices and on the server (see the
/// module docs). Only the owner can forget their memory.
pub fn forget(ctx: &Ctx, id: MemoryId) -> Result<Forgotten> {
    let forgotten = ctx.write(|tx| {
        fetch(&tx.sql, tx.actor, id)?;
        forget_in(tx, &id.to_string())?;
        tx.changed(REPLICA_KIND, &id, replica::Action::Forget, &serde_json::json!({}))?;
        Ok(Forgotten { id, deleted: true })
    })?;
    erase::scrub(ctx)?;
    Ok(forgotten)
}

/// Forgets memory `id` inside `tx` (row, links, search entry, document) and queues its erasure
/// for the server; the caller scrubs the files afterwards. Returns false if it was already gone.
pub(crate) fn forget_in(tx: &Tx<'_>, id: &str) -> Result<bool> {
    let forgotten = erase::forget(tx, REPLICA_KIND.name(), id)?;
    if forgotten {
        erase::queue(tx, REPLICA_KIND.name(), id)?;
    }
    Ok(forgotten)
}
