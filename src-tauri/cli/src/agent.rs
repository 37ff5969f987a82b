//! `outpost agent run`, `outpost alerts …`, `outpost digest`, `outpost scores …` and
//! `outpost team …`: the proactive agent, its notifications, and the derived views.

use std::time::Duration;

use clap::Subcommand;

use super::run::emit;
use crate::{
    agent,
    alerts::{self, AlertQuery, Notification},
    ids::{CompanyId, ContactId, DealId, NotificationId},
    scores::{self, Score, ScoreQuery},
    team::{self, MeetingsQuery},
    Ctx, Result,
};

/// `outpost agent …`
#[derive(Debug, Subcommand)]
pub enum AgentCmd {
    /// Run the scheduler: briefs ready before meetings, the daily digest, overdue-task, stale-deal
    /// and close-date alerts. Prints each new alert; Ctrl-C stops.
    Run {
        /// One pass, then exit.
        #[arg(long)]
        once: bool,
        /// Seconds between passes.
        #[arg(long, default_value_t = 60)]
        every: u64,
    },
}

/// `outpost alerts …`
#[derive(Debug, Subcommand)]
pub enum AlertsCmd {
    /// Notifications, newest first.
    List {
        /// Only unread ones.
        #[arg(long)]
        unread: bool,
        /// Maximum rows.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Mark a notification read.
    Read {
        /// Notification id.
        id: NotificationId,
    },
}

/// `outpost scores …`
#[derive(Debug, Subcommand)]
pub enum ScoresCmd {
    /// A record's scores with the factors behind them (name exactly one record).
    Show {
        /// Contact: relationship health and lead score.
        #[arg(long)]
        contact: Option<ContactId>,
        /// Company: relationship health.
        #[arg(long)]
        company: Option<CompanyId>,
        /// Deal: heat (cold → warm → hot → burning).
        #[arg(long)]
        deal: Option<DealId>,
    },
    /// Recompute the scores of records changed since they were last scored.
    Refresh,
}

/// `outpost team …`
#[derive(Debug, Subcommand)]
pub enum TeamCmd {
    /// Pipeline by rep and stage, value and weighted forecast by stage, win rate, activities per
    /// rep per week, upcoming meetings with brief status.
    Pipeline,
    /// Upcoming meetings with the status of their briefs.
    Meetings {
        /// Days ahead.
        #[arg(long, default_value_t = 7)]
        days: u32,
    },
}

fn alert_line(n: &Notification) -> String {
    let state = if n.read_at.is_some() { "read  " } else { "unread" };
    format!("{}  {state}  {}  {}\n    {}  {}", n.id, n.created_at, n.title, n.body, n.link)
}

fn alert_list(list: &[Notification]) -> String {
    if list.is_empty() {
        return "No notifications.".to_owned();
    }
    list.iter().map(alert_line).collect::<Vec<_>>().join("\n")
}

fn score_lines(list: &[Score]) -> String {
    list.iter()
        .map(|s| {
            let factors: Vec<String> = s
                .factors
                .iter()
                .map(|f| format!("  {:<15} {:>3}  × {:.2}  {}", f.name, f.value, f.weight, f.detail))
                .collect();
            format!("{} {}: {}/100 ({})\n{}", s.entity_type, s.kind, s.value, s.label, factors.join("\n"))
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// `outpost agent …`
pub async fn agent(ctx: &Ctx, json: bool, cmd: AgentCmd) -> Result<()> {
    let print = |raised: &[Notification]| {
        for n in raised {
            if json {
                super::stdout::line(format_args!("{}", serde_json::to_string(n).unwrap_or_default()));
            } else {
                super::stdout::line(format_args!("{}", alert_line(n)));
            }
        }
    };
    match cmd {
        AgentCmd::Run { once: true, .. } => {
            let raised = agent::tick(ctx).await?;
            if json {
                return emit(json, raised.as_slice(), alert_list);
            }
            print(&raised);
            Ok(())
        }
        AgentCmd::Run { once: false, every } => {
            let stop = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            agent::run(ctx, Duration::from_secs(every.max(1)), stop, print).await
        }
    }
}

/// `outpost alerts …`
pub async fn alerts(ctx: &Ctx, json: bool, cmd: AlertsCmd) -> Result<()> {
    match cmd {
        AlertsCmd::List { unread, limit } => {
            emit(json, alerts::list(ctx, AlertQuery { unread: Some(unread), limit }).await?.as_slice(), alert_list)
        }
        AlertsCmd::Read { id } => emit(json, &alerts::mark_read(ctx, id).await?, alert_line),
    }
}

/// `outpost digest`
pub async fn digest(ctx: &Ctx, json: bool) -> Result<()> {
    emit(json, &agent::digest(ctx).await?, agent::digest::markdown)
}

/// `outpost scores …`
pub async fn scores(ctx: &Ctx, json: bool, cmd: ScoresCmd) -> Result<()> {
    match cmd {
        ScoresCmd::Show { contact, company, deal } => {
            let query = ScoreQuery { contact_id: contact, company_id: company, deal_id: deal };
            emit(json, scores::show(ctx, query).await?.as_slice(), score_lines)
        }
        ScoresCmd::Refresh => {
            let mut total = 0;
            loop {
                let done = scores::refresh(ctx, 5_000).await?;
                total += done;
                if done == 0 {
                    break;
                }
            }
            emit(json, &serde_json::json!({ "recomputed": total }), |_| {
                format!("recomputed the scores of {total} records")
            })
        }
    }
}

/// `outpost team …`
pub async fn team(ctx: &Ctx, json: bool, cmd: TeamCmd) -> Result<()> {
    match cmd {
        TeamCmd::Pipeline => emit(json, &team::pipeline(ctx).await?, |p| {
            let mut out = vec!["Pipeline by rep and stage".to_owned()];
            out.extend(p.by_rep.iter().map(|r| {
                format!("  {:<20} {:<12} {:>4} deals  {:.2} {}", r.owner, r.stage, r.deals, r.value, r.currency)
            }));
            out.push("Weighted forecast".to_owned());
            out.extend(p.forecast.iter().map(|f| format!("  {} {:.2} of {:.2} open", f.currency, f.weighted, f.value)));
            out.push("Win rate".to_owned());
            out.extend(p.win_rates.iter().map(|w| {
                let rate = w.rate.map_or("—".to_owned(), |r| format!("{:.0}%", r * 100.0));
                format!("  {:<20} {rate} ({} won, {} lost)", w.owner.as_deref().unwrap_or("team"), w.won, w.lost)
            }));
            out.push("Activities per rep per week".to_owned());
            out.extend(p.activities_per_week.iter().map(|a| format!("  {:<20} {}  {}", a.owner, a.week, a.activities)));
            out.push("Upcoming meetings".to_owned());
            out.extend(p.upcoming_meetings.iter().map(|m| {
                format!(
                    "  {}  {}  brief: {}",
                    m.starts_at,
                    m.title,
                    m.brief_status.as_deref().unwrap_or("not generated")
                )
            }));
            out.join("\n")
        }),
        TeamCmd::Meetings { days } => {
            emit(json, team::meetings(ctx, MeetingsQuery { days: Some(days) }).await?.as_slice(), |list| {
                if list.is_empty() {
                    return "No meetings coming up.".to_owned();
                }
                list.iter()
                    .map(|m| {
                        format!(
                            "{}  {}  {}  brief: {}",
                            m.meeting_id,
                            m.starts_at,
                            m.title,
                            m.brief_status.as_deref().unwrap_or("not generated")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
    }
}
