//! `sync-bench`: measurements of the sync stack on loopback. Prints one line per result.
//!
//! ```text
//! sync-bench [--pg-url postgres://…] [--docs 100000] [--edits 10000] [--clients 50] [--secs 5]
//! ```
//! 1. offline: `--edits` edits on each of 2 replicas, then reconnect; time, bytes on the wire vs
//!    raw changed field bytes;
//! 2. live latency: one edit reaching a second replica through the server (p50/p95, SQLite);
//! 3. initial sync of `--docs` documents to a new device (SQLite);
//! 4. pushes/second with `--clients` concurrent clients, on SQLite and (with `--pg-url`) PostgreSQL.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Parser;
use outpost_server::server::{serve, ServerConfig};
use outpost_server::store::{self, hash_token, new_device_token, Store};
use outpost_sync::client::{SubscriptionEvent, SyncClient};
use outpost_sync::doc::{DocId, RecordDoc};
use outpost_sync::protocol::{PushItem, Role, Visibility};
use serde_json::json;

#[derive(Parser)]
struct Args {
    /// A PostgreSQL database URL for the PostgreSQL push benchmark (skipped without it).
    #[arg(long)]
    pg_url: Option<String>,
    /// Documents for the initial-sync benchmark.
    #[arg(long, default_value_t = 100_000)]
    docs: usize,
    /// Offline edits per replica.
    #[arg(long, default_value_t = 10_000)]
    edits: usize,
    /// Concurrent clients for the push benchmark.
    #[arg(long, default_value_t = 50)]
    clients: usize,
    /// Seconds per push benchmark.
    #[arg(long, default_value_t = 5)]
    secs: u64,
}

fn item(doc_id: DocId, update: Vec<u8>, client_seq: u64) -> PushItem {
    PushItem {
        doc_id,
        kind: "contact".into(),
        visibility: Visibility::Org,
        update,
        client_seq,
        epoch: 1,
        erase: false,
        compact: false,
    }
}

fn offline(edits: usize) -> Result<()> {
    let (a, b) = (RecordDoc::new(1), RecordDoc::new(2));
    a.set_text("notes", "shared starting notes")?;
    b.apply_update(&a.snapshot())?;
    let mut raw = 0usize;
    for i in 0..edits {
        for (doc, who) in [(&a, "a"), (&b, "b")] {
            if i % 4 == 0 {
                let mut notes = doc.fields().get("notes").and_then(|v| v.as_str()).unwrap_or("").to_string();
                notes.push_str(who);
                raw += 1;
                doc.set_text("notes", &notes)?;
            } else {
                let value = json!(format!("{who}{i}"));
                raw += value.to_string().len();
                doc.set_field(&format!("f{}", i % 20), value)?;
            }
        }
    }
    let start = Instant::now();
    let to_b = a.diff_since(&b.state_vector())?;
    let to_a = b.diff_since(&a.state_vector())?;
    let wire = to_a.len() + to_b.len() + a.state_vector().len() + b.state_vector().len();
    b.apply_update(&to_b)?;
    a.apply_update(&to_a)?;
    let took = start.elapsed();
    anyhow::ensure!(a.fields() == b.fields(), "replicas diverged");
    println!(
        "offline: {edits} edits on each of 2 replicas converged in {took:?}; {wire} bytes on the wire vs {raw} raw changed field bytes ({:.2}x)",
        wire as f64 / raw as f64
    );
    Ok(())
}

async fn setup(store: &Arc<dyn Store>, org: &str, users: usize) -> Result<Vec<String>> {
    store.create_org(org).await?;
    let mut tokens = Vec::new();
    for i in 0..users {
        let email = format!("u{i}@{org}.bench");
        store.add_user(org, &email, Role::Manager).await?;
        let token = new_device_token()?;
        store.create_device(&email, "bench", &hash_token(&token)).await?;
        tokens.push(token);
    }
    Ok(tokens)
}

fn config() -> ServerConfig {
    ServerConfig { rate_per_sec: 1e9, rate_burst: 1e9, compact_every: None, ..ServerConfig::default() }
}

