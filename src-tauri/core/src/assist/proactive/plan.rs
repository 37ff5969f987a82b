//! The agent's pure planning step: from the facts read at `now`, which alerts are due. No
//! database, no clock; the dedupe keys make raising them idempotent.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, Utc};

use crate::assist::alerts::NewAlert;

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
    crate::assist::scores::gather::day_of(stamp).map_or(0, |d| (today - d).num_days())
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

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveTime, Utc};

    use super::{plan, AgentSettings, Facts, OverdueTask, UpcomingMeeting};

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).map(|t| t.to_utc()).expect("instant")
    }

    fn settings() -> AgentSettings {
        AgentSettings {
            brief_lead: Duration::hours(2),
            digest_time: NaiveTime::from_hms_opt(9, 0, 0).expect("time"),
            offset: FixedOffset::east_opt(2 * 3600).expect("offset"),
            stale_days: 7,
        }
    }

    fn meeting(id: &str, starts_at: &str) -> UpcomingMeeting {
        UpcomingMeeting { id: id.into(), title: id.into(), starts_at: starts_at.into() }
    }

    #[test]
    fn briefs_within_the_lead_time_and_the_digest_at_local_time() {
        let facts = Facts {
            meetings: vec![
                meeting("edge", "2026-11-24T08:30:00.000Z"),
                meeting("later", "2026-11-24T08:31:00.000Z"),
                meeting("started", "2026-11-24T06:00:00.000Z"),
            ],
            overdue_tasks: vec![
                OverdueTask { id: "t1".into(), title: "due today".into(), due_date: "2026-11-24".into() },
                OverdueTask { id: "t2".into(), title: "due yesterday".into(), due_date: "2026-11-23".into() },
            ],
            ..Facts::default()
        };
        // 06:30 UTC is 08:30 local: before the digest time.
        let early = plan(utc("2026-11-24T06:30:00Z"), &settings(), &facts);
        assert_eq!(early.briefs.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>(), ["edge"]);
        assert_eq!(early.briefs[0].1.title, "Brief ready: edge at 10:30", "local start time");
        assert_eq!(early.digest_for, None);
        assert_eq!(
            early.alerts.iter().map(|a| a.dedupe_key.as_str()).collect::<Vec<_>>(),
            ["task-overdue:t2:2026-11-23"]
        );
        // 07:00 UTC is 09:00 local: the digest is due for the local day.
        let on_time = plan(utc("2026-11-24T07:00:00Z"), &settings(), &facts);
        assert_eq!(on_time.digest_for, NaiveDate::from_ymd_opt(2026, 11, 24));
        // At UTC-5, 03:00 UTC on the 25th is still 22:00 on the 24th locally.
        let west = AgentSettings { offset: FixedOffset::west_opt(5 * 3600).expect("offset"), ..settings() };
        let late = plan(utc("2026-11-25T03:00:00Z"), &west, &Facts::default());
        assert_eq!(late.digest_for, NaiveDate::from_ymd_opt(2026, 11, 24));
    }
}
