//! Integration tests of outpost-sync (one binary; each module says what it covers).
//!
//! PostgreSQL tests start a throwaway cluster themselves (see `harness::PgCluster`) and FAIL with
//! a clear message when the PostgreSQL server binaries are missing (`apt-get install -y postgresql`).

#[path = "sync/cli.rs"]
mod cli;
#[path = "sync/convergence.rs"]
mod convergence;
#[path = "sync/harness.rs"]
mod harness;
#[path = "sync/isolation.rs"]
mod isolation;
#[path = "sync/multi_process.rs"]
mod multi_process;
#[path = "sync/story.rs"]
mod story;
