// What the sync indicator and the Sync screen show for a `SyncStatus` (pure, unit-tested).
import type { SyncStatus } from "./bindings/SyncStatus";

/** How often the indicator re-reads the (local) sync status, in milliseconds. */
export const SYNC_POLL_MS = 3000;

/** The indicator's short label: "Synced", "Pending 3", "Offline", "Sync error", "Not syncing". */
export function syncLabel(status: SyncStatus): string {
  switch (status.state) {
    case "not_connected":
      return "Not syncing";
    case "synced":
      return "Synced";
    case "pending":
      return `Pending ${status.pending}`;
    case "offline":
      return status.pending > 0 ? `Offline · ${status.pending} pending` : "Offline";
    case "error":
      return "Sync error";
  }
}

/** A one-sentence explanation for the indicator's tooltip and the Sync screen. */
export function syncExplanation(status: SyncStatus): string {
  switch (status.state) {
    case "not_connected":
      return "This device is not connected to a sync server. Connect it on the Sync screen.";
    case "synced":
      return "Everything on this device is on the server.";
    case "pending":
      return `${status.pending} local change${status.pending === 1 ? "" : "s"} waiting to be sent.`;
    case "offline":
      return "The sync server cannot be reached; changes are kept here and sent when it is back.";
    case "error":
      return status.last_error ?? "The last sync failed.";
  }
}

/** Client-side checks of the connect form, as field → message. */
export function connectErrors(server: string, token: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const url = server.trim();
  if (!url) errors.server = "is required, e.g. https://sync.example.com";
  else if (!/^https?:\/\/[^\s/]+/i.test(url)) errors.server = "must start with http:// or https://";
  if (!token.trim()) errors.token = "is required: paste the device token your admin gave you";
  return errors;
}
