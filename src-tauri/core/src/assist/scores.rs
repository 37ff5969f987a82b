//! Derived scores: relationship health (contacts and companies), lead score (contacts) and heat
//! (deals: cold → warm → hot → burning), each with the factors that produced it and an
//! explanation. Scores are local derived data, never replicated: they live in the `scores` table,
//! are marked dirty by triggers when an activity, contact, deal or attendee changes, and are
//! recomputed lazily (on read, or by the agent draining the dirty queue). A score computed on an
//! earlier day is recomputed too, since recency decays with time.

pub mod factors;
pub(crate) mod gather;

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    store::ids::{CompanyId, ContactId, DealId},
    Ctx, Error, Result,
};
use factors::Factor;

/// Default number of days without activity after which an open deal is stale.
pub const DEFAULT_STALE_DAYS: i64 = 7;

/// A deal's temperature, from its heat score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Temperature {
    /// Heat below 25.
    Cold,
    /// 25–49.
    Warm,
    /// 50–74.
    Hot,
    /// 75 and above.
    Burning,
}

impl Temperature {
    /// The temperature of a heat score.
    pub fn of(heat: u8) -> Self {
        match heat {
            0..=24 => Temperature::Cold,
            25..=49 => Temperature::Warm,
            50..=74 => Temperature::Hot,
            _ => Temperature::Burning,
        }
    }

    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Temperature::Cold => "cold",
            Temperature::Warm => "warm",
            Temperature::Hot => "hot",
            Temperature::Burning => "burning",
        }
    }
}

/// One score of one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Score {
    /// `contact`, `company` or `deal`.
    pub entity_type: String,
    /// The record's id.
    pub entity_id: String,
    /// `health`, `lead` or `heat`.
    pub kind: String,
    /// 0–100.
    pub value: u8,
    /// Band: strong / fair / at risk, or the deal's temperature.
    pub label: String,
    /// What produced the value.
    pub factors: Vec<Factor>,
    /// The factors in one sentence.
    pub explanation: String,
    /// The day the score is for (YYYY-MM-DD).
    pub as_of: String,
}

/// Which record's scores to show (exactly one).
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct ScoreQuery {
    /// A contact: health and lead score.
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    /// A company: health.
    #[serde(default)]
    pub company_id: Option<CompanyId>,
    /// A deal: heat.
    #[serde(default)]
    pub deal_id: Option<DealId>,
}

fn score(entity_type: &str, id: &str, kind: &str, what: &str, factors: Vec<Factor>, today: NaiveDate) -> Score {
    let value = factors::weighted(&factors);
    let label = if kind == "heat" { Temperature::of(value).as_str() } else { factors::health_label(value) }.to_owned();
    Score {
        entity_type: entity_type.to_owned(),
        entity_id: id.to_owned(),
        kind: kind.to_owned(),
        value,
        explanation: factors::explain(what, value, &label, &factors),
        label,
        factors,
        as_of: today.to_string(),
    }
}

/// Computes a record's scores from the database as of `today` (empty when it does not exist).
pub(crate) fn compute(conn: &Connection, entity_type: &str, id: &str, today: NaiveDate) -> Result<Vec<Score>> {
    Ok(match entity_type {
        "contact" => match gather::contact_fit(conn, id)? {
            Some(fit) => {
                let e = gather::contact_engagement(conn, id, today)?;
                vec![
                    score("contact", id, "health", "Relationship health", factors::health(today, &e), today),
                    score("contact", id, "lead", "Lead score", factors::lead(today, &e, &fit), today),
                ]
            }
            None => Vec::new(),
        },
        "company" => {
            let exists: Option<i64> = conn
                .prepare_cached("SELECT 1 FROM companies WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?;
            match exists {
                Some(_) => {
                    let e = gather::company_engagement(conn, id, today)?;
                    vec![score("company", id, "health", "Relationship health", factors::health(today, &e), today)]
                }
                None => Vec::new(),
            }
        }
        "deal" => match gather::deal_signals(conn, id, today)? {
            Some(signals) => vec![score("deal", id, "heat", "Heat", factors::heat(&signals), today)],
            None => Vec::new(),
        },
        _ => Vec::new(),
    })
}

fn stored(conn: &Connection, entity_type: &str, id: &str) -> Result<Vec<Score>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, value, label, factors, explanation, as_of FROM scores
         WHERE entity_type = ?1 AND entity_id = ?2 ORDER BY kind",
    )?;
    let rows = stmt.query_map([entity_type, id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, u8>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, value, label, factors, explanation, as_of) = row?;
        out.push(Score {
            entity_type: entity_type.to_owned(),
            entity_id: id.to_owned(),
            kind,
            value,
            label: label.unwrap_or_default(),
            factors: serde_json::from_str(&factors)?,
            explanation,
            as_of,
        });
    }
    Ok(out)
}

