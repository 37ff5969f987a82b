//! Isolation and authorisation over the real server (SQLite): cross-org reads, writes and
//! subscriptions denied; rep vs manager visibility and the org sharing setting; copilot memories
//! reaching only their owner (admins included); kind mismatch; revoked tokens; too-old/too-new
//! protocol versions; the per-device rate limit.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{ensure, Result};
use outpost_server::server::rate_limit::{ManualClock, RateClock};
use outpost_server::server::ServerConfig;
use outpost_server::store::{self, hash_token, Store};
use outpost_sync::client::{SubscriptionEvent, SyncClient};
use outpost_sync::doc::{DocId, RecordDoc};
use outpost_sync::protocol::{ErrorCode, PushOutcome, Role, Visibility};
use outpost_sync::PROTOCOL_VERSION;
use serde_json::json;

use super::harness::{org_with, start_server, token_for};
use super::story::item;

async fn visible(client: &SyncClient) -> Result<HashSet<DocId>> {
    Ok(client.pull_all(0).await?.0.into_iter().map(|u| u.doc_id).collect())
}

fn update(name: &str) -> Vec<u8> {
    RecordDoc::new(7).set_field("title", json!(name)).unwrap_or_default()
}

/// A memory's update (memories have a content, no title).
fn memory_update(content: &str) -> Vec<u8> {
    RecordDoc::new(7).set_field("content", json!(content)).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authorisation_rules_hold_over_the_wire() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let store: Arc<dyn Store> = store::open(&format!("sqlite:{}", dir.path().join("s.db").display())).await?;
    let acme = [
        ("ann@acme.test", Role::Rep),
        ("bob@acme.test", Role::Rep),
        ("max@acme.test", Role::Manager),
        ("ada@acme.test", Role::Admin),
    ];
    org_with(&*store, "acme", &acme).await?;
    org_with(&*store, "globex", &[("gus@globex.test", Role::Admin)]).await?;
    let (server, base) = start_server(Arc::clone(&store), None).await?;
    let client = |t: &str| SyncClient::new(&base, t);
    let ann = client(&token_for(&*store, "ann@acme.test").await?);
    let ann2_token = token_for(&*store, "ann@acme.test").await?;
    let ann2 = client(&ann2_token);
    let bob = client(&token_for(&*store, "bob@acme.test").await?);
    let max = client(&token_for(&*store, "max@acme.test").await?);
    let ada = client(&token_for(&*store, "ada@acme.test").await?);
    let gus = client(&token_for(&*store, "gus@globex.test").await?);

    let (contact, deal, memory, convo) =
        (DocId::new_random(), DocId::new_random(), DocId::new_random(), DocId::new_random());
    let ack = ann
        .push(vec![
            item(contact, "contact", Visibility::Org, update("c"), 1),
            item(deal, "deal", Visibility::Private, update("d"), 2),
            item(memory, "copilot_memory", Visibility::Org, memory_update("m"), 3),
            item(convo, "copilot_conversation", Visibility::Org, update("v"), 4),
        ])
        .await?;
    ensure!(ack.results.iter().all(|r| matches!(r.outcome, PushOutcome::Stored { .. })), "{ack:?}");

    ensure!(visible(&ann2).await? == HashSet::from([contact, deal, memory, convo]), "owner's other device");
    ensure!(visible(&bob).await? == HashSet::from([contact]), "rep sees shared only");
    ensure!(visible(&max).await? == HashSet::from([contact, deal]), "manager sees team, no copilot");
    ensure!(visible(&ada).await? == HashSet::from([contact, deal]), "admin never sees copilot docs");
    ensure!(visible(&gus).await?.is_empty(), "other org sees nothing");

    // Writes: a rep cannot touch another's private deal or memory; kinds are fixed.
    let w = bob
        .push(vec![
            item(deal, "deal", Visibility::Org, update("x"), 1),
            item(memory, "copilot_memory", Visibility::Org, memory_update("x"), 2),
            item(contact, "deal", Visibility::Org, update("x"), 3),
        ])
        .await?;
    let codes: Vec<_> = w
        .results
        .iter()
        .map(|r| match &r.outcome {
            PushOutcome::Rejected { error } => Some(error.code),
            _ => None,
        })
        .collect();
    ensure!(
        codes == vec![Some(ErrorCode::Forbidden), Some(ErrorCode::Forbidden), Some(ErrorCode::KindMismatch)],
        "{codes:?}"
    );
    let w = ada.push(vec![item(memory, "copilot_memory", Visibility::Org, memory_update("x"), 1)]).await?;
    ensure!(matches!(w.results[0].outcome, PushOutcome::Rejected { .. }), "admin wrote a memory: {w:?}");

    // Cross-org: the same doc id in another org is another document; ann never sees it.
    let w = gus.push(vec![item(contact, "contact", Visibility::Org, update("globex"), 1)]).await?;
    ensure!(matches!(w.results[0].outcome, PushOutcome::Stored { .. }), "{w:?}");
    let ann_contact: Vec<_> = ann.pull_all(0).await?.0.into_iter().filter(|u| u.doc_id == contact).collect();
    ensure!(
        ann_contact.len() == 1 && ann_contact[0].owner == "ann@acme.test",
        "cross-org write leaked: {ann_contact:?}"
    );

    // Cross-org subscribe: gus's live feed never carries acme's updates. Both subscriptions are
    // established first (each gets its catch-up page, so the server has registered it): what
    // arrives afterwards came through live delivery.
    let (mut gus_sub, _) = super::story::subscribed(&gus, 0).await?;
    let (mut ann_sub, _) = super::story::subscribed(&ann2, 0).await?;
    ann.push(vec![item(contact, "contact", Visibility::Org, update("c2"), 5)]).await?;
    let live = super::story::next_updates(&mut ann_sub).await?;
    ensure!(live.updates.iter().any(|u| u.doc_id == contact), "owner's device missed the live update");
    // Gus then writes a marker in his own org: his feed must deliver it, and nothing from acme
    // (delivered to ann above, so already through the server's live path) before it.
    let marker = DocId::new_random();
    gus.push(vec![item(marker, "task", Visibility::Org, update("marker"), 2)]).await?;
    loop {
        let page = super::story::next_updates(&mut gus_sub).await?;
        let foreign: Vec<_> = page.updates.iter().filter(|u| u.owner != "gus@globex.test").collect();
        ensure!(foreign.is_empty(), "another org received acme's live update: {foreign:?}");
        if page.updates.iter().any(|u| u.doc_id == marker) {
            break;
        }
    }

    // Org sharing off: reps no longer see others' org-visible records.
    store.set_org_sharing("acme", false).await?;
    ensure!(visible(&bob).await?.is_empty(), "rep still sees shared records with sharing off");

    // Revocation: the next request fails, and the live subscription stops.
    ensure!(store.revoke_device(&hash_token(&ann2_token)).await?, "revoke");
    let err = ann2.pull(0, None).await.err().and_then(|e| e.code());
    ensure!(err == Some(ErrorCode::Unauthorized), "revoked token accepted: {err:?}");
    ann.push(vec![item(contact, "contact", Visibility::Org, update("c3"), 6)]).await?;
    // Waits for the subscription's own Stopped event; 60 s only guards against a hang.
    let stopped = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(ev) = ann_sub.next().await {
            if let SubscriptionEvent::Stopped(e) = ev {
                return Some(e.code);
            }
        }
        None
    })
    .await?;
    ensure!(stopped == Some(ErrorCode::Unauthorized), "revoked subscription kept going: {stopped:?}");

    // Protocol versions: explicit codes, over HTTP and WebSocket.
    let ann_token_client = |v| SyncClient::new(&base, "whatever").with_protocol_version(v);
    ensure!(
        ann_token_client(PROTOCOL_VERSION - 1).hello().await.err().and_then(|e| e.code())
            == Some(ErrorCode::ProtocolTooOld)
    );
    ensure!(
        ann_token_client(PROTOCOL_VERSION + 1).pull(0, None).await.err().and_then(|e| e.code())
            == Some(ErrorCode::ProtocolTooNew)
    );
    ensure!(
        ann_token_client(PROTOCOL_VERSION + 1).connect().await.err().and_then(|e| e.code())
            == Some(ErrorCode::ProtocolTooNew)
    );
    ensure!(
        SyncClient::new(&base, "opd_bogus").hello().await.err().and_then(|e| e.code()) == Some(ErrorCode::Unauthorized)
    );
    server.shutdown().await;

    // Rate limit: a burst of 3, then 429 rate_limited. The limiter's clock stands still, so no
    // token comes back however slowly the requests run; moving it on by one token's worth lets
    // exactly one more request through.
    let clock = ManualClock::default();
    let config = ServerConfig {
        rate_per_sec: 0.5,
        rate_burst: 3.0,
        rate_clock: RateClock::Manual(clock.clone()),
        compact_every: None,
        compact_min_updates: 2,
        ..ServerConfig::default()
    };
    let (server, base) = start_server(Arc::clone(&store), Some(config)).await?;
    let limited = SyncClient::new(&base, &token_for(&*store, "bob@acme.test").await?);
    for _ in 0..3 {
        limited.pull(0, None).await?;
    }
    let err = limited.pull(0, None).await.err();
    ensure!(err.as_ref().and_then(|e| e.code()) == Some(ErrorCode::RateLimited), "no rate limit: {err:?}");
    ensure!(err.map(|e| e.to_string()).unwrap_or_default().contains("retry"), "rate-limit message lacks the action");
    clock.advance(Duration::from_secs(2));
    limited.pull(0, None).await?;
    let err = limited.pull(0, None).await.err().and_then(|e| e.code());
    ensure!(
        err == Some(ErrorCode::RateLimited),
        "one token's worth of time let more than one request through: {err:?}"
    );
    server.shutdown().await;
    Ok(())
}
