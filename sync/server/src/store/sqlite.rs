//! SQLite backend: one database file in WAL mode. Pushes go to one writer thread that owns its
//! own connection and commits whatever is queued in one transaction (group commit, see
//! [`writer`]); every other call runs on tokio's blocking pool on a connection behind a mutex.
//! SQLite serialises writers, and pushes have exactly one, which keeps each organisation's
//! sequence numbers committed in order. Live updates across processes are not supported on
//! SQLite (run one server process per file; use PostgreSQL for several).

use std::path::Path;
use std::sync::{Arc, Mutex};

mod checkpointer;
mod writer;

pub(crate) use checkpointer::CheckpointPolicy;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::{CompactStats, DocCache, ExistingDoc, OrgInfo, Quotas, Store, StoreError, StoreFuture, UserInfo};
use crate::authz::{can_read, DocAccess, Principal};
use outpost_sync::protocol::{DocUpdate, PullResponse, PushItem, PushResult, Role, Visibility};

/// Embedded migrations: (version, name, SQL).
const MIGRATIONS: &[(u32, &str, &str)] = &[
    (1, "init", include_str!("../../migrations/sqlite/0001_init.sql")),
    (2, "erase", include_str!("../../migrations/sqlite/0002_erase.sql")),
    (3, "trust_boundary", include_str!("../../migrations/sqlite/0003_trust_boundary.sql")),
    (4, "drop_v1_push_receipts", include_str!("../../migrations/sqlite/0004_drop_v1_push_receipts.sql")),
];

