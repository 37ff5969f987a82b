//! The story test, on SQLite (a file) and on a real PostgreSQL: accounts, two clients pushing
//! and pulling, a live update over WebSocket, idempotent retries, compaction keeping the data,
//! a new device's initial sync, a server restart on the same store continuing the cursor,
//! compaction on request dropping overwritten values from the history, and a GDPR erasure (updates deleted, content-free marker delivered, stale updates refused).

use std::sync::Arc;
use std::time::Duration;

use anyhow::{ensure, Context, Result};
use outpost_server::store::{self, Store};
use outpost_sync::client::{Subscription, SubscriptionEvent, SyncClient};
use outpost_sync::doc::{natural_key_doc_id, normalise_key, DocId, RecordDoc};
use outpost_sync::protocol::{ErrorCode, PushItem, PushOutcome, Role, Visibility};
use serde_json::json;

use super::harness::{org_with, start_server, token_for, PgCluster};

pub fn item(doc_id: DocId, kind: &str, visibility: Visibility, update: Vec<u8>, client_seq: u64) -> PushItem {
    PushItem { doc_id, kind: kind.into(), visibility, update, client_seq, epoch: 1, erase: false, compact: false }
}

/// Waits for the next batch of updates (skipping connection events), at most 30 s (a bound on a
/// failure, not a synchronisation: it returns as soon as the batch arrives).
pub async fn next_updates(sub: &mut Subscription) -> Result<outpost_sync::protocol::PullResponse> {
    loop {
        let event = tokio::time::timeout(Duration::from_secs(30), sub.next())
            .await
            .context("no update within 30 s")?
            .context("subscription ended")?;
        match event {
            SubscriptionEvent::Updates(page) => return Ok(page),
            SubscriptionEvent::Stopped(e) => anyhow::bail!("subscription stopped: {e}"),
            _ => continue,
        }
    }
}

/// Subscribes `client` from `since` and waits for the catch-up page, which the server sends only
/// once it has registered the subscription (so there must be an update after `since` that the
/// client may read). Whatever is pushed after this returns reaches the subscription only through
/// live delivery, never through the catch-up.
pub async fn subscribed(
    client: &SyncClient,
    since: u64,
) -> Result<(Subscription, outpost_sync::protocol::PullResponse)> {
    let mut sub = client.subscribe(since);
    let catch_up = next_updates(&mut sub).await.context("the subscription's catch-up page")?;
    Ok((sub, catch_up))
}

