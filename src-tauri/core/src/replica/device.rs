//! This replica's identities: its CRDT client id (per process) and its push epoch (per database).
//!
//! **Client id.** Two live replicas must never write into the CRDT under the same client id (see
//! [`outpost_sync::doc::fresh_client_id`]): a restored backup or a copied data directory that
//! continued the original's client id would write updates whose ids other replicas already hold
//! with other content, and they would be dropped silently. So, as Yjs does per session, every
//! process draws a fresh client id the first time it writes to a database file, and never stores
//! it: a restored copy, whatever way it was restored (even copied over the same file), is always
//! opened by a new process with a new id.
//!
//! **Epoch.** Push sequence numbers (`client_seq`, the outbox's AUTOINCREMENT number) only mean
//! something within an epoch: a random 64-bit number stored in `settings` with a fingerprint of
//! the database file (device and inode numbers). A copied database (another file) draws a new
//! epoch when it is opened; a database restored over the same file keeps the epoch but its
//! sequence numbers go back, and the server, which remembers the digest of the bytes stored under
//! every (device, epoch, sequence number), refuses the reused numbers with `sequence_reused`:
//! the push then draws a new epoch ([`rotate_epoch`]) and pushes the same changes again.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use rusqlite::{params, Connection, OptionalExtension};

use crate::{store::ctx::Tx, Error, Result};

/// Settings keys.
const EPOCH: &str = "sync.epoch";
const FINGERPRINT: &str = "sync.db_fingerprint";

/// Client ids drawn in this process, by database path and file fingerprint.
fn cache() -> &'static Mutex<HashMap<String, u64>> {
    static CACHE: OnceLock<Mutex<HashMap<String, u64>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Reads one `settings` value.
pub(crate) fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()?)
}

/// Writes one `settings` value.
pub(crate) fn set_setting(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

#[cfg(unix)]
fn fingerprint(path: &str) -> String {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).map(|m| format!("{}:{}", m.dev(), m.ino())).unwrap_or_else(|_| "memory".into())
}

#[cfg(not(unix))]
fn fingerprint(path: &str) -> String {
    std::fs::metadata(path).and_then(|m| m.created()).map(|t| format!("{t:?}")).unwrap_or_else(|_| "memory".into())
}

/// This process's CRDT client id for the database of `conn` (see the module docs): drawn on first
/// use and kept in memory only.
pub(crate) fn client_id(conn: &Connection) -> Result<u64> {
    let path = conn.path().unwrap_or_default().to_string();
    let key = format!("{path}\u{0}{}", fingerprint(&path));
    let mut cache = cache().lock().map_err(|_| Error::Poisoned)?;
    if let Some(id) = cache.get(&key) {
        return Ok(*id);
    }
    let id = outpost_sync::doc::fresh_client_id()
        .map_err(|e| Error::Sync(format!("cannot create this device's sync identity: {e}")))?;
    cache.insert(key, id);
    Ok(id)
}

/// [`client_id`] for the database of `tx`, looked up once per transaction (a bulk flush
/// documents thousands of records in one, and each lookup checks the file's identity).
pub(crate) fn client_id_in(tx: &Tx<'_>) -> Result<u64> {
    tx.client_id_or(client_id)
}

fn random_epoch() -> Result<u64> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| Error::Sync(format!("cannot draw a sync epoch: {e}")))?;
    Ok(u64::from_le_bytes(bytes))
}

/// This database's push epoch, drawing (and storing) a new one when there is none or the
/// database file is not the one it was drawn for (a copy). Call inside a write transaction.
pub(crate) fn epoch(conn: &Connection) -> Result<u64> {
    let print = fingerprint(conn.path().unwrap_or_default());
    let stored = setting(conn, EPOCH)?.and_then(|v| v.parse::<u64>().ok());
    match stored {
        Some(epoch) if setting(conn, FINGERPRINT)?.as_deref() == Some(print.as_str()) => Ok(epoch),
        _ => rotate_epoch(conn),
    }
}

/// Draws and stores a new push epoch (the server said this database's sequence numbers were
/// used before for other bytes: it was restored). Call inside a write transaction.
pub(crate) fn rotate_epoch(conn: &Connection) -> Result<u64> {
    let epoch = random_epoch()?;
    set_setting(conn, EPOCH, &epoch.to_string())?;
    set_setting(conn, FINGERPRINT, &fingerprint(conn.path().unwrap_or_default()))?;
    Ok(epoch)
}
