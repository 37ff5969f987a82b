//! Webhook delivery HTTP behind the core's `Webhooks` port: one JSON POST with its
//! `Idempotency-Key`, under the attempt's timeout. The queue (claims, leases, backoff, what a
//! status means) stays in `outpost_core::integrations::outbound`. The webhook URL is a secret:
//! errors are reported without it.

use std::time::Duration;

use chrono::Duration as ChronoDuration;
use outpost_core::{
    integrations::outbound::{WebhookAnswer, Webhooks},
    BoxFuture,
};

use crate::Net;

impl Webhooks for Net {
    fn post<'a>(
        &'a self,
        url: &'a str,
        idempotency_key: &'a str,
        body: &'a str,
        timeout: Duration,
    ) -> BoxFuture<'a, Result<WebhookAnswer, String>> {
        Box::pin(async move {
            let client = reqwest::Client::builder()
                .timeout(timeout)
                .user_agent(concat!("Outpost/", env!("CARGO_PKG_VERSION")))
                .build()
                .map_err(|e| format!("cannot start the HTTP client: {e}"))?;
            let response = client
                .post(url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header("Idempotency-Key", idempotency_key)
                .body(body.to_owned())
                .send()
                .await;
            match response {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let retry_after = response
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.trim().parse::<i64>().ok())
                        .map(ChronoDuration::seconds);
                    let body = response.text().await.unwrap_or_default();
                    Ok(WebhookAnswer { status, retry_after, body })
                }
                Err(e) => {
                    let what =
                        if e.is_timeout() { "the receiver did not answer in time" } else { "the request failed" };
                    // Never echo the URL (it is a secret): reqwest errors include it.
                    Err(format!("{what}: {}", e.without_url()))
                }
            }
        })
    }
}
