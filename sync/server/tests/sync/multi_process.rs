//! Two server instances with separate connection pools on one PostgreSQL: a client of each sees
//! the other's edit live (LISTEN/NOTIFY).

use std::sync::Arc;

use anyhow::{ensure, Result};
use outpost_server::store::{self, Store};
use outpost_sync::client::SyncClient;
use outpost_sync::doc::{DocId, RecordDoc};
use outpost_sync::protocol::{Role, Visibility};
use serde_json::json;

use super::harness::{org_with, start_server, token_for, PgCluster};
use super::story::{item, next_updates, subscribed};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_deliver_live() -> Result<()> {
    let pg = PgCluster::start()?;
    let url = pg.create_db("multi").await?;
    let store1: Arc<dyn Store> = store::open(&url).await?;
    let store2: Arc<dyn Store> = store::open(&url).await?;
    org_with(&*store1, "acme", &[("ann@acme.test", Role::Rep), ("max@acme.test", Role::Manager)]).await?;
    let (s1, base1) = start_server(Arc::clone(&store1), None).await?;
    let (s2, base2) = start_server(Arc::clone(&store2), None).await?;
    let ann = SyncClient::new(&base1, &token_for(&*store1, "ann@acme.test").await?);
    let max = SyncClient::new(&base2, &token_for(&*store2, "max@acme.test").await?);
    // Both subscriptions are established before the edits: each waits for its catch-up page (a
    // first deal both may read), so the edits below can only arrive through live delivery.
    let first = RecordDoc::new(3).set_field("title", json!("first"))?;
    ann.push(vec![item(DocId::new_random(), "deal", Visibility::Org, first, 1)]).await?;
    let (mut max_sub, _) = subscribed(&max, 0).await?;
    let (mut ann_sub, _) = subscribed(&ann, 0).await?;

    let doc = RecordDoc::new(1);
    let id = DocId::new_random();
    ann.push(vec![item(id, "deal", Visibility::Org, doc.set_field("title", json!("won"))?, 2)]).await?;
    let page = next_updates(&mut max_sub).await?;
    ensure!(page.updates.iter().any(|u| u.doc_id == id), "server 2's client missed server 1's edit");

    let mine: Vec<_> = page.updates.iter().filter(|u| u.doc_id == id).map(|u| u.update.clone()).collect();
    let doc_m = RecordDoc::from_updates(2, &mine)?;
    max.push(vec![item(id, "deal", Visibility::Org, doc_m.set_field("next_step", json!("9"))?, 1)]).await?;
    loop {
        let page = next_updates(&mut ann_sub).await?;
        for u in &page.updates {
            doc.apply_update(&u.update)?;
        }
        if doc.fields().get("next_step") == Some(&json!("9")) {
            break;
        }
    }
    s1.shutdown().await;
    s2.shutdown().await;
    Ok(())
}
