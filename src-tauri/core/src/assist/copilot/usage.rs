//! Per-user monthly LLM usage (requests and tokens, by calendar month in UTC) and its limit.
//!
//! The limit is a number of tokens (input + output) per user per month, in the setting
//! `copilot.monthly_token_limit`; unset means unlimited. Once reached, the copilot stops calling
//! the provider until the next month and answers with the offline engine (with a warning).

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::{Ctx, Error, Result};

const LIMIT_KEY: &str = "copilot.monthly_token_limit";

/// This month's usage of the acting user.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Usage {
    /// `YYYY-MM`.
    pub month: String,
    /// Model calls made.
    #[ts(type = "number")]
    pub requests: i64,
    /// Prompt tokens.
    #[ts(type = "number")]
    pub input_tokens: i64,
    /// Completion tokens.
    #[ts(type = "number")]
    pub output_tokens: i64,
    /// Monthly token limit, if any.
    #[ts(type = "number | null")]
    pub limit: Option<i64>,
}

impl Usage {
    /// Whether the limit is reached.
    pub fn exhausted(&self) -> bool {
        self.limit.is_some_and(|limit| self.input_tokens + self.output_tokens >= limit)
    }
}

fn month(ctx: &Ctx) -> String {
    ctx.now().format("%Y-%m").to_string()
}

fn limit(conn: &Connection) -> Result<Option<i64>> {
    let value: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = ?1", [LIMIT_KEY], |r| r.get(0)).optional()?;
    Ok(value.and_then(|v| v.parse().ok()))
}

/// The acting user's usage this month.
pub fn current(ctx: &Ctx) -> Result<Usage> {
    let month = month(ctx);
    let owner = ctx.actor().to_owned();
    ctx.read(|conn| {
        let (requests, input_tokens, output_tokens) = conn
            .query_row(
                "SELECT requests, input_tokens, output_tokens FROM copilot_usage WHERE owner = ?1 AND month = ?2",
                params![owner, month],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .unwrap_or((0, 0, 0));
        Ok(Usage { month, requests, input_tokens, output_tokens, limit: limit(conn)? })
    })
}

/// Adds one model call's tokens to the acting user's month.
pub fn record(ctx: &Ctx, input_tokens: u64, output_tokens: u64) -> Result<()> {
    let month = month(ctx);
    ctx.write(|tx| {
        tx.sql.execute(
            "INSERT INTO copilot_usage (owner, month, requests, input_tokens, output_tokens) VALUES (?1, ?2, 1, ?3, ?4)
             ON CONFLICT (owner, month) DO UPDATE SET requests = requests + 1,
                 input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens",
            params![tx.actor, month, input_tokens as i64, output_tokens as i64],
        )?;
        Ok(())
    })
}

/// Sets (or with `None` removes) the monthly token limit per user.
pub fn set_limit(ctx: &Ctx, tokens: Option<i64>) -> Result<()> {
    if tokens.is_some_and(|t| t < 0) {
        return Err(Error::invalid("limit", "must be zero or more tokens"));
    }
    ctx.write(|tx| {
        match tokens {
            Some(t) => tx.sql.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![LIMIT_KEY, t.to_string()],
            )?,
            None => tx.sql.execute("DELETE FROM settings WHERE key = ?1", [LIMIT_KEY])?,
        };
        crate::store::audit::record(tx, "update", "setting", &LIMIT_KEY, &serde_json::json!({ "value": tokens }))?;
        Ok(())
    })
}
