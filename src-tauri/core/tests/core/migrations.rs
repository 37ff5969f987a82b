//! Migrations: up from empty, refusal of newer databases and of edited migrations, and rollback of
//! a failing migration (upgrades from every earlier version, with data, are in `upgrades.rs`).

use outpost_core::{
    store,
    store::migrate::{self, Migration, MIGRATIONS},
    Error,
};

#[test]
fn fresh_database_reaches_latest_version_with_default_pipeline() {
    let dir = tempfile::tempdir().expect("temp dir");
    let conn = store::open(dir.path()).expect("open");
    let latest = MIGRATIONS.last().expect("at least one migration").version;
    assert_eq!(migrate::current_version(&conn).expect("version"), latest);
    let stages: Vec<String> = conn
        .prepare("SELECT name FROM stages ORDER BY position")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert_eq!(stages, ["Lead", "Qualified", "Proposal", "Negotiation", "Won", "Lost"]);
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).expect("pragma");
    assert_eq!(mode, "wal");
    let fk: i64 = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).expect("pragma");
    assert_eq!(fk, 1);
}

#[test]
fn database_from_a_newer_build_is_refused_with_upgrade_advice() {
    let dir = tempfile::tempdir().expect("temp dir");
    {
        let conn = store::open(dir.path()).expect("open");
        conn.execute(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (9999, 'future', 'x', 'now')",
            [],
        )
        .expect("insert future migration");
    }
    let error = store::open(dir.path()).expect_err("newer database must be refused");
    assert!(matches!(error, Error::DatabaseTooNew { found: 9999, .. }), "{error:?}");
    assert!(error.to_string().contains("upgrade Outpost"), "{error}");
}

#[test]
fn an_edited_migration_is_detected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(store::DB_FILE);
    let mut conn = store::open_configured(&path).expect("open");
    let original = [Migration { version: 1, name: "one", sql: "CREATE TABLE t (a INTEGER);" }];
    migrate::apply_all(&mut conn, &path, &original).expect("apply");
    let edited = [Migration { version: 1, name: "one", sql: "CREATE TABLE t (a INTEGER, b TEXT);" }];
    let error = migrate::apply_all(&mut conn, &path, &edited).expect_err("edited migration must be refused");
    assert!(matches!(error, Error::MigrationChanged { version: 1, .. }), "{error:?}");
}

#[test]
fn a_failing_migration_leaves_nothing_behind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(store::DB_FILE);
    let mut conn = store::open_configured(&path).expect("open");
    let migrations = [
        Migration { version: 1, name: "good", sql: "CREATE TABLE good (a INTEGER);" },
        Migration { version: 2, name: "bad", sql: "CREATE TABLE half (a INTEGER); THIS IS NOT SQL;" },
    ];
    let error = migrate::apply_all(&mut conn, &path, &migrations).expect_err("bad migration fails");
    assert!(matches!(error, Error::MigrationFailed { version: 2, .. }), "{error:?}");
    assert_eq!(migrate::current_version(&conn).expect("version"), 1);
    let half: i64 =
        conn.query_row("SELECT count(*) FROM sqlite_master WHERE name = 'half'", [], |r| r.get(0)).expect("query");
    assert_eq!(half, 0, "the failed migration's first statement must be rolled back");
}

/// Regression: two processes opening the same brand-new data directory at once both ran migration
/// 1 and one failed with "table settings already exists".
#[test]
fn two_openers_of_a_new_database_at_once_both_succeed() {
    for round in 0..12 {
        let dir = tempfile::tempdir().expect("tmp");
        let start = std::sync::Arc::new(std::sync::Barrier::new(2));
        let openers: Vec<_> = (0..2)
            .map(|_| {
                let (path, start) = (dir.path().to_path_buf(), std::sync::Arc::clone(&start));
                std::thread::spawn(move || {
                    start.wait();
                    outpost_core::Ctx::open(&path).map(|_| ())
                })
            })
            .collect();
        for opener in openers {
            let opened = opener.join().expect("opener thread");
            assert!(opened.is_ok(), "round {round}: {opened:?}");
        }
        let ctx = outpost_core::Ctx::open(dir.path()).expect("reopen");
        drop(ctx);
        let conn = rusqlite::Connection::open(dir.path().join("outpost.db")).expect("db");
        let applied: i64 = conn.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0)).expect("count");
        assert_eq!(applied as usize, MIGRATIONS.len(), "round {round}: each migration recorded once");
    }
}
