//! End-to-end sync benchmark through the real binaries (release build): a device imports a lead
//! list, pushes it (its CRDT documents are built at this first push), and a NEW device of the same
//! rep pulls the whole workspace and materialises every row; then one edit travels A → server → B
//! with `sync now` on each side; then both devices go offline and each changes a different field
//! of the same 10k contacts (an `--mode update` import of a 10k-row list on each), and the time
//! until both hold both edits is measured: A pushes, B pushes and pulls, A pulls. This is the path
//! a rep's second laptop takes, unlike `sync-bench`, which measures the sync crate without the
//! local store.
//!
//! ```text
//! cargo build --release -p outpost-core -p outpost-server --bins
//! OUTPOST_BENCH_CONTACTS=100000 cargo bench -p outpost-tests --bench initial_sync
//! ```

// The throwaway server and CLI devices of the sync end-to-end tests, shared rather than copied; the
// benchmark uses only part of that module.
#[allow(dead_code)]
#[path = "../tests/sync/support.rs"]
mod support;

use std::{fmt::Write as _, time::Instant};

use anyhow::{ensure, Context, Result};
use support::Server;

/// An update list for the first `rows` people setting one more column (`header`) to `value(i)`.
fn edits(rows: usize, header: &str, value: impl Fn(usize) -> String) -> String {
    let mut csv = format!("Email,{header}\n");
    for i in 0..rows {
        let company = i / 25;
        let _ = writeln!(csv, "person{i}@company{company}.example,{}", value(i));
    }
    csv
}

fn seconds(start: Instant) -> f64 {
    start.elapsed().as_secs_f64()
}

/// CPU seconds (user + system) from a `/proc/PID/stat` line: fields 14–15 are the process's own,
/// 16–17 its waited-for children's, in USER_HZ ticks (100 per second on Linux).
fn cpu_from_stat(pid: &str, children: bool) -> Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let fields: Vec<&str> = stat.rsplit_once(')').context("a /proc stat line")?.1.split_whitespace().collect();
    let at = if children { 13 } else { 11 };
    let ticks: u64 = fields[at].parse::<u64>()? + fields[at + 1].parse::<u64>()?;
    Ok(ticks as f64 / 100.0)
}

/// CPU seconds used so far by the server and (together) by the finished CLI runs: a step's split
/// shows whether devices or server bound it, and holds still when other work loads the machine.
fn cpu(server: &Server) -> Result<(f64, f64)> {
    Ok((cpu_from_stat("self", true)?, cpu_from_stat(&server.pid().to_string(), false)?))
}

/// The server's resident memory in MiB (`VmRSS` of `/proc/PID/status`).
fn server_rss_mib(server: &Server) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid()))?;
    let kib = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<u64>().ok())
        .context("VmRSS in /proc/PID/status")?;
    Ok(kib / 1024)
}

/// `devices X s, server Y s` of CPU between two [`cpu`] readings.
fn cpu_split(before: (f64, f64), after: (f64, f64)) -> String {
    format!("CPU: devices {:.2} s, server {:.2} s", after.0 - before.0, after.1 - before.1)
}

fn count(value: &serde_json::Value, key: &str) -> u64 {
    value[key].as_u64().unwrap_or(0)
}

