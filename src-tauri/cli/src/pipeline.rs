//! `outpost pipeline`: the board — each stage with its deal count and totals per currency.

use outpost_core::{crm::board, Ctx, Result};

use crate::{render, stdout::emit};

/// Runs `outpost pipeline`.
pub(crate) fn run(ctx: &Ctx, json: bool) -> Result<()> {
    emit(json, &board::board(ctx)?, render::board)
}
