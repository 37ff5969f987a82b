//! Reads what the agent plans from: the settings, meetings about to start, and the open tasks
//! and deals that need attention (skipping events already alerted, so a large backlog drains over
//! a few ticks instead of one burst).

use chrono::{DateTime, Duration, Local, NaiveTime, Offset, Utc};

use crate::store::settings::parse_offset;
use rusqlite::{Connection, OptionalExtension};

use super::plan::{local_day, AgentSettings, Facts, OverdueTask, PastClose, StaleDeal, UpcomingMeeting};
use crate::{assist::scores, Error, Result};

/// Default hours before a meeting that its brief is made ready.
pub const DEFAULT_BRIEF_LEAD_HOURS: i64 = 2;
/// Default local time of the daily digest.
pub const DEFAULT_DIGEST_TIME: &str = "09:00";
/// Most alerts of one kind raised per tick.
const BATCH: u32 = 200;

fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([key], |r| r.get::<_, String>(0))
        .optional()?
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty()))
}

/// The agent's settings, with defaults (the machine's current UTC offset when none is set).
pub fn settings(conn: &Connection) -> Result<AgentSettings> {
    let lead = match setting(conn, "agent.brief_lead_hours")? {
        Some(v) => v.parse::<i64>().ok().filter(|h| *h > 0).ok_or_else(|| {
            Error::invalid("agent.brief_lead_hours", format!("'{v}' is not a whole number of hours; set e.g. 2"))
        })?,
        None => DEFAULT_BRIEF_LEAD_HOURS,
    };
    let digest = setting(conn, "agent.digest_time")?.unwrap_or_else(|| DEFAULT_DIGEST_TIME.to_owned());
    let digest_time = NaiveTime::parse_from_str(&digest, "%H:%M")
        .map_err(|_| Error::invalid("agent.digest_time", format!("'{digest}' is not a time; use HH:MM, e.g. 09:00")))?;
    let offset = match setting(conn, "agent.utc_offset")? {
        Some(v) => parse_offset(&v).ok_or_else(|| {
            Error::invalid("agent.utc_offset", format!("'{v}' is not a UTC offset; use e.g. +01:00 or -05:00"))
        })?,
        None => Local::now().offset().fix(),
    };
    Ok(AgentSettings { brief_lead: Duration::hours(lead), digest_time, offset, stale_days: scores::stale_days(conn)? })
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Open deals whose last activity (or stage entry) is before ?1 and not alerted for that date.
///
/// MATERIALIZED: inlined, the `last` subquery inside the dedupe key kept SQLite from probing the
/// notifications index, and it scanned every notification per deal (recomputing `last` each
/// time): 12 s per agent pass at 50k deals once 600 alerts existed.
const STALE_DEALS: &str = "WITH open_deals AS MATERIALIZED (
         SELECT d.id, d.title,
                coalesce((SELECT max(a.occurred_at) FROM activities a WHERE a.deal_id = d.id), d.stage_entered_at) AS last
         FROM deals d JOIN stages s ON s.id = d.stage_id WHERE s.kind = 'open')
     SELECT o.id, o.title, o.last FROM open_deals o
     WHERE o.last < ?1
       AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.dedupe_key = 'deal-stale:' || o.id || ':' || o.last)
     ORDER BY o.last, o.id LIMIT ?2";

/// Reads the facts the agent plans from at `now`.
pub fn gather(conn: &Connection, now: DateTime<Utc>, settings: &AgentSettings) -> Result<Facts> {
    let today = local_day(now, settings.offset).to_string();
    let mut stmt = conn.prepare_cached(
        "SELECT id, title, starts_at FROM meetings
         WHERE status = 'scheduled' AND starts_at > ?1 AND starts_at <= ?2 ORDER BY starts_at, id",
    )?;
    let meetings = stmt
        .query_map([stamp(now), stamp(now + settings.brief_lead)], |r| {
            Ok(UpcomingMeeting { id: r.get(0)?, title: r.get(1)?, starts_at: r.get(2)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, title, due_date FROM tasks t WHERE done_at IS NULL AND due_date < ?1
           AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.dedupe_key = 'task-overdue:' || t.id || ':' || t.due_date)
         ORDER BY due_date, id LIMIT ?2",
    )?;
    let overdue_tasks = stmt
        .query_map(rusqlite::params![today, BATCH], |r| {
            Ok(OverdueTask { id: r.get(0)?, title: r.get(1)?, due_date: r.get(2)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let cutoff = (local_day(now, settings.offset) - Duration::days(settings.stale_days - 1)).to_string();
    let mut stmt = conn.prepare_cached(STALE_DEALS)?;
    let stale_deals = stmt
        .query_map(rusqlite::params![cutoff, BATCH], |r| {
            Ok(StaleDeal { id: r.get(0)?, title: r.get(1)?, last_activity_at: r.get(2)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.title, d.expected_close FROM deals d JOIN stages s ON s.id = d.stage_id
         WHERE s.kind = 'open' AND d.expected_close < ?1
           AND NOT EXISTS (SELECT 1 FROM notifications n
                           WHERE n.dedupe_key = 'close-date-passed:' || d.id || ':' || d.expected_close)
         ORDER BY d.expected_close, d.id LIMIT ?2",
    )?;
    let past_close = stmt
        .query_map(rusqlite::params![today, BATCH], |r| {
            Ok(PastClose { id: r.get(0)?, title: r.get(1)?, expected_close: r.get(2)? })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Facts { meetings, overdue_tasks, stale_deals, past_close })
}

#[cfg(test)]
mod tests {
    use super::STALE_DEALS;

    /// Regression: the stale-deal query scanned all notifications per open deal (12 s per pass).
    #[test]
    fn stale_deal_query_probes_the_notifications_index_instead_of_scanning_it() {
        let dir = tempfile::tempdir().expect("tmp");
        let conn = crate::store::open(dir.path()).expect("open");
        let plan = crate::store::query_plan(&conn, STALE_DEALS, rusqlite::params!["2026-11-18", 200]).expect("plan");
        assert!(plan.iter().any(|step| step.starts_with("SEARCH n USING")), "{plan:#?}");
        assert!(!plan.iter().any(|step| step.starts_with("SCAN n")), "{plan:#?}");
    }
}