fn main() -> Result<()> {
    let rows: usize = std::env::var("OUTPOST_BENCH_CONTACTS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    // Maintenance as deployed (`serve --compact-every-secs` defaults to 60), not the tests' 1 s:
    // each run scans every document, which the tests' interval would add ~40 times to the figures.
    let server = Server::start_with_maintenance_every(60)?;
    let files = tempfile::tempdir()?;
    let csv = files.path().join("leads.csv");
    std::fs::write(&csv, outpost_tests::bench_leads(rows))?;
    let csv = csv.to_string_lossy().to_string();

    let a = server.device()?;
    let start = Instant::now();
    let job = a.cli(&["import", &csv])?;
    let import = seconds(start);
    ensure!(count(&job, "imported") == rows as u64, "import: {job}");

    let (start, cpu_before) = (Instant::now(), cpu(&server)?);
    let pushed = a.sync(&["now"])?;
    let first_push = seconds(start);
    let first_push_cpu = cpu_split(cpu_before, cpu(&server)?);
    let first_push_rss = server_rss_mib(&server)?;

    let b = server.device()?;
    let (start, cpu_before) = (Instant::now(), cpu(&server)?);
    let pulled = b.sync(&["now"])?;
    let initial = seconds(start);
    let initial_cpu = cpu_split(cpu_before, cpu(&server)?);
    let newest = b.cli(&["contacts", "list", "--limit", "1", "--search", &format!("person{}", rows - 1)])?;
    ensure!(newest.as_array().is_some_and(|a| a.len() == 1), "device B misses the last contact: {newest}");

    let id = newest[0]["id"].as_str().context("contact id")?.to_string();
    let start = Instant::now();
    a.cli(&["contacts", "update", &id, "--title", "Chief Benchmark Officer"])?;
    let edit_update = seconds(start);
    a.sync(&["now"])?;
    let edit_push = seconds(start) - edit_update;
    b.sync(&["now"])?;
    let one_edit = seconds(start);
    let edit_pull = one_edit - edit_update - edit_push;
    let seen = b.cli(&["contacts", "show", &id])?;
    ensure!(seen["title"] == "Chief Benchmark Officer", "the edit did not arrive: {seen}");

    // Offline: A retitles and B re-sources the same contacts, one update import each.
    let edited: usize = rows.min(10_000);
    let (a_list, b_list) = (files.path().join("titles.csv"), files.path().join("sources.csv"));
    std::fs::write(&a_list, edits(edited, "Job Title", |i| format!("Title A-{i}")))?;
    std::fs::write(&b_list, edits(edited, "Lead Source", |i| format!("Source B-{i}")))?;
    // Offline, each import also builds the changed records' sync documents before it finishes
    // (`import-document-max`), as every other edit does in its own write; timed, not hidden.
    let mut offline = Vec::new();
    for (device, list) in [(&a, &a_list), (&b, &b_list)] {
        let start = Instant::now();
        let job = device.cli(&["import", &list.to_string_lossy(), "--mode", "update"])?;
        offline.push(seconds(start));
        ensure!(count(&job, "updated") == edited as u64, "offline edits: {job}");
    }
    let (start, cpu_before) = (Instant::now(), cpu(&server)?);
    let a_push = a.sync(&["now"])?;
    let a_push_s = seconds(start);
    let a_push_cpu = cpu_split(cpu_before, cpu(&server)?);
    let b_both = b.sync(&["now"])?;
    let b_both_s = seconds(start) - a_push_s;
    let a_pull = a.sync(&["now"])?;
    let converge = seconds(start);
    let converge_cpu = cpu_split(cpu_before, cpu(&server)?);
    let a_pull_s = converge - a_push_s - b_both_s;
    for i in [0, edited / 2, edited - 1] {
        let email = format!("person{i}@company{}.example", i / 25);
        for device in [&a, &b] {
            let found = device.cli(&["contacts", "list", "--limit", "1", "--search", &email])?;
            let (title, source) = (&found[0]["title"], &found[0]["lead_source"]);
            ensure!(
                *title == format!("Title A-{i}") && *source == format!("Source B-{i}"),
                "{email} did not converge: title {title}, lead source {source}"
            );
        }
    }

    println!("end-to-end sync benchmark (release CLIs, SQLite server store, {rows} contacts)");
    println!("import on device A                      {import:>8.2} s");
    println!(
        "first push from A (documents built)     {first_push:>8.2} s  ({} pushed, {} own pulled back; {first_push_cpu}; \
         server RSS {first_push_rss} MiB)",
        count(&pushed, "pushed"),
        count(&pushed, "pulled")
    );
    println!(
        "initial sync of a new device B          {initial:>8.2} s  ({} pulled, {} applied; {initial_cpu})",
        count(&pulled, "pulled"),
        count(&pulled, "applied")
    );
    println!(
        "one edit A → server → B (3 CLI runs)    {one_edit:>8.2} s  (update {:.1} ms, sync A {:.1} ms, sync B {:.1} ms; \
         `cli_round_trip` repeats it)",
        edit_update * 1e3,
        edit_push * 1e3,
        edit_pull * 1e3
    );
    println!(
        "offline update imports (A, B)           {:>8.2} s, {:.2} s (documents built at the end of each)",
        offline[0], offline[1]
    );
    println!(
        "{edited} offline edits on each of A and B   {converge:>8.2} s to converge: A pushed {} in {a_push_s:.2} s, \
         B pushed {} and applied {} in {b_both_s:.2} s, A applied {} in {a_pull_s:.2} s",
        count(&a_push, "pushed"),
        count(&b_both, "pushed"),
        count(&b_both, "applied"),
        count(&a_pull, "applied")
    );
    println!("  A's push {a_push_cpu}; whole convergence {converge_cpu}");
    Ok(())
}
