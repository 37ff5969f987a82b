//! What a hostile reader can learn, and how the wire answers junk: pushes over another user's
//! private copilot memory (the refusal named its kind before), live delivery to a subscribed
//! manager, malformed HTTP queries and bodies, integers past the store's range, invalid UTF-8 on
//! the WebSocket; and, last, whether every update a device pulls after all the probes still
//! applies and reads (a bad value must never break a read).

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use outpost_sync::doc::{DocId, RecordDoc};
use outpost_sync::entity::entity;
use outpost_sync::protocol::{
    encode, ClientMessage, PushOutcome, ServerMessage, Subscribe, Visibility, MAX_PULL_LIMIT,
};
use outpost_sync::PROTOCOL_VERSION;
use serde_json::json;

use super::peer::{item, outcome, Peer, Ws};
use super::probes::Probes;
use super::records::valid_record;
use super::server::{HostileServer, ADA, EVE, MAX, ZOE};

fn refusal(ack: &outpost_sync::protocol::PushAck) -> (String, String) {
    let message = match ack.results.first().map(|r| &r.outcome) {
        Some(PushOutcome::Rejected { error }) => error.message.clone(),
        _ => String::new(),
    };
    (outcome(ack, 0), message)
}

/// Says hello and subscribes from `since` on a WebSocket authenticated in its upgrade.
async fn subscribe(peer: &Peer, since: u64) -> Result<Ws> {
    let (mut ws, _welcome) = peer.greeted().await?;
    ws.send_text(String::from_utf8(encode(&ClientMessage::Subscribe(Subscribe { since })))?).await?;
    Ok(ws)
}

/// The protocol error code of a raw answer, with its HTTP status.
fn code(answer: &super::peer::Answer) -> String {
    format!("{} {}", answer.status, answer.code())
}

