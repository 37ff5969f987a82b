//! The pipeline board: the default pipeline's stages, each with its deals (most recently moved
//! first), their count and their totals per currency. A view over [`crate::crm::pipeline`] and
//! [`crate::crm::deals`], kept apart from both so neither imports the other.

use serde::Serialize;
use ts_rs::TS;

use crate::{
    crm::deals::{self, Deal},
    crm::pipeline::{default_pipeline, stages_of, Stage},
    store::ids::PipelineId,
    Ctx, Result,
};

/// Sum of deal values in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CurrencyTotal {
    /// ISO currency code.
    pub currency: String,
    /// Sum of values.
    pub value: f64,
    /// Sum of values × stage probability.
    pub weighted: f64,
}

/// One column of the board.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct BoardColumn {
    /// The stage.
    pub stage: Stage,
    /// How many deals sit in it.
    pub deal_count: usize,
    /// Sum of deal values across currencies (meaningful when all deals share one currency).
    pub total_value: f64,
    /// Totals per currency.
    pub totals: Vec<CurrencyTotal>,
    /// The deals, most recently moved first.
    pub deals: Vec<Deal>,
}

/// The pipeline board.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Board {
    /// Pipeline id.
    pub pipeline_id: PipelineId,
    /// Pipeline name.
    pub name: String,
    /// Columns in stage order.
    pub stages: Vec<BoardColumn>,
}

/// The default pipeline's board: every stage with its deals, count and totals.
pub fn board(ctx: &Ctx) -> Result<Board> {
    ctx.read(|conn| {
        let (pipeline_id, name) = default_pipeline(conn)?;
        let mut columns = Vec::new();
        for stage in stages_of(conn, pipeline_id)? {
            let deals = deals::in_stage(conn, stage.id)?;
            let mut totals: Vec<CurrencyTotal> = Vec::new();
            for deal in &deals {
                let weighted = deal.value * f64::from(u8::try_from(stage.probability).unwrap_or(0)) / 100.0;
                match totals.iter_mut().find(|t| t.currency == deal.currency) {
                    Some(total) => {
                        total.value += deal.value;
                        total.weighted += weighted;
                    }
                    None => totals.push(CurrencyTotal { currency: deal.currency.clone(), value: deal.value, weighted }),
                }
            }
            totals.sort_by(|a, b| a.currency.cmp(&b.currency));
            columns.push(BoardColumn {
                deal_count: deals.len(),
                total_value: deals.iter().map(|d| d.value).sum(),
                totals,
                deals,
                stage,
            });
        }
        Ok(Board { pipeline_id, name, stages: columns })
    })
}
