//! Flags shared by several command areas: `--search`/`--limit` of list commands and the record
//! a task or activity is linked to. Flags are the schema's field names in kebab-case.

use clap::Args;
use outpost_core::{
    store::ids::{CompanyId, ContactId, DealId},
    store::search::ListQuery,
};

/// `--search` and `--limit` for list commands.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only records matching this text (word prefixes; FTS-backed for contacts and companies).
    #[arg(long)]
    pub search: Option<String>,
    /// Maximum rows (default 100).
    #[arg(long)]
    pub limit: Option<u32>,
}

impl From<ListArgs> for ListQuery {
    fn from(args: ListArgs) -> Self {
        ListQuery { search: args.search, limit: args.limit }
    }
}

/// Record a task or activity is linked to.
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// Contact id.
    #[arg(long, alias = "contact-id")]
    pub contact: Option<ContactId>,
    /// Company id.
    #[arg(long, alias = "company-id")]
    pub company: Option<CompanyId>,
    /// Deal id.
    #[arg(long, alias = "deal-id")]
    pub deal: Option<DealId>,
}

/// `value` of the flag `--{flag}` if it lies within `range`, else an `invalid` error naming the
/// flag (as the field, with `-` as `_`) and the accepted range, before the command does anything.
/// Numeric flags are refused, never clamped: a value silently raised or lowered runs something
/// other than what was asked (`--poll-ms 0` polled every 10 ms).
pub fn within(flag: &str, value: u64, range: std::ops::RangeInclusive<u64>, unit: &str) -> outpost_core::Result<u64> {
    if range.contains(&value) {
        return Ok(value);
    }
    Err(outpost_core::Error::invalid(
        flag.replace('-', "_"),
        format!("--{flag} must be between {} and {} {unit}; got {value}", range.start(), range.end()),
    ))
}
