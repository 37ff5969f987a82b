//! `outpost outbound …`: queue webhook / Slack messages, list the queue, retry, cancel, deliver.

use std::time::Duration;

use clap::Subcommand;
use outpost_core::{
    integrations::outbound::{self, Delivery, DeliveryOptions, NewDelivery, OutboundQuery, RunReport},
    store::ids::DeliveryId,
    Ctx, Result,
};
use outpost_integrations::Net;

use crate::secrets::SecretFlag;
use crate::stdout::{self, emit};

/// `--webhook`: the URL is the credential (a Slack webhook's address lets anyone post), so it comes
/// on standard input or in `OUTPOST_WEBHOOK_URL`, and is then kept in the OS keychain.
const WEBHOOK: SecretFlag = SecretFlag {
    field: "webhook",
    flag: "--webhook",
    env: "OUTPOST_WEBHOOK_URL",
    what: "webhook URL",
    example: "pass show slack-deals-hook | outpost outbound send --webhook - --text …",
};

/// `outpost outbound …`
#[derive(Debug, Subcommand)]
pub enum OutboundCmd {
    /// Queue a message for a webhook (Slack incoming webhook or any URL taking JSON POSTs). The URL
    /// is kept in the OS keychain. A second send with the same idempotency key is a no-op.
    Send {
        /// `-`: read the webhook URL (https; http only on 127.0.0.1) from standard input. A URL
        /// written here is refused: it is the credential, and every user of the machine could
        /// read it in the process list. Default: $OUTPOST_WEBHOOK_URL.
        #[arg(long, value_name = "-", env = "OUTPOST_WEBHOOK_URL", hide_env_values = true)]
        webhook: String,
        /// The message text.
        #[arg(long, value_name = "T")]
        text: String,
        /// Idempotency key (default: a fresh one). The receiver sees it as `Idempotency-Key`.
        #[arg(long, value_name = "K")]
        idempotency_key: Option<String>,
        /// Attempts before giving up (default 8).
        #[arg(long, value_name = "N")]
        max_attempts: Option<u32>,
    },
    /// The queue, newest first.
    List {
        /// Only deliveries in this state: pending, sending, delivered, failed, cancelled.
        #[arg(long)]
        status: Option<String>,
        /// Maximum rows (default 100).
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Put a failed or cancelled delivery back in the queue (same idempotency key).
    Retry {
        /// Delivery id.
        id: DeliveryId,
    },
    /// Cancel a pending or failed delivery.
    Cancel {
        /// Delivery id.
        id: DeliveryId,
    },
    /// Deliver what is due; keeps running (Ctrl-C stops) unless --once.
    Run {
        /// One pass over what is due now, then exit.
        #[arg(long)]
        once: bool,
        /// Milliseconds between looks for newly queued messages, 10 to 3600000 (an hour).
        #[arg(long, default_value_t = 5_000)]
        poll_ms: u64,
    },
}

fn delivery_line(d: &Delivery) -> String {
    let when = match d.status.as_str() {
        "pending" => format!(" next {}", d.next_attempt_at.as_deref().unwrap_or("now")),
        "delivered" => format!(" at {}", d.delivered_at.as_deref().unwrap_or("")),
        _ => String::new(),
    };
    let error = d.last_error.as_deref().map(|e| format!("\n    last error: {e}")).unwrap_or_default();
    format!(
        "{}  {:<9} {} → {}  attempts {}/{}{}  key {}{}",
        d.id, d.status, d.channel, d.target, d.attempts, d.max_attempts, when, d.idempotency_key, error
    )
}

fn report_line(r: &RunReport) -> String {
    format!("attempted {}, delivered {}, retrying {}, failed {}", r.attempted, r.delivered, r.retrying, r.failed)
}

/// Runs one `outpost outbound …` command.
pub(crate) async fn run(ctx: &Ctx, net: &Net, json: bool, cmd: OutboundCmd) -> Result<()> {
    match cmd {
        OutboundCmd::Send { webhook, text, idempotency_key, max_attempts } => {
            let req = NewDelivery { webhook_url: WEBHOOK.value(&webhook)?, text, idempotency_key, max_attempts };
            let queued = outbound::send(ctx, req)?;
            emit(json, &queued, |q| {
                let verb = if q.created { "queued" } else { "already queued (same idempotency key); nothing added" };
                format!("{verb}\n{}", delivery_line(&q.delivery))
            })
        }
        OutboundCmd::List { status, limit } => {
            emit(json, outbound::list(ctx, OutboundQuery { status, limit })?.as_slice(), |all| {
                if all.is_empty() {
                    "The outbound queue is empty.".to_owned()
                } else {
                    all.iter().map(delivery_line).collect::<Vec<_>>().join("\n")
                }
            })
        }
        OutboundCmd::Retry { id } => emit(json, &outbound::retry(ctx, id)?, delivery_line),
        OutboundCmd::Cancel { id } => emit(json, &outbound::cancel(ctx, id)?, delivery_line),
        OutboundCmd::Run { once, poll_ms } => {
            // Checked also with --once, where it is unused: refused the same either way.
            let poll = Duration::from_millis(crate::args::within("poll-ms", poll_ms, 10..=3_600_000, "milliseconds")?);
            let options = DeliveryOptions::from_env();
            if once {
                return emit(json, &outbound::run_once(ctx, net, &options).await?, report_line);
            }
            let stop = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            outbound::run(ctx, net, &options, poll, stop, |report| {
                if json {
                    stdout::line(format_args!("{}", serde_json::json!({ "pass": report })));
                } else {
                    stdout::line(format_args!("{}", report_line(report)));
                }
            })
            .await
        }
    }
}
