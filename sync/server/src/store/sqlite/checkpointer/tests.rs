//! The checkpointer on real SQLite files: under pushes back to back with pulls reading beside
//! them the WAL stays within a few RESTART thresholds and nothing pushed is lost (PASSIVE
//! checkpoints alone never caught up: a 100k-record push grew the WAL to 700 MB); the thread ends
//! cleanly when the writer's connection goes; a RESTART that a reader holds up gives up without
//! failing anything and goes through on the next wake-up once the reader is done.

use std::collections::BTreeMap;
use std::ffi::c_int;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use serde_json::json;

use super::super::super::{hash_token, Quotas, Store, StoreError};
use super::super::{connect, SqliteStore};
use super::{checkpoint, spawn, CheckpointPolicy, Checkpointed};
use crate::authz::Principal;
use outpost_sync::doc::{DocId, RecordDoc};
use outpost_sync::protocol::{update_digest, PushItem, PushOutcome, Role, Visibility, MAX_PULL_LIMIT};

/// SQLite's page size for these files (the default) and the bytes one page takes in the WAL
/// (a 24-byte frame header each).
const PAGE_BYTES: u64 = 4096;
const WAL_FRAME_BYTES: u64 = PAGE_BYTES + 24;

/// Small thresholds (~256 KiB and ~2 MiB of WAL) so that a few tens of megabytes of pushes pass
/// the RESTART threshold many times; the mechanism is the production one.
const SMALL: CheckpointPolicy = CheckpointPolicy { passive_pages: 64, restart_pages: 512 };

/// The most the WAL may grow to, in RESTART thresholds: a RESTART first waits for the write lock
/// between two group commits (the writer keeps committing until it gets it), then for the pulls
/// still reading old pages, and gives up after a while (it holds the pushes back meanwhile).
/// Debug builds on 2 busy cores, beside the crate's other tests, peaked at 4.6–12.0 MiB (a
/// bound of 4 thresholds failed 1 run in 5 there, also before the RESTART's wait was bounded);
/// with the RESTART branch removed these pushes grew the WAL to 135–143 MiB.
const WAL_BOUND_RESTARTS: u64 = 12;
const WAL_BOUND_BYTES: u64 = WAL_BOUND_RESTARTS * SMALL.restart_pages as u64 * WAL_FRAME_BYTES;

/// Update bytes pushed in all (48 MiB): many times the RESTART threshold, twice the bound.
const PUSH_TARGET_BYTES: u64 = 24 * SMALL.restart_pages as u64 * PAGE_BYTES;

/// Concurrent pushers and readers, items per push, characters of notes per record.
const PUSHERS: usize = 2;
const READERS: usize = 2;
const ITEMS_PER_PUSH: usize = 4;
const NOTES_CHARS: usize = 16_000;

/// Safety net only: a run that takes longer than this has hung.
const HUNG_AFTER: Duration = Duration::from_secs(120);

async fn principal(store: &SqliteStore, email: &str, token: &str) -> Result<Principal, StoreError> {
    store.add_user("acme", email, Role::Manager).await?;
    store.create_device(email, "laptop", &hash_token(token)).await?;
    store.authenticate(&hash_token(token)).await?.ok_or_else(|| StoreError::NotFound(email.into()))
}

fn wal_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// The WAL's size now (0 while it does not exist).
fn wal_bytes(db: &Path) -> u64 {
    std::fs::metadata(wal_path(db)).map(|m| m.len()).unwrap_or(0)
}

/// A new contact whose notes make it ~`NOTES_CHARS` bytes, distinct per `n`.
fn contact(n: u64, client_seq: u64) -> anyhow::Result<PushItem> {
    let line = format!("call {n:08} about the renewal; ");
    let notes: String = line.chars().cycle().take(NOTES_CHARS).collect();
    let update =
        RecordDoc::new(n).set_fields([("first_name", &json!(format!("Contact {n}"))), ("notes", &json!(notes))])?;
    Ok(PushItem {
        doc_id: DocId::new_random(),
        kind: "contact".into(),
        visibility: Visibility::Org,
        update,
        client_seq,
        epoch: 1,
        erase: false,
        compact: false,
    })
}

/// What one stored update must read back as: its document and the digest of its bytes.
type Stored = BTreeMap<u64, (DocId, String)>;

