//! The hostile-client suite (issue 14): a scripted peer speaking the real protocol over HTTP and
//! WebSocket against a real `outpost-server` process on 127.0.0.1, once per store backend
//! (SQLite, and PostgreSQL in a throwaway cluster). Every probe prints what it expected and what
//! it observed; a run passes only with zero failures.
//!
//! Probes: the role × kind × action write-authorisation matrix (stated in README's "Write
//! authorisation" table and written out independently in [`hostile::matrix`]), sequence and epoch
//! replay, a malformed value for every field type of every kind (from the typed entity
//! definitions), duplicate bytes, size limits, pre-authentication fragment floods and hello timeouts,
//! erase and kind squatting, natural-key creation keys, and quotas; updates no record has (values
//! nested deep enough to overflow a decoder, nested types, content outside the record model,
//! undeleting tombstones) in [`hostile::shapes`]; what a hostile reader learns (pushes over
//! another user's private memory, the live feed), malformed queries and bodies, and whether every
//! pulled document still reads, in [`hostile::leaks`]; slow-loris heads and bodies in
//! [`hostile::slow`].

#[allow(dead_code)]
#[path = "sync/harness.rs"]
mod harness;

mod hostile {
    pub mod creation_key;
    pub mod leaks;
    pub mod limits;
    pub mod matrix;
    pub mod peer;
    pub mod probes;
    pub mod records;
    pub mod replay;
    pub mod server;
    pub mod shapes;
    pub mod slow;
    pub mod values;
}

use anyhow::Result;
use hostile::probes::Probes;
use hostile::server::HostileServer;

async fn run_suite(db: String) -> Result<()> {
    let server = HostileServer::start(&db).await?;
    let mut probes = Probes::default();
    hostile::matrix::run(&server, &mut probes).await?;
    hostile::values::run(&server, &mut probes).await?;
    hostile::replay::run(&server, &mut probes).await?;
    hostile::creation_key::run(&server, &mut probes).await?;
    hostile::limits::run(&server, &mut probes).await?;
    hostile::shapes::run(&server, &mut probes).await?;
    hostile::leaks::run(&server, &mut probes).await?;
    hostile::slow::run(&server, &mut probes).await?;
    probes.finish(&db)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_clients_against_the_sqlite_store() -> Result<()> {
    let dir = tempfile::tempdir()?;
    run_suite(format!("sqlite:{}", dir.path().join("hostile.db").display())).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_clients_against_the_postgres_store() -> Result<()> {
    let pg = harness::PgCluster::start()?;
    let url = pg.create_db("hostile").await?;
    run_suite(url).await
}
