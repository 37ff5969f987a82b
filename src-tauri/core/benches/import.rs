//! Import benchmark: generates realistic lead files (duplicates, bad emails, varied phone formats)
//! and imports them into an empty store and into one already holding 100k contacts, reporting
//! rows/s, peak RSS and the ratio to `sqlite3 .import` of the same file.
//!
//! The same rows are also written as an xlsx workbook (with `rust_xlsxwriter`, shared strings as
//! Excel writes them) and imported beside the CSV, so time and peak memory compare format to
//! format; the workbook must land with the same outcome counts as the CSV.
//!
//! `cargo bench -p outpost-core --bench import` (sizes via `OUTPOST_BENCH_ROWS=100000,1000000`;
//! `OUTPOST_BENCH_FORMATS=csv` skips the workbooks; data shapes via
//! `OUTPOST_BENCH_SHAPES=unique,repeated` — nearly every e-mail and phone distinct, or 20k people
//! repeated over the rows; `OUTPOST_BENCH_SEEDED=0` skips the import into 100k contacts).
//! Each import runs in a child process (this binary re-executed with `--child`) so its peak RSS
//! (`VmHWM`) is its own.

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::atomic::AtomicBool,
    time::Instant,
};

use anyhow::{bail, Context, Result};
#[path = "common/leads.rs"]
mod leads;
use leads::generate;

/// Distinct people in the "repeated" shape.
const REPEATED_PEOPLE: usize = 20_000;
use outpost_core::{
    import::jobs::{self, ImportRequest},
    Ctx,
};

/// Writes the rows of the CSV `csv` into an xlsx workbook at `xlsx`, every cell as text (as in
/// the CSV), with a title row above the header as exports often have. The sheet is written in
/// rust_xlsxwriter's low-memory mode (rows streamed to disk, strings shared as Excel does).
fn csv_to_xlsx(csv_path: &Path, xlsx: &Path) -> Result<()> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet_with_low_memory()?;
    sheet.set_name("Leads")?;
    sheet.write_string(0, 0, "Lead export")?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_path(csv_path)?;
    for (i, record) in reader.records().enumerate() {
        let record = record?;
        let row = u32::try_from(i + 2)?;
        for (col, value) in record.iter().enumerate() {
            if !value.is_empty() {
                sheet.write_string(row, u16::try_from(col)?, value)?;
            }
        }
    }
    workbook.save(xlsx)?;
    Ok(())
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// Child mode: import `file` into `data_dir`, print `seconds rows peak_kib`.
fn child(data_dir: &Path, file: &Path) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let ctx = Ctx::open(data_dir)?;
    let started = Instant::now();
    let req = ImportRequest { path: file.to_path_buf(), force: true, ..Default::default() };
    let job = runtime.block_on(jobs::import_file(&ctx, req, &|_| {}, &AtomicBool::new(false)))?;
    println!("{} {} {} {} {}", started.elapsed().as_secs_f64(), job.total, job.imported, job.failed, peak_rss_kib());
    Ok(())
}

struct Run {
    seconds: f64,
    rows: u64,
    imported: u64,
    failed: u64,
    peak_mib: f64,
}