/// The SQLite store.
#[derive(Clone)]
pub struct SqliteStore {
    conn: Arc<Mutex<Connection>>,
    /// A second connection for the background maintenance (compaction, VACUUM), so requests
    /// never queue behind it on the request connection's mutex (WAL readers proceed meanwhile).
    maintenance: Arc<Mutex<Connection>>,
    /// The group-commit writer every push is queued to (it keeps the decoded-document cache).
    writer: writer::Writer,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`, enables WAL and applies migrations.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_with(path, CheckpointPolicy::default())
    }

    /// [`Self::open`] with the WAL checkpointed as `checkpoints` says (tests choose small
    /// thresholds; the server always opens with the default).
    pub(crate) fn open_with(path: &Path, checkpoints: CheckpointPolicy) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::BadUrl(format!("sqlite:{} (cannot create its directory: {e})", path.display()))
            })?;
        }
        let mut conn = connect(path)?;
        migrate(&mut conn)?;
        let maintenance = connect(path)?;
        let writer = writer::Writer::start(connect(path)?, connect(path)?, checkpoints, Arc::new(DocCache::default()))?;
        Ok(SqliteStore { conn: Arc::new(Mutex::new(conn)), maintenance: Arc::new(Mutex::new(maintenance)), writer })
    }

    /// Push transactions committed so far: one per group of queued pushes (for tests and
    /// diagnostics: fewer commits than pushes shows group commit at work).
    pub fn push_commits(&self) -> u64 {
        self.writer.commits()
    }

    fn run<T, F>(&self, f: F) -> StoreFuture<'_, T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        Self::run_on(Arc::clone(&self.conn), f)
    }

    fn run_on<T, F>(conn: Arc<Mutex<Connection>>, f: F) -> StoreFuture<'static, T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                let mut guard = conn.lock().map_err(|_| StoreError::Task("SQLite connection lock poisoned".into()))?;
                f(&mut guard)
            })
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
        })
    }
}

fn connect(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted content (compacted updates, erased documents) is overwritten with zeros.
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // Every push and pull statement stays prepared: re-parsing them was the top cost of a push.
    conn.set_prepared_statement_cache_capacity(64);
    // 64 MiB of page cache (SQLite's default is 2 MiB): pushes and pulls probe the updates,
    // docs and receipts indexes all over, and every miss is a read() system call.
    conn.pragma_update(None, "cache_size", -65_536)?;
    // Savepoints (one per push in a group commit) journal each page they first change; in a
    // temporary file that was a write() per page, in memory it is a copy.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(conn)
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, \
         applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
    )?;
    for &(version, name, sql) in MIGRATIONS {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let done: bool =
            tx.query_row("SELECT EXISTS(SELECT 1 FROM schema_migrations WHERE version = ?1)", [version], |r| r.get(0))?;
        if done {
            continue;
        }
        tx.execute_batch(sql).map_err(|e| StoreError::Migration { version, reason: e.to_string() })?;
        tx.execute("INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)", params![version, name])?;
        tx.commit()?;
    }
    Ok(())
}

/// After an erasure or a requested compaction (run by the background maintenance, never on the
/// request path): rewrites the database file without free pages (VACUUM; `secure_delete` already
/// zeroed the deleted rows) and empties the WAL, so no byte of the erased documents remains in
/// either file.
fn scrub(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch("VACUUM")?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}

/// Merges `datas` (every stored update of the document) into one snapshot and stores it under
/// `seq` as the document's whole history.
fn replace_history<B: AsRef<[u8]>>(
    conn: &Connection,
    org_id: i64,
    doc_id: &str,
    seq: i64,
    datas: &[B],
) -> Result<(), StoreError> {
    let merged = outpost_sync::doc::merge_updates(datas).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    conn.execute("DELETE FROM updates WHERE org_id = ?1 AND doc_id = ?2", params![org_id, doc_id])?;
    conn.execute(
        "INSERT INTO updates (org_id, seq, doc_id, data) VALUES (?1, ?2, ?3, ?4)",
        params![org_id, seq, doc_id, merged],
    )?;
    conn.execute(
        "UPDATE docs SET update_count = 1, compact_requested = 0 WHERE org_id = ?1 AND doc_id = ?2",
        params![org_id, doc_id],
    )?;
    Ok(())
}

/// Registers a document on its first push, with its merged state.
fn insert_doc(
    conn: &Connection,
    who: &Principal,
    item: &PushItem,
    doc_id: &str,
    state: &[u8],
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO docs (org_id, doc_id, kind, owner_id, visibility, update_count, state, compact_requested) \
         VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7)",
    )?
    .execute(params![
        who.org_id,
        doc_id,
        item.kind,
        who.user_id,
        item.visibility.as_str(),
        state,
        item.compact
    ])?;
    Ok(())
}

/// The document's access metadata, erasure flag and merged state (rebuilt from its updates when
/// it was stored before states were kept).
fn existing_doc(conn: &Connection, org_id: i64, doc_id: &str) -> Result<Option<ExistingDoc>, StoreError> {
    let row = conn
        .prepare_cached("SELECT owner_id, kind, visibility, erased, state FROM docs WHERE org_id = ?1 AND doc_id = ?2")?
        .query_row(params![org_id, doc_id], |r| {
            let access = DocAccess {
                owner_id: r.get(0)?,
                kind: r.get(1)?,
                visibility: Visibility::parse(&r.get::<_, String>(2)?),
            };
            Ok((access, r.get::<_, bool>(3)?, r.get::<_, Option<Vec<u8>>>(4)?))
        })
        .optional()?;
    let Some((access, erased, state)) = row else { return Ok(None) };
    let state = match state {
        Some(state) => state,
        None if erased => Vec::new(),
        None => {
            let datas: Vec<Vec<u8>> = {
                let mut stmt =
                    conn.prepare_cached("SELECT data FROM updates WHERE org_id = ?1 AND doc_id = ?2 ORDER BY seq")?;
                let rows = stmt.query_map(params![org_id, doc_id], |r| r.get(0))?;
                rows.collect::<Result<_, _>>()?
            };
            outpost_sync::doc::merge_updates(&datas).map_err(|e| StoreError::Corrupt(e.to_string()))?
        }
    };
    Ok(Some(ExistingDoc { access, erased, state }))
}

/// A permitted owner change: the document moves to the organisation's user whose e-mail is the
/// new owner value; a value naming no member leaves the server-side owner as it was (the owner
/// field is also free text on devices). The document quota keeps counting it for its creator.
fn move_owner(conn: &Connection, org_id: i64, doc_id: &str, email: &str) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE docs SET owner_id = (SELECT id FROM users WHERE org_id = ?1 AND email = ?3) \
         WHERE org_id = ?1 AND doc_id = ?2 AND EXISTS (SELECT 1 FROM users WHERE org_id = ?1 AND email = ?3)",
    )?
    .execute(params![org_id, doc_id, email])?;
    Ok(())
}

fn org_info(conn: &Connection, name: &str) -> Result<OrgInfo, StoreError> {
    conn.query_row("SELECT id, name, share_records, share_editing FROM orgs WHERE name = ?1", [name], |r| {
        Ok(OrgInfo { id: r.get(0)?, name: r.get(1)?, share_records: r.get(2)?, share_editing: r.get(3)? })
    })
    .optional()?
    .ok_or_else(|| StoreError::NotFound(format!("organisation `{name}`")))
}

fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

fn seq_u64(seq: i64) -> u64 {
    u64::try_from(seq).unwrap_or(0)
}

fn seq_i64(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

impl Store for SqliteStore {
    fn create_org<'a>(&'a self, name: &'a str) -> StoreFuture<'a, OrgInfo> {
        let name = name.to_string();
        self.run(move |conn| {
            match conn.execute("INSERT INTO orgs (name) VALUES (?1)", [&name]) {
                Err(e) if is_unique_violation(&e) => {
                    return Err(StoreError::AlreadyExists(format!("organisation `{name}`")))
                }
                other => other?,
            };
            org_info(conn, &name)
        })
    }

    fn set_org_sharing<'a>(&'a self, org: &'a str, share: bool) -> StoreFuture<'a, OrgInfo> {
        let org = org.to_string();
        self.run(move |conn| {
            conn.execute("UPDATE orgs SET share_records = ?1 WHERE name = ?2", params![share, org])?;
            org_info(conn, &org)
        })
    }

    fn set_org_editing<'a>(&'a self, org: &'a str, share: bool) -> StoreFuture<'a, OrgInfo> {
        let org = org.to_string();
        self.run(move |conn| {
            conn.execute("UPDATE orgs SET share_editing = ?1 WHERE name = ?2", params![share, org])?;
            org_info(conn, &org)
        })
    }

    fn add_user<'a>(&'a self, org: &'a str, email: &'a str, role: Role) -> StoreFuture<'a, UserInfo> {
        let (org, email) = (org.to_string(), email.trim().to_lowercase());
        self.run(move |conn| {
            let info = org_info(conn, &org)?;
            match conn.execute(
                "INSERT INTO users (org_id, email, role) VALUES (?1, ?2, ?3)",
                params![info.id, email, role.as_str()],
            ) {
                Err(e) if is_unique_violation(&e) => return Err(StoreError::AlreadyExists(format!("user `{email}`"))),
                other => other?,
            };
            Ok(UserInfo { id: conn.last_insert_rowid(), org, email, role })
        })
    }

    fn create_device<'a>(&'a self, email: &'a str, label: &'a str, token_hash: &'a str) -> StoreFuture<'a, String> {
        let (email, label, hash) = (email.trim().to_lowercase(), label.to_string(), token_hash.to_string());
        self.run(move |conn| {
            let user_id: i64 = conn
                .query_row("SELECT id FROM users WHERE email = ?1", [&email], |r| r.get(0))
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("user `{email}`")))?;
            let id = uuid::Uuid::now_v7().to_string();
            conn.execute(
                "INSERT INTO devices (id, user_id, token_hash, label) VALUES (?1, ?2, ?3, ?4)",
                params![id, user_id, hash, label],
            )?;
            Ok(id)
        })
    }

    fn revoke_device<'a>(&'a self, id_or_token_hash: &'a str) -> StoreFuture<'a, bool> {
        let key = id_or_token_hash.to_string();
        self.run(move |conn| {
            let n = conn.execute(
                "UPDATE devices SET revoked_at = CURRENT_TIMESTAMP WHERE (id = ?1 OR token_hash = ?1) AND revoked_at IS NULL",
                [&key],
            )?;
            Ok(n > 0)
        })
    }

    fn authenticate<'a>(&'a self, token_hash: &'a str) -> StoreFuture<'a, Option<Principal>> {
        let hash = token_hash.to_string();
        self.run(move |conn| {
            let row = conn
                .query_row(
                    "SELECT d.id, u.id, u.email, o.id, o.name, u.role, o.share_records, o.share_editing FROM devices d \
                     JOIN users u ON u.id = d.user_id JOIN orgs o ON o.id = u.org_id \
                     WHERE d.token_hash = ?1 AND d.revoked_at IS NULL",
                    [&hash],
                    |r| {
                        Ok((
                            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?),
                            (r.get::<_, String>(5)?, r.get(6)?, r.get(7)?),
                        ))
                    },
                )
                .optional()?;
            Ok(row.map(
                |((device_id, user_id, email, org_id, org_name), (role, org_shares_records, org_shares_editing))| {
                    Principal {
                        device_id,
                        user_id,
                        email,
                        org_id,
                        org_name,
                        role: Role::parse(&role).unwrap_or(Role::Rep),
                        org_shares_records,
                        org_shares_editing,
                    }
                },
            ))
        })
    }

    fn push<'a>(
        &'a self,
        who: &'a Principal,
        items: &'a [PushItem],
        quotas: &'a Quotas,
    ) -> StoreFuture<'a, Vec<PushResult>> {
        let pending = self.writer.submit(who.clone(), items.to_vec(), *quotas);
        Box::pin(pending)
    }

    fn pull<'a>(&'a self, who: &'a Principal, since: u64, limit: u32) -> StoreFuture<'a, PullResponse> {
        let who = who.clone();
        self.run(move |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT u.seq, u.doc_id, d.kind, d.owner_id, owner.email, d.visibility, u.data, d.erased FROM updates u \
                 JOIN docs d ON d.org_id = u.org_id AND d.doc_id = u.doc_id JOIN users owner ON owner.id = d.owner_id \
                 WHERE u.org_id = ?1 AND u.seq > ?2 ORDER BY u.seq LIMIT ?3",
            )?;
            let mut rows = stmt.query(params![who.org_id, seq_i64(since), i64::from(limit) + 1])?;
            let (mut updates, mut next_cursor, mut scanned, mut more) = (Vec::new(), since, 0u32, false);
            while let Some(r) = rows.next()? {
                if scanned == limit {
                    more = true;
                    break;
                }
                scanned += 1;
                let seq = seq_u64(r.get(0)?);
                next_cursor = seq;
                let access = DocAccess {
                    owner_id: r.get(3)?,
                    kind: r.get(2)?,
                    visibility: Visibility::parse(&r.get::<_, String>(5)?),
                };
                if !can_read(&who, &access) {
                    continue;
                }
                let doc_id: String = r.get(1)?;
                updates.push(DocUpdate {
                    seq,
                    doc_id: doc_id.parse().map_err(|_| StoreError::Corrupt(format!("bad document id `{doc_id}`")))?,
                    kind: access.kind,
                    owner: r.get(4)?,
                    visibility: access.visibility,
                    update: r.get(6)?,
                    erased: r.get(7)?,
                });
            }
            Ok(PullResponse { updates, next_cursor, more })
        })
    }

    fn compact(&self, min_updates: u32) -> StoreFuture<'_, CompactStats> {
        Self::run_on(Arc::clone(&self.maintenance), move |conn| {
            let candidates: Vec<(i64, String, bool)> = {
                let mut stmt = conn.prepare(
                    "SELECT org_id, doc_id, compact_requested FROM docs \
                     WHERE (update_count >= ?1 OR compact_requested = 1) AND erased = 0",
                )?;
                let rows =
                    stmt.query_map([i64::from(min_updates.max(2))], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
                rows.collect::<Result<_, _>>()?
            };
            let mut stats = CompactStats::default();
            for (org_id, doc_id, requested) in candidates {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                let rows: Vec<(i64, Vec<u8>)> = {
                    let mut stmt = tx.prepare(
                        "SELECT seq, data FROM updates WHERE org_id = ?1 AND doc_id = ?2 AND NOT EXISTS \
                         (SELECT 1 FROM docs WHERE org_id = ?1 AND doc_id = ?2 AND erased = 1) ORDER BY seq",
                    )?;
                    let rows = stmt.query_map(params![org_id, doc_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
                    rows.collect::<Result<_, _>>()?
                };
                let Some(&(max_seq, _)) = rows.last() else { continue };
                let datas: Vec<&Vec<u8>> = rows.iter().map(|(_, d)| d).collect();
                replace_history(&tx, org_id, &doc_id, max_seq, &datas)?;
                if requested {
                    tx.execute("UPDATE maintenance SET scrub_due = 1 WHERE id = 1", [])?;
                }
                tx.commit()?;
                stats.docs += 1;
                stats.updates_removed += rows.len() as u64 - 1;
            }
            let due: bool = conn.query_row("SELECT scrub_due FROM maintenance WHERE id = 1", [], |r| r.get(0))?;
            if due {
                scrub(conn)?;
                conn.execute("UPDATE maintenance SET scrub_due = 0 WHERE id = 1", [])?;
                conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
                stats.scrubbed = true;
            }
            Ok(stats)
        })
    }
}
