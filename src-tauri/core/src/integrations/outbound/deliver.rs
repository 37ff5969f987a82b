//! Performing due deliveries: claim a row under a lease, POST it with its `Idempotency-Key`, record
//! the outcome (delivered, rescheduled with backoff, or failed). Planning (what is due, what an
//! HTTP exchange means, when to try next) is pure; the effects are the claim, the request and the
//! outcome update, each its own transaction. The request itself goes through the [`Webhooks`]
//! port (implemented in `outpost-integrations`).

use std::time::Duration;

use chrono::{DateTime, Duration as ChronoDuration, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::{stamp, Outcome};
use crate::{store::ids::DeliveryId, store::secrets, BoxFuture, Ctx, Result};

/// Environment variable multiplying every backoff delay (e.g. `0.01` in tests).
pub const BACKOFF_SCALE_ENV: &str = "OUTPOST_BACKOFF_SCALE";
/// Environment variable overriding the per-request timeout in milliseconds (default 30 000).
pub const TIMEOUT_ENV: &str = "OUTPOST_OUTBOUND_TIMEOUT_MS";
const BASE_BACKOFF_SECS: f64 = 30.0;
const MAX_BACKOFF_SECS: f64 = 3_600.0;

/// How deliveries are performed.
#[derive(Debug, Clone)]
pub struct DeliveryOptions {
    /// Multiplier for backoff delays ([`BACKOFF_SCALE_ENV`], default 1).
    pub backoff_scale: f64,
    /// Per-request timeout; a request still unanswered after it counts as a transient failure.
    pub timeout: Duration,
}

impl DeliveryOptions {
    /// Options from the environment ([`BACKOFF_SCALE_ENV`], [`TIMEOUT_ENV`]).
    pub fn from_env() -> Self {
        let timeout = std::env::var(TIMEOUT_ENV).ok().and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(30_000);
        DeliveryOptions { backoff_scale: backoff_scale(), timeout: Duration::from_millis(timeout.max(1)) }
    }

    /// How long a claimed delivery stays reserved: twice the request timeout. A row still `sending`
    /// after its lease belongs to a runner that crashed, and is sent again with the same key.
    fn lease(&self) -> ChronoDuration {
        ChronoDuration::milliseconds((self.timeout.as_millis() as i64).saturating_mul(2).max(1_000))
    }
}

/// The backoff multiplier from [`BACKOFF_SCALE_ENV`] (default 1; negative or invalid values are 1).
pub fn backoff_scale() -> f64 {
    std::env::var(BACKOFF_SCALE_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .unwrap_or(1.0)
}

/// Delay before the next attempt after `attempts` failed ones: `2^(attempts-1) × 30 s`, capped at
/// one hour, times `scale`.
pub fn backoff(attempts: u32, scale: f64) -> Duration {
    let exponent = attempts.saturating_sub(1).min(20) as i32;
    let secs = (BASE_BACKOFF_SECS * 2_f64.powi(exponent)).min(MAX_BACKOFF_SECS) * scale;
    Duration::from_secs_f64(secs.max(0.0))
}

/// What one pass over the queue did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct RunReport {
    /// Attempts made.
    pub attempted: u32,
    /// Deliveries acknowledged by their receiver.
    pub delivered: u32,
    /// Deliveries rescheduled after a transient failure.
    pub retrying: u32,
    /// Deliveries given up (attempts exhausted or refused by the receiver).
    pub failed: u32,
}

/// A claimed delivery, ready to send.
struct Claim {
    id: DeliveryId,
    attempt: u32,
    max_attempts: u32,
    key: String,
    target_ref: String,
    body: String,
}

/// Ids of deliveries due at `now`: pending and due, or `sending` with an expired lease.
fn due_ids(ctx: &Ctx, now: &str) -> Result<Vec<DeliveryId>> {
    ctx.read(|conn| {
        let mut stmt = conn.prepare(
            "SELECT id FROM outbound_deliveries
             WHERE (status = 'pending' AND next_attempt_at <= ?1) OR (status = 'sending' AND lease_until <= ?1)
             ORDER BY next_attempt_at, id",
        )?;
        let ids = stmt.query_map([now], |r| r.get(0))?;
        Ok(ids.collect::<rusqlite::Result<Vec<_>>>()?)
    })
}

/// Reserves one due delivery for an attempt (atomically, so two runners never both claim it).
fn claim(ctx: &Ctx, id: DeliveryId, lease: ChronoDuration) -> Result<Option<Claim>> {
    ctx.write(|tx| {
        let now = tx.stamp();
        let lease_until = stamp(tx.now + lease);
        let claimed = tx.sql.execute(
            "UPDATE outbound_deliveries SET status = 'sending', attempts = attempts + 1, lease_until = ?3, updated_at = ?2
             WHERE id = ?1 AND ((status = 'pending' AND next_attempt_at <= ?2) OR (status = 'sending' AND lease_until <= ?2))",
            params![id, now, lease_until],
        )?;
        if claimed == 0 {
            return Ok(None);
        }
        Ok(tx
            .sql
            .query_row(
                "SELECT attempts, max_attempts, idempotency_key, target_ref, body FROM outbound_deliveries WHERE id = ?1",
                [id],
                |r| {
                    Ok(Claim {
                        id,
                        attempt: r.get(0)?,
                        max_attempts: r.get(1)?,
                        key: r.get(2)?,
                        target_ref: r.get(3)?,
                        body: r.get(4)?,
                    })
                },
            )
            .optional()?)
    })
}

/// Classifies an HTTP status (pure).
pub(crate) fn classify(status: u16, retry_after: Option<ChronoDuration>, body: &str) -> Outcome {
    let snippet: String = body.chars().take(200).collect();
    match status {
        200..=299 => Outcome::Delivered { http_status: status },
        408 | 429 | 500..=599 => Outcome::Transient {
            http_status: Some(status),
            error: format!("the receiver answered HTTP {status} {snippet}").trim_end().to_owned(),
            retry_after,
        },
        _ => Outcome::Permanent {
            http_status: status,
            error: format!("the receiver refused the delivery with HTTP {status} {snippet}").trim_end().to_owned(),
        },
    }
}

/// The row update an outcome leads to (pure): status, next attempt, error, HTTP status.
fn plan(
    claim: &Claim,
    outcome: &Outcome,
    now: DateTime<Utc>,
    scale: f64,
) -> (&'static str, DateTime<Utc>, Option<String>, Option<u16>) {
    match outcome {
        Outcome::Delivered { http_status } => ("delivered", now, None, Some(*http_status)),
        Outcome::Permanent { http_status, error } => ("failed", now, Some(error.clone()), Some(*http_status)),
        Outcome::Transient { http_status, error, retry_after } => {
            if claim.attempt >= claim.max_attempts {
                let error = format!(
                    "{error}; gave up after {} attempts (retry it with `outpost outbound retry`)",
                    claim.attempt
                );
                return ("failed", now, Some(error), *http_status);
            }
            let delay = ChronoDuration::from_std(backoff(claim.attempt, scale)).unwrap_or(ChronoDuration::hours(1));
            let scaled_hint =
                retry_after.map(|r| ChronoDuration::milliseconds((r.num_milliseconds() as f64 * scale) as i64));
            let delay = scaled_hint.map_or(delay, |hint| hint.max(delay));
            ("pending", now + delay, Some(error.clone()), *http_status)
        }
    }
}

fn record(ctx: &Ctx, claim: &Claim, outcome: &Outcome, scale: f64) -> Result<&'static str> {
    ctx.write(|tx| {
        let (status, next, error, http_status) = plan(claim, outcome, tx.now, scale);
        let now = tx.stamp();
        let delivered_at = (status == "delivered").then(|| now.clone());
        // Only the runner holding this attempt may record it (the attempt number is the claim token).
        tx.sql.execute(
            "UPDATE outbound_deliveries SET status = ?3, next_attempt_at = ?4, lease_until = NULL, last_error = ?5,
             last_http_status = ?6, delivered_at = COALESCE(?7, delivered_at), updated_at = ?8
             WHERE id = ?1 AND status = 'sending' AND attempts = ?2",
            params![claim.id, claim.attempt, status, stamp(next), error, http_status, delivered_at, now],
        )?;
        Ok(status)
    })
}

