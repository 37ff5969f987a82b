//! The manager view: the team's pipeline by rep (deal owner) and stage, value and weighted
//! forecast by stage, win rate, activities per rep per week (an activity counts for the owner of
//! the deal it is logged on), and upcoming meetings with the status of their briefs.

use chrono::Duration;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Ctx, Result};

/// Weeks of activity history in the manager view.
pub const ACTIVITY_WEEKS: i64 = 8;
/// Name shown for deals without an owner.
pub const UNASSIGNED: &str = "(unassigned)";

/// Deals of one rep in one stage (per currency).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RepStage {
    /// Deal owner.
    pub owner: String,
    /// Stage name.
    pub stage: String,
    /// Stage position on the board.
    #[ts(type = "number")]
    pub position: i64,
    /// Currency.
    pub currency: String,
    /// Number of deals.
    pub deals: u32,
    /// Sum of values.
    pub value: f64,
}

/// Value in one stage (per currency) with its probability-weighted forecast.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct StageValue {
    /// Stage name.
    pub stage: String,
    /// Position on the board.
    #[ts(type = "number")]
    pub position: i64,
    /// open, won or lost.
    pub kind: String,
    /// Win probability in percent.
    #[ts(type = "number")]
    pub probability: i64,
    /// Currency.
    pub currency: String,
    /// Number of deals.
    pub deals: u32,
    /// Sum of values.
    pub value: f64,
    /// value × probability.
    pub weighted: f64,
}

/// Won and lost deals of one rep (or of everyone, owner `None`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct WinRate {
    /// Deal owner; None for the whole team.
    pub owner: Option<String>,
    /// Deals won.
    pub won: u32,
    /// Deals lost.
    pub lost: u32,
    /// won / (won + lost), None when nothing has closed.
    pub rate: Option<f64>,
}

/// Activities on one rep's deals in one week.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RepWeek {
    /// Deal owner.
    pub owner: String,
    /// Monday of the week (YYYY-MM-DD).
    pub week: String,
    /// Activities logged.
    pub activities: u32,
}

/// An upcoming meeting with its brief's status.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct MeetingBriefStatus {
    /// Meeting id.
    pub meeting_id: String,
    /// Title.
    pub title: String,
    /// Start.
    pub starts_at: String,
    /// Owner of the meeting's deal, if any.
    pub owner: Option<String>,
    /// Brief id, once generated.
    pub brief_id: Option<String>,
    /// draft, ready or reviewed; None before generation.
    pub brief_status: Option<String>,
}

/// The whole manager view.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct TeamPipeline {
    /// Open deals by rep and stage.
    pub by_rep: Vec<RepStage>,
    /// All deals by stage, with weighted forecast.
    pub by_stage: Vec<StageValue>,
    /// Open pipeline weighted forecast per currency (sum of `by_stage` open weighted values).
    pub forecast: Vec<StageValue>,
    /// Team win rate first, then per rep.
    pub win_rates: Vec<WinRate>,
    /// Activities per rep per week, last [`ACTIVITY_WEEKS`] weeks.
    pub activities_per_week: Vec<RepWeek>,
    /// Meetings in the next 7 days with brief status.
    pub upcoming_meetings: Vec<MeetingBriefStatus>,
}

/// Options for the upcoming meetings list.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct MeetingsQuery {
    /// Days ahead (default 7).
    #[serde(default)]
    pub days: Option<u32>,
}

fn rate(owner: Option<String>, won: u32, lost: u32) -> WinRate {
    let closed = won + lost;
    WinRate { owner, won, lost, rate: (closed > 0).then(|| f64::from(won) / f64::from(closed)) }
}

