//! PostgreSQL backend: a `deadpool-postgres` connection pool over `tokio-postgres`, plus one
//! dedicated connection that LISTENs on [`CHANNEL`] so several server processes sharing one
//! database deliver each other's updates live (each push NOTIFYs its organisation id on commit).
//!
//! Why these crates: `tokio-postgres` is the maintained pure-Rust async client (no libpq) and is
//! the one that exposes LISTEN/NOTIFY notifications; `deadpool-postgres` is its small, widely used
//! pool (async, recycles broken connections), so concurrent clients do not serialise on one
//! connection. Per-organisation sequence numbers come from `UPDATE orgs … RETURNING` inside the
//! push transaction: the row lock makes sequence numbers commit in order, so a pull never skips
//! an update that commits later with a smaller number.

use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use futures_util::StreamExt;
use tokio_postgres::{AsyncMessage, NoTls};

use super::results::{done, epoch_i64, receipt_outcome, rejected};
use super::{
    decide_push_cached, utc_day, CompactStats, DocCache, ExistingDoc, OrgInfo, PushDecision, Quotas, Store, StoreError,
    StoreFuture, Usage, UserInfo,
};
use crate::authz::{can_read, DocAccess, Principal};
use outpost_sync::protocol::{
    update_digest, DocUpdate, PullResponse, PushItem, PushOutcome, PushResult, Role, Visibility,
};

/// The NOTIFY channel carrying organisation ids of new updates.
pub const CHANNEL: &str = "outpost_updates";

/// Embedded migrations: (version, name, SQL).
const MIGRATIONS: &[(u32, &str, &str)] = &[
    (1, "init", include_str!("../../migrations/postgres/0001_init.sql")),
    (2, "erase", include_str!("../../migrations/postgres/0002_erase.sql")),
    (3, "trust_boundary", include_str!("../../migrations/postgres/0003_trust_boundary.sql")),
    (4, "drop_v1_push_receipts", include_str!("../../migrations/postgres/0004_drop_v1_push_receipts.sql")),
];

/// Advisory lock key serialising migrations of several processes starting together.
const MIGRATION_LOCK: i64 = 0x006f_7574_706f_7374;

/// The PostgreSQL store.
pub struct PgStore {
    pool: Pool,
    config: tokio_postgres::Config,
    listener: Mutex<Option<tokio::task::JoinHandle<()>>>,
    /// Documents decoded by recent pushes (used only while they match the stored state, so
    /// several server processes on one database stay correct).
    cache: DocCache,
}

impl Drop for PgStore {
    fn drop(&mut self) {
        if let Ok(mut guard) = self.listener.lock() {
            if let Some(handle) = guard.take() {
                handle.abort();
            }
        }
    }
}

/// Merges `datas` (every stored update of the document) into one snapshot and stores it under
/// `seq` as the document's whole history, inside `tx`.
async fn replace_history(
    tx: &tokio_postgres::Transaction<'_>,
    org_id: i64,
    doc_id: &str,
    seq: i64,
    datas: &[Vec<u8>],
) -> Result<(), StoreError> {
    let merged = outpost_sync::doc::merge_updates(datas).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    tx.execute("DELETE FROM updates WHERE org_id = $1 AND doc_id = $2", &[&org_id, &doc_id]).await?;
    tx.execute(
        "INSERT INTO updates (org_id, seq, doc_id, data) VALUES ($1, $2, $3, $4)",
        &[&org_id, &seq, &doc_id, &merged],
    )
    .await?;
    tx.execute(
        "UPDATE docs SET update_count = 1, compact_requested = FALSE WHERE org_id = $1 AND doc_id = $2",
        &[&org_id, &doc_id],
    )
    .await?;
    Ok(())
}

