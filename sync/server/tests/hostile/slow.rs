//! Slow-loris clients: a request head or body trickled in (here: started and never finished)
//! must not hold a connection forever. Before, axum's `serve` gave hyper no timer, so both stayed
//! open indefinitely; now the head must arrive within the read timeout (hyper answers 408 and
//! closes) and so must the body (`408` with the protocol's JSON error), while other clients are
//! served throughout. And one device may not hold more than
//! [`outpost_server::server::MAX_SESSIONS_PER_DEVICE`] signed-in WebSockets (each subscribed
//! one runs a pull on every change of the organisation: thousands multiplied the server's work).

use std::time::Duration;

use anyhow::Result;
use outpost_server::server::MAX_SESSIONS_PER_DEVICE;
use outpost_sync::doc::{DocId, RecordDoc};
use outpost_sync::protocol::{Visibility, HEADER_PROTOCOL};
use outpost_sync::PROTOCOL_VERSION;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::peer::{item, Peer};
use super::probes::Probes;
use super::server::{HostileServer, EVE};

/// The read timeout of the slow-loris server (milliseconds).
const READ_TIMEOUT_MS: u64 = 1_000;
/// How long a probe waits for the server to let go before calling the connection held (a bound
/// on the test, far past the timeout; a passing run never waits it out).
const HELD: Duration = Duration::from_secs(20);

/// Sends `start` and then nothing; returns what the server said before closing, or `held`.
async fn trickle(addr: &str, start: &[u8]) -> Result<String> {
    let mut tcp = TcpStream::connect(addr).await?;
    tcp.write_all(start).await?;
    let mut answer = Vec::new();
    Ok(match tokio::time::timeout(HELD, tcp.read_to_end(&mut answer)).await {
        Err(_) => "held".into(),
        Ok(_) => {
            let text = String::from_utf8_lossy(&answer);
            let status = text.split_whitespace().nth(1).unwrap_or("no answer").to_string();
            format!("closed ({status})")
        }
    })
}

/// Runs the slow-loris probes against a second server process with a short read timeout.
pub async fn run(server: &HostileServer, probes: &mut Probes) -> Result<()> {
    let timeout = READ_TIMEOUT_MS.to_string();
    let slow = server.serve_again(&["--read-timeout-ms", &timeout])?;
    let eve = Peer::new(&slow.base_url(), &server.token(EVE)?, 0xe80);

    // Two hundred connections that start a request head and never finish it.
    let mut held = Vec::new();
    for _ in 0..200 {
        let addr = slow.addr.clone();
        held.push(tokio::spawn(async move { trickle(&addr, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1").await }));
    }
    // Meanwhile an honest client is served.
    let task = RecordDoc::new(501).set_field("title", json!("Served during the flood"))?;
    let got = eve.push_one(item(DocId::new_random(), "task", Visibility::Org, task, 1, eve.epoch)).await?;
    probes.check("a push while 200 slow-loris heads are open", "stored", &got);
    let mut closed = 0;
    let mut other = Vec::new();
    for h in held {
        match h.await? {
            Ok(word) if word.starts_with("closed") => closed += 1,
            Ok(word) => other.push(word),
            Err(e) => other.push(e.to_string()),
        }
    }
    probes.check_that(
        "200 request heads never finished are all let go",
        "200 closed",
        closed == 200,
        &format!("{closed} closed, others: {:?}", other.iter().take(3).collect::<Vec<_>>()),
    );

    let head = format!(
        "POST /v1/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\n{HEADER_PROTOCOL}: {PROTOCOL_VERSION}\r\n\
         Content-Length: 100000\r\n\r\n{{\"items\":[",
        eve.token
    );
    probes.check(
        "a push body started and never finished",
        "closed (408)",
        &trickle(&slow.addr, head.as_bytes()).await?,
    );
    let health = reqwest::get(format!("{}/healthz", slow.base_url())).await.map(|r| r.status().as_u16()).unwrap_or(0);
    probes.check("the server answers after the slow-loris clients", "200", &health.to_string());
    session_cap(server, probes).await
}

/// Opens a WebSocket of `peer` and says hello; returns it with the first answer's code word.
async fn hello(peer: &Peer) -> Result<(super::peer::Ws, String)> {
    let (ws, event) = peer.greeted().await?;
    let word = ["welcome", "rate_limited"].into_iter().find(|w| event.contains(w)).unwrap_or(event.as_str());
    let word = word.chars().take(80).collect();
    Ok((ws, word))
}

/// One device's WebSockets past the cap are refused; another device of the same user is not.
async fn session_cap(server: &HostileServer, probes: &mut Probes) -> Result<()> {
    let device = Peer::new(&server.base, &server.token(EVE)?, 0xe81);
    let mut open = Vec::new();
    let mut welcomed = 0;
    for _ in 0..MAX_SESSIONS_PER_DEVICE {
        let (ws, word) = hello(&device).await?;
        welcomed += usize::from(word == "welcome");
        open.push(ws);
    }
    probes.check("one device's WebSockets up to the cap", &MAX_SESSIONS_PER_DEVICE.to_string(), &welcomed.to_string());
    let (mut extra, word) = hello(&device).await?;
    probes.check("one WebSocket past the device's cap", "rate_limited", &word);
    let next = extra.next_event().await;
    let next = if next == "closed" || next.starts_with("error:") { "closed".to_string() } else { next };
    probes.check("... and it is closed", "closed", &next);
    let other = Peer::new(&server.base, &server.token(EVE)?, 0xe82);
    let (_ws, word) = hello(&other).await?;
    probes.check("another device of the same user meanwhile", "welcome", &word);
    drop(open);
    Ok(())
}
