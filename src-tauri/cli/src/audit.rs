//! `outpost audit`: the audit log, newest first — who changed what, when, from which device.

use clap::Args;
use outpost_core::{store::audit, store::search::MAX_LIMIT, Ctx, Error, Result};

use crate::{render, stdout::emit};

/// `outpost audit [--entity ID] [--limit N]`
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Only this record's history.
    #[arg(long, value_name = "ID")]
    pub entity: Option<String>,
    /// Maximum rows, 1 to 10000.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
}

/// The row limit, refused unless it is a page size a list can return (1 to [`MAX_LIMIT`]): a
/// limit of 0 would print an empty log as if nothing had ever changed.
fn limit(limit: u32) -> Result<u32> {
    if (1..=MAX_LIMIT).contains(&limit) {
        return Ok(limit);
    }
    Err(Error::invalid("limit", format!("--limit must be between 1 and {MAX_LIMIT} rows; got {limit}")))
}

/// Runs `outpost audit`.
pub(crate) fn run(ctx: &Ctx, json: bool, args: AuditArgs) -> Result<()> {
    let limit = limit(args.limit)?;
    emit(json, audit::list(ctx, args.entity, limit)?.as_slice(), render::audit)
}
