//! The daily pipeline digest: open pipeline by currency, today's meetings and their briefs, and
//! what needs attention (overdue tasks, stale deals, passed close dates, deals closing this week).

use chrono::{DateTime, Duration, NaiveTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::plan::{local_day, AgentSettings};
use crate::Result;

/// Open pipeline in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PipelineTotal {
    /// Currency.
    pub currency: String,
    /// Open deals.
    pub deals: u32,
    /// Sum of values (major units).
    pub value: f64,
    /// Sum of value × stage probability.
    pub weighted: f64,
}

/// A line of the digest about one record.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct DigestItem {
    /// Record kind.
    pub entity_type: String,
    /// Record id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Date or time that matters (due, last activity, close date, start).
    pub when: String,
    /// Extra, e.g. a meeting's brief status.
    pub note: Option<String>,
}

/// The digest of one local day.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Digest {
    /// The local day (YYYY-MM-DD).
    pub date: String,
    /// Open pipeline per currency.
    pub pipeline: Vec<PipelineTotal>,
    /// Today's meetings, with brief status.
    pub meetings: Vec<DigestItem>,
    /// Overdue open tasks.
    pub overdue_tasks: Vec<DigestItem>,
    /// Open deals without activity for the stale period.
    pub stale_deals: Vec<DigestItem>,
    /// Open deals past their expected close date.
    pub close_date_passed: Vec<DigestItem>,
    /// Open deals expected to close in the next 7 days.
    pub closing_this_week: Vec<DigestItem>,
}

fn items(conn: &Connection, sql: &str, params: impl rusqlite::Params, entity_type: &str) -> Result<Vec<DigestItem>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| {
        Ok(DigestItem {
            entity_type: entity_type.to_owned(),
            id: r.get(0)?,
            title: r.get(1)?,
            when: r.get(2)?,
            note: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Builds the digest for the local day of `now`.
pub fn build(conn: &Connection, now: DateTime<Utc>, settings: &AgentSettings) -> Result<Digest> {
    let day = local_day(now, settings.offset);
    let start = day
        .and_time(NaiveTime::MIN)
        .and_local_timezone(settings.offset)
        .single()
        .map_or(now, |t| t.with_timezone(&Utc));
    let stamp = |t: DateTime<Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut stmt = conn.prepare_cached(
        "SELECT d.currency, count(*), sum(iif(typeof(d.value_minor) = 'integer', d.value_minor, 0)), sum(iif(typeof(d.value_minor) = 'integer', d.value_minor, 0) * s.probability)
         FROM deals d JOIN stages s ON s.id = d.stage_id WHERE s.kind = 'open' GROUP BY d.currency ORDER BY d.currency",
    )?;
    let pipeline = stmt
        .query_map([], |r| {
            let value: i64 = r.get(2)?;
            let weighted: i64 = r.get(3)?;
            Ok(PipelineTotal {
                currency: r.get(0)?,
                deals: r.get(1)?,
                value: crate::store::validate::major(value),
                weighted: crate::store::validate::major(weighted) / 100.0,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let meetings = items(
        conn,
        "SELECT m.id, m.title, m.starts_at, coalesce('brief ' || b.status, 'no brief yet') FROM meetings m
         LEFT JOIN briefs b ON b.meeting_id = m.id
         WHERE m.status = 'scheduled' AND m.starts_at >= ?1 AND m.starts_at < ?2 ORDER BY m.starts_at, m.id",
        [stamp(start), stamp(start + Duration::days(1))],
        "meeting",
    )?;
    let today = day.to_string();
    let overdue_tasks = items(
        conn,
        "SELECT id, title, due_date, NULL FROM tasks WHERE done_at IS NULL AND due_date < ?1 ORDER BY due_date, id LIMIT 50",
        [&today],
        "task",
    )?;
    let cutoff = (day - Duration::days(settings.stale_days - 1)).to_string();
    let stale_deals = items(
        conn,
        "SELECT id, title, last, NULL FROM (
             SELECT d.id, d.title,
                    coalesce((SELECT max(a.occurred_at) FROM activities a WHERE a.deal_id = d.id), d.stage_entered_at) AS last
             FROM deals d JOIN stages s ON s.id = d.stage_id WHERE s.kind = 'open')
         WHERE last < ?1 ORDER BY last, id LIMIT 50",
        [&cutoff],
        "deal",
    )?;
    let close_date_passed = items(
        conn,
        "SELECT d.id, d.title, d.expected_close, NULL FROM deals d JOIN stages s ON s.id = d.stage_id
         WHERE s.kind = 'open' AND d.expected_close < ?1 ORDER BY d.expected_close, d.id LIMIT 50",
        [&today],
        "deal",
    )?;
    let week = (day + Duration::days(7)).to_string();
    let closing_this_week = items(
        conn,
        "SELECT d.id, d.title, d.expected_close, NULL FROM deals d JOIN stages s ON s.id = d.stage_id
         WHERE s.kind = 'open' AND d.expected_close >= ?1 AND d.expected_close <= ?2 ORDER BY d.expected_close, d.id LIMIT 50",
        [&today, &week],
        "deal",
    )?;
    Ok(Digest { date: today, pipeline, meetings, overdue_tasks, stale_deals, close_date_passed, closing_this_week })
}

/// One line for the digest notification.
pub fn summary(d: &Digest) -> String {
    let pipeline: Vec<String> =
        d.pipeline.iter().map(|p| format!("{} open deals worth {:.2} {}", p.deals, p.value, p.currency)).collect();
    format!(
        "{}; {} meeting(s) today, {} overdue task(s), {} stale deal(s), {} past close date.",
        if pipeline.is_empty() { "No open deals".to_owned() } else { pipeline.join(", ") },
        d.meetings.len(),
        d.overdue_tasks.len(),
        d.stale_deals.len(),
        d.close_date_passed.len()
    )
}

/// The digest as Markdown.
pub fn markdown(d: &Digest) -> String {
    let mut out = vec![format!("# Pipeline digest — {}", d.date), String::new(), "## Open pipeline".to_owned()];
    if d.pipeline.is_empty() {
        out.push("- No open deals".to_owned());
    }
    for p in &d.pipeline {
        out.push(format!("- {}: {} deals, {:.2} total, {:.2} weighted", p.currency, p.deals, p.value, p.weighted));
    }
    let sections = [
        ("Today's meetings", &d.meetings),
        ("Overdue tasks", &d.overdue_tasks),
        ("Stale deals", &d.stale_deals),
        ("Close date passed", &d.close_date_passed),
        ("Closing this week", &d.closing_this_week),
    ];
    for (title, list) in sections {
        out.push(String::new());
        out.push(format!("## {title}"));
        if list.is_empty() {
            out.push("- none".to_owned());
        }
        for item in list {
            let note = item.note.as_ref().map(|n| format!(" ({n})")).unwrap_or_default();
            out.push(format!("- {} — {}{note}", item.title, item.when));
        }
    }
    out.join("\n")
}
