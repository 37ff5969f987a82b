import { act, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SYNC_POLL_MS } from "../sync";
import { memoryApi } from "../test/memoryApi";
import { renderApp } from "../test/render";

const indicator = () => screen.getByTestId("sync-indicator");

describe("sync indicator", () => {
  afterEach(() => vi.useRealTimers());

  it("shows not syncing, synced, pending N, offline and error as the backend reports them", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const api = memoryApi();
    renderApp(api, "#/contacts");
    await waitFor(() => expect(indicator().textContent).toBe("Not syncing"));
    expect(indicator().dataset.state).toBe("not_connected");

    const poll = async () => {
      await act(async () => {
        await vi.advanceTimersByTimeAsync(SYNC_POLL_MS);
      });
    };
    api.sync.server = "https://sync.example.com";
    await poll();
    expect(indicator().textContent).toBe("Synced");
    expect(indicator().dataset.state).toBe("synced");

    api.sync.pending = 3;
    await poll();
    expect(indicator().textContent).toBe("Pending 3");
    expect(indicator().title).toBe("3 local changes waiting to be sent.");

    api.sync.online = false;
    await poll();
    expect(indicator().textContent).toBe("Offline · 3 pending");
    expect(indicator().dataset.state).toBe("offline");

    api.sync.online = true;
    api.sync.lastError = "the server refused 1 change(s), e.g. contact 42: forbidden";
    await poll();
    expect(indicator().textContent).toBe("Sync error");
    expect(indicator().title).toBe("the server refused 1 change(s), e.g. contact 42: forbidden");
  });

  it("opens the Sync screen", async () => {
    renderApp(memoryApi(), "#/pipeline");
    (await screen.findByTestId("sync-indicator")).click();
    expect(await screen.findByRole("heading", { name: "Sync" })).toBeTruthy();
    expect(window.location.hash).toBe("#/sync");
  });
});