fn run_child(data_dir: &Path, file: &Path) -> Result<Run> {
    let out = Command::new(std::env::current_exe()?).arg("--child").arg(data_dir).arg(file).output()?;
    if !out.status.success() {
        bail!("import child failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let text = String::from_utf8(out.stdout)?;
    let v: Vec<f64> = text.split_whitespace().map(|x| x.parse().unwrap_or(0.0)).collect();
    let [seconds, rows, imported, failed, kib] = v[..] else { bail!("unexpected child output {text:?}") };
    Ok(Run { seconds, rows: rows as u64, imported: imported as u64, failed: failed as u64, peak_mib: kib / 1024.0 })
}

fn sqlite_baseline(file: &Path) -> Result<f64> {
    let started = Instant::now();
    let status = Command::new("sqlite3")
        .args([":memory:", "-cmd", ".mode csv", &format!(".import {} t", file.display())])
        .status()
        .context("run sqlite3 (apt-get install sqlite3)")?;
    if !status.success() {
        bail!("sqlite3 .import failed");
    }
    Ok(started.elapsed().as_secs_f64())
}

fn report_workbook(label: &str, run: &Run, csv: &Run) -> Result<()> {
    println!(
        "{label:<38} {:>8} rows  {:>7.2} s  {:>9.0} rows/s  peak RSS {:>6.1} MiB  imported {:>8}  failed {:>6}  {:>5.2}x the CSV's time",
        run.rows,
        run.seconds,
        run.rows as f64 / run.seconds,
        run.peak_mib,
        run.imported,
        run.failed,
        run.seconds / csv.seconds,
    );
    if (run.rows, run.imported, run.failed) != (csv.rows, csv.imported, csv.failed) {
        bail!("the workbook landed differently from its CSV twin");
    }
    Ok(())
}

fn report(label: &str, run: &Run, baseline: f64) {
    println!(
        "{label:<38} {:>8} rows  {:>7.2} s  {:>9.0} rows/s  peak RSS {:>6.1} MiB  imported {:>8}  failed {:>6}  {:>5.1}x sqlite3 .import ({baseline:.2} s)",
        run.rows,
        run.seconds,
        run.rows as f64 / run.seconds,
        run.peak_mib,
        run.imported,
        run.failed,
        run.seconds / baseline,
    );
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        return child(Path::new(&args[2]), Path::new(&args[3]));
    }
    // `--open FILE`: only open the file as an import does (sheet chosen, sample rows read) and
    // print the peak RSS, to see what opening alone holds (a workbook's shared strings).
    if args.get(1).map(String::as_str) == Some("--open") {
        let file = args.get(2).ok_or_else(|| anyhow::anyhow!("usage: --open FILE"))?;
        let source = outpost_core::import::source::open_source(Path::new(file), None, &|_| None)?;
        let sample = source.sample_rows(2_000).len();
        println!("{} {sample}", peak_rss_kib());
        return Ok(());
    }
    // `--generate ROWS FILE`: only write a lead file (for profiling an import by hand).
    if args.get(1).map(String::as_str) == Some("--generate") {
        let rows =
            args.get(2).and_then(|r| r.parse().ok()).ok_or_else(|| anyhow::anyhow!("usage: --generate ROWS FILE"))?;
        let file = args.get(3).ok_or_else(|| anyhow::anyhow!("usage: --generate ROWS FILE"))?;
        return generate(Path::new(file), rows, 42, 0, usize::MAX);
    }
    let workbooks = std::env::var("OUTPOST_BENCH_FORMATS").map_or(true, |f| f.split(',').any(|f| f.trim() == "xlsx"));
    let sizes: Vec<usize> = std::env::var("OUTPOST_BENCH_ROWS")
        .unwrap_or_else(|_| "100000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let work = tempfile::tempdir()?;
    let seeded: PathBuf = work.path().join("seeded");
    let seed_file = work.path().join("existing-100k.csv");
    generate(&seed_file, 100_000, 7, 10_000_000, usize::MAX)?;
    run_child(&seeded, &seed_file)?;
    println!("import benchmark (release build, {} cores)", std::thread::available_parallelism().map_or(1, |n| n.get()));
    let shapes: Vec<String> = std::env::var("OUTPOST_BENCH_SHAPES")
        .unwrap_or_else(|_| "unique,repeated".into())
        .split(',')
        .map(|s| s.trim().to_owned())
        .collect();
    let seeded_runs = std::env::var("OUTPOST_BENCH_SEEDED").map_or(true, |v| v != "0");
    for rows in sizes {
        for shape in &shapes {
            let people = match shape.as_str() {
                "unique" => usize::MAX,
                "repeated" => REPEATED_PEOPLE,
                other => bail!("OUTPOST_BENCH_SHAPES: unknown shape '{other}' (accepted: unique, repeated)"),
            };
            let file = work.path().join(format!("leads-{rows}-{shape}.csv"));
            generate(&file, rows, 42, 0, people)?;
            let size_mb = std::fs::metadata(&file)?.len() as f64 / 1e6;
            let baseline = sqlite_baseline(&file)?;
            let empty = run_child(&work.path().join(format!("empty-{rows}-{shape}")), &file)?;
            report(&format!("{rows} {shape} rows ({size_mb:.0} MB) into empty DB"), &empty, baseline);
            if seeded_runs && shape == "unique" {
                let copy = work.path().join(format!("seeded-{rows}"));
                std::fs::create_dir_all(&copy)?;
                let conn = rusqlite::Connection::open(seeded.join("outpost.db"))?;
                conn.execute("VACUUM INTO ?1", [copy.join("outpost.db").to_string_lossy()])?;
                let existing = run_child(&copy, &file)?;
                report(&format!("{rows} {shape} rows into DB with 100k contacts"), &existing, baseline);
            }
            if workbooks {
                let xlsx = work.path().join(format!("leads-{rows}-{shape}.xlsx"));
                csv_to_xlsx(&file, &xlsx)?;
                let xlsx_mb = std::fs::metadata(&xlsx)?.len() as f64 / 1e6;
                let run = run_child(&work.path().join(format!("empty-xlsx-{rows}-{shape}")), &xlsx)?;
                report_workbook(&format!("{rows} {shape} rows ({xlsx_mb:.0} MB xlsx) into empty DB"), &run, &empty)?;
                let open = Command::new(std::env::current_exe()?).arg("--open").arg(&xlsx).output()?;
                let kib: f64 = String::from_utf8_lossy(&open.stdout)
                    .split_whitespace()
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0.0);
                println!(
                    "{:<38} opening alone (sheet chosen, sample rows read): peak RSS {:>6.1} MiB",
                    "",
                    kib / 1024.0
                );
            }
        }
    }
    Ok(())
}
