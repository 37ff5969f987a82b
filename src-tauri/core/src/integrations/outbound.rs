//! The outbound queue: Slack incoming-webhook and generic webhook deliveries that survive outages
//! and crashes, and are never performed twice.
//!
//! A delivery moves `pending → sending → delivered`, or back to `pending` with exponential backoff
//! (`2^(n-1) × 30 s` after the n-th failed attempt, capped at one hour; `OUTPOST_BACKOFF_SCALE`
//! multiplies it, e.g. `0.01` in tests) until [`DEFAULT_MAX_ATTEMPTS`] attempts have failed
//! (`failed`); a 4xx other than 408/429 fails at once. A rep can [`retry`] a failed delivery or
//! [`cancel`] a pending one.
//!
//! Exactly-once: every delivery has an idempotency key (given, or a fresh UUID). A second enqueue
//! with the same key is a no-op that returns the existing delivery. Each attempt sends the key as
//! the `Idempotency-Key` header; a runner that crashes after the receiver processed a request but
//! before the outcome was recorded leaves the row `sending` with an expired lease, and the next run
//! re-sends it *with the same key*, so a receiver that de-duplicates by `Idempotency-Key` (as the
//! generic-webhook contract requires) performs it once. Slack incoming webhooks do not read the
//! header; for them a lost acknowledgement can show a message twice, never lose one.
//!
//! The webhook URL is a secret (a Slack URL is a bearer credential): it lives in the OS keychain
//! ([`crate::store::secrets`]); the row keeps only the keychain reference and a redacted label.

mod deliver;

use chrono::{DateTime, Duration as ChronoDuration, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::{store::audit, store::ids::DeliveryId, store::secrets, Ctx, Error, Result};

pub use deliver::{backoff, backoff_scale, run, run_once, DeliveryOptions, RunReport, WebhookAnswer, Webhooks};

/// Attempts before a delivery is given up as `failed` (unless overridden per delivery).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 8;
/// Longest accepted message text (Slack's limit for `text`).
pub const MAX_TEXT: usize = 40_000;

/// A delivery in the outbound queue.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Delivery {
    /// Id.
    pub id: DeliveryId,
    /// The key the receiver de-duplicates by (sent as `Idempotency-Key`).
    pub idempotency_key: String,
    /// `slack` (hooks.slack.com) or `webhook` (any other URL).
    pub channel: String,
    /// Where it goes, without the secret part: `https://hooks.slack.com/…`.
    pub target: String,
    /// The message text.
    pub text: String,
    /// `pending`, `sending`, `delivered`, `failed` or `cancelled`.
    pub status: String,
    /// Attempts made so far.
    pub attempts: u32,
    /// Attempts allowed before giving up.
    pub max_attempts: u32,
    /// When the next attempt is due (RFC 3339), for pending deliveries.
    pub next_attempt_at: Option<String>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// HTTP status of the last response, if one arrived.
    pub last_http_status: Option<u16>,
    /// Queued (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
    /// When the receiver acknowledged it (RFC 3339).
    pub delivered_at: Option<String>,
}

/// A message to deliver to a webhook.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct NewDelivery {
    /// The webhook URL: https (or http on a loopback address). Stored in the OS keychain.
    pub webhook_url: String,
    /// The message text.
    pub text: String,
    /// Idempotency key; a second enqueue with the same key is a no-op. Default: a fresh UUID.
    #[serde(default)]
    pub idempotency_key: Option<String>,
    /// Attempts before giving up (default 8).
    #[serde(default)]
    pub max_attempts: Option<u32>,
}

/// The result of an enqueue.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Enqueued {
    /// False when a delivery with the same idempotency key already existed (nothing was queued).
    pub created: bool,
    /// The queued (or already existing) delivery.
    pub delivery: Delivery,
}

