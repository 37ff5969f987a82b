//! User-facing settings: the organisation's e-mail domains, default currency, competitors named
//! in briefs, the stale-deal period and the agent's schedule. Each key is validated before it is
//! stored; internal keys (sync state) are not reachable from here.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{agent::facts::parse_offset, audit, validate, Ctx, Error, Result};

/// Every key this API reads and writes, with what it means.
pub const KEYS: [(&str, &str); 7] = [
    ("org_domains", "comma-separated e-mail domains of your organisation (attendees there are internal)"),
    ("default_currency", "currency of new deals, e.g. EUR"),
    ("competitors", "comma-separated competitor names that briefs look for in notes and activities"),
    ("stale_deal_days", "days without activity after which an open deal is stale (default 7)"),
    ("agent.brief_lead_hours", "hours before a meeting that its brief is made ready (default 2)"),
    ("agent.digest_time", "local time of the daily pipeline digest, HH:MM (default 09:00)"),
    ("agent.utc_offset", "your UTC offset for local times, e.g. +01:00 (default: this machine's)"),
];

/// One setting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Setting {
    /// Key (see [`KEYS`]).
    pub key: String,
    /// Value; None when unset (the default applies).
    pub value: Option<String>,
    /// What it means.
    pub description: String,
}

fn normalise(key: &str, value: &str) -> Result<String> {
    let value = value.trim();
    let list = || value.split(',').map(str::trim).filter(|v| !v.is_empty()).collect::<Vec<_>>().join(", ");
    let positive = |what: &str| {
        value
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .map(|n| n.to_string())
            .ok_or_else(|| Error::invalid(key, format!("'{value}' is not a whole number of {what} above 0")))
    };
    match key {
        "org_domains" => Ok(list().to_lowercase()),
        "competitors" => Ok(list()),
        "default_currency" => validate::currency(key, Some(value.to_owned()))?
            .ok_or_else(|| Error::invalid(key, "cannot be blank; use e.g. USD")),
        "stale_deal_days" => positive("days"),
        "agent.brief_lead_hours" => positive("hours"),
        "agent.digest_time" => chrono::NaiveTime::parse_from_str(value, "%H:%M")
            .map(|t| t.format("%H:%M").to_string())
            .map_err(|_| Error::invalid(key, format!("'{value}' is not a time; use HH:MM, e.g. 09:00"))),
        "agent.utc_offset" => parse_offset(value)
            .map(|o| o.to_string())
            .ok_or_else(|| Error::invalid(key, format!("'{value}' is not a UTC offset; use e.g. +01:00"))),
        other => Err(Error::invalid(
            "key",
            format!("unknown setting '{other}'; use one of {}", KEYS.map(|(k, _)| k).join(", ")),
        )),
    }
}

fn describe(key: &str) -> Result<&'static str> {
    KEYS.iter().find(|(k, _)| *k == key).map(|(_, d)| *d).ok_or_else(|| {
        Error::invalid("key", format!("unknown setting '{key}'; use one of {}", KEYS.map(|(k, _)| k).join(", ")))
    })
}

/// Every user-facing setting with its value (None: default).
pub async fn list(ctx: &Ctx) -> Result<Vec<Setting>> {
    ctx.read(|conn| {
        let mut stmt = conn.prepare_cached("SELECT value FROM settings WHERE key = ?1")?;
        KEYS.iter()
            .map(|(key, description)| {
                let value = rusqlite::OptionalExtension::optional(stmt.query_row([key], |r| r.get::<_, String>(0)))?;
                Ok(Setting { key: (*key).to_owned(), value, description: (*description).to_owned() })
            })
            .collect()
    })
}

/// Sets `key` to `value` (validated); an empty value removes it (the default applies again).
pub async fn set(ctx: &Ctx, key: &str, value: &str) -> Result<Setting> {
    let description = describe(key)?;
    let value = if value.trim().is_empty() { None } else { Some(normalise(key, value)?) };
    ctx.write(|tx| {
        match &value {
            Some(v) => tx.sql.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, v],
            )?,
            None => tx.sql.execute("DELETE FROM settings WHERE key = ?1", [key])?,
        };
        audit::record(tx, "set", "setting", &key, &serde_json::json!({ "value": value }))?;
        Ok(Setting { key: key.to_owned(), value: value.clone(), description: description.to_owned() })
    })
}
