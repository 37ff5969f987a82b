//! Near-duplicate detection after an import: contacts at the same company with the same family
//! name and a similar but different given name (Jonathan / Jonathon Smith) become merge
//! suggestions. Nothing is merged automatically.
//!
//! It runs once per job over contacts sorted by (company, family name) — one pass instead of a
//! lookup per imported row — and only raises suggestions that involve a contact created since the
//! job started. Re-running it is harmless (`INSERT OR IGNORE`), so a resumed job simply runs it again.

use rusqlite::params;

use crate::canonical::company::jaro_winkler;
use crate::{store::ctx::Tx, store::ids::ContactId, Result};

/// Given names at least this similar (Jaro-Winkler) are flagged.
pub const SIMILAR_NAME_THRESHOLD: f64 = 0.9;
/// Groups larger than this (one family name at one company) are compared only for their newest
/// members, to keep the pass linear.
const MAX_GROUP: usize = 200;

struct Person {
    id: ContactId,
    first: String,
    first_display: String,
    last_display: String,
    is_new: bool,
}

fn flag(tx: &Tx<'_>, group: &[Person]) -> Result<u64> {
    let mut raised = 0;
    let start = group.len().saturating_sub(MAX_GROUP);
    let group = &group[start..];
    for (i, new) in group.iter().enumerate().filter(|(_, p)| p.is_new) {
        for (j, other) in group.iter().enumerate() {
            if i == j || new.first == other.first || (other.is_new && j > i) {
                continue;
            }
            let score = jaro_winkler(&new.first, &other.first);
            if score < SIMILAR_NAME_THRESHOLD {
                continue;
            }
            let mut stmt = tx.sql.prepare_cached(
                "INSERT OR IGNORE INTO merge_suggestions (id, entity_type, keep_id, merge_id, score, reason, created_at)
                 VALUES (?1, 'contact', ?2, ?3, ?4, ?5, ?6)",
            )?;
            // The group is in creation order and only earlier members are compared, so `other` is
            // the older record: it stays, the newer one is offered for merging into it.
            let (keep, merge) = (other, new);
            raised += stmt.execute(params![
                uuid::Uuid::now_v7().to_string(),
                keep.id,
                merge.id,
                score,
                format!(
                    "similar names at the same company: '{} {}' and '{} {}'",
                    keep.first_display, keep.last_display, merge.first_display, merge.last_display
                ),
                tx.stamp()
            ])? as u64;
        }
    }
    Ok(raised)
}

/// Raises merge suggestions for contacts created at or after `since` (RFC 3339).
pub fn suggest_since(tx: &Tx<'_>, since: &str) -> Result<u64> {
    let mut stmt = tx.sql.prepare(
        "SELECT id, company_id, lower(last_name), lower(first_name), first_name, last_name, created_at >= ?1
         FROM contacts
         WHERE company_id IN (SELECT DISTINCT company_id FROM contacts WHERE created_at >= ?1 AND company_id IS NOT NULL)
           AND first_name IS NOT NULL AND last_name IS NOT NULL
         ORDER BY company_id, lower(last_name), created_at",
    )?;
    let mut rows = stmt.query([since])?;
    let (mut raised, mut key, mut group): (u64, (String, String), Vec<Person>) = (0, Default::default(), Vec::new());
    while let Some(row) = rows.next()? {
        let this: (String, String) = (row.get(1)?, row.get(2)?);
        if this != key {
            if group.iter().any(|p| p.is_new) && group.len() > 1 {
                raised += flag(tx, &group)?;
            }
            group.clear();
            key = this;
        }
        group.push(Person {
            id: row.get(0)?,
            first: row.get(3)?,
            first_display: row.get(4)?,
            last_display: row.get(5)?,
            is_new: row.get(6)?,
        });
    }
    if group.iter().any(|p| p.is_new) && group.len() > 1 {
        raised += flag(tx, &group)?;
    }
    Ok(raised)
}
