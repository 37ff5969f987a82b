//! Which memories a brief cites: memories linked to the meeting's records, plus memories whose
//! text mentions them (FTS5), ranked by link, text relevance, confidence and recency. One small
//! function so the copilot can later replace the ranking without touching the brief.

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use crate::{assist::scores::gather::day_of, Result};

/// A memory chosen for a brief, with the score it was ranked by.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedMemory {
    /// Memory id.
    pub id: String,
    /// deal, relationship, preference, commitment or fact.
    pub category: String,
    /// The remembered statement.
    pub content: String,
    /// 0–1.
    pub confidence: f64,
    /// Rank score, 0–1 (higher is more relevant).
    pub score: f64,
}

struct Candidate {
    id: String,
    category: String,
    content: String,
    confidence: f64,
    updated_at: String,
    linked: bool,
    text: f64,
}

/// An FTS5 query matching any of `terms` as a phrase, or None when there are none.
fn phrase_query(terms: &[String]) -> Option<String> {
    let phrases: Vec<String> = terms
        .iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| t.chars().filter(|c| c.is_alphanumeric()).count() >= 3)
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect();
    (!phrases.is_empty()).then(|| phrases.join(" OR "))
}

/// The `limit` most relevant memories about `entities` (type, id) or mentioning `terms` (names of
/// the people, company and deals), best first.
pub fn relevant_memories(
    conn: &Connection,
    entities: &[(&str, String)],
    terms: &[String],
    today: NaiveDate,
    limit: usize,
) -> Result<Vec<RankedMemory>> {
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut linked = conn.prepare_cached(
        "SELECT m.id, m.category, m.content, m.confidence, m.updated_at FROM memory_links l
         JOIN memories m ON m.id = l.memory_id WHERE l.entity_type = ?1 AND l.entity_id = ?2",
    )?;
    for (entity_type, id) in entities {
        let rows = linked.query_map([*entity_type, id.as_str()], |r| {
            Ok(Candidate {
                id: r.get(0)?,
                category: r.get(1)?,
                content: r.get(2)?,
                confidence: r.get(3)?,
                updated_at: r.get(4)?,
                linked: true,
                text: 0.0,
            })
        })?;
        for row in rows {
            let row = row?;
            if !candidates.iter().any(|c| c.id == row.id) {
                candidates.push(row);
            }
        }
    }
    if let Some(query) = phrase_query(terms) {
        let mut stmt = conn.prepare_cached(
            "SELECT m.id, m.category, m.content, m.confidence, m.updated_at, bm25(memories_fts)
             FROM memories_fts JOIN memories m ON m.rowid = memories_fts.rowid
             WHERE memories_fts MATCH ?1 ORDER BY bm25(memories_fts) LIMIT 20",
        )?;
        let rows = stmt.query_map([query], |r| {
            let bm25: f64 = r.get(5)?;
            Ok(Candidate {
                id: r.get(0)?,
                category: r.get(1)?,
                content: r.get(2)?,
                confidence: r.get(3)?,
                updated_at: r.get(4)?,
                linked: false,
                // bm25 is negative, more negative = better; map to 0–1.
                text: (-bm25).max(0.0) / (1.0 + (-bm25).max(0.0)),
            })
        })?;
        for row in rows {
            let row = row?;
            match candidates.iter_mut().find(|c| c.id == row.id) {
                Some(existing) => existing.text = row.text,
                None => candidates.push(row),
            }
        }
    }
    let mut ranked: Vec<RankedMemory> = candidates
        .into_iter()
        .map(|c| {
            let age = day_of(&c.updated_at).map_or(365, |d| (today - d).num_days().clamp(0, 365));
            let recency = 1.0 - age as f64 / 365.0;
            let score = 0.45 * f64::from(u8::from(c.linked)) + 0.25 * c.text + 0.2 * c.confidence + 0.1 * recency;
            RankedMemory {
                id: c.id,
                category: c.category,
                content: c.content,
                confidence: c.confidence,
                score: (score * 1000.0).round() / 1000.0,
            }
        })
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    ranked.truncate(limit);
    Ok(ranked)
}