fn save(conn: &Connection, scores: &[Score], now: &str) -> Result<()> {
    for s in scores {
        conn.prepare_cached(
            "INSERT INTO scores (entity_type, entity_id, kind, value, label, factors, explanation, as_of, computed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (entity_type, entity_id, kind) DO UPDATE SET value = excluded.value,
                 label = excluded.label, factors = excluded.factors, explanation = excluded.explanation,
                 as_of = excluded.as_of, computed_at = excluded.computed_at",
        )?
        .execute(params![
            s.entity_type,
            s.entity_id,
            s.kind,
            s.value,
            s.label,
            serde_json::to_string(&s.factors)?,
            s.explanation,
            s.as_of,
            now
        ])?;
    }
    Ok(())
}

/// The record's scores, recomputed and stored first if they are missing, dirty or from another
/// day. Needs a connection that may write (inside a write transaction).
pub(crate) fn current(
    conn: &Connection,
    entity_type: &str,
    id: &str,
    today: NaiveDate,
    now: &str,
) -> Result<Vec<Score>> {
    let dirty: Option<i64> = conn
        .prepare_cached("SELECT 1 FROM score_dirty WHERE entity_type = ?1 AND entity_id = ?2")?
        .query_row([entity_type, id], |r| r.get(0))
        .optional()?;
    let existing = stored(conn, entity_type, id)?;
    let today_text = today.to_string();
    if dirty.is_none() && !existing.is_empty() && existing.iter().all(|s| s.as_of == today_text) {
        return Ok(existing);
    }
    let fresh = compute(conn, entity_type, id, today)?;
    save(conn, &fresh, now)?;
    conn.prepare_cached("DELETE FROM score_dirty WHERE entity_type = ?1 AND entity_id = ?2")?
        .execute([entity_type, id])?;
    Ok(fresh)
}

/// Days without activity after which an open deal is stale (`stale_deal_days`, default 7).
pub(crate) fn stale_days(conn: &Connection) -> Result<i64> {
    let value: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = 'stale_deal_days'", [], |r| r.get(0)).optional()?;
    Ok(value.and_then(|v| v.trim().parse::<i64>().ok()).filter(|d| *d > 0).unwrap_or(DEFAULT_STALE_DAYS))
}

/// The scores of one contact (health, lead), company (health) or deal (heat), up to date.
pub fn show(ctx: &Ctx, query: ScoreQuery) -> Result<Vec<Score>> {
    let (entity_type, id) = match (query.contact_id, query.company_id, query.deal_id) {
        (Some(id), None, None) => ("contact", id.to_string()),
        (None, Some(id), None) => ("company", id.to_string()),
        (None, None, Some(id)) => ("deal", id.to_string()),
        _ => return Err(Error::invalid("contact_id", "name exactly one record: a contact, a company or a deal")),
    };
    ctx.write(|tx| {
        let scores = current(&tx.sql, entity_type, &id, tx.now.date_naive(), &tx.stamp())?;
        if scores.is_empty() {
            return Err(Error::NotFound {
                entity: match entity_type {
                    "contact" => "contact",
                    "company" => "company",
                    _ => "deal",
                },
                id,
            });
        }
        Ok(scores)
    })
}

/// Records recomputed per write transaction, so a long refresh never holds the write lock for
/// long.
const REFRESH_BATCH: u32 = 100;

/// Recomputes the scores of up to `limit` records marked dirty, in short transactions; returns
/// how many were done.
pub async fn refresh(ctx: &Ctx, limit: u32) -> Result<usize> {
    let mut done = 0;
    while done < limit as usize {
        let batch = REFRESH_BATCH.min(limit - done as u32);
        let n = ctx.write(|tx| {
            let dirty: Vec<(String, String)> = {
                let mut stmt = tx.sql.prepare_cached("SELECT entity_type, entity_id FROM score_dirty LIMIT ?1")?;
                let rows = stmt.query_map([batch], |r| Ok((r.get(0)?, r.get(1)?)))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            let today = tx.now.date_naive();
            for (entity_type, id) in &dirty {
                current(&tx.sql, entity_type, id, today, &tx.stamp())?;
                tx.sql
                    .execute("DELETE FROM score_dirty WHERE entity_type = ?1 AND entity_id = ?2", [entity_type, id])?;
            }
            Ok(dirty.len())
        })?;
        done += n;
        if n < batch as usize {
            break;
        }
        tokio::task::yield_now().await;
    }
    Ok(done)
}
