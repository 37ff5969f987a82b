//! Organisation settings the rep can change: which email domains are "us", how far calendar
//! imports expand recurring events, the zone of calendar times that carry none, the default
//! currency, the competitors briefs look for, the stale-deal period, the agent's schedule and how
//! big an import may be and still build its sync documents before it finishes.
//!
//! Stored in the `settings` key/value table (local to this device). Each setting has a CLI name
//! (`internal-domains`) and a stored key (`org_domains`); only the settings listed in [`KNOWN`] can
//! be read or written through this module (the table also holds sync bookkeeping).

use chrono::FixedOffset;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{store::audit, store::validate, Ctx, Error, Result};

/// A setting the user can change: (CLI name, stored key, what it means).
const KNOWN: &[(&str, &str, &str)] = &[
    (
        "internal-domains",
        "org_domains",
        "email domains of your own organisation, comma-separated (attendees there are internal)",
    ),
    (
        "calendar-days-back",
        "calendar_days_back",
        "days before today recurring calendar events are expanded (default 90)",
    ),
    (
        "calendar-days-ahead",
        "calendar_days_ahead",
        "days after today recurring calendar events are expanded (default 180)",
    ),
    ("timezone", "timezone", "IANA zone for calendar times given without one, e.g. Europe/London (default UTC)"),
    ("default-currency", "default_currency", "currency of new deals, e.g. EUR"),
    ("competitors", "competitors", "comma-separated competitor names that briefs look for in notes and activities"),
    ("stale-deal-days", "stale_deal_days", "days without activity after which an open deal is stale (default 7)"),
    ("brief-lead-hours", "agent.brief_lead_hours", "hours before a meeting that its brief is made ready (default 2)"),
    ("digest-time", "agent.digest_time", "local time of the daily pipeline digest, HH:MM (default 09:00)"),
    ("utc-offset", "agent.utc_offset", "your UTC offset for local times, e.g. +01:00 (default: this machine's)"),
    (
        "import-document-max",
        "import.document_max",
        "imports of up to this many records build their sync documents before finishing; bigger ones leave \
         them to the next sync (default 50000)",
    ),
];

/// Default of `calendar-days-back`.
pub const DEFAULT_DAYS_BACK: u32 = 90;
/// Default of `calendar-days-ahead`.
pub const DEFAULT_DAYS_AHEAD: u32 = 180;

/// One setting and its current value.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Setting {
    /// CLI name, e.g. `internal-domains`.
    pub name: String,
    /// Current value (`None`: the default applies).
    pub value: Option<String>,
    /// What it means.
    pub description: String,
}

/// Input for changing a setting.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct SetSetting {
    /// CLI name, e.g. `internal-domains`.
    pub name: String,
    /// New value; empty resets to the default.
    pub value: String,
}

fn known(name: &str) -> Result<(&'static str, &'static str, &'static str)> {
    let wanted = name.trim().to_lowercase().replace('_', "-");
    KNOWN.iter().copied().find(|(cli, key, _)| *cli == wanted || key.replace('_', "-") == wanted).ok_or_else(|| {
        let names: Vec<&str> = KNOWN.iter().map(|(cli, _, _)| *cli).collect();
        Error::invalid("name", format!("unknown setting '{name}'; settings are {}", names.join(", ")))
    })
}

