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

#[test]
fn a_database_password_is_never_printed_when_the_database_cannot_be_opened() -> Result<()> {
    // Port 1 on loopback refuses at once: the connection fails after the URL was parsed.
    for (db, password) in [
        ("postgres://outpost:hunter2-in-userinfo@127.0.0.1:1/outpost", "hunter2-in-userinfo"),
        ("postgresql://outpost@127.0.0.1:1/outpost?password=hunter2-in-query", "hunter2-in-query"),
        // Not a URL tokio-postgres understands (an unclosed IPv6 host): refused as such.
        ("postgres://outpost:hunter2-bad-url@[::1/outpost", "hunter2-bad-url"),
    ] {
        let (ok, out, err) = run(db, &["org", "create", "acme"])?;
        ensure!(!ok, "{db} opened");
        ensure!(err.contains("***"), "the message should still show which database, redacted: {err}");
        ensure!(!err.contains(password) && !out.contains(password), "the password was printed: {err}");
    }
    Ok(())
}
