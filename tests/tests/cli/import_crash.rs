//! "Kill at any point and run it again": the real `outpost import` is killed with SIGKILL at many
//! seeded random points, run again (and killed again) until it completes, and must end with
//! exactly the records, row outcomes and summary of an uninterrupted import of the same file.
//!
//! Kill points are chosen by waiting on observable progress, never on elapsed time: either "the
//! job has committed N rows" (`import_jobs.resume_row`), or "the process has written B bytes"
//! (`wchar` in `/proc/PID/io`, which lands anywhere inside a chunk's transaction).
//! `OUTPOST_IMPORT_SEED` replays a seed (printed; default [`DEFAULT_SEED`]);
//! `OUTPOST_IMPORT_KILLS` sets how many kill points (default 6).

use std::{
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};
use outpost_tests::{workspace_bin, Workspace};

const ROWS: usize = 25_000;
const DEFAULT_SEED: u64 = 18;
const KILLS_PER_WORKSPACE: usize = 3;

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % n.max(1)
    }
}

/// A lead file with duplicates (skipped), rows that name nobody (failed: an invalid email and
/// nothing else) and invalid emails next to a name (imported with a warning) spread through it.
fn lead_file(path: &Path) -> Result<()> {
    let mut text = String::from("First Name,Last Name,Email,Phone,Company\n");
    for i in 0..ROWS {
        if i % 211 == 210 {
            text.push_str(&format!(",,not-an-email,,Company {}\n", i % 400));
            continue;
        }
        let first = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken"][i % 6];
        let email = match i {
            i if i % 97 == 96 => "not-an-email".to_owned(),
            i if i % 89 == 88 => format!("person{}@company{}.com", i - 50, (i - 50) % 400),
            i => format!("person{i}@company{}.com", i % 400),
        };
        text.push_str(&format!("{first},Tester-{i},{email},+44 20 7946 {:04},Company {}\n", i % 10_000, i % 400));
    }
    std::fs::write(path, text)?;
    Ok(())
}

fn query(db: &Path, sql: &str) -> Result<Vec<String>> {
    let conn = rusqlite::Connection::open(db)?;
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What an import leaves behind, without ids and timestamps: every contact and company, the
/// outcome of every row, the job's summary, and the search index's size.
fn outcome(ws: &Workspace) -> Result<Vec<Vec<String>>> {
    let db = ws.data_dir().join("outpost.db");
    Ok(vec![
        query(
            &db,
            "SELECT concat_ws('|', c.first_name, c.last_name, c.email, c.phone_e164, co.name)
               FROM contacts c LEFT JOIN companies co ON co.id = c.company_id ORDER BY 1",
        )?,
        query(&db, "SELECT concat_ws('|', name, domain) FROM companies ORDER BY 1")?,
        query(
            &db,
            "SELECT concat_ws('|', r.row, r.outcome, r.record_type, r.message,
                    (SELECT email FROM contacts WHERE id = r.record_id)) FROM import_rows r ORDER BY r.row",
        )?,
        query(
            &db,
            "SELECT concat_ws('|', status, total, imported, updated, skipped, failed, resume_row) FROM import_jobs",
        )?,
        query(&db, "SELECT count(*) || ' indexed' FROM contacts_fts")?,
    ])
}