/// Runs the read-leak and wire probes.
pub async fn run(server: &HostileServer, probes: &mut Probes) -> Result<()> {
    let eve = Peer::new(&server.base, &server.token(EVE)?, 0xe7f);
    let zoe = Peer::new(&server.base, &server.token(ZOE)?, 0x20f);
    let max = Peer::new(&server.base, &server.token(MAX)?, 0x3a5);
    let ada = Peer::new(&server.base, &server.token(ADA)?, 0xada);

    // A manager subscribes first, so everything below reaches the live feed as it is stored.
    let head = max.pull_all().await?.iter().map(|u| u.seq).max().unwrap_or(0);
    let mut live = subscribe(&max, head).await?;

    // Zoe's private memory: nobody else learns its kind, its state or whether it was erased.
    let memory_entity = entity("copilot_memory").ok_or_else(|| anyhow::anyhow!("no copilot_memory entity"))?;
    let memory = valid_record(memory_entity, 401, ZOE)?;
    let memory_id = DocId::new_random();
    let got =
        zoe.push_one(item(memory_id, "copilot_memory", Visibility::Private, memory.snapshot(), 10, zoe.epoch)).await?;
    probes.check("Zoe's private copilot memory", "stored", &got);
    let task = RecordDoc::new(402).set_field("title", json!("probe"))?;
    for (n, (who, peer, kind)) in
        [("Eve", &eve, "task"), ("Eve", &eve, "copilot_memory"), ("the admin", &ada, "deal")].into_iter().enumerate()
    {
        let ack =
            peer.push(vec![item(memory_id, kind, Visibility::Org, task.clone(), 40 + n as u64, peer.epoch)]).await?;
        let (code, message) = refusal(&ack);
        probes.check_that(
            &format!("{who} pushes a {kind} over Zoe's memory id"),
            "forbidden, naming neither its kind nor its content",
            code == "forbidden" && (kind == "copilot_memory" || !message.contains("memory")),
            &format!("{code}: {message}"),
        );
        let mut erase = item(memory_id, kind, Visibility::Org, Vec::new(), 50 + n as u64, peer.epoch);
        erase.erase = true;
        let (code, message) = refusal(&peer.push(vec![erase]).await?);
        probes.check_that(
            &format!("{who} erases Zoe's memory as a {kind}"),
            "forbidden, naming neither its kind nor its content",
            code == "forbidden" && (kind == "copilot_memory" || !message.contains("memory")),
            &format!("{code}: {message}"),
        );
    }
    for (who, peer) in [("Eve", &eve), ("the manager", &max), ("the admin", &ada)] {
        let seen = peer.pull_all().await?.iter().any(|u| u.doc_id == memory_id);
        probes.check(&format!("{who} pulls Zoe's memory"), "false", &seen.to_string());
    }
    // The live feed: a shared task Zoe pushes after her memory reaches the manager; the memory never.
    let marker = DocId::new_random();
    let shared = RecordDoc::new(403).set_field("title", json!("Shared after the memory"))?;
    zoe.push_one(item(marker, "task", Visibility::Org, shared, 11, zoe.epoch)).await?;
    let mut delivered = HashSet::new();
    while !delivered.contains(&marker) {
        let event = live.next_event().await;
        let Some(text) = event.strip_prefix("text:") else {
            probes.check("the manager's live feed stays open", "open", &event);
            break;
        };
        if let Ok(ServerMessage::Update(page)) = serde_json::from_str::<ServerMessage>(text) {
            delivered.extend(page.updates.iter().map(|u| u.doc_id));
        }
    }
    probes.check("the live feed carries Zoe's shared task", "true", &delivered.contains(&marker).to_string());
    probes.check("the live feed never carries Zoe's memory", "false", &delivered.contains(&memory_id).to_string());

    // Queries and bodies: every refusal is the protocol's JSON error, and nothing crashes.
    for (query, want) in [
        ("since=-1", "400 bad_request"),
        ("since=18446744073709551616", "400 bad_request"),
        ("since=abc&limit=1", "400 bad_request"),
        ("limit=99999999999", "400 bad_request"),
    ] {
        let answer = eve.get_raw(&format!("/v1/pull?{query}")).await?;
        probes.check(&format!("a pull with {query}"), want, &code(&answer));
    }
    let answer = eve.get_raw(&format!("/v1/pull?since={}&limit=0", u64::MAX)).await?;
    probes.check("a pull from the largest cursor with limit 0", "200", &answer.status.to_string());
    let answer = eve.get_raw(&format!("/v1/pull?limit={}", MAX_PULL_LIMIT + 1)).await?;
    probes.check("a pull over the page limit is capped, not refused", "200", &answer.status.to_string());
    let valid_item = serde_json::to_value(item(DocId::new_random(), "task", Visibility::Org, vec![0, 0], 1, 1))?;
    let mut past_i64 = valid_item.clone();
    past_i64["client_seq"] = json!(u64::try_from(i64::MAX)? + 1);
    let mut past_u64 = serde_json::to_string(&json!({ "items": [valid_item.clone()] }))?;
    past_u64 = past_u64.replacen("\"client_seq\":1", "\"client_seq\":18446744073709551616", 1);
    let nested_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        (
            "a push whose client_seq passes the store's signed range",
            serde_json::to_vec(&json!({ "items": [past_i64] }))?,
        ),
        ("a push whose client_seq overflows 64 bits", past_u64.into_bytes()),
        ("a push with duplicate keys", br#"{"items":[],"items":[]}"#.to_vec()),
        ("a push body of invalid UTF-8", b"{\"items\":[\"\xff\xfe\"]}".to_vec()),
        ("a push body of JSON nested 100,000 deep", nested_json.into_bytes()),
        ("a push body of form data", b"items=1&items=2".to_vec()),
    ];
    for (name, body) in bodies {
        let answer = eve.post_raw("/v1/push", body, PROTOCOL_VERSION).await?;
        probes.check(name, "400 bad_request", &code(&answer));
    }
    let health = reqwest::get(format!("{}/healthz", server.base)).await.map(|r| r.status().as_u16()).unwrap_or(0);
    probes.check("the server answers after the malformed bodies", "200", &health.to_string());

    // Invalid UTF-8 on the WebSocket is refused and the session stays usable.
    let mut ws = eve.websocket(true).await?;
    ws.send_binary(vec![0xff, 0xfe, 0x00]).await?;
    let first = ws.next_event().await;
    probes.check_that(
        "a WebSocket frame of invalid UTF-8",
        "bad_request",
        first.contains("\"bad_request\""),
        &first.chars().take(120).collect::<String>(),
    );
    let welcome = ws.hello(&eve.token).await?;
    probes.check_that("... and the session still says welcome", "welcome", welcome.contains("welcome"), &welcome);

    // After every probe, every update a manager's new device pulls still applies and reads.
    let updates = max.pull_all().await?;
    let mut docs: HashMap<DocId, RecordDoc> = HashMap::new();
    let mut broken = Vec::new();
    for update in updates.iter().filter(|u| !u.erased && !u.update.is_empty()) {
        let doc = docs.entry(update.doc_id).or_insert_with(|| RecordDoc::new(404));
        if let Err(e) = doc.apply_update(&update.update) {
            broken.push(format!("{} {}: {e}", update.kind, update.doc_id));
        }
    }
    for (id, doc) in &docs {
        let view = doc.view();
        let kind = updates.iter().find(|u| u.doc_id == *id).map(|u| u.kind.as_str()).unwrap_or_default();
        if view.deleted {
            continue;
        }
        for (name, value) in &view.fields {
            if let Err(e) = outpost_sync::entity::validate_field(kind, name, value) {
                broken.push(format!("{kind} {id}.{name}: {e}"));
            }
        }
    }
    probes.check_that(
        &format!("every one of {} pulled documents applies and every value reads valid", docs.len()),
        "none broken",
        broken.is_empty(),
        &broken.iter().take(3).cloned().collect::<Vec<_>>().join("; "),
    );
    Ok(())
}
