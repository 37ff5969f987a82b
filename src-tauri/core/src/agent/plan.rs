//! The agent's pure planning step: from the facts read at `now`, which alerts are due. No
//! database, no clock; the dedupe keys make raising them idempotent.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, Utc};

use crate::alerts::NewAlert;

/// How the agent is configured (from settings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentSettings {
    /// A brief is made ready this long before its meeting.
    pub brief_lead: Duration,
    /// Local time of the daily pipeline digest.
    pub digest_time: NaiveTime,
    /// The rep's UTC offset, for "local" times and days.
    pub offset: FixedOffset,
    /// Days without activity after which an open deal is stale.
    pub stale_days: i64,
}

/// A scheduled meeting starting within the brief lead time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpcomingMeeting {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Start (RFC 3339 UTC).
    pub starts_at: String,
}

/// An open task due before today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueTask {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Due date.
    pub due_date: String,
}

/// An open deal without recent activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleDeal {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Its last activity (or stage entry) (RFC 3339).
    pub last_activity_at: String,
}

/// An open deal whose expected close date has passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastClose {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Expected close date.
    pub expected_close: String,
}

/// What the agent read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Meetings starting within the lead time.
    pub meetings: Vec<UpcomingMeeting>,
    /// Overdue tasks.
    pub overdue_tasks: Vec<OverdueTask>,
    /// Stale deals.
    pub stale_deals: Vec<StaleDeal>,
    /// Deals past their close date.
    pub past_close: Vec<PastClose>,
}

/// What is due.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Meetings whose brief to make ready, with the alert to raise for each.
    pub briefs: Vec<(String, NewAlert)>,
    /// The local day whose digest is due (its time has come), if any.
    pub digest_for: Option<NaiveDate>,
    /// Other alerts.
    pub alerts: Vec<NewAlert>,
}

/// The local day of `now`.
pub fn local_day(now: DateTime<Utc>, offset: FixedOffset) -> NaiveDate {
    now.with_timezone(&offset).date_naive()
}

fn days_between(today: NaiveDate, stamp: &str) -> i64 {
    crate::scores::gather::day_of(stamp).map_or(0, |d| (today - d).num_days())
}

/// Plans the alerts due at `now`.
pub fn plan(now: DateTime<Utc>, settings: &AgentSettings, facts: &Facts) -> Plan {
    let local = now.with_timezone(&settings.offset);
    let today = local.date_naive();
    let mut plan = Plan::default();
    for m in &facts.meetings {
        let Ok(starts) = DateTime::parse_from_rfc3339(&m.starts_at) else { continue };
        let starts = starts.with_timezone(&Utc);
        if starts <= now || starts - now > settings.brief_lead {
            continue;
        }
        let local_start = starts.with_timezone(&settings.offset).format("%H:%M");
        plan.briefs.push((
            m.id.clone(),
            NewAlert {
                kind: "brief_ready",
                dedupe_key: format!("brief-ready:{}:{}", m.id, m.starts_at),
                title: format!("Brief ready: {} at {local_start}", m.title),
                body: format!("Your brief for \"{}\" is ready; the meeting starts at {local_start}.", m.title),
                entity_type: Some("meeting"),
                entity_id: Some(m.id.clone()),
                link: format!("outpost://meeting/{}/brief", m.id),
            },
        ));
    }
    if local.time() >= settings.digest_time {
        plan.digest_for = Some(today);
    }
    for t in &facts.overdue_tasks {
        let days = days_between(today, &t.due_date);
        if days <= 0 {
            continue;
        }
        plan.alerts.push(NewAlert {
            kind: "task_overdue",
            dedupe_key: format!("task-overdue:{}:{}", t.id, t.due_date),
            title: format!("Overdue: {}", t.title),
            body: format!("\"{}\" was due {} ({} ago).", t.title, t.due_date, plural_days(days)),
            entity_type: Some("task"),
            entity_id: Some(t.id.clone()),
            link: format!("outpost://task/{}", t.id),
        });
    }
    for d in &facts.stale_deals {
        let days = days_between(today, &d.last_activity_at);
        if days < settings.stale_days {
            continue;
        }
        plan.alerts.push(NewAlert {
            kind: "deal_stale",
            dedupe_key: format!("deal-stale:{}:{}", d.id, d.last_activity_at),
            title: format!("Stalled: {}", d.title),
            body: format!(
                "{} has had no activity for {} (stale after {}).",
                d.title,
                plural_days(days),
                settings.stale_days
            ),
            entity_type: Some("deal"),
            entity_id: Some(d.id.clone()),
            link: format!("outpost://deal/{}", d.id),
        });
    }
    for d in &facts.past_close {
        if days_between(today, &d.expected_close) <= 0 {
            continue;
        }
        plan.alerts.push(NewAlert {
            kind: "close_date_passed",
            dedupe_key: format!("close-date-passed:{}:{}", d.id, d.expected_close),
            title: format!("Close date passed: {}", d.title),
            body: format!("{} was expected to close on {}; update the date or the stage.", d.title, d.expected_close),
            entity_type: Some("deal"),
            entity_id: Some(d.id.clone()),
            link: format!("outpost://deal/{}", d.id),
        });
    }
    plan
}

fn plural_days(n: i64) -> String {
    if n == 1 {
        "1 day".to_owned()
    } else {
        format!("{n} days")
    }
}