/// Reads a stored value by key.
pub(crate) fn read(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

/// The organisation's internal email domains (lower-case, without `@`).
pub(crate) fn internal_domains(conn: &Connection) -> Result<Vec<String>> {
    Ok(read(conn, "org_domains")?
        .unwrap_or_default()
        .split(',')
        .map(|d| d.trim().to_lowercase())
        .filter(|d| !d.is_empty())
        .collect())
}

/// Default of `import-document-max`: about 1.5 s of document building at the end of an import.
pub const DEFAULT_IMPORT_DOCUMENT_MAX: u64 = 50_000;

/// How many waiting records an import documents before it finishes (`import-document-max`).
pub(crate) fn import_document_max(conn: &Connection) -> Result<u64> {
    Ok(read(conn, "import.document_max")?.and_then(|v| v.trim().parse().ok()).unwrap_or(DEFAULT_IMPORT_DOCUMENT_MAX))
}

/// A stored whole number of days, or `default`.
pub(crate) fn days(conn: &Connection, key: &str, default: u32) -> Result<u32> {
    Ok(read(conn, key)?.and_then(|v| v.trim().parse().ok()).unwrap_or(default))
}

/// Cleans a value for `key`, refusing what the setting cannot hold.
fn normalise(key: &str, value: &str) -> Result<String> {
    match key {
        "org_domains" => {
            let mut domains: Vec<String> = Vec::new();
            for part in value.split([',', ' ', ';']).map(|p| p.trim().trim_start_matches('@')).filter(|p| !p.is_empty())
            {
                let domain = validate::domain("value", Some(part.to_owned()))?
                    .filter(|d| d.contains('.'))
                    .ok_or_else(|| Error::invalid("value", format!("'{part}' is not a domain (e.g. acme.com)")))?;
                if !domains.contains(&domain) {
                    domains.push(domain);
                }
            }
            Ok(domains.join(","))
        }
        "calendar_days_back" | "calendar_days_ahead" => match value.trim().parse::<u32>() {
            Ok(days) if days <= 3660 => Ok(days.to_string()),
            _ => Err(Error::invalid("value", format!("'{value}' is not a number of days between 0 and 3660"))),
        },
        "competitors" => Ok(value.split(',').map(str::trim).filter(|v| !v.is_empty()).collect::<Vec<_>>().join(", ")),
        "default_currency" => validate::currency("value", Some(value.trim().to_owned()))?
            .ok_or_else(|| Error::invalid("value", "cannot be blank; use e.g. USD")),
        "import.document_max" => value
            .trim()
            .parse::<u64>()
            .map(|n| n.to_string())
            .map_err(|_| Error::invalid("value", format!("'{value}' is not a whole number (0 or more)"))),
        "stale_deal_days" | "agent.brief_lead_hours" => value
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .map(|n| n.to_string())
            .ok_or_else(|| Error::invalid("value", format!("'{value}' is not a whole number above 0"))),
        "agent.digest_time" => chrono::NaiveTime::parse_from_str(value.trim(), "%H:%M")
            .map(|t| t.format("%H:%M").to_string())
            .map_err(|_| Error::invalid("value", format!("'{value}' is not a time; use HH:MM, e.g. 09:00"))),
        "agent.utc_offset" => parse_offset(value.trim())
            .map(|o| o.to_string())
            .ok_or_else(|| Error::invalid("value", format!("'{value}' is not a UTC offset; use e.g. +01:00"))),
        "timezone" => {
            value.trim().parse::<chrono_tz::Tz>().map(|tz| tz.name().to_owned()).map_err(|_| {
                Error::invalid("value", format!("'{value}' is not an IANA time zone (e.g. Europe/London)"))
            })
        }
        _ => Ok(value.trim().to_owned()),
    }
}

fn setting(conn: &Connection, (cli, key, description): (&str, &str, &str)) -> Result<Setting> {
    Ok(Setting { name: cli.to_owned(), value: read(conn, key)?, description: description.to_owned() })
}

/// Every user setting with its value.
pub fn list(ctx: &Ctx) -> Result<Vec<Setting>> {
    ctx.read(|conn| KNOWN.iter().map(|k| setting(conn, *k)).collect())
}

/// One setting.
pub fn get(ctx: &Ctx, name: &str) -> Result<Setting> {
    let spec = known(name)?;
    ctx.read(|conn| setting(conn, spec))
}

/// Changes a setting (an empty value resets it to the default).
pub fn set(ctx: &Ctx, req: SetSetting) -> Result<Setting> {
    let spec = known(&req.name)?;
    let (_, key, _) = spec;
    // Errors name the setting (`stale-deal-days: 'soon' is not …`), not the generic `value`.
    let named = |e: Error| match e {
        Error::Invalid { message, .. } => Error::Invalid { field: spec.0.to_owned(), message },
        other => other,
    };
    let value = if req.value.trim().is_empty() { None } else { Some(normalise(key, &req.value).map_err(named)?) };
    ctx.write(|tx| {
        let old = read(&tx.sql, key)?;
        match &value {
            Some(v) => tx.sql.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, v],
            )?,
            None => tx.sql.execute("DELETE FROM settings WHERE key = ?1", [key])?,
        };
        audit::record(tx, "update", "setting", &key, &serde_json::json!({ "value": [old, value] }))?;
        setting(&tx.sql, spec)
    })
}

/// Parses an agent UTC offset (`agent.utc_offset`): `+01:00`, `-05:30` or `Z`.
pub fn parse_offset(text: &str) -> Option<FixedOffset> {
    if text.eq_ignore_ascii_case("z") || text.eq_ignore_ascii_case("utc") {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'+') => (1, &text[1..]),
        Some(b'-') => (-1, &text[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
    let seconds = sign * (h.parse::<i32>().ok()? * 3600 + m.parse::<i32>().ok()? * 60);
    FixedOffset::east_opt(seconds)
}
