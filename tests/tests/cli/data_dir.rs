//! Where data lives: `--data-dir`, `OUTPOST_DATA_DIR`, the OS default, and refusing a database
//! written by a newer Outpost.

use std::process::Command;

use anyhow::Result;
use outpost_tests::{workspace_bin, Workspace};

#[test]
fn env_var_and_flag_select_the_same_store() -> Result<()> {
    let ws = Workspace::new()?;
    ws.json(&["contacts", "add", "--first-name", "Ada"])?;
    let output = Command::new(workspace_bin("outpost")?)
        .args(["--json", "contacts", "list"])
        .env("OUTPOST_DATA_DIR", ws.data_dir())
        .output()?;
    let list: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    assert_eq!(list[0]["first_name"], "Ada");
    assert!(ws.data_dir().join("outpost.db").exists());
    Ok(())
}

#[test]
fn default_data_dir_follows_xdg() -> Result<()> {
    let home = tempfile::tempdir()?;
    let output = Command::new(workspace_bin("outpost")?)
        .args(["--json", "contacts", "add", "--first-name", "Ada"])
        .env_remove("OUTPOST_DATA_DIR")
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("xdg"))
        .output()?;
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(home.path().join("xdg/outpost/outpost.db").exists());
    Ok(())
}

#[test]
fn database_from_a_newer_outpost_is_refused() -> Result<()> {
    let ws = Workspace::new()?;
    ws.json(&["contacts", "list"])?;
    let conn = rusqlite::Connection::open(ws.data_dir().join("outpost.db"))?;
    conn.execute("INSERT INTO schema_migrations VALUES (9999, 'future', 'x', 'now')", [])?;
    drop(conn);
    let run = ws.fails(&["contacts", "list"])?;
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("newer Outpost") && run.stderr.contains("upgrade"), "{}", run.stderr);
    Ok(())
}

#[test]
fn unwritable_data_dir_is_reported() -> Result<()> {
    let file = tempfile::NamedTempFile::new()?;
    let output = Command::new(workspace_bin("outpost")?)
        .arg("--data-dir")
        .arg(file.path().join("sub"))
        .args(["contacts", "list"])
        .output()?;
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot use data directory"), "{stderr}");
    Ok(())
}