/// The document's access metadata, erasure flag and merged state (rebuilt from its updates when
/// it was stored before states were kept), locking its row for the push transaction.
async fn existing_doc(
    tx: &tokio_postgres::Transaction<'_>,
    org_id: i64,
    doc_id: &str,
) -> Result<Option<ExistingDoc>, StoreError> {
    let Some(row) = tx
        .query_opt(
            "SELECT owner_id, kind, visibility, erased, state FROM docs WHERE org_id = $1 AND doc_id = $2 FOR UPDATE",
            &[&org_id, &doc_id],
        )
        .await?
    else {
        return Ok(None);
    };
    let access = DocAccess { owner_id: row.get(0), kind: row.get(1), visibility: Visibility::parse(row.get(2)) };
    let erased: bool = row.get(3);
    let state = match row.get::<_, Option<Vec<u8>>>(4) {
        Some(state) => state,
        None if erased => Vec::new(),
        None => {
            let rows = tx
                .query("SELECT data FROM updates WHERE org_id = $1 AND doc_id = $2 ORDER BY seq", &[&org_id, &doc_id])
                .await?;
            let datas: Vec<Vec<u8>> = rows.iter().map(|r| r.get(0)).collect();
            outpost_sync::doc::merge_updates(&datas).map_err(|e| StoreError::Corrupt(e.to_string()))?
        }
    };
    Ok(Some(ExistingDoc { access, erased, state }))
}

fn pool_err(e: impl std::fmt::Display) -> StoreError {
    StoreError::Pool(e.to_string())
}

fn seq_u64(seq: i64) -> u64 {
    u64::try_from(seq).unwrap_or(0)
}

fn seq_i64(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

fn is_unique_violation(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION)
}

