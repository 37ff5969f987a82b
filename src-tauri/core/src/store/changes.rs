//! Change events: which records changed, published after every write from any source, so open
//! screens refresh without a click.
//!
//! Writes come from many places — the desktop's commands, the live sync loop materialising remote
//! updates, watched-folder imports, the agent, calendar sync, the outbound runner — and from other
//! processes on the same data directory (the `outpost` CLI). They all meet in one place: the
//! `change_log` table (migration `0017`), fed by triggers on the tables screens show, in the
//! writing transaction itself (inside a bulk write, new contacts and companies are logged once
//! per chunk by `search::deferred` instead, still before commit; migration `0019`). A
//! [`ChangeFeed`] watches it from its own connection: it polls `PRAGMA data_version` (which moves
//! whenever any other connection, in this process or another, commits), reads the log rows after
//! the last one it published, coalesces them per kind ([`Changed`]) and sends them on a broadcast
//! channel. Published rows are pruned (the newest is kept, so sequence numbers never restart and
//! a gap means another reader pruned rows: then every kind is published as changed).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use tokio::sync::broadcast;
use ts_rs::TS;

use crate::{store, Error, Result};

/// Every kind the change log names (the triggers of migration `0017`).
pub const KINDS: &[&str] = &[
    "activity",
    "alert",
    "brief",
    "company",
    "connection",
    "contact",
    "deal",
    "delivery",
    "import_job",
    "meeting",
    "memory",
    "pipeline",
    "task",
    "watched_source",
];

/// How often the feed looks at `PRAGMA data_version` (one cheap read on an idle database).
const POLL: Duration = Duration::from_millis(100);
/// Log rows read per query (bounded memory whatever the backlog, e.g. a million imported rows).
const PAGE: usize = 10_000;
/// Ids listed per kind in one event; beyond this the event says `more`.
const MAX_IDS: usize = 200;
/// Events buffered for a slow subscriber before it is told it lagged.
const CHANNEL: usize = 64;

/// Records of one kind that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ChangedKind {
    /// `contact`, `deal`, … (see [`KINDS`]).
    pub kind: String,
    /// The changed records' ids, each once, oldest change first (at most 200).
    pub ids: Vec<String>,
    /// More records of this kind changed than `ids` lists (many, erased, or not known).
    pub more: bool,
}

/// What changed since the previous event, coalesced per kind (the `changed` event of the UI).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, TS)]
#[ts(export)]
pub struct Changed {
    /// One entry per kind that changed, in [`KINDS`] order.
    pub kinds: Vec<ChangedKind>,
}

impl Changed {
    /// Every kind, as changed (a subscriber lagged or rows were missed: refresh everything).
    pub fn everything() -> Self {
        Self {
            kinds: KINDS.iter().map(|kind| ChangedKind { kind: (*kind).into(), ids: Vec::new(), more: true }).collect(),
        }
    }

    /// Whether `kind` is among the changed kinds.
    pub fn has(&self, kind: &str) -> bool {
        self.kinds.iter().any(|k| k.kind == kind)
    }

    /// Whether record `id` of `kind` is named as changed.
    pub fn names(&self, kind: &str, id: &str) -> bool {
        self.kinds.iter().any(|k| k.kind == kind && k.ids.iter().any(|i| i == id))
    }

    fn add(&mut self, kind: &str, id: Option<String>) {
        let entry = match self.kinds.iter().position(|k| k.kind == kind) {
            Some(at) => &mut self.kinds[at],
            None => {
                self.kinds.push(ChangedKind { kind: kind.into(), ids: Vec::new(), more: false });
                let last = self.kinds.len() - 1;
                &mut self.kinds[last]
            }
        };
        match id {
            Some(id) if entry.ids.contains(&id) => {}
            Some(id) if entry.ids.len() < MAX_IDS => entry.ids.push(id),
            _ => entry.more = true,
        }
    }

    fn sorted(mut self) -> Self {
        let order: BTreeMap<&str, usize> = KINDS.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        self.kinds.sort_by_key(|k| order.get(k.kind.as_str()).copied().unwrap_or(usize::MAX));
        self
    }
}

/// The newest change log position (0 when the log is empty).
pub fn position(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT coalesce(max(seq), 0) FROM change_log", [], |r| r.get(0))?)
}

