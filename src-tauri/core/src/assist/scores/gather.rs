//! Reads the facts a score is computed from (indexed lookups only: one record's activities,
//! meetings and deals).

use chrono::{Duration, NaiveDate};
use rusqlite::{Connection, OptionalExtension};

use super::factors::{DealSignals, Engagement, Fit, Interaction, HEAT_WINDOW_DAYS, WINDOW_DAYS};
use crate::Result;

/// The date part of an RFC 3339 timestamp or a YYYY-MM-DD date.
pub(crate) fn day_of(stamp: &str) -> Option<NaiveDate> {
    stamp.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

fn since(today: NaiveDate, days: i64) -> String {
    (today - Duration::days(days)).format("%Y-%m-%d").to_string()
}

fn interactions(conn: &Connection, sql: &str, id: &str, from: &str) -> Result<Vec<Interaction>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([id, from], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, at) = row?;
        if let Some(on) = day_of(&at) {
            out.push(Interaction { on, two_way: kind != "email" });
        }
    }
    Ok(out)
}

/// A contact's engagement as of `today`.
pub(crate) fn contact_engagement(conn: &Connection, id: &str, today: NaiveDate) -> Result<Engagement> {
    let from = since(today, WINDOW_DAYS);
    let recent = interactions(
        conn,
        "SELECT kind, occurred_at FROM activities WHERE contact_id = ?1 AND occurred_at >= ?2
             AND kind IN ('call', 'email', 'meeting')",
        id,
        &from,
    )?;
    let last: Option<String> = conn
        .prepare_cached(
            "SELECT max(coalesce((SELECT max(occurred_at) FROM activities WHERE contact_id = ?1
                                     AND kind IN ('call', 'email', 'meeting')), ''),
                        coalesce(last_contacted_at, ''))
             FROM contacts WHERE id = ?1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?;
    let to = (today + Duration::days(WINDOW_DAYS)).format("%Y-%m-%d").to_string();
    let meetings: u32 = conn.prepare_cached(UPCOMING_MEETINGS)?.query_row([id, &from, &to], |r| r.get(0))?;
    let open_deals: u32 = conn
        .prepare_cached(
            "SELECT count(*) FROM deals d JOIN stages s ON s.id = d.stage_id WHERE d.contact_id = ?1 AND s.kind = 'open'",
        )?
        .query_row([id], |r| r.get(0))?;
    let last = last.as_deref().and_then(day_of).filter(|d| *d <= today);
    Ok(Engagement { recent: recent.into_iter().filter(|i| i.on <= today).collect(), last, meetings, open_deals })
}

/// Scheduled meetings of contact `?1` starting in [`?2`, `?3`). An attendee is the contact with
/// their email as of now when the meeting was written before that contact existed here (as
/// `meetings::attendees::of` reads them): a meeting received through sync ahead of its attendee's
/// contact counts all the same. Linked and unlinked attendees are counted apart, each through an
/// index (`meeting_attendees_contact`, `meeting_attendees_email`): one `coalesce` of both could use
/// neither and read every attendee of every meeting for each contact scored, which made a
/// brief's first generation 60 % slower.
pub(crate) const UPCOMING_MEETINGS: &str = "
    SELECT (SELECT count(*) FROM meeting_attendees a JOIN meetings m ON m.id = a.meeting_id
            WHERE a.contact_id = ?1
              AND m.status = 'scheduled' AND m.starts_at >= ?2 AND m.starts_at < ?3)
         + (SELECT count(*) FROM meeting_attendees a JOIN meetings m ON m.id = a.meeting_id
            WHERE a.email = (SELECT email FROM contacts WHERE id = ?1) AND a.contact_id IS NULL
              AND (SELECT c.id FROM contacts c WHERE c.email = a.email ORDER BY c.created_at LIMIT 1) = ?1
              AND m.status = 'scheduled' AND m.starts_at >= ?2 AND m.starts_at < ?3)";