/// What a webhook receiver answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookAnswer {
    /// HTTP status code.
    pub status: u16,
    /// The receiver's `Retry-After`, if it sent one in seconds.
    pub retry_after: Option<ChronoDuration>,
    /// The body (its start is shown in errors).
    pub body: String,
}

/// The outbound queue's port to the network: one POST (implemented by `outpost-integrations`).
pub trait Webhooks: Send + Sync {
    /// POSTs the JSON `body` to `url` with the `Idempotency-Key` header, giving up after
    /// `timeout`. `Err` says why no answer arrived (timeout, connection refused) and never contains
    /// the URL (it is a secret).
    fn post<'a>(
        &'a self,
        url: &'a str,
        idempotency_key: &'a str,
        body: &'a str,
        timeout: Duration,
    ) -> BoxFuture<'a, std::result::Result<WebhookAnswer, String>>;
}

async fn attempt(webhooks: &dyn Webhooks, options: &DeliveryOptions, claim: &Claim) -> Outcome {
    let url =
        match secrets::require(&claim.target_ref, "queue the message again with `outpost outbound send --webhook URL`")
        {
            Ok(url) => url,
            Err(e) => return Outcome::Transient { http_status: None, error: e.to_string(), retry_after: None },
        };
    match webhooks.post(&url, &claim.key, &claim.body, options.timeout).await {
        Ok(answer) => classify(answer.status, answer.retry_after, &answer.body),
        Err(error) => Outcome::Transient { http_status: None, error, retry_after: None },
    }
}

