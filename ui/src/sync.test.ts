import { describe, expect, it } from "vitest";
import type { SyncStatus } from "./bindings/SyncStatus";
import { connectErrors, syncExplanation, syncLabel } from "./sync";

const status = (over: Partial<SyncStatus>): SyncStatus => ({
  state: "synced", server: "https://s", online: true, last_sync_at: null, pending: 0, last_error: null, cursor: 0, quarantined: 0, quarantine: [], ...over,
});

describe("sync labels", () => {
  it("names every state", () => {
    expect(syncLabel(status({ state: "not_connected", server: null }))).toBe("Not syncing");
    expect(syncLabel(status({ state: "synced" }))).toBe("Synced");
    expect(syncLabel(status({ state: "pending", pending: 1 }))).toBe("Pending 1");
    expect(syncLabel(status({ state: "offline" }))).toBe("Offline");
    expect(syncLabel(status({ state: "error", last_error: "boom" }))).toBe("Sync error");
    expect(syncExplanation(status({ state: "pending", pending: 1 }))).toBe("1 local change waiting to be sent.");
    expect(syncExplanation(status({ state: "error", last_error: "boom" }))).toBe("boom");
  });

  it("checks the connect form", () => {
    expect(connectErrors("", "")).toEqual({
      server: "is required, e.g. https://sync.example.com",
      token: "is required: paste the device token your admin gave you",
    });
    expect(connectErrors("ftp://x", "t")).toEqual({ server: "must start with http:// or https://" });
    expect(connectErrors(" http://127.0.0.1:7777 ", "opd_x")).toEqual({});
  });
});
