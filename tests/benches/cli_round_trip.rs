//! What a rep's one edit costs end to end through the real binaries when each step is its own
//! `outpost` process: `contacts update` on device A, `sync now` on A, `sync now` on B, against a
//! real `outpost-server` on 127.0.0.1. With a ~2 ms sync, most of such a round trip is each
//! process starting, opening the store and building its sync client, so the start-up cost of a
//! command is measured on its own too: `--version` (no store), `contacts list --limit 1` (store
//! opened, one read) and `sync now` with nothing to do (store, sync client, one pull).
//!
//! ```text
//! cargo build --release -p outpost-cli -p outpost-server --bins
//! cargo bench -p outpost-tests --bench cli_round_trip
//! ```
//!
//! `OUTPOST_BENCH_CONTACTS` (default 100,000) sizes the shared workspace the round trips run in,
//! imported on A and synced to B first; `OUTPOST_BENCH_ROUNDS` (default 30) is how many times each
//! figure is taken. `OUTPOST_BIN_DIR` runs other builds of the two binaries.

// The throwaway server and CLI devices of the sync end-to-end tests, shared rather than copied; the
// benchmark uses only part of that module.
#[allow(dead_code)]
#[path = "../tests/sync/support.rs"]
mod support;

use std::time::Instant;

use anyhow::{ensure, Context, Result};
use support::{Device, Server};

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).filter(|n| *n > 0).unwrap_or(default)
}

/// Milliseconds of `run`.
fn timed(run: impl FnOnce() -> Result<()>) -> Result<f64> {
    let start = Instant::now();
    run()?;
    Ok(start.elapsed().as_secs_f64() * 1000.0)
}

/// `p50 X ms, p95 Y ms` of the samples (nearest rank).
fn percentiles(samples: &[f64]) -> String {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = |p: f64| sorted[((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1];
    format!("p50 {:6.1} ms, p95 {:6.1} ms", rank(0.50), rank(0.95))
}

/// A workspace of `rows` contacts on A, pushed and pulled by B; returns the contact the round trips
/// edit (the last imported one, as `initial_sync` does).
fn shared_workspace(a: &Device, b: &Device, rows: usize) -> Result<String> {
    let files = tempfile::tempdir()?;
    let csv = files.path().join("leads.csv");
    std::fs::write(&csv, outpost_tests::bench_leads(rows))?;
    let job = a.cli(&["import", &csv.to_string_lossy()])?;
    ensure!(job["imported"].as_u64() == Some(rows as u64), "import: {job}");
    a.sync(&["now"])?;
    b.sync(&["now"])?;
    let last = b.cli(&["contacts", "list", "--limit", "1", "--search", &format!("person{}", rows - 1)])?;
    last[0]["id"].as_str().map(str::to_string).context("device B misses the last contact")
}

fn main() -> Result<()> {
    let rows = env_number("OUTPOST_BENCH_CONTACTS", 100_000);
    let rounds = env_number("OUTPOST_BENCH_ROUNDS", 30);
    // Maintenance as deployed (60 s), not the tests' 1 s (see `initial_sync`).
    let server = Server::start_with_maintenance_every(60)?;
    let (a, b) = (server.device()?, server.device()?);
    let id = shared_workspace(&a, &b, rows)?;

    let (mut total, mut update, mut push, mut pull) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let title = format!("Round {round}");
        let start = Instant::now();
        update.push(timed(|| a.cli(&["contacts", "update", &id, "--title", &title]).map(drop))?);
        push.push(timed(|| a.sync(&["now"]).map(drop))?);
        pull.push(timed(|| b.sync(&["now"]).map(drop))?);
        total.push(start.elapsed().as_secs_f64() * 1000.0);
        let seen = b.cli(&["contacts", "show", &id])?;
        ensure!(seen["title"] == title.as_str(), "round {round}: the edit did not arrive: {seen}");
    }

    let (mut version, mut list, mut idle_sync) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        version.push(timed(|| {
            let run = a.ws.run(&["--version"])?;
            ensure!(run.code == Some(0) && run.stdout.starts_with("outpost "), "--version: {run:?}");
            Ok(())
        })?);
        list.push(timed(|| a.cli(&["contacts", "list", "--limit", "1"]).map(drop))?);
        idle_sync.push(timed(|| {
            let report = b.sync(&["now"])?;
            ensure!(report["pushed"] == 0 && report["applied"] == 0, "sync with nothing to do: {report}");
            Ok(())
        })?);
    }

    println!("one edit through three CLI processes (release binaries, SQLite server store, {rows} contacts, {rounds} rounds)");
    println!("update on A + sync now on A + sync now on B    {}", percentiles(&total));
    println!("  contacts update on A                         {}", percentiles(&update));
    println!("  sync now on A (pushes the edit)              {}", percentiles(&push));
    println!("  sync now on B (pulls and applies it)         {}", percentiles(&pull));
    println!("start-up of one command");
    println!("  outpost --version                            {}", percentiles(&version));
    println!("  outpost contacts list --limit 1              {}", percentiles(&list));
    println!("  outpost sync now (nothing to do)             {}", percentiles(&idle_sync));
    Ok(())
}
