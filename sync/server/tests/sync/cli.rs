//! The `outpost-server` binary's admin commands on a SQLite file: org, user, device token
//! (printed once, stored hashed), revoke, with JSON output and clear errors.

use std::process::Command;

use anyhow::{ensure, Context, Result};

fn run(db: &str, args: &[&str]) -> Result<(bool, String, String)> {
    let out = Command::new(env!("CARGO_BIN_EXE_outpost-server"))
        .args(["--db", db, "--json"])
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .context("run outpost-server")?;
    Ok((out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into()))
}

#[test]
fn admin_commands_work_and_tokens_are_stored_hashed() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("cli.db");
    let db = format!("sqlite:{}", path.display());
    ensure!(run(&db, &["org", "create", "acme"])?.0, "org create");
    let (ok, _, err) = run(&db, &["org", "create", "acme"])?;
    ensure!(!ok && err.contains("already exists"), "duplicate org: {err}");
    ensure!(run(&db, &["user", "add", "--org", "acme", "--email", "Ann@Acme.test", "--role", "rep"])?.0, "user add");
    let (ok, _, err) = run(&db, &["user", "add", "--org", "acme", "--email", "x@y", "--role", "boss"])?;
    ensure!(!ok && err.contains("rep, manager or admin"), "bad role: {err}");
    let (ok, out, err) = run(&db, &["device-token", "--email", "ann@acme.test"])?;
    ensure!(ok, "device-token: {err}");
    let v: serde_json::Value = serde_json::from_str(out.trim())?;
    let token = v["token"].as_str().context("token")?.to_string();
    ensure!(token.starts_with("opd_"), "token {token}");
    let raw = std::fs::read(&path)?;
    ensure!(!raw.windows(token.len()).any(|w| w == token.as_bytes()), "the token is stored in clear");
    ensure!(run(&db, &["device-token", "revoke", &token])?.0, "revoke");
    let (ok, _, err) = run(&db, &["device-token", "revoke", &token])?;
    ensure!(!ok && err.contains("no active device"), "second revoke: {err}");
    Ok(())
}