/// What changed after position `after`: the coalesced changes (None when nothing did) and the
/// new position. When the row right after `after` is gone (another reader pruned it), every kind
/// is reported as changed.
pub fn since(conn: &Connection, after: i64) -> Result<(Option<Changed>, i64)> {
    let first: Option<i64> =
        conn.prepare_cached("SELECT min(seq) FROM change_log WHERE seq > ?1")?.query_row([after], |r| r.get(0))?;
    let Some(first) = first else { return Ok((None, after)) };
    if after > 0 && first != after + 1 {
        return Ok((Some(Changed::everything()), position(conn)?));
    }
    let mut changed = Changed::default();
    let mut at = after;
    let mut stmt =
        conn.prepare_cached(&format!("SELECT seq, kind, id FROM change_log WHERE seq > ?1 ORDER BY seq LIMIT {PAGE}"))?;
    loop {
        let rows: Vec<(i64, String, Option<String>)> =
            stmt.query_map([at], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
        let Some(last) = rows.last().map(|r| r.0) else { break };
        for (_, kind, id) in rows.iter().cloned() {
            changed.add(&kind, id);
        }
        at = last;
        if rows.len() < PAGE {
            break;
        }
    }
    Ok((Some(changed.sorted()), at))
}

/// Deletes published rows before `upto` (the row at `upto` stays, so positions never restart).
/// Never waits for the database: when a writer holds it, the rows are pruned next time.
fn prune(conn: &Connection, upto: i64) {
    match conn.execute("DELETE FROM change_log WHERE seq < ?1", [upto]) {
        Ok(_) => {}
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DatabaseBusy => {}
        Err(e) => tracing::debug!("cannot prune the change log: {e}"),
    }
}

/// Publishes what changed in one data directory (see the module docs) until dropped.
pub struct ChangeFeed {
    sender: broadcast::Sender<Changed>,
    stop: Arc<AtomicBool>,
}

impl std::fmt::Debug for ChangeFeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeFeed").field("subscribers", &self.sender.receiver_count()).finish()
    }
}

impl ChangeFeed {
    /// Starts watching `<data_dir>/outpost.db` (already opened, so migrated, by a [`crate::Ctx`])
    /// from a thread of its own; changes made before this call are not published.
    pub fn start(data_dir: &Path) -> Result<Self> {
        let conn = store::open_configured(&data_dir.join(store::DB_FILE))?;
        // Pruning never waits for a writer (see `prune`).
        conn.busy_timeout(Duration::ZERO)?;
        let (sender, _) = broadcast::channel(CHANNEL);
        let stop = Arc::new(AtomicBool::new(false));
        let mut at = position(&conn)?;
        prune(&conn, at);
        // The version is read here, before `start` returns, not in the thread: a write committed
        // between `start` and the thread's first read would otherwise already be "seen" and never
        // published (it happened under load: a remote update applied right after `start`).
        let mut seen = data_version(&conn).ok().flatten();
        let (publish, stopped) = (sender.clone(), Arc::clone(&stop));
        let thread = std::thread::Builder::new().name("outpost-changes".into()).spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                std::thread::sleep(POLL);
                let version = match data_version(&conn) {
                    Ok(version) => version,
                    Err(e) => {
                        tracing::warn!("the change feed cannot read the database: {e}");
                        continue;
                    }
                };
                if version == seen {
                    continue;
                }
                seen = version;
                match since(&conn, at) {
                    Ok((Some(changed), next)) => {
                        at = next;
                        let _ = publish.send(changed);
                        prune(&conn, at);
                    }
                    Ok((None, _)) => {}
                    Err(e) => tracing::warn!("the change feed cannot read the change log: {e}"),
                }
            }
        });
        thread.map_err(|source| Error::DataDir { path: data_dir.to_path_buf(), source })?;
        Ok(Self { sender, stop })
    }

    /// Every [`Changed`] published from now on.
    pub fn subscribe(&self) -> ChangeStream {
        ChangeStream(self.sender.subscribe())
    }
}

/// The events of one subscriber of a [`ChangeFeed`].
#[derive(Debug)]
pub struct ChangeStream(broadcast::Receiver<Changed>);

impl ChangeStream {
    /// The next event; [`Changed::everything`] when this subscriber fell behind and events were
    /// dropped; None once the feed is gone.
    pub async fn next(&mut self) -> Option<Changed> {
        match self.0.recv().await {
            Ok(changed) => Some(changed),
            Err(broadcast::error::RecvError::Lagged(_)) => Some(Changed::everything()),
            Err(broadcast::error::RecvError::Closed) => None,
        }
    }
}

impl Drop for ChangeFeed {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn data_version(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0)).optional()?)
}

#[cfg(test)]
mod tests;