/// Pushes `ITEMS_PER_PUSH` new contacts at a time, back to back, until `pushed` reaches the
/// target; records each stored update and the WAL's size after each commit into `peak`.
async fn push_until_target(
    store: SqliteStore,
    who: Principal,
    db: PathBuf,
    pushed: Arc<AtomicU64>,
    peak: Arc<AtomicU64>,
) -> anyhow::Result<Stored> {
    let (mut stored, mut client_seq, first) = (Stored::new(), 0u64, u64::try_from(who.user_id)? * 1_000_000);
    while pushed.load(Ordering::Relaxed) < PUSH_TARGET_BYTES {
        let mut items = Vec::with_capacity(ITEMS_PER_PUSH);
        for _ in 0..ITEMS_PER_PUSH {
            client_seq += 1;
            items.push(contact(first + client_seq, client_seq)?);
        }
        let results = store.push(&who, &items, &Quotas::default()).await?;
        peak.fetch_max(wal_bytes(&db), Ordering::Relaxed);
        for (item, result) in items.iter().zip(&results) {
            let PushOutcome::Stored { seq } = result.outcome else {
                anyhow::bail!("push of {} not stored: {:?}", item.doc_id, result.outcome);
            };
            stored.insert(seq, (item.doc_id, update_digest(&item.update)));
            pushed.fetch_add(item.update.len() as u64, Ordering::Relaxed);
        }
    }
    Ok(stored)
}

/// Pulls as clients do (pages of up to `MAX_PULL_LIMIT` updates, each one read transaction over
/// the update bytes), starting over from the beginning when caught up, until `done`; returns the
/// pulls made.
async fn pull_until_done(
    store: SqliteStore,
    who: Principal,
    db: PathBuf,
    done: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
) -> anyhow::Result<u64> {
    let (mut cursor, mut pulls) = (0u64, 0u64);
    while !done.load(Ordering::Relaxed) {
        let page = store.pull(&who, cursor, MAX_PULL_LIMIT).await?;
        peak.fetch_max(wal_bytes(&db), Ordering::Relaxed);
        pulls += 1;
        cursor = if page.more { page.next_cursor } else { 0 };
    }
    Ok(pulls)
}

/// Every update pulled from the store from the beginning.
async fn pull_everything(store: &SqliteStore, who: &Principal) -> anyhow::Result<Stored> {
    let (mut all, mut cursor) = (Stored::new(), 0u64);
    loop {
        let page = store.pull(who, cursor, MAX_PULL_LIMIT).await?;
        for update in &page.updates {
            all.insert(update.seq, (update.doc_id, update_digest(&update.update)));
        }
        if !page.more {
            return Ok(all);
        }
        cursor = page.next_cursor;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wal_stays_bounded_under_back_to_back_pushes_with_pulls_reading_beside_them() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("busy.db");
    let store = SqliteStore::open_with(&db, SMALL)?;
    store.create_org("acme").await?;
    let mut pushers = Vec::new();
    for n in 0..PUSHERS {
        pushers.push(principal(&store, &format!("rep{n}@acme.test"), &format!("opd_rep{n}")).await?);
    }
    let reader = principal(&store, "manager@acme.test", "opd_manager").await?;

    let started = Instant::now();
    let (pushed, peak, done) =
        (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)), Arc::new(AtomicBool::new(false)));
    let pushing: Vec<_> = pushers
        .into_iter()
        .map(|who| {
            tokio::spawn(push_until_target(store.clone(), who, db.clone(), Arc::clone(&pushed), Arc::clone(&peak)))
        })
        .collect();
    let reading: Vec<_> = (0..READERS)
        .map(|_| {
            tokio::spawn(pull_until_done(
                store.clone(),
                reader.clone(),
                db.clone(),
                Arc::clone(&done),
                Arc::clone(&peak),
            ))
        })
        .collect();
    let mut expected = Stored::new();
    for pusher in pushing {
        expected.extend(tokio::time::timeout(HUNG_AFTER, pusher).await???);
    }
    done.store(true, Ordering::Relaxed);
    let mut pulls = 0;
    for reader in reading {
        pulls += tokio::time::timeout(HUNG_AFTER, reader).await???;
    }
    let peak = peak.load(Ordering::Relaxed).max(wal_bytes(&db));
    let pushed = pushed.load(Ordering::Relaxed);
    eprintln!(
        "pushed {} MiB in {} commits with {pulls} pulls beside them in {:.1?}: WAL peak {:.1} MiB (bound {:.1} MiB)",
        pushed >> 20,
        store.push_commits(),
        started.elapsed(),
        peak as f64 / 1048576.0,
        WAL_BOUND_BYTES as f64 / 1048576.0
    );
    assert!(pulls >= READERS as u64, "the readers never pulled beside the pushes");
    assert!(
        peak <= WAL_BOUND_BYTES,
        "the WAL grew to {peak} bytes under {pushed} bytes of pushes, past {WAL_BOUND_BYTES} \
         ({WAL_BOUND_RESTARTS} × the RESTART threshold of {} pages): the checkpointer did not restart it",
        SMALL.restart_pages
    );

    // Nothing pushed is lost: a fresh store on the same file reads back every stored update.
    drop(store);
    let reopened = SqliteStore::open(&db)?;
    let read_back = pull_everything(&reopened, &reader).await?;
    assert_eq!(read_back.len(), expected.len(), "updates stored vs read back");
    for (seq, pushed) in &expected {
        assert_eq!(read_back.get(seq), Some(pushed), "update {seq} read back differently");
    }
    Ok(())
}