async fn latency(store: Arc<dyn Store>) -> Result<()> {
    let tokens = setup(&store, "latency", 2).await?;
    let server = serve(tokio::net::TcpListener::bind("127.0.0.1:0").await?, store, config())?;
    let base = format!("http://{}", server.addr);
    let (a, b) = (SyncClient::new(&base, &tokens[0]), SyncClient::new(&base, &tokens[1]));
    let mut sub = b.subscribe(0);
    while !matches!(sub.next().await, Some(SubscriptionEvent::Connected)) {}
    let doc = RecordDoc::new(1);
    let id = DocId::new_random();
    let mut samples = Vec::new();
    for i in 0..300u64 {
        let update = doc.set_field("title", json!(format!("Title {i}")))?;
        let start = Instant::now();
        a.push(vec![item(id, update, i + 1)]).await?;
        loop {
            match tokio::time::timeout(Duration::from_secs(5), sub.next()).await.context("live update timed out")? {
                Some(SubscriptionEvent::Updates(p)) if p.updates.iter().any(|u| u.seq > i) => break,
                Some(_) => {}
                None => anyhow::bail!("subscription ended"),
            }
        }
        samples.push(start.elapsed());
    }
    samples.sort();
    let p = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize];
    println!(
        "live: one edit to a second replica via the server (SQLite, loopback, n=300): p50 {:?}, p95 {:?}",
        p(0.5),
        p(0.95)
    );
    server.shutdown().await;
    Ok(())
}

async fn initial_sync(store: Arc<dyn Store>, docs: usize) -> Result<()> {
    let tokens = setup(&store, "initial", 2).await?;
    let server = serve(tokio::net::TcpListener::bind("127.0.0.1:0").await?, store, config())?;
    let base = format!("http://{}", server.addr);
    let writer = SyncClient::new(&base, &tokens[0]);
    let mut seq = 0u64;
    let fill = Instant::now();
    for chunk in (0..docs).collect::<Vec<_>>().chunks(1000) {
        let mut batch = Vec::with_capacity(chunk.len());
        for &i in chunk {
            let doc = RecordDoc::new(1);
            doc.set_field("first_name", json!(format!("Contact {i}")))?;
            doc.set_field("email", json!(format!("c{i}@example.com")))?;
            seq += 1;
            batch.push(item(DocId::new_random(), doc.snapshot(), seq));
        }
        writer.push(batch).await?;
    }
    let filled = fill.elapsed();
    let start = Instant::now();
    let (updates, _) = SyncClient::new(&base, &tokens[1]).pull_all(0).await?;
    let pulled = start.elapsed();
    let bytes: usize = updates.iter().map(|u| u.update.len()).sum();
    let mut loaded = 0usize;
    for u in &updates {
        loaded += RecordDoc::from_updates(2, &[&u.update])?.fields().len();
    }
    anyhow::ensure!(updates.len() == docs && loaded == 2 * docs, "initial sync incomplete");
    println!(
        "initial sync: {docs} docs to a new device (SQLite): pull {pulled:?} ({bytes} update bytes), pull+load {:?}; (seeding took {filled:?})",
        start.elapsed()
    );
    server.shutdown().await;
    Ok(())
}

async fn pushes(store: Arc<dyn Store>, label: &str, clients: usize, secs: u64) -> Result<()> {
    let tokens = setup(&store, &format!("push{}", label.len()), clients).await?;
    let server = serve(tokio::net::TcpListener::bind("127.0.0.1:0").await?, store, config())?;
    let base = format!("http://{}", server.addr);
    let count = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for token in tokens {
        let (client, count) = (SyncClient::new(&base, &token), Arc::clone(&count));
        tasks.push(tokio::spawn(async move {
            let doc = RecordDoc::new(1);
            let id = DocId::new_random();
            let mut seq = 0u64;
            while Instant::now() < deadline {
                seq += 1;
                let Ok(update) = doc.set_field("title", json!(format!("Title {seq}"))) else { break };
                // Only stored pushes count (a refused item would be cheap and flatter the figure).
                let stored = client.push(vec![item(id, update, seq)]).await.is_ok_and(|ack| {
                    ack.results.iter().all(|r| matches!(r.outcome, outpost_sync::protocol::PushOutcome::Stored { .. }))
                });
                if stored {
                    count.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let n = count.load(Ordering::Relaxed);
    println!(
        "pushes ({label}): {clients} concurrent clients, {n} single-update pushes in {secs} s = {:.0} pushes/s",
        n as f64 / secs as f64
    );
    server.shutdown().await;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse();
    offline(args.edits)?;
    let dir = tempfile::tempdir()?;
    let sqlite = |name: &str| format!("sqlite:{}", dir.path().join(name).display());
    latency(store::open(&sqlite("latency.db")).await?).await?;
    initial_sync(store::open(&sqlite("initial.db")).await?, args.docs).await?;
    pushes(store::open(&sqlite("push.db")).await?, "SQLite", args.clients, args.secs).await?;
    match &args.pg_url {
        Some(url) => pushes(store::open(url).await?, "PostgreSQL", args.clients, args.secs).await?,
        None => println!("pushes (PostgreSQL): skipped, pass --pg-url postgres://… to run it"),
    }
    Ok(())
}