async fn org_info(client: &tokio_postgres::Client, name: &str) -> Result<OrgInfo, StoreError> {
    let row = client
        .query_opt("SELECT id, name, share_records, share_editing FROM orgs WHERE name = $1", &[&name])
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("organisation `{name}`")))?;
    Ok(OrgInfo { id: row.get(0), name: row.get(1), share_records: row.get(2), share_editing: row.get(3) })
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`) and applies pending migrations.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let config = tokio_postgres::Config::from_str(url).map_err(|_| StoreError::BadUrl(super::redacted_url(url)))?;
        let manager =
            Manager::from_config(config.clone(), NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager).max_size(16).build().map_err(pool_err)?;
        let store = PgStore { pool, config, listener: Mutex::new(None), cache: DocCache::default() };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut client = self.pool.get().await.map_err(pool_err)?;
        for &(version, name, sql) in MIGRATIONS {
            let tx = client.transaction().await?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
            tx.batch_execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, \
                 applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
            )
            .await?;
            let v = i32::try_from(version).unwrap_or(i32::MAX);
            if tx.query_opt("SELECT 1 FROM schema_migrations WHERE version = $1", &[&v]).await?.is_some() {
                continue;
            }
            tx.batch_execute(sql).await.map_err(|e| StoreError::Migration { version, reason: e.to_string() })?;
            tx.execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", &[&v, &name]).await?;
            tx.commit().await?;
        }
        Ok(())
    }
}

/// Runs LISTEN on its own connection forever, reconnecting with backoff; after a reconnect it
/// broadcasts organisation id 0 ("something may have changed everywhere") so subscribers re-pull.
async fn listen_loop(config: tokio_postgres::Config, changes: tokio::sync::broadcast::Sender<i64>) {
    let mut backoff = Duration::from_millis(100);
    loop {
        match config.connect(NoTls).await {
            Ok((client, mut connection)) => {
                let (ready_tx, ready_rx) = tokio::sync::oneshot::channel::<()>();
                let forward = changes.clone();
                let pump = tokio::spawn(async move {
                    let mut stream = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
                    let mut ready_tx = Some(ready_tx);
                    while let Some(message) = stream.next().await {
                        match message {
                            Ok(AsyncMessage::Notification(n)) => {
                                let _ = forward.send(n.payload().parse().unwrap_or(0));
                            }
                            Ok(_) => {}
                            Err(e) => {
                                tracing::warn!("PostgreSQL LISTEN connection failed: {e}; reconnecting");
                                break;
                            }
                        }
                        if let Some(tx) = ready_tx.take() {
                            drop(tx);
                        }
                    }
                });
                if let Err(e) = client.batch_execute(&format!("LISTEN {CHANNEL}")).await {
                    tracing::warn!("PostgreSQL LISTEN failed: {e}; retrying");
                } else {
                    backoff = Duration::from_millis(100);
                    let _ = changes.send(0);
                }
                drop(ready_rx);
                let _ = pump.await;
                drop(client);
            }
            Err(e) => tracing::warn!("cannot open the PostgreSQL LISTEN connection: {e}; retrying in {backoff:?}"),
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(10));
    }
}

impl Store for PgStore {
    fn create_org<'a>(&'a self, name: &'a str) -> StoreFuture<'a, OrgInfo> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_err)?;
            match client.execute("INSERT INTO orgs (name) VALUES ($1)", &[&name]).await {
                Err(e) if is_unique_violation(&e) => Err(StoreError::AlreadyExists(format!("organisation `{name}`"))),
                Err(e) => Err(e.into()),
                Ok(_) => org_info(&client, name).await,
            }
        })
    }

    fn set_org_sharing<'a>(&'a self, org: &'a str, share: bool) -> StoreFuture<'a, OrgInfo> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_err)?;
            client.execute("UPDATE orgs SET share_records = $1 WHERE name = $2", &[&share, &org]).await?;
            org_info(&client, org).await
        })
    }

    fn set_org_editing<'a>(&'a self, org: &'a str, share: bool) -> StoreFuture<'a, OrgInfo> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_err)?;
            client.execute("UPDATE orgs SET share_editing = $1 WHERE name = $2", &[&share, &org]).await?;
            org_info(&client, org).await
        })
    }

    fn add_user<'a>(&'a self, org: &'a str, email: &'a str, role: Role) -> StoreFuture<'a, UserInfo> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_err)?;
            let info = org_info(&client, org).await?;
            let email = email.trim().to_lowercase();
            let row = match client
                .query_one(
                    "INSERT INTO users (org_id, email, role) VALUES ($1, $2, $3) RETURNING id",
                    &[&info.id, &email, &role.as_str()],
                )
                .await
            {
                Err(e) if is_unique_violation(&e) => return Err(StoreError::AlreadyExists(format!("user `{email}`"))),
                other => other?,
            };
            Ok(UserInfo { id: row.get(0), org: org.to_string(), email, role })
        })
    }

    fn create_device<'a>(&'a self, email: &'a str, label: &'a str, token_hash: &'a str) -> StoreFuture<'a, String> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_err)?;
            let email = email.trim().to_lowercase();
            let user_id: i64 = client
                .query_opt("SELECT id FROM users WHERE email = $1", &[&email])
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("user `{email}`")))?
                .get(0);
            let id = uuid::Uuid::now_v7().to_string();
            client
                .execute(
                    "INSERT INTO devices (id, user_id, token_hash, label) VALUES ($1, $2, $3, $4)",
                    &[&id, &user_id, &token_hash, &label],
                )
                .await?;
            Ok(id)
        })
    }

    fn revoke_device<'a>(&'a self, id_or_token_hash: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_err)?;
            let n = client
                .execute(
                    "UPDATE devices SET revoked_at = now() WHERE (id = $1 OR token_hash = $1) AND revoked_at IS NULL",
                    &[&id_or_token_hash],
                )
                .await?;
            Ok(n > 0)
        })
    }

    fn authenticate<'a>(&'a self, token_hash: &'a str) -> StoreFuture<'a, Option<Principal>> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_err)?;
            let row = client
                .query_opt(
                    "SELECT d.id, u.id, u.email, o.id, o.name, u.role, o.share_records, o.share_editing FROM devices d \
                     JOIN users u ON u.id = d.user_id JOIN orgs o ON o.id = u.org_id \
                     WHERE d.token_hash = $1 AND d.revoked_at IS NULL",
                    &[&token_hash],
                )
                .await?;
            Ok(row.map(|r| Principal {
                device_id: r.get(0),
                user_id: r.get(1),
                email: r.get(2),
                org_id: r.get(3),
                org_name: r.get(4),
                role: Role::parse(r.get(5)).unwrap_or(Role::Rep),
                org_shares_records: r.get(6),
                org_shares_editing: r.get(7),
            }))
        })
    }

    fn push<'a>(
        &'a self,
        who: &'a Principal,
        items: &'a [PushItem],
        quotas: &'a Quotas,
    ) -> StoreFuture<'a, Vec<PushResult>> {
        Box::pin(async move {
            let mut client = self.pool.get().await.map_err(pool_err)?;
            let tx = client.transaction().await?;
            let mut results = Vec::with_capacity(items.len());
            let (mut stored_any, mut scrub_due) = (false, false);
            // The user's row lock serialises this user's pushes, so the quota counters stay exact.
            let day = utc_day();
            let docs: i64 =
                tx.query_one("SELECT doc_count FROM users WHERE id = $1 FOR UPDATE", &[&who.user_id]).await?.get(0);
            let bytes_today: i64 = tx
                .query_opt("SELECT bytes FROM usage WHERE user_id = $1 AND day = $2", &[&who.user_id, &day])
                .await?
                .map_or(0, |r| r.get(0));
            let mut usage = Usage { docs: seq_u64(docs), bytes_today: seq_u64(bytes_today) };
            let start_usage = usage;
            for item in items {
                let (client_seq, epoch) = (seq_i64(item.client_seq), epoch_i64(item.epoch));
                let digest = update_digest(&item.update);
                let earlier = tx
                    .query_opt(
                        "SELECT seq, digest FROM push_receipts_v4 WHERE device_id = $1 AND epoch = $2 AND client_seq = $3",
                        &[&who.device_id, &epoch, &client_seq],
                    )
                    .await?
                    .map(|r| (r.get::<_, i64>(0), r.get::<_, String>(1)));
                if let Some(result) = receipt_outcome(item, earlier, &digest) {
                    results.push(result);
                    continue;
                }
                let doc_id = item.doc_id.to_string();
                let existing = existing_doc(&tx, who.org_id, &doc_id).await?;
                match decide_push_cached(who, item, existing.as_ref(), Some(&self.cache)) {
                    PushDecision::Reject(error) => {
                        results.push(rejected(item, error));
                        continue;
                    }
                    PushDecision::AlreadyErased => {
                        let seq: i64 = tx
                            .query_one(
                                "SELECT coalesce(max(seq), 0) FROM updates WHERE org_id = $1 AND doc_id = $2",
                                &[&who.org_id, &doc_id],
                            )
                            .await?
                            .get(0);
                        results.push(done(item, PushOutcome::Duplicate { seq: seq_u64(seq) }, &digest));
                        continue;
                    }
                    PushDecision::Create { state } => {
                        if let Err(error) = usage.admit(quotas, item, true) {
                            results.push(rejected(item, error));
                            continue;
                        }
                        tx.execute(
                            "INSERT INTO docs (org_id, doc_id, kind, owner_id, visibility, update_count, state, \
                             compact_requested) VALUES ($1, $2, $3, $4, $5, 1, $6, $7)",
                            &[
                                &who.org_id,
                                &doc_id,
                                &item.kind,
                                &who.user_id,
                                &item.visibility.as_str(),
                                &state,
                                &item.compact,
                            ],
                        )
                        .await?;
                    }
                    PushDecision::Append { state, new_owner } => {
                        let same = tx
                            .query_opt(
                                "SELECT seq FROM update_digests WHERE org_id = $1 AND doc_id = $2 AND digest = $3",
                                &[&who.org_id, &doc_id, &digest],
                            )
                            .await?;
                        if let Some(row) = same {
                            // The same bytes under a new sequence number: stored once.
                            let seq: i64 = row.get(0);
                            tx.execute(
                                "INSERT INTO push_receipts_v4 (device_id, epoch, client_seq, seq, digest) \
                                 VALUES ($1, $2, $3, $4, $5)",
                                &[&who.device_id, &epoch, &client_seq, &seq, &digest],
                            )
                            .await?;
                            results.push(done(item, PushOutcome::Duplicate { seq: seq_u64(seq) }, &digest));
                            continue;
                        }
                        if let Err(error) = usage.admit(quotas, item, false) {
                            results.push(rejected(item, error));
                            continue;
                        }
                        tx.execute(
                            "UPDATE docs SET update_count = update_count + 1, state = $3, \
                             compact_requested = compact_requested OR $4 WHERE org_id = $1 AND doc_id = $2",
                            &[&who.org_id, &doc_id, &state, &item.compact],
                        )
                        .await?;
                        if let Some(email) = new_owner {
                            // The organisation's user with that e-mail becomes the owner (see
                            // the SQLite store's `move_owner`); no member: unchanged.
                            tx.execute(
                                "UPDATE docs SET owner_id = u.id FROM users u \
                                 WHERE docs.org_id = $1 AND docs.doc_id = $2 AND u.org_id = $1 AND u.email = $3",
                                &[&who.org_id, &doc_id, &email],
                            )
                            .await?;
                        }
                    }
                    PushDecision::Erase => {
                        scrub_due = true;
                        tx.execute("DELETE FROM updates WHERE org_id = $1 AND doc_id = $2", &[&who.org_id, &doc_id])
                            .await?;
                        tx.execute(
                            "DELETE FROM update_digests WHERE org_id = $1 AND doc_id = $2",
                            &[&who.org_id, &doc_id],
                        )
                        .await?;
                        tx.execute(
                            "UPDATE docs SET erased = TRUE, update_count = 1, state = NULL, compact_requested = FALSE \
                             WHERE org_id = $1 AND doc_id = $2",
                            &[&who.org_id, &doc_id],
                        )
                        .await?;
                    }
                }
                scrub_due |= item.compact;
                let seq: i64 = tx
                    .query_one(
                        "UPDATE orgs SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq",
                        &[&who.org_id],
                    )
                    .await?
                    .get(0);
                tx.execute(
                    "INSERT INTO updates (org_id, seq, doc_id, data) VALUES ($1, $2, $3, $4)",
                    &[&who.org_id, &seq, &doc_id, &item.update],
                )
                .await?;
                tx.execute(
                    "INSERT INTO push_receipts_v4 (device_id, epoch, client_seq, seq, digest) VALUES ($1, $2, $3, $4, $5)",
                    &[&who.device_id, &epoch, &client_seq, &seq, &digest],
                )
                .await?;
                if !item.erase {
                    tx.execute(
                        "INSERT INTO update_digests (org_id, doc_id, digest, seq) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT DO NOTHING",
                        &[&who.org_id, &doc_id, &digest, &seq],
                    )
                    .await?;
                }
                stored_any = true;
                results.push(done(item, PushOutcome::Stored { seq: seq_u64(seq) }, &digest));
            }
            if usage.docs != start_usage.docs {
                tx.execute("UPDATE users SET doc_count = $2 WHERE id = $1", &[&who.user_id, &seq_i64(usage.docs)])
                    .await?;
            }
            if usage.bytes_today != start_usage.bytes_today {
                tx.execute(
                    "INSERT INTO usage (user_id, day, bytes) VALUES ($1, $2, $3) \
                     ON CONFLICT (user_id, day) DO UPDATE SET bytes = excluded.bytes",
                    &[&who.user_id, &day, &seq_i64(usage.bytes_today)],
                )
                .await?;
            }
            if scrub_due {
                tx.execute("UPDATE maintenance SET scrub_due = TRUE WHERE id = 1", &[]).await?;
            }
            if stored_any {
                tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &who.org_id.to_string()]).await?;
            }
            tx.commit().await?;
            Ok(results)
        })
    }

    fn pull<'a>(&'a self, who: &'a Principal, since: u64, limit: u32) -> StoreFuture<'a, PullResponse> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_err)?;
            let rows = client
                .query(
                    "SELECT u.seq, u.doc_id, d.kind, d.owner_id, owner.email, d.visibility, u.data, d.erased FROM updates u \
                     JOIN docs d ON d.org_id = u.org_id AND d.doc_id = u.doc_id JOIN users owner ON owner.id = d.owner_id \
                     WHERE u.org_id = $1 AND u.seq > $2 ORDER BY u.seq LIMIT $3",
                    &[&who.org_id, &seq_i64(since), &(i64::from(limit) + 1)],
                )
                .await?;
            let more = rows.len() > limit as usize;
            let (mut updates, mut next_cursor) = (Vec::new(), since);
            for r in rows.iter().take(limit as usize) {
                let seq = seq_u64(r.get(0));
                next_cursor = seq;
                let access = DocAccess { owner_id: r.get(3), kind: r.get(2), visibility: Visibility::parse(r.get(5)) };
                if !can_read(who, &access) {
                    continue;
                }
                let doc_id: &str = r.get(1);
                updates.push(DocUpdate {
                    seq,
                    doc_id: doc_id.parse().map_err(|_| StoreError::Corrupt(format!("bad document id `{doc_id}`")))?,
                    kind: access.kind,
                    owner: r.get(4),
                    visibility: access.visibility,
                    update: r.get(6),
                    erased: r.get(7),
                });
            }
            Ok(PullResponse { updates, next_cursor, more })
        })
    }

    fn compact(&self, min_updates: u32) -> StoreFuture<'_, CompactStats> {
        Box::pin(async move {
            let mut client = self.pool.get().await.map_err(pool_err)?;
            let candidates = client
                .query(
                    "SELECT org_id, doc_id, compact_requested FROM docs \
                     WHERE (update_count >= $1 OR compact_requested) AND NOT erased",
                    &[&i64::from(min_updates.max(2))],
                )
                .await?;
            let mut stats = CompactStats::default();
            for candidate in candidates {
                let (org_id, doc_id, requested): (i64, String, bool) =
                    (candidate.get(0), candidate.get(1), candidate.get(2));
                let tx = client.transaction().await?;
                let live = tx
                    .query_opt(
                        "SELECT 1 FROM docs WHERE org_id = $1 AND doc_id = $2 AND NOT erased FOR UPDATE",
                        &[&org_id, &doc_id],
                    )
                    .await?;
                if live.is_none() {
                    continue;
                }
                let rows = tx
                    .query(
                        "SELECT seq, data FROM updates WHERE org_id = $1 AND doc_id = $2 ORDER BY seq",
                        &[&org_id, &doc_id],
                    )
                    .await?;
                let Some(max_seq) = rows.last().map(|r| r.get::<_, i64>(0)) else { continue };
                let datas: Vec<Vec<u8>> = rows.iter().map(|r| r.get(1)).collect();
                replace_history(&tx, org_id, &doc_id, max_seq, &datas).await?;
                if requested {
                    tx.execute("UPDATE maintenance SET scrub_due = TRUE WHERE id = 1", &[]).await?;
                }
                tx.commit().await?;
                stats.docs += 1;
                stats.updates_removed += rows.len() as u64 - 1;
            }
            let due: bool = client.query_one("SELECT scrub_due FROM maintenance WHERE id = 1", &[]).await?.get(0);
            if due {
                // Reclaims the deleted rows' space (off the request path, at most once per run).
                client.batch_execute("VACUUM updates, docs, update_digests").await?;
                client.execute("UPDATE maintenance SET scrub_due = FALSE WHERE id = 1", &[]).await?;
                stats.scrubbed = true;
            }
            Ok(stats)
        })
    }

    fn watch_changes(&self, changes: tokio::sync::broadcast::Sender<i64>) {
        let handle = tokio::spawn(listen_loop(self.config.clone(), changes));
        if let Ok(mut guard) = self.listener.lock() {
            if let Some(old) = guard.replace(handle) {
                old.abort();
            }
        }
    }
}
