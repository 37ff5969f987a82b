//! Sizes, pre-authentication floods, the hello timeout, version and token refusals, and quotas.

use anyhow::Result;
use outpost_sync::doc::{DocId, RecordDoc};
use outpost_sync::protocol::{encode, ClientMessage, Hello, Visibility, MAX_PUSH_BODY_BYTES, MAX_UPDATE_BYTES};
use outpost_sync::PROTOCOL_VERSION;

use super::peer::{item, outcome, Peer};
use super::probes::Probes;
use super::server::{HostileServer, BIG, BOB, MAX_BYTES_PER_DAY, MAX_DOCS, QUO};

/// A yrs update of one new copilot conversation whose messages add up to about `len` bytes
/// (every value valid: the largest records are long conversations).
fn big_update(len: usize, client: u64) -> Result<Vec<u8>> {
    let doc = RecordDoc::new(client);
    let mut fields = vec![
        ("title".to_string(), serde_json::json!("A long conversation")),
        ("created_at".to_string(), serde_json::json!("2026-01-02T03:04:05Z")),
        ("updated_at".to_string(), serde_json::json!("2026-01-02T03:04:05Z")),
    ];
    let chunk = 900_000;
    let mut left = len.saturating_sub(512);
    let mut n = 0;
    while left > 0 {
        let take = left.min(chunk).saturating_sub(160).max(1);
        let message = serde_json::json!({
            "role": "user", "content": "m".repeat(take), "response": null, "compacted": 0,
            "created_at": "2026-01-02T03:04:05Z"
        });
        fields.push((format!("message:{n}"), serde_json::json!(message.to_string())));
        left = left.saturating_sub(take + 160);
        n += 1;
    }
    Ok(doc.set_fields(fields.iter().map(|(k, v)| (k.as_str(), v)))?)
}

fn first_word(event: &str) -> String {
    if event.starts_with("error:") || event == "closed" {
        return "closed".into();
    }
    let code = serde_json::from_str::<serde_json::Value>(event.trim_start_matches("text:"))
        .ok()
        .and_then(|v| v["code"].as_str().map(str::to_string));
    code.unwrap_or_else(|| event.chars().take(60).collect())
}

