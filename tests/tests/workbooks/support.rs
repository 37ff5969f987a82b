//! Shared helpers of the workbook tests: fixture paths, previews through the CLI, and the
//! imported records read straight from a workspace's SQLite file, field by field.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use outpost_tests::{fixture, Workspace};
use serde_json::Value;

/// A workbook fixture.
pub fn workbook(name: &str) -> PathBuf {
    fixture(&format!("workbooks/{name}"))
}

/// `outpost --json import FILE --preview --type contacts ARGS…`. Most cell fixtures are not
/// lead lists (dates, temperatures, booleans), which the importer refuses up front by their
/// headers; these tests are about how cells read, so the record type is given.
pub fn preview(ws: &Workspace, file: &Path, extra: &[&str]) -> Result<Value> {
    let path = file.to_str().context("utf-8 path")?;
    let mut args = vec!["import", path, "--preview", "--type", "contacts"];
    args.extend_from_slice(extra);
    ws.json(&args)
}

/// The previewed rows' cells.
pub fn cells(preview: &Value) -> Vec<Vec<String>> {
    preview["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|r| {
                    r["fields"]
                        .as_array()
                        .map(|f| f.iter().map(|v| v.as_str().unwrap_or_default().to_owned()).collect())
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Every contact with its company, as comparable text rows (no ids or timestamps), sorted.
pub fn records(ws: &Workspace) -> Result<Vec<Vec<Option<String>>>> {
    let conn = rusqlite::Connection::open(ws.data_dir().join("outpost.db"))?;
    let mut stmt = conn.prepare(
        "SELECT c.first_name, c.last_name, c.email, c.phone, c.phone_e164, c.title, c.lead_source, c.notes,
                c.custom_fields, co.name, co.domain
         FROM contacts c LEFT JOIN companies co ON co.id = c.company_id",
    )?;
    let mut rows = stmt
        .query_map([], |r| (0..11).map(|i| r.get::<_, Option<String>>(i)).collect::<rusqlite::Result<Vec<_>>>())?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.sort();
    Ok(rows)
}

/// Every row outcome of every import job (row, outcome, message with record ids blanked).
pub fn outcomes(ws: &Workspace) -> Result<Vec<(i64, String, String)>> {
    let conn = rusqlite::Connection::open(ws.data_dir().join("outpost.db"))?;
    let mut stmt = conn.prepare("SELECT row, outcome, coalesce(message, '') FROM import_rows ORDER BY job_id, row")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows.into_iter().map(|(row, outcome, message)| (row, outcome, blank_ids(&message))).collect())
}

/// Replaces UUID-looking words (record ids) so messages of two workspaces compare.
fn blank_ids(message: &str) -> String {
    message
        .split(' ')
        .map(|w| if w.len() >= 36 && w.chars().filter(|c| *c == '-').count() == 4 { "<id>" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Requires a failed CLI run whose error names `needles` (case-insensitive) and changed nothing.
pub fn refused(ws: &Workspace, file: &Path, needles: &[&str]) -> Result<String> {
    let path = file.to_str().context("utf-8 path")?;
    let run = ws.fails(&["import", path])?;
    let text = run.stderr.to_lowercase();
    for needle in needles {
        if !text.contains(&needle.to_lowercase()) {
            bail!("{} error should mention '{needle}': {}", file.display(), run.stderr);
        }
    }
    if run.code != Some(3) {
        bail!("{} should exit 3 (invalid input), exited {:?}: {}", file.display(), run.code, run.stderr);
    }
    if ws.json(&["imports", "list"])? != serde_json::json!([]) {
        bail!("a refused workbook must not create an import job");
    }
    Ok(run.stderr)
}

/// `outpost watch add FOLDER --settle-ms 0 ARGS…`.
pub fn watch_folder(ws: &Workspace, folder: &Path, extra: &[&str]) -> Result<Value> {
    let folder = folder.to_str().context("utf-8 temp path")?;
    let mut args = vec!["watch", "add", folder, "--settle-ms", "0"];
    args.extend_from_slice(extra);
    ws.json(&args)
}

/// `outpost --json watch run --once`: one event per handled file.
pub fn watch_once(ws: &Workspace) -> Result<Vec<Value>> {
    let output = ws.command().args(["--json", "watch", "run", "--once"]).output()?;
    if !output.status.success() {
        bail!("watch run --once exited {:?}: {}", output.status.code(), String::from_utf8_lossy(&output.stderr));
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).with_context(|| format!("event line is not JSON: {l}")))
        .collect()
}
