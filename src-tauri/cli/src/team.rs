//! `outpost team …`: the manager view — pipeline by rep and stage, forecast, win rate,
//! activity, and upcoming meetings with the status of their briefs.

use clap::Subcommand;
use outpost_core::{
    crm::team::{self, MeetingsQuery},
    Ctx, Result,
};

use crate::stdout::emit;

/// `outpost team …`
#[derive(Debug, Subcommand)]
pub enum TeamCmd {
    /// Pipeline by rep and stage, value and weighted forecast by stage, win rate, activities per
    /// rep per week, upcoming meetings with brief status.
    Pipeline,
    /// Upcoming meetings with the status of their briefs.
    Meetings {
        /// Days ahead, 1 to 366.
        #[arg(long, default_value_t = 7)]
        days: u32,
    },
}

/// Runs one `outpost team …` command.
pub(crate) fn run(ctx: &Ctx, json: bool, cmd: TeamCmd) -> Result<()> {
    match cmd {
        TeamCmd::Pipeline => emit(json, &team::pipeline(ctx)?, |p| {
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
            // The core reads at most a year ahead; a larger value is refused here, not cut short.
            let days = crate::args::within("days", days.into(), 1..=366, "days")?;
            let days = u32::try_from(days).unwrap_or(366);
            emit(json, team::meetings(ctx, MeetingsQuery { days: Some(days) })?.as_slice(), |list| {
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