fn start_import(ws: &Workspace, file: &Path) -> Result<Child> {
    Ok(Command::new(workspace_bin("outpost")?)
        .arg("--data-dir")
        .arg(ws.data_dir())
        .arg("import")
        .arg(file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?)
}

/// Bytes the process has written so far (`wchar` of `/proc/PID/io`).
fn written(child: &Child) -> Result<u64> {
    let io = std::fs::read_to_string(format!("/proc/{}/io", child.id())).context("read /proc/PID/io")?;
    io.lines()
        .find_map(|l| l.strip_prefix("wchar: "))
        .and_then(|v| v.trim().parse().ok())
        .context("no wchar in /proc/PID/io")
}

fn committed_rows(ws: &Workspace) -> u64 {
    let db = ws.data_dir().join("outpost.db");
    query(&db, "SELECT CAST(coalesce(max(resume_row), 0) AS TEXT) FROM import_jobs")
        .ok()
        .and_then(|v| v.first().and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

#[derive(Debug, Clone, Copy)]
enum KillPoint {
    /// Once the job has committed at least this many rows.
    Committed(u64),
    /// Once the process has written at least this many bytes.
    Written(u64),
}

/// Polls the kill point every millisecond (the progress it watches moves fast), then SIGKILLs.
/// Returns false if the import finished first.
fn kill_at(ws: &Workspace, mut child: Child, point: KillPoint) -> Result<bool> {
    let deadline = Instant::now() + Duration::from_secs(300);
    let reached = loop {
        if child.try_wait()?.is_some() {
            break false;
        }
        let reached = match point {
            KillPoint::Committed(rows) => committed_rows(ws) >= rows,
            KillPoint::Written(bytes) => written(&child).unwrap_or(0) >= bytes,
        };
        if reached {
            break true;
        }
        if Instant::now() > deadline {
            bail!("kill point {point:?} not reached within 300 s");
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    child.kill().context("SIGKILL the import")?;
    child.wait()?;
    Ok(reached)
}

#[test]
fn import_killed_at_random_points_ends_with_exactly_the_records_of_an_uninterrupted_run() -> Result<()> {
    let seed = std::env::var("OUTPOST_IMPORT_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_SEED);
    let kills: usize = std::env::var("OUTPOST_IMPORT_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(6);
    println!("import crash: seed {seed}, {kills} kill points (replay with OUTPOST_IMPORT_SEED={seed})");
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("leads.csv");
    lead_file(&file)?;

    let reference = Workspace::new()?;
    let job = reference.json(&["import", &file.to_string_lossy()])?;
    assert_eq!((job["status"].as_str(), job["total"].as_u64()), (Some("completed"), Some(ROWS as u64)), "{job}");
    assert!(job["skipped"].as_u64() > Some(0) && job["failed"].as_u64() > Some(0), "the file exercises dedup: {job}");
    let expected = outcome(&reference)?;
    let written_total = std::fs::metadata(reference.data_dir().join("outpost.db"))?.len();

    let mut left = kills;
    let mut interrupted = 0;
    while left > 0 {
        let ws = Workspace::new()?;
        for _ in 0..KILLS_PER_WORKSPACE.min(left) {
            let before = committed_rows(&ws);
            if before >= ROWS as u64 {
                break;
            }
            left -= 1;
            // Alternate the two kinds of progress; the amount is random.
            let point = if left % 2 == 0 {
                KillPoint::Committed(before + 1 + rng.below(ROWS as u64 - before - 1))
            } else {
                KillPoint::Written(1 + rng.below(written_total))
            };
            let child = start_import(&ws, &file)?;
            let killed = kill_at(&ws, child, point)?;
            println!(
                "  kill point {point:?}: resumed from row {before}, killed: {killed}, committed after: {}",
                committed_rows(&ws)
            );
            interrupted += usize::from(killed);
            if !killed {
                break;
            }
        }
        let done = query(&ws.data_dir().join("outpost.db"), "SELECT status FROM import_jobs").unwrap_or_default();
        if done != ["completed"] {
            let job = ws.json(&["import", &file.to_string_lossy()])?;
            assert_eq!(job["status"], "completed", "{job}");
        }
        let got = outcome(&ws)?;
        for (what, (mine, theirs)) in
            ["contacts", "companies", "row outcomes", "job", "search index"].iter().zip(got.iter().zip(&expected))
        {
            if mine != theirs {
                let extra: Vec<_> = mine.iter().filter(|r| !theirs.contains(r)).take(5).collect();
                let lost: Vec<_> = theirs.iter().filter(|r| !mine.contains(r)).take(5).collect();
                bail!("seed {seed}: {what} differ from an uninterrupted import ({} vs {} rows); extra {extra:?}, lost {lost:?}", mine.len(), theirs.len());
            }
        }
        let jobs = query(&ws.data_dir().join("outpost.db"), "SELECT id FROM import_jobs")?;
        assert_eq!(jobs.len(), 1, "resumed, not restarted as a new job");
    }
    assert!(interrupted * 2 >= kills, "seed {seed}: only {interrupted} of {kills} kill points interrupted the import");
    Ok(())
}
