//! This device's CRDT identity: its client id, rotated when the database is restored or copied.
//!
//! Two live replicas must never write into the CRDT under the same client id (see
//! [`outpost_sync::doc::fresh_client_id`]). The client id is stored in `settings` next to a
//! fingerprint of the database file (device and inode numbers). A restored backup or a copied
//! data directory is a different file, so its fingerprint differs: a fresh client id is drawn and
//! the push sequence base (`sync.seq_base`) jumps ahead, so the server does not mistake the
//! restored copy's new changes for retries of changes it already has.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use rusqlite::{params, Connection, OptionalExtension};

use crate::{Error, Result};

/// Settings keys.
pub(crate) const CLIENT_ID: &str = "sync.client_id";
const FINGERPRINT: &str = "sync.db_fingerprint";
pub(crate) const SEQ_BASE: &str = "sync.seq_base";

/// Client ids already checked in this process, by database path.
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

/// This device's CRDT client id, drawing (and storing) a fresh one on first use or when the
/// database file is not the one the stored id was drawn for. Call inside a write transaction.
pub(crate) fn client_id(conn: &Connection) -> Result<u64> {
    let path = conn.path().unwrap_or_default().to_string();
    if let Some(id) = cache().lock().map_err(|_| Error::Poisoned)?.get(&path) {
        return Ok(*id);
    }
    let print = fingerprint(&path);
    let stored = setting(conn, CLIENT_ID)?.and_then(|v| v.parse::<u64>().ok());
    let id = match stored {
        Some(id) if setting(conn, FINGERPRINT)?.as_deref() == Some(print.as_str()) => id,
        previous => {
            let id = outpost_sync::doc::fresh_client_id()
                .map_err(|e| Error::Sync(format!("cannot create this device's sync identity: {e}")))?;
            set_setting(conn, CLIENT_ID, &id.to_string())?;
            set_setting(conn, FINGERPRINT, &print)?;
            if previous.is_some() {
                // A restored or copied database: never reuse push sequence numbers of the original.
                let base = chrono::Utc::now().timestamp_millis().max(0).unsigned_abs().saturating_mul(1_000_000);
                set_setting(conn, SEQ_BASE, &base.to_string())?;
            }
            id
        }
    };
    cache().lock().map_err(|_| Error::Poisoned)?.insert(path, id);
    Ok(id)
}

/// Added to outbox sequence numbers to form the push `client_seq` (see the module docs).
pub(crate) fn seq_base(conn: &Connection) -> Result<u64> {
    Ok(setting(conn, SEQ_BASE)?.and_then(|v| v.parse().ok()).unwrap_or(0))
}