async fn story(url: &str) -> Result<()> {
    let store: Arc<dyn Store> = store::open(url).await?;
    org_with(&*store, "acme", &[("ann@acme.test", Role::Rep), ("max@acme.test", Role::Manager)]).await?;
    let (laptop, phone, max) = (
        token_for(&*store, "ann@acme.test").await?,
        token_for(&*store, "ann@acme.test").await?,
        token_for(&*store, "max@acme.test").await?,
    );
    let (server, base) = start_server(Arc::clone(&store), None).await?;
    let a = SyncClient::new(&base, &laptop);
    let b = SyncClient::new(&base, &phone);
    let welcome = a.hello().await?;
    ensure!(welcome.org == "acme" && welcome.role == Role::Rep, "unexpected welcome {welcome:?}");

    // Laptop creates a lead (natural key) with fields and notes, and pushes.
    // (The id derives from the e-mail the way clients derive it; the server checks that.)
    let doc_id = natural_key_doc_id("outpost", "contact", &normalise_key("Lead@Example.com"));
    let doc_a = RecordDoc::new(1);
    let u1 = doc_a.set_fields([("first_name", &json!("Lead Person")), ("email", &json!("Lead@Example.com"))])?;
    let u2 = doc_a.set_text("notes", "Met at the fair.")?;
    let ack = a
        .push(vec![
            item(doc_id, "contact", Visibility::Org, u1.clone(), 1),
            item(doc_id, "contact", Visibility::Org, u2, 2),
        ])
        .await?;
    ensure!(ack.results.iter().all(|r| matches!(r.outcome, PushOutcome::Stored { .. })), "push not stored: {ack:?}");
    // A retried push is stored once.
    let retry = a.push(vec![item(doc_id, "contact", Visibility::Org, u1, 1)]).await?;
    ensure!(matches!(retry.results[0].outcome, PushOutcome::Duplicate { .. }), "retry not deduplicated: {retry:?}");

    // Phone pulls and converges.
    let doc_b = RecordDoc::new(2);
    let (updates, mut cursor_b) = b.pull_all(0).await?;
    ensure!(updates.len() == 2, "phone expected 2 updates, got {}", updates.len());
    for u in &updates {
        doc_b.apply_update(&u.update)?;
    }
    ensure!(doc_b.fields() == doc_a.fields(), "phone diverged after pull");

    // Live: the laptop subscribes one update behind the head and waits for that update (the
    // subscription is registered); then the phone edits the notes and the laptop receives the
    // edit over WebSocket, through live delivery.
    let head = ack.results.len() as u64;
    let (mut sub, catch_up) = subscribed(&a, head - 1).await?;
    ensure!(catch_up.next_cursor == head, "catch-up page ends at {}, not the head {head}", catch_up.next_cursor);
    let edit = doc_b.set_text("notes", "Met at the fair. Wants a demo.")?;
    b.push(vec![item(doc_id, "contact", Visibility::Org, edit, 1)]).await?;
    let page = next_updates(&mut sub).await?;
    for u in &page.updates {
        doc_a.apply_update(&u.update)?;
    }
    ensure!(doc_a.fields()["notes"] == "Met at the fair. Wants a demo.", "live edit not applied: {:?}", doc_a.fields());
    drop(sub);

    // Concurrent offline edits to different fields both survive.
    let ea = doc_a.set_field("title", json!("qualified"))?;
    let eb = doc_b.set_field("phone", json!("+1 555 0100"))?;
    a.push(vec![item(doc_id, "contact", Visibility::Org, ea, 3)]).await?;
    b.push(vec![item(doc_id, "contact", Visibility::Org, eb, 2)]).await?;
    let (more, next) = b.pull_all(cursor_b).await?;
    cursor_b = next;
    for u in &more {
        doc_b.apply_update(&u.update)?;
    }
    let (all_a, _) = a.pull_all(0).await?;
    for u in &all_a {
        doc_a.apply_update(&u.update)?;
    }
    ensure!(
        doc_a.fields() == doc_b.fields(),
        "laptop and phone diverged: {:?} vs {:?}",
        doc_a.fields(),
        doc_b.fields()
    );
    ensure!(doc_a.fields()["title"] == "qualified" && doc_a.fields()["phone"] == "+1 555 0100", "an edit was lost");

    // Compaction merges the document's updates and keeps the data; a new device syncs from 0.
    let stats = store.compact(2).await?;
    ensure!(stats.docs == 1 && stats.updates_removed >= 3, "unexpected compaction {stats:?}");
    let (snap, _) = SyncClient::new(&base, &max).pull_all(0).await?;
    ensure!(snap.len() == 1, "new device expected one snapshot, got {}", snap.len());
    let doc_m = RecordDoc::from_updates(3, &[snap[0].update.clone()])?;
    ensure!(doc_m.fields() == doc_a.fields(), "snapshot lost data: {:?}", doc_m.fields());

    // Restart on the same store; the phone continues from its cursor.
    server.shutdown().await;
    drop(store);
    let store: Arc<dyn Store> = store::open(url).await?;
    let (server, base) = start_server(Arc::clone(&store), None).await?;
    let a = SyncClient::new(&base, &laptop);
    let b = SyncClient::new(&base, &phone);
    let after = doc_a.set_field("lead_source", json!("Trade fair"))?;
    a.push(vec![item(doc_id, "contact", Visibility::Org, after, 4)]).await?;
    let (rest, _) = b.pull_all(cursor_b).await?;
    ensure!(rest.len() == 1, "after restart the phone expected 1 new update, got {}", rest.len());
    doc_b.apply_update(&rest[0].update)?;
    ensure!(doc_b.fields() == doc_a.fields(), "diverged after restart");

    // Compaction on request (what a GDPR erase sends for the records it rewrote): the overwritten
    // value is gone from the stored history, which is ONE snapshot holding the new value.
    let rewritten = DocId::new_random();
    let doc_r = RecordDoc::new(7);
    let old = doc_r.set_field("title", json!("Renewal for Zebulon Quartermaine"))?;
    a.push(vec![item(rewritten, "deal", Visibility::Org, old, 10)]).await?;
    doc_r.set_field("title", json!("Renewal for [erased]"))?;
    let mut compact = item(rewritten, "deal", Visibility::Org, doc_r.snapshot(), 11);
    compact.compact = true;
    a.push(vec![compact]).await?;
    // The compaction runs in the background maintenance, off the request path.
    let stats = store.compact(u32::MAX).await?;
    ensure!(stats.docs == 1 && stats.scrubbed, "the requested compaction did not run: {stats:?}");
    let (history, _) = SyncClient::new(&base, &max).pull_all(0).await?;
    let history: Vec<_> = history.into_iter().filter(|u| u.doc_id == rewritten).collect();
    ensure!(history.len() == 1, "expected one compacted snapshot, got {}", history.len());
    let needle = b"Zebulon";
    ensure!(!history[0].update.windows(needle.len()).any(|w| w == needle), "the old title is still stored");
    let doc_new = RecordDoc::from_updates(8, &[history[0].update.clone()])?;
    ensure!(doc_new.fields()["title"] == "Renewal for [erased]", "snapshot: {:?}", doc_new.fields());

    // GDPR erase: every stored update goes, devices get a content-free marker, a stale update
    // from a device that has not heard of it is refused, and erasing again is a no-op.
    let mut erase = item(doc_id, "contact", Visibility::Org, Vec::new(), 5);
    erase.erase = true;
    let ack = a.push(vec![erase.clone()]).await?;
    let PushOutcome::Stored { seq: marker } = ack.results[0].outcome else {
        anyhow::bail!("erase not stored: {ack:?}")
    };
    let (from_zero, _) = SyncClient::new(&base, &max).pull_all(0).await?;
    let from_zero: Vec<_> = from_zero.into_iter().filter(|u| u.doc_id == doc_id).collect();
    ensure!(
        from_zero.len() == 1 && from_zero[0].erased && from_zero[0].update.is_empty() && from_zero[0].seq == marker,
        "a new device should get only the empty erasure marker: {from_zero:?}"
    );
    let stale = doc_b.set_field("phone", json!("+1 555 0199"))?;
    let refused = b.push(vec![item(doc_id, "contact", Visibility::Org, stale, 3)]).await?;
    ensure!(
        matches!(&refused.results[0].outcome, PushOutcome::Rejected { error } if error.code == ErrorCode::Erased),
        "a stale update resurrected the erased document: {refused:?}"
    );
    erase.client_seq = 6;
    let again = b.push(vec![erase]).await?;
    ensure!(matches!(again.results[0].outcome, PushOutcome::Duplicate { seq } if seq == marker), "{again:?}");
    ensure!(store.compact(1).await?.docs == 0, "compaction touched an erased document");
    server.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn story_on_sqlite() -> Result<()> {
    let dir = tempfile::tempdir()?;
    story(&format!("sqlite:{}", dir.path().join("server.db").display())).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn story_on_postgres() -> Result<()> {
    let pg = PgCluster::start()?;
    let url = pg.create_db("story").await?;
    story(&url).await
}
