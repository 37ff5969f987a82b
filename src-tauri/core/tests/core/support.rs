//! Shared fixtures: a fresh data directory with an opened context.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use outpost_core::{store::clock::ManualClock, Ctx};

/// A context on a new temporary data dir with a clock frozen at 2026-11-24 09:00 UTC.
pub struct Fixture {
    pub ctx: Ctx,
    pub clock: Arc<ManualClock>,
    pub dir: tempfile::TempDir,
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).single().expect("valid time")));
    let ctx = Ctx::open_with_clock(dir.path(), clock.clone()).expect("open store");
    Fixture { ctx, clock, dir }
}

/// Row count of a table, read through a second connection to the same file.
pub fn count(dir: &std::path::Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(dir.join("outpost.db")).expect("open db");
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).expect("count")
}

/// `tests/fixtures/ics/<name>` at the repository root.
pub fn ics(name: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/ics").join(name)
}

/// Writes a setting through a second connection to the same file (as another process would).
pub fn set_setting(dir: &std::path::Path, key: &str, value: &str) {
    let conn = rusqlite::Connection::open(dir.join("outpost.db")).expect("open db");
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )
    .expect("set setting");
}

/// A UTC instant.
pub fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).single().expect("valid time")
}
