//! `outpost scores …`: relationship health, lead score and deal heat with the factors behind
//! them; recompute the ones whose records changed.

use clap::Subcommand;
use outpost_core::{
    assist::scores::{self, Score, ScoreQuery},
    store::ids::{CompanyId, ContactId, DealId},
    Ctx, Result,
};

use crate::stdout::emit;

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

/// Runs one `outpost scores …` command.
pub(crate) async fn run(ctx: &Ctx, json: bool, cmd: ScoresCmd) -> Result<()> {
    match cmd {
        ScoresCmd::Show { contact, company, deal } => {
            let query = ScoreQuery { contact_id: contact, company_id: company, deal_id: deal };
            emit(json, scores::show(ctx, query)?.as_slice(), score_lines)
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