/// A company's engagement: its own timeline plus its contacts'.
pub(crate) fn company_engagement(conn: &Connection, id: &str, today: NaiveDate) -> Result<Engagement> {
    let from = since(today, WINDOW_DAYS);
    let mut recent = interactions(
        conn,
        "SELECT kind, occurred_at FROM activities WHERE company_id = ?1 AND occurred_at >= ?2
             AND kind IN ('call', 'email', 'meeting')
         UNION ALL
         SELECT a.kind, a.occurred_at FROM contacts c JOIN activities a ON a.contact_id = c.id
         WHERE c.company_id = ?1 AND a.occurred_at >= ?2 AND a.kind IN ('call', 'email', 'meeting')
           AND (a.company_id IS NULL OR a.company_id <> ?1)",
        id,
        &from,
    )?;
    recent.retain(|i| i.on <= today);
    let last: Option<String> = conn
        .prepare_cached(
            "SELECT max(at) FROM (
                 SELECT max(occurred_at) AS at FROM activities WHERE company_id = ?1 AND kind IN ('call', 'email', 'meeting')
                 UNION ALL
                 SELECT max(c.last_contacted_at) FROM contacts c WHERE c.company_id = ?1)",
        )?
        .query_row([id], |r| r.get(0))?;
    let to = (today + Duration::days(WINDOW_DAYS)).format("%Y-%m-%d").to_string();
    let meetings: u32 = conn
        .prepare_cached(
            "SELECT count(*) FROM meetings WHERE company_id = ?1 AND status = 'scheduled' AND starts_at >= ?2 AND starts_at < ?3",
        )?
        .query_row([id, &from, &to], |r| r.get(0))?;
    let open_deals: u32 = conn
        .prepare_cached(
            "SELECT count(*) FROM deals d JOIN stages s ON s.id = d.stage_id WHERE d.company_id = ?1 AND s.kind = 'open'",
        )?
        .query_row([id], |r| r.get(0))?;
    let last = last.as_deref().and_then(day_of).filter(|d| *d <= today);
    Ok(Engagement { recent, last, meetings, open_deals })
}

/// What makes a contact a fit; None when the contact does not exist.
pub(crate) fn contact_fit(conn: &Connection, id: &str) -> Result<Option<Fit>> {
    Ok(conn
        .prepare_cached(
            "SELECT c.title, co.name, (co.industry IS NOT NULL OR co.size IS NOT NULL), c.email IS NOT NULL,
                    c.phone IS NOT NULL, (c.email_opt_out OR c.do_not_call)
             FROM contacts c LEFT JOIN companies co ON co.id = c.company_id WHERE c.id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Fit {
                title: r.get(0)?,
                company: r.get(1)?,
                company_profiled: r.get::<_, Option<bool>>(2)?.unwrap_or(false),
                has_email: r.get(3)?,
                has_phone: r.get(4)?,
                opted_out: r.get(5)?,
            })
        })
        .optional()?)
}

/// A deal's heat signals; None when the deal does not exist.
pub(crate) fn deal_signals(conn: &Connection, id: &str, today: NaiveDate) -> Result<Option<DealSignals>> {
    type Row = (Option<String>, Option<String>, Option<String>, Option<String>, String);
    let row: Option<Row> = conn
        .prepare_cached("SELECT budget, authority, need, timeline, stage_entered_at FROM deals WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .optional()?;
    let Some((budget, authority, need, timeline, entered)) = row else { return Ok(None) };
    let known = [("budget", budget), ("authority", authority), ("need", need), ("timeline", timeline)]
        .into_iter()
        .filter_map(|(name, value)| value.map(|_| name))
        .collect();
    let recent_activities: u32 = conn
        .prepare_cached("SELECT count(*) FROM activities WHERE deal_id = ?1 AND occurred_at >= ?2")?
        .query_row([id, &since(today, HEAT_WINDOW_DAYS)], |r| r.get(0))?;
    let last = last_deal_activity(conn, id)?.unwrap_or(entered);
    let idle_days = day_of(&last).map_or(0, |d| (today - d).num_days().max(0));
    Ok(Some(DealSignals { known, recent_activities, idle_days }))
}

/// When the deal last had any activity (including stage changes).
pub(crate) fn last_deal_activity(conn: &Connection, id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT max(occurred_at) FROM activities WHERE deal_id = ?1")?
        .query_row([id], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::UPCOMING_MEETINGS;

    /// Regression: the count matched `coalesce(contact_id, <contact by email>) = ?1`, which no
    /// index serves, so every attendee of every meeting was read for each contact scored.
    #[test]
    fn upcoming_meetings_are_counted_through_the_attendee_indexes_not_a_scan() {
        let dir = tempfile::tempdir().expect("tmp");
        let conn = crate::store::open(dir.path()).expect("open");
        let params = rusqlite::params!["c", "2026-11-01", "2026-12-01"];
        let plan = crate::store::query_plan(&conn, UPCOMING_MEETINGS, params).expect("plan");
        assert!(!plan.iter().any(|step| step.starts_with("SCAN a")), "{plan:#?}");
        for index in ["meeting_attendees_contact", "meeting_attendees_email"] {
            assert!(plan.iter().any(|step| step.starts_with("SEARCH a USING") && step.contains(index)), "{plan:#?}");
        }
    }
}