/// Attempts every delivery due now, once each, and returns what happened.
/// The POSTs go through `webhooks` (the adapter of `outpost-integrations`).
pub async fn run_once(ctx: &Ctx, webhooks: &dyn Webhooks, options: &DeliveryOptions) -> Result<RunReport> {
    let mut report = RunReport::default();
    for id in due_ids(ctx, &stamp(ctx.now()))? {
        let Some(claim) = claim(ctx, id, options.lease())? else { continue };
        report.attempted += 1;
        let outcome = attempt(webhooks, options, &claim).await;
        match record(ctx, &claim, &outcome, options.backoff_scale)? {
            "delivered" => report.delivered += 1,
            "pending" => report.retrying += 1,
            _ => report.failed += 1,
        }
        tracing::info!(delivery = %claim.id, attempt = claim.attempt, ?outcome, "outbound attempt");
    }
    Ok(report)
}

/// When the next delivery becomes due (pending or an expiring lease), if any.
fn next_due(ctx: &Ctx) -> Result<Option<DateTime<Utc>>> {
    let next: Option<String> = ctx.read(|conn| {
        Ok(conn.query_row(
            "SELECT MIN(CASE status WHEN 'pending' THEN next_attempt_at ELSE lease_until END)
             FROM outbound_deliveries WHERE status IN ('pending', 'sending')",
            [],
            |r| r.get(0),
        )?)
    })?;
    Ok(next.and_then(|n| DateTime::parse_from_rfc3339(&n).ok()).map(|d| d.with_timezone(&Utc)))
}

/// Keeps delivering until `stop` resolves: a pass whenever something is due, and a look for newly
/// queued deliveries at least every `poll`. `on_pass` sees each pass that attempted something.
pub async fn run(
    ctx: &Ctx,
    webhooks: &dyn Webhooks,
    options: &DeliveryOptions,
    poll: Duration,
    stop: impl std::future::Future<Output = ()>,
    mut on_pass: impl FnMut(&RunReport),
) -> Result<()> {
    tokio::pin!(stop);
    loop {
        let report = run_once(ctx, webhooks, options).await?;
        if report.attempted > 0 {
            on_pass(&report);
        }
        let wait = match next_due(ctx)? {
            Some(at) => (at - ctx.now()).to_std().unwrap_or(Duration::ZERO).min(poll),
            None => poll,
        };
        tokio::select! {
            () = &mut stop => return Ok(()),
            () = tokio::time::sleep(wait.max(Duration::from_millis(10))) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_and_caps_at_an_hour() {
        assert_eq!(backoff(1, 1.0), Duration::from_secs(30));
        assert_eq!(backoff(2, 1.0), Duration::from_secs(60));
        assert_eq!(backoff(4, 1.0), Duration::from_secs(240));
        assert_eq!(backoff(8, 1.0), Duration::from_secs(3_600));
        assert_eq!(backoff(40, 1.0), Duration::from_secs(3_600));
        assert_eq!(backoff(2, 0.01), Duration::from_millis(600));
    }

    #[test]
    fn statuses_are_classified_as_delivered_transient_or_permanent() {
        assert_eq!(classify(204, None, ""), Outcome::Delivered { http_status: 204 });
        assert!(matches!(classify(503, None, "down"), Outcome::Transient { http_status: Some(503), .. }));
        assert!(matches!(classify(429, None, ""), Outcome::Transient { http_status: Some(429), .. }));
        assert!(matches!(classify(408, None, ""), Outcome::Transient { .. }));
        assert!(matches!(classify(404, None, "no_service"), Outcome::Permanent { http_status: 404, .. }));
    }

    fn claim(attempt: u32) -> Claim {
        Claim {
            id: DeliveryId::new(),
            attempt,
            max_attempts: 3,
            key: "k".into(),
            target_ref: "webhook:x".into(),
            body: "{}".into(),
        }
    }

    #[test]
    fn transient_failures_reschedule_until_attempts_run_out() {
        let now = Utc::now();
        let transient = Outcome::Transient { http_status: Some(502), error: "bad gateway".into(), retry_after: None };
        let (status, next, error, http) = plan(&claim(2), &transient, now, 1.0);
        assert_eq!((status, next - now, http), ("pending", ChronoDuration::seconds(60), Some(502)));
        assert_eq!(error.as_deref(), Some("bad gateway"));
        let (status, _, error, _) = plan(&claim(3), &transient, now, 1.0);
        assert_eq!(status, "failed");
        assert!(error.unwrap_or_default().contains("gave up after 3 attempts"));
    }

    #[test]
    fn retry_after_is_honoured_when_longer_than_the_backoff() {
        let now = Utc::now();
        let limited = Outcome::Transient {
            http_status: Some(429),
            error: "slow down".into(),
            retry_after: Some(ChronoDuration::seconds(600)),
        };
        let (_, next, _, _) = plan(&claim(1), &limited, now, 1.0);
        assert_eq!(next - now, ChronoDuration::seconds(600));
    }
}
