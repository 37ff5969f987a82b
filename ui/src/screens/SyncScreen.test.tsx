import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SYNC_POLL_MS } from "../sync";
import { memoryApi } from "../test/memoryApi";
import { renderApp } from "../test/render";

describe("sync settings", () => {
  it("connects with server URL and token (inline errors first), never shows the token again, syncs and disconnects", async () => {
    const api = memoryApi();
    api.sync.pending = 2;
    renderApp(api, "#/sync");
    await screen.findByTestId("sync-connect-form");

    fireEvent.click(screen.getByTestId("sync-connect"));
    expect((await screen.findByTestId("error-server")).textContent).toContain("required");
    expect(screen.getByTestId("error-token").textContent).toContain("required");
    const server = screen.getByLabelText("Server URL");
    const token = screen.getByLabelText("Device token") as HTMLInputElement;
    expect(token.type).toBe("password");
    fireEvent.change(server, { target: { value: "sync.example.com" } });
    fireEvent.change(token, { target: { value: "opd_wrong" } });
    fireEvent.click(screen.getByTestId("sync-connect"));
    expect((await screen.findByTestId("error-server")).textContent).toContain("http:// or https://");
    expect(api.calls.some(([m]) => m === "syncConnect")).toBe(false);

    // A token the server refuses: the error is shown and the device stays disconnected.
    fireEvent.change(server, { target: { value: "https://sync.example.com/" } });
    fireEvent.click(screen.getByTestId("sync-connect"));
    await waitFor(() => expect(document.body.textContent).toContain("unknown or was revoked"));
    expect(api.sync.server).toBeNull();

    fireEvent.change(token, { target: { value: "opd_valid" } });
    fireEvent.click(screen.getByTestId("sync-connect"));
    expect((await screen.findByTestId("sync-welcome")).textContent).toBe("Connected to https://sync.example.com as ann@acme.test (acme).");
    expect(api.sync.keychain).toEqual(["opd_valid"]);
    expect(await screen.findByTestId("sync-server")).toHaveProperty("textContent", "https://sync.example.com");
    expect(screen.getByTestId("sync-state").textContent).toBe("Pending 2");
    expect(screen.getByTestId("sync-pending").textContent).toBe("2");
    expect(document.body.innerHTML).not.toContain("opd_valid");

    fireEvent.click(screen.getByTestId("sync-now"));
    await waitFor(() => expect(screen.getByTestId("sync-state").textContent).toBe("Synced"));
    expect(screen.getByTestId("sync-pending").textContent).toBe("0");
    expect(screen.getByTestId("sync-last").textContent).not.toBe("Never");

    api.sync.pending = 1;
    const panel = screen.getByRole("region", { name: "Sync server" });
    fireEvent.click(within(panel).getByTestId("sync-disconnect"));
    fireEvent.click(within(panel).getByTestId("sync-disconnect-confirm"));
    await screen.findByTestId("sync-connect-form");
    expect(api.sync.server).toBeNull();
    expect(api.sync.keychain).toEqual([]);
    expect(api.sync.pending).toBe(1);
    expect((screen.getByLabelText("Device token") as HTMLInputElement).value).toBe("");
  });

  afterEach(() => vi.useRealTimers());

  it("explains a failed sync on the screen and follows the background sync's progress", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = memoryApi();
    Object.assign(api.sync, { server: "https://sync.example.com", online: true, lastError: "the server refused 1 change(s)" });
    renderApp(api, "#/sync");
    expect((await screen.findByTestId("sync-state")).textContent).toBe("Sync error");
    expect(screen.getByTestId("sync-explanation").textContent).toBe("the server refused 1 change(s)");

    Object.assign(api.sync, { lastError: null, lastSyncAt: "2026-01-02T10:00:00Z" });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(SYNC_POLL_MS);
    });
    expect(screen.getByTestId("sync-state").textContent).toBe("Synced");
    expect(screen.getByTestId("sync-last").textContent).not.toBe("Never");
  });

  it("lists the remote values this device refused, and hides the list when there are none", async () => {
    const api = memoryApi();
    Object.assign(api.sync, { server: "https://sync.example.com", online: true });
    renderApp(api, "#/sync");
    await screen.findByTestId("sync-state");
    expect(screen.queryByTestId("sync-quarantine")).toBeNull();

    api.sync.quarantine = [
      {
        doc_id: "0190a1b2-0000-7000-8000-000000000abc",
        kind: "deal",
        field: "value_minor",
        reason: "must be a whole number (got text)",
        value: "a lot",
        received_at: "2026-01-02T10:00:00Z",
      },
    ];
    fireEvent.click(screen.getByTestId("sync-now"));
    const table = await screen.findByTestId("sync-quarantine");
    expect(screen.getByTestId("sync-quarantined").textContent).toContain("1 value received from other devices");
    expect(table.textContent).toContain("value_minor");
    expect(table.textContent).toContain("must be a whole number");
  });
});
