// The sync half of the in-memory backend (see memoryApi.ts). It mirrors what the core's
// `replica::session` exposes to the UI: the state derived like `SyncState::of` (not connected,
// then offline, then error, then pending), a token checked on connect and never returned, and
// queued changes that stay on disconnect.
import type { Api } from "../api";
import type { ErrorPayload } from "../bindings/ErrorPayload";
import type { Quarantined } from "../bindings/Quarantined";
import type { SyncState } from "../bindings/SyncState";
import type { SyncStatus } from "../bindings/SyncStatus";

type SyncMethods = Pick<Api, "syncStatus" | "syncConnect" | "syncNow" | "syncDisconnect">;

export interface SyncFacts {
  /** The connected server, or null. */
  server: string | null;
  /** Whether the live connection is up (null: not known yet). */
  online: boolean | null;
  /** Local changes waiting to be pushed. */
  pending: number;
  lastError: string | null;
  lastSyncAt: string | null;
  /** The only device token the "server" accepts. */
  validToken: string;
  /** Tokens the backend was given (what the keychain would hold); the UI never gets them back. */
  keychain: string[];
  /** Remote values refused because they break their field's definition. */
  quarantine: Quarantined[];
}

export function syncFacts(): SyncFacts {
  return { server: null, online: null, pending: 0, lastError: null, lastSyncAt: null, validToken: "opd_valid", keychain: [], quarantine: [] };
}

const syncError = (message: string): ErrorPayload => ({ kind: "sync", field: null, message });

function stateOf(f: SyncFacts): SyncState {
  if (f.server === null) return "not_connected";
  if (f.online === false) return "offline";
  if (f.lastError !== null) return "error";
  return f.pending > 0 ? "pending" : "synced";
}

export function syncMethods(f: SyncFacts, now: string): SyncMethods {
  return {
    async syncStatus(): Promise<SyncStatus> {
      return { state: stateOf(f), server: f.server, online: f.online, last_sync_at: f.lastSyncAt, pending: f.pending, last_error: f.lastError, cursor: 0, quarantined: f.quarantine.length, quarantine: f.quarantine };
    },
    async syncConnect(req) {
      if (req.token !== f.validToken) {
        throw syncError("the sync server refused: this device token is unknown or was revoked; ask an admin for a new one");
      }
      f.server = req.server.replace(/\/+$/, "");
      f.keychain = [req.token];
      f.online = true;
      return { server: f.server, org: "acme", email: "ann@acme.test", role: "rep", token_store: "keychain" };
    },
    async syncNow() {
      if (f.server === null) throw syncError("this device is not connected to a sync server; connect it first");
      const pushed = f.pending;
      f.pending = 0;
      f.lastError = null;
      f.lastSyncAt = now;
      return { backfilled: 0, pushed, rejected: 0, pulled: 0, applied: 0, deleted: 0, deferred: 0, erased: 0, conflicts: 0, cursor: 0 };
    },
    async syncDisconnect() {
      const server = f.server;
      f.server = null;
      f.online = null;
      f.lastError = null;
      f.keychain = [];
      return { server, pending: f.pending };
    },
  };
}