/// Meetings starting in the next `days` days with their brief status.
pub fn meetings(ctx: &Ctx, query: MeetingsQuery) -> Result<Vec<MeetingBriefStatus>> {
    let now = ctx.now();
    let days = i64::from(query.days.unwrap_or(7).min(366));
    let stamp = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    ctx.read(|conn| {
        let mut stmt = conn.prepare(
            "SELECT m.id, m.title, m.starts_at, d.owner, b.id, b.status FROM meetings m
             LEFT JOIN deals d ON d.id = m.deal_id LEFT JOIN briefs b ON b.meeting_id = m.id
             WHERE m.status = 'scheduled' AND m.starts_at >= ?1 AND m.starts_at < ?2 ORDER BY m.starts_at, m.id",
        )?;
        let rows = stmt.query_map([stamp(now), stamp(now + Duration::days(days))], |r| {
            Ok(MeetingBriefStatus {
                meeting_id: r.get(0)?,
                title: r.get(1)?,
                starts_at: r.get(2)?,
                owner: r.get(3)?,
                brief_id: r.get(4)?,
                brief_status: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })
}

/// The manager view as of the context clock's "now".
pub fn pipeline(ctx: &Ctx) -> Result<TeamPipeline> {
    let upcoming_meetings = meetings(ctx, MeetingsQuery::default())?;
    let since = (ctx.now().date_naive() - Duration::weeks(ACTIVITY_WEEKS)).to_string();
    ctx.read(|conn| {
        let mut stmt = conn.prepare(
            "SELECT coalesce(d.owner, ?1), s.name, s.position, d.currency, count(*), sum(iif(typeof(d.value_minor) = 'integer', d.value_minor, 0))
             FROM deals d JOIN stages s ON s.id = d.stage_id WHERE s.kind = 'open'
             GROUP BY 1, s.id, d.currency ORDER BY 1, s.position, d.currency",
        )?;
        let by_rep = stmt
            .query_map([UNASSIGNED], |r| {
                Ok(RepStage {
                    owner: r.get(0)?,
                    stage: r.get(1)?,
                    position: r.get(2)?,
                    currency: r.get(3)?,
                    deals: r.get(4)?,
                    value: crate::store::validate::major(r.get(5)?),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = conn.prepare(
            "SELECT s.name, s.position, s.kind, s.probability, d.currency, count(*), sum(iif(typeof(d.value_minor) = 'integer', d.value_minor, 0))
             FROM deals d JOIN stages s ON s.id = d.stage_id
             GROUP BY s.id, d.currency ORDER BY s.position, d.currency",
        )?;
        let by_stage = stmt
            .query_map([], |r| {
                let value = crate::store::validate::major(r.get(6)?);
                let probability: i64 = r.get(3)?;
                Ok(StageValue {
                    stage: r.get(0)?,
                    position: r.get(1)?,
                    kind: r.get(2)?,
                    probability,
                    currency: r.get(4)?,
                    deals: r.get(5)?,
                    value,
                    weighted: (value * probability as f64).round() / 100.0,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut forecast: Vec<StageValue> = Vec::new();
        for s in by_stage.iter().filter(|s| s.kind == "open") {
            match forecast.iter_mut().find(|f| f.currency == s.currency) {
                Some(f) => {
                    f.deals += s.deals;
                    f.value += s.value;
                    f.weighted += s.weighted;
                }
                None => forecast.push(StageValue { stage: "open pipeline".into(), position: 0, probability: 0, ..s.clone() }),
            }
        }
        let mut win_rates = Vec::new();
        let (won, lost): (u32, u32) = conn.query_row(
            "SELECT coalesce(sum(s.kind = 'won'), 0), coalesce(sum(s.kind = 'lost'), 0) FROM deals d JOIN stages s ON s.id = d.stage_id",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        win_rates.push(rate(None, won, lost));
        let mut stmt = conn.prepare(
            "SELECT coalesce(d.owner, ?1), sum(s.kind = 'won'), sum(s.kind = 'lost')
             FROM deals d JOIN stages s ON s.id = d.stage_id GROUP BY 1 HAVING sum(s.kind <> 'open') > 0 ORDER BY 1",
        )?;
        for row in stmt.query_map([UNASSIGNED], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))? {
            let (owner, won, lost) = row?;
            win_rates.push(rate(Some(owner), won, lost));
        }
        let mut stmt = conn.prepare(
            "SELECT coalesce(d.owner, ?1), date(a.occurred_at, 'weekday 0', '-6 days') AS week, count(*)
             FROM activities a JOIN deals d ON d.id = a.deal_id
             WHERE a.occurred_at >= ?2 GROUP BY 1, week ORDER BY 1, week",
        )?;
        let activities_per_week = stmt
            .query_map(params![UNASSIGNED, since], |r| Ok(RepWeek { owner: r.get(0)?, week: r.get(1)?, activities: r.get(2)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(TeamPipeline { by_rep, by_stage, forecast, win_rates, activities_per_week, upcoming_meetings })
    })
}