/// Runs the limit probes.
pub async fn run(server: &HostileServer, probes: &mut Probes) -> Result<()> {
    let bob = Peer::new(&server.base, &server.token(BOB)?, 0xb0b2);
    let big = Peer::new(&server.base, &server.token(BIG)?, 0xb16);

    // Versions and tokens.
    let hello = |v: u32, token: &str| {
        encode(&Hello { protocol_version: v, client_version: "hostile".into(), device_token: token.into() })
    };
    let answer = bob.post_raw("/v1/hello", hello(PROTOCOL_VERSION - 1, &bob.token), PROTOCOL_VERSION).await?;
    probes.check("a hello of the previous protocol version", "protocol_too_old", &answer.code());
    let answer = bob.post_raw("/v1/push", b"{\"items\":[]}".to_vec(), PROTOCOL_VERSION - 1).await?;
    probes.check("a push of the previous protocol version", "protocol_too_old", &answer.code());
    let answer = bob.post_raw("/v1/push", b"{\"items\":[]}".to_vec(), PROTOCOL_VERSION + 1).await?;
    probes.check("a push of a newer protocol version", "protocol_too_new", &answer.code());
    let forged = Peer::new(&server.base, "opd_forged", 1);
    let answer = forged.post_raw("/v1/push", b"{\"items\":[]}".to_vec(), PROTOCOL_VERSION).await?;
    probes.check("a push with an unknown token", "unauthorized", &answer.code());

    // Sizes: the body limit is one maximal update plus framing.
    let oversized = vec![b' '; MAX_PUSH_BODY_BYTES + 1];
    let answer = bob.post_raw("/v1/push", oversized, PROTOCOL_VERSION).await;
    let code = answer.map(|a| a.code()).unwrap_or_else(|e| format!("transport error {e}"));
    probes.check("a push body one byte over the message limit", "too_large", &code);
    let too_big = big_update(MAX_UPDATE_BYTES + 1024, 70)?;
    let answer = big
        .post_raw(
            "/v1/push",
            encode(&outpost_sync::protocol::Push {
                items: vec![item(
                    DocId::new_random(),
                    "copilot_conversation",
                    Visibility::Private,
                    too_big,
                    1,
                    big.epoch,
                )],
            }),
            PROTOCOL_VERSION,
        )
        .await?;
    probes.check("an update over the protocol maximum (body under the limit)", "too_large", &answer.code());
    let largest = big_update(MAX_UPDATE_BYTES - 4096, 71)?;
    let id = DocId::new_random();
    let got =
        big.push_one(item(id, "copilot_conversation", Visibility::Private, largest.clone(), 2, big.epoch)).await?;
    probes.check_that(
        "an update of (nearly) the protocol maximum",
        "stored",
        got == "stored" && largest.len() > MAX_UPDATE_BYTES - 64 * 1024 && largest.len() <= MAX_UPDATE_BYTES,
        &format!("{got} ({} bytes)", largest.len()),
    );
    let big_phone = Peer::new(&server.base, &server.token(BIG)?, 0xb17);
    let back = big_phone.pull_all().await?.into_iter().find(|u| u.doc_id == id).map(|u| u.update.len()).unwrap_or(0);
    probes.check("the largest update reaches another device whole", &largest.len().to_string(), &back.to_string());

    // Pre-authentication: fragment floods, the hello timeout, bad tokens on the upgrade.
    let mut floods = Vec::new();
    for _ in 0..8 {
        let peer = bob.clone();
        floods.push(tokio::spawn(async move {
            let mut ws = peer.websocket(false).await?;
            let sent = ws.send_fragments(4 * 1024 * 1024, 16 * 1024).await;
            let event = ws.next_event().await;
            anyhow::Ok(if sent.is_err() { "closed".to_string() } else { first_word(&event) })
        }));
    }
    for (n, flood) in floods.into_iter().enumerate() {
        let got = flood.await?.unwrap_or_else(|e| format!("closed ({e})"));
        let got = if got.starts_with("closed") { "closed".to_string() } else { got };
        probes.check(&format!("4 MiB of fragments before hello, flooder {n}"), "closed", &got);
    }
    let healthy = reqwest::get(format!("{}/healthz", server.base)).await.map(|r| r.status().as_u16()).unwrap_or(0);
    probes.check("the server answers after the floods", "200", &healthy.to_string());
    let mut idle = bob.websocket(false).await?;
    let first = first_word(&idle.next_event().await);
    probes.check("a WebSocket that never says hello is told", "bad_request", &first);
    probes.check("... and closed", "closed", &first_word(&idle.next_event().await));
    let mut authed = bob.websocket(true).await?;
    authed.send_text("x".repeat(1024 * 1024)).await?;
    probes.check(
        "1 MiB of junk after authenticating in the upgrade",
        "bad_request",
        &first_word(&authed.next_event().await),
    );
    let hello_frame = encode(&ClientMessage::Hello(Hello {
        protocol_version: PROTOCOL_VERSION,
        client_version: "hostile".into(),
        device_token: bob.token.clone(),
    }));
    authed.send_text(String::from_utf8(hello_frame)?).await?;
    let welcome = first_word(&authed.next_event().await);
    probes.check_that("the same connection still says welcome", "welcome", welcome.contains("welcome"), &welcome);
    let refused = match Peer::new(&server.base, "opd_wrong", 1).websocket(true).await {
        Ok(_) => "upgraded".to_string(),
        Err(e) if e.to_string().contains("401") => "401".to_string(),
        Err(e) => e.to_string(),
    };
    probes.check("a WebSocket upgrade with a wrong token", "401", &refused);

    // Quotas: documents per user, then bytes per day.
    let quo = Peer::new(&server.base, &server.token(QUO)?, 0x9);
    let doc = RecordDoc::new(88);
    let tiny = doc.set_field("title", serde_json::json!("q"))?;
    let items: Vec<_> = (0..MAX_DOCS)
        .map(|n| item(DocId::new_random(), "task", Visibility::Org, tiny.clone(), n + 1, quo.epoch))
        .collect();
    let ack = quo.push(items).await?;
    let stored = (0..ack.results.len()).filter(|&i| outcome(&ack, i) == "stored").count();
    probes.check("documents up to the per-user quota", &MAX_DOCS.to_string(), &stored.to_string());
    let one_more =
        quo.push_one(item(DocId::new_random(), "task", Visibility::Org, tiny.clone(), MAX_DOCS + 1, quo.epoch)).await?;
    probes.check("one document over the per-user quota", "quota_exceeded", &one_more);
    let mut used = largest.len() as u64;
    let mut seq = 10;
    while used + largest.len() as u64 <= MAX_BYTES_PER_DAY {
        seq += 1;
        let chunk = big_update(MAX_UPDATE_BYTES - 4096, 90 + seq)?;
        let got = big
            .push_one(item(DocId::new_random(), "copilot_conversation", Visibility::Private, chunk, seq, big.epoch))
            .await?;
        probes.check("bytes under the daily quota", "stored", &got);
        used += largest.len() as u64;
    }
    let over = big_update(MAX_UPDATE_BYTES - 4096, 99)?;
    let got = big
        .push_one(item(DocId::new_random(), "copilot_conversation", Visibility::Private, over, seq + 1, big.epoch))
        .await?;
    probes.check("bytes over the daily quota", "quota_exceeded", &got);
    Ok(())
}
