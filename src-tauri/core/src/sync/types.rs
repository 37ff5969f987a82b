//! What the sync commands return: connect, `sync now` counts, status and its one-word state.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The server's answer to `sync connect`.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Connected {
    /// Server URL stored in the settings.
    pub server: String,
    /// Organisation of the device's user.
    pub org: String,
    /// The device's user.
    pub email: String,
    /// The user's role.
    pub role: String,
    /// Where the device token is kept: `keychain` or `environment`.
    pub token_store: String,
}

/// What the Sync settings screen sends to connect this device.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct ConnectRequest {
    /// Server base URL, e.g. `https://sync.example.com`.
    pub server: String,
    /// The device token shown once by `outpost-server device-token` (kept in the OS keychain).
    pub token: String,
}

/// Counts of one `sync now`.
#[derive(Debug, Clone, Default, Serialize, TS)]
#[ts(export)]
pub struct SyncReport {
    /// Records written before sync was set up and queued now (first sync only).
    #[ts(type = "number")]
    pub backfilled: u64,
    /// Outbox entries the server stored (or already had).
    #[ts(type = "number")]
    pub pushed: u64,
    /// Outbox entries the server refused (dropped; see `last_error`).
    #[ts(type = "number")]
    pub rejected: u64,
    /// Updates received.
    #[ts(type = "number")]
    pub pulled: u64,
    /// Received updates that changed a record here (others were already known, e.g. our own).
    #[ts(type = "number")]
    pub applied: u64,
    /// Records removed because they were deleted elsewhere.
    #[ts(type = "number")]
    pub deleted: u64,
    /// Records whose received state does not form a valid row yet (kept until it does).
    #[ts(type = "number")]
    pub deferred: u64,
    /// Records erased here because they were erased elsewhere (GDPR).
    #[ts(type = "number")]
    pub erased: u64,
    /// Records changed both here and elsewhere since the last sync, merged field by field.
    #[ts(type = "number")]
    pub conflicts: u64,
    /// Pull cursor after the sync.
    #[ts(type = "number")]
    pub cursor: u64,
}

/// The one-word sync state the status indicator shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SyncState {
    /// No sync server configured.
    NotConnected,
    /// Connected, nothing waiting, no error.
    Synced,
    /// Local changes wait to be pushed.
    Pending,
    /// The live connection to the server is down (reconnecting with backoff).
    Offline,
    /// The last sync failed or the server refused changes; see `last_error`.
    Error,
}

impl SyncState {
    /// The state from the stored facts: not connected, then offline, then error, then pending.
    pub fn of(server: Option<&str>, online: Option<bool>, last_error: Option<&str>, pending: u64) -> SyncState {
        match (server, online, last_error) {
            (None, _, _) => SyncState::NotConnected,
            (Some(_), Some(false), _) => SyncState::Offline,
            (Some(_), _, Some(_)) => SyncState::Error,
            _ if pending > 0 => SyncState::Pending,
            _ => SyncState::Synced,
        }
    }
}

/// What `sync status` shows.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    /// The indicator's state (see [`SyncState::of`]).
    pub state: SyncState,
    /// Server URL, if connected.
    pub server: Option<String>,
    /// Whether the live connection (desktop app, `sync run`) is up; null when not known yet.
    pub online: Option<bool>,
    /// When the last successful sync finished (RFC 3339).
    pub last_sync_at: Option<String>,
    /// Local changes waiting to be pushed.
    #[ts(type = "number")]
    pub pending: u64,
    /// The last sync failure, cleared by the next success.
    pub last_error: Option<String>,
    /// Pull cursor.
    #[ts(type = "number")]
    pub cursor: u64,
    /// Remote values refused because they break their field's definition (the records keep their
    /// last valid values; see `replica::quarantine`).
    #[ts(type = "number")]
    pub quarantined: u64,
    /// The most recent of them (at most 50).
    pub quarantine: Vec<crate::replica::quarantine::Quarantined>,
}

/// What `sync disconnect` did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Disconnected {
    /// The server this device was connected to, if any.
    pub server: Option<String>,
    /// Local changes not pushed yet; they stay queued and go out on the next connect.
    #[ts(type = "number")]
    pub pending: u64,
}
