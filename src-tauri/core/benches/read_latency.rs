//! Read latency under a long write: while a 1M-row CSV import runs, the pipeline board and the
//! contacts list (what the open screens read) are timed every 50 ms on another thread of the same
//! process, as the desktop app does, and p50 / p95 / max are reported, together with the import's
//! own time.
//!
//! It runs twice on the same file: once with `OUTPOST_DB_READERS=0` (every read shares the one
//! writer connection and waits behind the import's transactions, as before the reader pool) and
//! once with the reader pool. The goal is a p95 under 100 ms with the pool.
//!
//! `cargo bench -p outpost-core --bench read_latency` (rows via `OUTPOST_BENCH_ROWS`, default
//! 1000000). Each run is a child process (this binary re-executed with `--child`) so the reader
//! setting is read at open as in the app.

use std::{
    path::Path,
    process::Command,
    sync::atomic::{AtomicBool, Ordering},
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};
#[path = "common/leads.rs"]
mod leads;
use outpost_core::{
    crm::board,
    crm::contacts,
    crm::deals,
    crm::pipeline,
    import::jobs::{self, ImportRequest},
    store::search::ListQuery,
    Ctx,
};

/// How often the screens read while the import runs.
const EVERY: Duration = Duration::from_millis(50);

/// A few hundred deals across the default pipeline, so the board has something to total.
fn seed_deals(ctx: &Ctx) -> Result<()> {
    let stages = pipeline::stages(ctx)?;
    for i in 0..300 {
        let stage = &stages[i % stages.len()];
        let deal = deals::NewDeal {
            title: format!("Deal {i}"),
            value: Some(1_000.0 + i as f64),
            stage: Some(stage.name.clone()),
            company: Some(format!("Company {}", i % 40)),
            ..Default::default()
        };
        deals::add(ctx, deal)?;
    }
    Ok(())
}

/// Percentiles of the samples in milliseconds: (count, p50, p95, max).
fn summary(samples: &mut [Duration]) -> (usize, f64, f64, f64) {
    samples.sort();
    let at = |q: f64| samples.get(((samples.len() as f64 * q).ceil() as usize).saturating_sub(1)).copied();
    let ms = |d: Option<Duration>| d.map_or(f64::NAN, |d| d.as_secs_f64() * 1e3);
    (samples.len(), ms(at(0.50)), ms(at(0.95)), ms(samples.last().copied()))
}

/// Child mode: seed deals, start the import of `file` on a second thread and time the reads on
/// this one until it ends. Prints one line per read kind and one for the import.
fn child(data_dir: &Path, file: &Path) -> Result<()> {
    let ctx = Ctx::open(data_dir)?;
    seed_deals(&ctx)?;
    let done = AtomicBool::new(false);
    let (mut board, mut list) = (Vec::new(), Vec::new());
    let imported = std::thread::scope(|scope| -> Result<_> {
        let import = scope.spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            let started = Instant::now();
            let req = ImportRequest { path: file.to_path_buf(), force: true, ..Default::default() };
            let job = runtime.block_on(jobs::import_file(&ctx, req, &|_| {}, &AtomicBool::new(false)));
            done.store(true, Ordering::Relaxed);
            anyhow::Ok((job?, started.elapsed()))
        });
        while !done.load(Ordering::Relaxed) {
            let next = Instant::now() + EVERY;
            let started = Instant::now();
            let columns = board::board(&ctx)?;
            board.push(started.elapsed());
            let started = Instant::now();
            let rows = contacts::list(&ctx, ListQuery::default())?;
            list.push(started.elapsed());
            if columns.stages.is_empty() || rows.len() > 100 {
                bail!("unexpected read result");
            }
            // Pacing only (the screens read now and then, not in a tight loop).
            std::thread::sleep(next.saturating_duration_since(Instant::now()));
        }
        import.join().map_err(|_| anyhow::anyhow!("import thread panicked"))?
    })?;
    let (job, took) = imported;
    for (name, samples) in [("board", &mut board), ("contacts list", &mut list)] {
        let (n, p50, p95, max) = summary(samples);
        println!("{name}\t{n}\t{p50:.1}\t{p95:.1}\t{max:.1}");
    }
    println!("import\t{}\t{:.2}\t{}", job.total, took.as_secs_f64(), job.imported);
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        return child(Path::new(&args[2]), Path::new(&args[3]));
    }
    let rows: usize = std::env::var("OUTPOST_BENCH_ROWS")
        .ok()
        .and_then(|r| r.split(',').next_back().and_then(|r| r.trim().parse().ok()))
        .unwrap_or(1_000_000);
    let work = tempfile::tempdir()?;
    let file = work.path().join(format!("leads-{rows}.csv"));
    leads::generate(&file, rows, 42, 0, usize::MAX)?;
    let size_mb = std::fs::metadata(&file)?.len() as f64 / 1e6;
    println!(
        "read latency while importing {rows} rows ({size_mb:.0} MB), reads every {} ms ({} build, {} cores)",
        EVERY.as_millis(),
        if cfg!(debug_assertions) { "debug" } else { "release" },
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!("{:<34} {:<14} {:>7} {:>9} {:>9} {:>9}", "connections", "read", "samples", "p50 ms", "p95 ms", "max ms");
    for (label, readers) in [("one shared connection (readers=0)", "0"), ("writer + reader pool", "4")] {
        let out = Command::new(std::env::current_exe()?)
            .arg("--child")
            .arg(work.path().join(format!("readers-{readers}")))
            .arg(&file)
            .env("OUTPOST_DB_READERS", readers)
            .output()
            .context("run the bench child")?;
        if !out.status.success() {
            bail!("bench child failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        for line in String::from_utf8(out.stdout)?.lines() {
            let v: Vec<&str> = line.split('\t').collect();
            match v[..] {
                ["import", total, seconds, imported] => {
                    println!("{label:<34} import: {total} rows, {imported} imported in {seconds} s");
                }
                [read, n, p50, p95, max] => println!("{label:<34} {read:<14} {n:>7} {p50:>9} {p95:>9} {max:>9}"),
                _ => bail!("unexpected child output {line:?}"),
            }
        }
    }
    Ok(())
}
