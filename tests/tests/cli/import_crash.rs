//! Crash safety: `kill -9` an import part-way, run it again, and every row is imported exactly
//! once — the job resumes after its last committed batch.

use std::{
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{bail, Result};
use outpost_tests::{workspace_bin, Workspace};

const ROWS: usize = 60_000;

fn count(ws: &Workspace, sql: &str) -> Result<i64> {
    let conn = rusqlite::Connection::open(ws.data_dir().join("outpost.db"))?;
    Ok(conn.query_row(sql, [], |r| r.get(0))?)
}

#[test]
fn killed_import_resumes_without_duplicates_or_losses() -> Result<()> {
    let ws = Workspace::new()?;
    let dir = tempfile::tempdir()?;
    let file = dir.path().join("big.csv");
    let mut text = String::from("First Name,Last Name,Email,Company\n");
    for i in 0..ROWS {
        let first = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken"][i % 6];
        text.push_str(&format!("{first},Tester-{i},person{i}@company{}.com,Company {}\n", i % 500, i % 500));
    }
    std::fs::write(&file, text)?;

    let mut child = Command::new(workspace_bin("outpost")?)
        .arg("--data-dir")
        .arg(ws.data_dir())
        .arg("import")
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    // Wait until at least one batch is committed, then kill without warning.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if ws.data_dir().join("outpost.db").exists() {
            let committed = count(&ws, "SELECT coalesce(max(resume_row), 0) FROM import_jobs").unwrap_or(0);
            if committed > 0 {
                break;
            }
        }
        if let Some(status) = child.try_wait()? {
            bail!("the import finished ({status}) before it could be interrupted; make the file bigger");
        }
        if Instant::now() > deadline {
            bail!("no batch was committed within 120 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill()?;
    child.wait()?;
    let partial = count(&ws, "SELECT count(*) FROM contacts")?;
    assert!(partial > 0 && (partial as usize) < ROWS, "killed mid-way: {partial} of {ROWS} rows in");
    assert_eq!(count(&ws, "SELECT count(*) FROM import_jobs WHERE status = 'importing'")?, 1);

    let job = ws.json(&["import", &file.to_string_lossy()])?;
    assert_eq!(job["status"], "completed", "{job}");
    assert_eq!(job["total"], ROWS, "{job}");
    assert_eq!(job["imported"], ROWS, "{job}");
    assert_eq!(count(&ws, "SELECT count(*) FROM contacts")?, ROWS as i64);
    assert_eq!(count(&ws, "SELECT count(DISTINCT email) FROM contacts")?, ROWS as i64);
    assert_eq!(count(&ws, "SELECT count(*) FROM import_rows")?, ROWS as i64);
    assert_eq!(count(&ws, "SELECT count(*) FROM import_jobs")?, 1, "resumed, not restarted as a new job");
    Ok(())
}