const COLUMNS: &str = "id, idempotency_key, channel, target_label, body, status, attempts, max_attempts, \
    next_attempt_at, last_error, last_http_status, created_at, updated_at, delivered_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Delivery> {
    let body: String = row.get(4)?;
    let text = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_owned))
        .unwrap_or(body);
    let status: String = row.get(5)?;
    let next: String = row.get(8)?;
    Ok(Delivery {
        id: row.get(0)?,
        idempotency_key: row.get(1)?,
        channel: row.get(2)?,
        target: row.get(3)?,
        text,
        next_attempt_at: (status == "pending").then_some(next),
        status,
        attempts: row.get(6)?,
        max_attempts: row.get(7)?,
        last_error: row.get(9)?,
        last_http_status: row.get(10)?,
        created_at: row.get(11)?,
        updated_at: row.get(12)?,
        delivered_at: row.get(13)?,
    })
}

pub(crate) fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn find(conn: &Connection, id: DeliveryId) -> Result<Delivery> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM outbound_deliveries WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: DeliveryId::ENTITY, id: id.to_string() })
}

fn find_by_key(conn: &Connection, key: &str) -> Result<Option<Delivery>> {
    Ok(conn
        .query_row(&format!("SELECT {COLUMNS} FROM outbound_deliveries WHERE idempotency_key = ?1"), [key], from_row)
        .optional()?)
}

/// A validated webhook target: channel, redacted label and keychain reference.
struct Target {
    channel: &'static str,
    label: String,
    reference: String,
}

fn parse_target(raw: &str) -> Result<Target> {
    let url = url::Url::parse(raw.trim())
        .map_err(|e| Error::invalid("webhook_url", format!("is not a URL ({e}); give the full https://… address")))?;
    let host = url.host_str().unwrap_or_default().to_owned();
    let loopback = matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]" | "::1");
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        other => {
            return Err(Error::invalid(
                "webhook_url",
                format!("uses {other}://; webhooks must use https:// (plain http only on 127.0.0.1)"),
            ))
        }
    }
    if host.is_empty() {
        return Err(Error::invalid("webhook_url", "has no host; give the full https://host/… address"));
    }
    let channel = if host == "hooks.slack.com" { "slack" } else { "webhook" };
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let label = format!("{}://{host}{port}/…", url.scheme());
    let digest = Sha256::digest(url.as_str().as_bytes());
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    Ok(Target { channel, label, reference: format!("webhook:{hex}") })
}

/// Queues a message for a webhook. With an idempotency key already in the queue, nothing is queued
/// and the existing delivery is returned with `created: false`.
pub fn send(ctx: &Ctx, req: NewDelivery) -> Result<Enqueued> {
    let text = req.text.trim().to_owned();
    if text.is_empty() {
        return Err(Error::invalid("text", "is required: the message to deliver"));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(Error::invalid("text", format!("is longer than {MAX_TEXT} characters; shorten it")));
    }
    let key = match req.idempotency_key.as_deref().map(str::trim) {
        Some("") => return Err(Error::invalid("idempotency_key", "is empty; omit it or give a non-empty key")),
        Some(key) if key.len() > 255 => return Err(Error::invalid("idempotency_key", "is longer than 255 characters")),
        Some(key) => key.to_owned(),
        None => uuid::Uuid::now_v7().to_string(),
    };
    let max_attempts = req.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS);
    if !(1..=100).contains(&max_attempts) {
        return Err(Error::invalid("max_attempts", "must be between 1 and 100"));
    }
    let target = parse_target(&req.webhook_url)?;
    if let Some(existing) = ctx.read(|conn| find_by_key(conn, &key))? {
        return Ok(Enqueued { created: false, delivery: existing });
    }
    secrets::store(&target.reference, req.webhook_url.trim())?;
    let body = serde_json::json!({ "text": text }).to_string();
    let id = DeliveryId::new();
    ctx.write(|tx| {
        let now = tx.stamp();
        let inserted = tx.sql.execute(
            "INSERT INTO outbound_deliveries (id, idempotency_key, channel, target_ref, target_label, body, \
             max_attempts, next_attempt_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?8)
             ON CONFLICT (idempotency_key) DO NOTHING",
            params![id, key, target.channel, target.reference, target.label, body, max_attempts, now],
        )?;
        if inserted == 0 {
            let existing = find_by_key(&tx.sql, &key)?
                .ok_or_else(|| Error::Conflict { message: format!("idempotency key {key} vanished; try again") })?;
            return Ok(Enqueued { created: false, delivery: existing });
        }
        audit::record(
            tx,
            "create",
            "outbound",
            &id,
            &serde_json::json!({ "channel": target.channel, "target": target.label, "idempotency_key": key }),
        )?;
        Ok(Enqueued { created: true, delivery: find(&tx.sql, id)? })
    })
}

