//! Recall: the acting user's most useful memories for the records in context and the question
//! asked, ranked, with access statistics updated for what was returned.
//!
//! **Ranking formula.** For each candidate memory (linked to a record in scope, or matching the
//! query text in the FTS5 index):
//!
//! ```text
//! match      = −bm25(memories_fts)                  (0 without query text or without a match)
//! relevance  = match / (1 + match)                   (0..1)
//! scope      = 1 if linked to a record in context, else 0
//! base       = 0.6·scope + 0.4·relevance             (= scope when there is no query text)
//! trust      = 0.5 + 0.5·confidence
//! recency    = 0.3 + 0.7 · 0.5^(age_days / 90)       (age since the memory was last changed)
//! frequency  = 1 + 0.1 · ln(1 + access_count)
//! score      = base · trust · recency · frequency
//! ```
//!
//! Ties break by most recently changed, then id. Every returned memory gets `access_count + 1`
//! and `last_accessed_at = now`, in one transaction with the read.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{from_row, links_of, EntityRef, Memory, SELECT};
use crate::{Ctx, Result};

/// Words too common to say anything about a memory.
const STOPWORDS: &[&str] = &[
    "the", "and", "for", "with", "what", "should", "next", "about", "that", "this", "from", "have", "has", "are",
    "was", "were", "you", "your", "who", "how", "why", "when", "where", "can", "could", "would", "will", "do", "does",
    "did", "not", "any", "all", "our", "their", "them", "they", "him", "her", "his", "she", "its",
];

/// What to recall.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct RecallQuery {
    /// Free text (the question asked); any of its words may match.
    #[serde(default)]
    pub text: Option<String>,
    /// Records in context; memories linked to them are in scope.
    #[serde(default)]
    pub entities: Vec<EntityRef>,
    /// Maximum memories returned (default 5).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// A recalled memory with its score and the parts of it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Recalled {
    /// The memory (access statistics as they were before this recall).
    pub memory: Memory,
    /// Final score (see the module docs).
    pub score: f64,
    /// Text relevance 0..1 from bm25.
    pub relevance: f64,
    /// Linked to a record in context.
    pub in_scope: bool,
}

/// An FTS5 expression matching any meaningful word of `text` (as a prefix).
fn any_word_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .filter(|w| !STOPWORDS.contains(&w.as_str()))
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" OR "))
}

fn age_days(now: DateTime<Utc>, stamp: &str) -> f64 {
    DateTime::parse_from_rfc3339(stamp)
        .map(|at| (now - at.with_timezone(&Utc)).num_seconds().max(0) as f64 / 86_400.0)
        .unwrap_or(0.0)
}

/// The score of one memory (see the module docs).
pub(crate) fn score(now: DateTime<Utc>, memory: &Memory, relevance: f64, in_scope: bool, has_text: bool) -> f64 {
    let scope = if in_scope { 1.0 } else { 0.0 };
    let base = if has_text { 0.6 * scope + 0.4 * relevance } else { scope };
    let trust = 0.5 + 0.5 * memory.confidence;
    let recency = 0.3 + 0.7 * 0.5f64.powf(age_days(now, &memory.updated_at) / 90.0);
    let frequency = 1.0 + 0.1 * (1.0 + memory.access_count as f64).ln();
    base * trust * recency * frequency
}

/// The acting user's best memories for `query`, best first; each returned memory's access count
/// and last-access time are updated.
pub fn recall(ctx: &Ctx, query: RecallQuery) -> Result<Vec<Recalled>> {
    let limit = query.limit.unwrap_or(5).clamp(1, 100) as usize;
    ctx.write(|tx| {
        let fts = query.text.as_deref().and_then(any_word_query);
        let mut matches: HashMap<i64, f64> = HashMap::new();
        if let Some(fts) = &fts {
            let mut stmt =
                tx.sql.prepare("SELECT rowid, -bm25(memories_fts) FROM memories_fts WHERE memories_fts MATCH ?1")?;
            let rows = stmt.query_map([fts], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, f64>(1)?)))?;
            for row in rows {
                let (rowid, m) = row?;
                matches.insert(rowid, m.max(0.0));
            }
        }
        let mut scoped: HashSet<String> = HashSet::new();
        {
            let mut stmt = tx
                .sql
                .prepare_cached("SELECT memory_id FROM memory_links WHERE entity_type = ?1 AND entity_id = ?2")?;
            for entity in &query.entities {
                let rows = stmt.query_map(params![entity.entity_type, entity.entity_id], |r| r.get::<_, String>(0))?;
                for row in rows {
                    scoped.insert(row?);
                }
            }
        }
        let mut ranked = Vec::new();
        {
            let mut stmt = tx
                .sql
                .prepare(&format!("{SELECT} WHERE owner = ?1").replace(" FROM memories", ", rowid FROM memories"))?;
            let rows = stmt.query_map([tx.actor], |r| Ok((from_row(r)?, r.get::<_, i64>(10)?)))?;
            for row in rows {
                let (memory, rowid) = row?;
                let in_scope = scoped.contains(&memory.id.to_string());
                let relevance = matches.get(&rowid).map_or(0.0, |m| m / (1.0 + m));
                if !in_scope && relevance == 0.0 {
                    continue;
                }
                let score = score(tx.now, &memory, relevance, in_scope, fts.is_some());
                ranked.push(Recalled { memory, score, relevance, in_scope });
            }
        }
        ranked.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| b.memory.updated_at.cmp(&a.memory.updated_at))
                .then_with(|| b.memory.id.cmp(&a.memory.id))
        });
        ranked.truncate(limit);
        for recalled in &mut ranked {
            recalled.memory.links = links_of(&tx.sql, recalled.memory.id)?;
            tx.sql.execute(
                "UPDATE memories SET access_count = access_count + 1, last_accessed_at = ?2 WHERE id = ?1",
                params![recalled.memory.id, tx.stamp()],
            )?;
        }
        Ok(ranked)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_words_become_an_or_query_without_stopwords() {
        assert_eq!(any_word_query("What should I do about pricing?").as_deref(), Some("\"pricing\"*"));
        assert_eq!(any_word_query("Sarah budget").as_deref(), Some("\"sarah\"* OR \"budget\"*"));
        assert_eq!(any_word_query("do it"), None);
    }
}