/// A store-configured database `name` in `dir` with a `filler` table, and its writer connection.
fn filler_db(dir: &Path, name: &str) -> Result<(PathBuf, Connection), StoreError> {
    let db = dir.join(name);
    let writer = connect(&db)?;
    writer.execute_batch("CREATE TABLE filler (id INTEGER PRIMARY KEY, data BLOB NOT NULL)")?;
    Ok((db, writer))
}

/// Commits `pages` rows of a page each (about as many WAL pages) from `writer`.
fn fill(writer: &Connection, pages: u64) -> rusqlite::Result<()> {
    let tx = writer.unchecked_transaction()?;
    for _ in 0..pages {
        tx.execute("INSERT INTO filler (data) VALUES (zeroblob(?1))", [PAGE_BYTES as i64])?;
    }
    tx.commit()
}

/// Waits (safety net: `HUNG_AFTER`) for `thread` to end; its panic, if any, is the error.
fn join_within(thread: std::thread::JoinHandle<()>) -> anyhow::Result<()> {
    let (ended, end) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = ended.send(thread.join());
    });
    match end.recv_timeout(HUNG_AFTER) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => anyhow::bail!("the checkpoint thread panicked"),
        Err(_) => anyhow::bail!("the checkpoint thread was still running {HUNG_AFTER:?} after its writer was dropped"),
    }
}

#[test]
fn the_checkpoint_thread_ends_cleanly_when_its_writer_connection_is_dropped() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (db, mut writer) = filler_db(dir.path(), "ends.db")?;
    let thread = spawn(connect(&db)?, &mut writer, SMALL)?;
    // Past both thresholds, so the thread has been woken (and may be checkpointing) when the
    // writer goes away.
    for _ in 0..4 {
        fill(&writer, SMALL.restart_pages as u64 / 2)?;
    }
    drop(writer);
    join_within(thread)?;
    // What was committed is all there.
    let rows: i64 = connect(&db)?.query_row("SELECT count(*) FROM filler", [], |r| r.get(0))?;
    assert_eq!(rows, 4 * (SMALL.restart_pages as i64 / 2));
    Ok(())
}

#[test]
fn a_restart_held_up_by_a_reader_is_retried_and_restarts_the_wal_once_the_reader_is_done() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (db, mut writer) = filler_db(dir.path(), "held.db")?;
    // The WAL's size after each commit, as the push writer's hook notes it (the hook also turns
    // SQLite's automatic checkpoint off, as on the push writer).
    let wal_pages = Arc::new(AtomicI32::new(0));
    let seen = Arc::clone(&wal_pages);
    writer.wal_hook(Some(move |_: &mut rusqlite::hooks::Wal, pages: c_int| {
        seen.store(pages, Ordering::Relaxed);
        Ok(())
    }))?;
    // This checkpoint gives up on a reader after 50 ms (the thread starts at `CHECKPOINT_WAIT`).
    let own = connect(&db)?;
    own.busy_timeout(Duration::from_millis(50))?;
    fill(&writer, 1)?;

    // A reader keeps a snapshot of the WAL's first pages while it grows past the RESTART
    // threshold: the RESTART gives up, fails nothing, and leaves the WAL's size noted.
    let reader = connect(&db)?;
    reader.execute_batch("BEGIN")?;
    let before: i64 = reader.query_row("SELECT count(*) FROM filler", [], |r| r.get(0))?;
    fill(&writer, SMALL.restart_pages as u64)?;
    let grown = wal_pages.load(Ordering::Relaxed);
    assert!(grown >= SMALL.restart_pages, "the WAL did not pass the RESTART threshold: {grown} pages");
    assert_eq!(checkpoint(&own, &wal_pages, SMALL), Checkpointed::Busy);
    assert_eq!(wal_pages.load(Ordering::Relaxed), grown, "a RESTART that gave up forgot the WAL's size");
    let still: i64 = reader.query_row("SELECT count(*) FROM filler", [], |r| r.get(0))?;
    assert_eq!(still, before, "the reader's snapshot changed under it");
    reader.execute_batch("COMMIT")?;
    drop(reader);

    // The next wake-up RESTARTs again, and now it goes through: the next commit writes the WAL
    // from its start, so the file does not grow.
    let held = wal_bytes(&db);
    assert_eq!(checkpoint(&own, &wal_pages, SMALL), Checkpointed::Restarted);
    fill(&writer, SMALL.restart_pages as u64 / 2)?;
    let after = wal_pages.load(Ordering::Relaxed);
    assert!(after < grown, "the WAL was not restarted: {after} pages after it held {grown}");
    assert_eq!(wal_bytes(&db), held, "the WAL file grew after its restart");
    let rows: i64 = writer.query_row("SELECT count(*) FROM filler", [], |r| r.get(0))?;
    assert_eq!(rows, 1 + i64::from(SMALL.restart_pages) + i64::from(SMALL.restart_pages / 2));
    Ok(())
}