/// Which deliveries to list.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct OutboundQuery {
    /// Only deliveries in this state.
    #[serde(default)]
    pub status: Option<String>,
    /// Maximum rows (default 100).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// Deliveries, newest first, optionally only those with a given status.
pub fn list(ctx: &Ctx, query: OutboundQuery) -> Result<Vec<Delivery>> {
    let OutboundQuery { status, limit } = query;
    if let Some(s) = status.as_deref() {
        if !matches!(s, "pending" | "sending" | "delivered" | "failed" | "cancelled") {
            return Err(Error::invalid(
                "status",
                format!("unknown status '{s}'; use pending, sending, delivered, failed or cancelled"),
            ));
        }
    }
    let limit = limit.unwrap_or(100).clamp(1, 10_000);
    ctx.read(|conn| {
        let mut stmt = conn.prepare(&format!(
            "SELECT {COLUMNS} FROM outbound_deliveries WHERE ?1 IS NULL OR status = ?1
             ORDER BY created_at DESC, id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(params![status, limit], from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })
}

/// One delivery.
pub fn get(ctx: &Ctx, id: DeliveryId) -> Result<Delivery> {
    ctx.read(|conn| find(conn, id))
}

/// Puts a failed or cancelled delivery back in the queue, due now, with a fresh attempt budget.
/// Re-sending uses the same idempotency key, so a receiver that already performed it ignores it.
pub fn retry(ctx: &Ctx, id: DeliveryId) -> Result<Delivery> {
    ctx.write(|tx| {
        let current = find(&tx.sql, id)?;
        match current.status.as_str() {
            "failed" | "cancelled" | "pending" => {}
            "delivered" => {
                return Err(Error::Conflict {
                    message: format!("delivery {id} was already delivered; queue a new message instead"),
                })
            }
            _ => {
                return Err(Error::Conflict {
                    message: format!("delivery {id} is being sent right now; wait for the attempt to finish"),
                })
            }
        }
        let now = tx.stamp();
        tx.sql.execute(
            "UPDATE outbound_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?2, lease_until = NULL,
             updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        audit::record(tx, "retry", "outbound", &id, &serde_json::json!({ "from": current.status }))?;
        find(&tx.sql, id)
    })
}

/// Cancels a pending or failed delivery so it is never attempted again.
pub fn cancel(ctx: &Ctx, id: DeliveryId) -> Result<Delivery> {
    ctx.write(|tx| {
        let current = find(&tx.sql, id)?;
        match current.status.as_str() {
            "pending" | "failed" => {}
            "cancelled" => return Ok(current),
            "delivered" => {
                return Err(Error::Conflict {
                    message: format!("delivery {id} was already delivered; it cannot be cancelled"),
                })
            }
            _ => {
                return Err(Error::Conflict {
                    message: format!("delivery {id} is being sent right now; cancel it after this attempt if it fails"),
                })
            }
        }
        tx.sql.execute(
            "UPDATE outbound_deliveries SET status = 'cancelled', lease_until = NULL, updated_at = ?2 WHERE id = ?1",
            params![id, tx.stamp()],
        )?;
        audit::record(tx, "cancel", "outbound", &id, &serde_json::json!({ "from": current.status }))?;
        find(&tx.sql, id)
    })
}

/// What one attempt achieved, decided from the HTTP exchange (pure).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    /// 2xx: the receiver has it.
    Delivered { http_status: u16 },
    /// Worth another try (5xx, 408, 429, timeout, connection lost), not before `retry_after`.
    Transient { http_status: Option<u16>, error: String, retry_after: Option<ChronoDuration> },
    /// The receiver refused it for good (other 4xx).
    Permanent { http_status: u16, error: String },
}
