import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Connection } from "../bindings/Connection";
import type { Delivery } from "../bindings/Delivery";
import { memoryApi } from "../test/memoryApi";
import { renderApp } from "../test/render";

const NOW = "2026-11-25T10:00:00.000Z";

function connection(id: string, provider: string, account: string, over: Partial<Connection> = {}): Connection {
  return {
    id, provider, account, status: "connected", scopes: "", token_expires_at: null, last_sync_at: null, last_error: null,
    created_at: NOW, updated_at: NOW, ...over,
  };
}

function delivery(id: string, text: string, over: Partial<Delivery> = {}): Delivery {
  return {
    id, idempotency_key: `key-${id}`, channel: "slack", target: "https://hooks.slack.com/…", text, status: "pending",
    attempts: 0, max_attempts: 8, next_attempt_at: NOW, last_error: null, last_http_status: null, created_at: NOW,
    updated_at: NOW, delivered_at: null, ...over,
  };
}

describe("connections screen", () => {
  it("lists accounts with status and last sync, checks one into 'sign in again', and disconnects another", async () => {
    const api = memoryApi(NOW);
    api.integrations.connections.push(
      connection("c1", "google", "rep@example.com", { last_sync_at: "2026-11-24T09:00:00.000Z" }),
      connection("c2", "dropbox", "rep@dropbox.example"),
    );
    api.integrations.checks.set("c1", { status: "reconnect", error: "access was revoked; sign in again with `outpost connections add google`" });
    renderApp(api, "#/pipeline");
    fireEvent.click(await screen.findByTestId("nav-connections"));
    const rows = await screen.findAllByTestId("connection");
    expect(rows.map((r) => r.dataset.provider)).toEqual(["google", "dropbox"]);
    const google = rows[0]!;
    expect(within(google).getByText(/rep@example\.com/)).toBeTruthy();
    expect(within(google).getByTestId("connection-status").textContent).toBe("Connected");
    expect(within(rows[1]!).getByTestId("connection-last-sync").textContent).toBe("never synced");

    fireEvent.click(within(google).getByTestId("connection-test"));
    await waitFor(() => expect(within(screen.getAllByTestId("connection")[0]!).getByTestId("connection-status").textContent).toBe("Sign in again"));
    const refreshed = screen.getAllByTestId("connection")[0]!;
    expect(within(refreshed).getByTestId("connection-error").textContent).toContain("access was revoked");
    expect(within(refreshed).getByTestId("connection-reconnect").textContent).toContain("outpost connections add google");
    expect(api.calls.filter(([m]) => m === "testConnection").map(([, a]) => a)).toEqual(["c1"]);

    const dropbox = screen.getAllByTestId("connection")[1]!;
    fireEvent.click(within(dropbox).getByTestId("connection-remove"));
    fireEvent.click(within(dropbox).getByTestId("connection-remove-confirm"));
    await waitFor(() => expect(screen.getAllByTestId("connection")).toHaveLength(1));
    expect(api.calls.filter(([m]) => m === "removeConnection").map(([, a]) => a)).toEqual(["c2"]);
    expect(api.integrations.connections.map((c) => c.id)).toEqual(["c1"]);
  });

  it("connects an account: shows the sign-in address while waiting for the browser, then lists it", async () => {
    const api = memoryApi(NOW);
    let browserBack!: () => void;
    api.integrations.browserReturn = new Promise<void>((resolve) => (browserBack = resolve));
    renderApp(api, "#/connections");
    await screen.findByText(/No accounts connected yet/);
    fireEvent.click(screen.getByTestId("connect-dropbox"));
    const url = await screen.findByTestId("sign-in-url");
    expect(url.textContent).toContain("code_challenge_method=S256");
    expect((screen.getByTestId("connect-google") as HTMLButtonElement).disabled).toBe(true);
    expect(api.calls.filter(([m]) => m === "beginConnect").map(([, a]) => a)).toEqual(["dropbox"]);

    browserBack();
    const row = await screen.findByTestId("connection");
    expect(row.dataset.provider).toBe("dropbox");
    await waitFor(() => expect(screen.queryByTestId("sign-in")).toBeNull());
    expect(api.calls.filter(([m]) => m === "finishConnect").map(([, a]) => a)).toEqual(["attempt-1"]);
    expect((screen.getByTestId("connect-google") as HTMLButtonElement).disabled).toBe(false);
  });

  it("reports a failed sign-in in the banner and connects nothing", async () => {
    const api = memoryApi(NOW);
    api.failNext("finishConnect", { kind: "remote", field: null, message: "the sign-in answer did not carry this attempt's state (possible cross-site request); start again" });
    renderApp(api, "#/connections");
    fireEvent.click(await screen.findByTestId("connect-google"));
    expect((await screen.findByText(/possible cross-site request/)).textContent).toContain("start again");
    expect(screen.queryByTestId("connection")).toBeNull();
    expect(api.integrations.connections).toHaveLength(0);
  });
});

describe("outbound screen", () => {
  it("shows each message's state, retries a failed one, cancels a pending one, and reports a conflict", async () => {
    const api = memoryApi(NOW);
    api.integrations.deliveries.push(
      delivery("d1", "Deal won: Acme", { status: "failed", attempts: 8, last_error: "the receiver answered HTTP 503; gave up after 8 attempts", next_attempt_at: null }),
      delivery("d2", "Weekly digest"),
      delivery("d3", "Alert: stalled deal", { status: "delivered", attempts: 1, delivered_at: NOW, channel: "webhook", target: "https://hooks.example.com/…" }),
    );
    renderApp(api, "#/outbound");
    const rows = await screen.findAllByTestId("delivery");
    expect(rows.map((r) => r.dataset.status)).toEqual(["failed", "pending", "delivered"]);
    expect(within(rows[0]!).getByTestId("delivery-error").textContent).toContain("gave up after 8 attempts");
    expect(within(rows[0]!).getByTestId("delivery-attempts").textContent).toBe("8 of 8 attempts");
    expect(within(rows[2]!).queryByTestId("delivery-retry")).toBeNull();
    expect(within(rows[2]!).queryByTestId("delivery-cancel")).toBeNull();
    expect(within(rows[1]!).queryByTestId("delivery-retry")).toBeNull();

    fireEvent.click(within(rows[0]!).getByTestId("delivery-retry"));
    await waitFor(() => expect(screen.getAllByTestId("delivery")[0]!.dataset.status).toBe("pending"));
    expect(within(screen.getAllByTestId("delivery")[0]!).getByTestId("delivery-attempts").textContent).toBe("0 of 8 attempts");

    const pending = screen.getAllByTestId("delivery")[1]!;
    fireEvent.click(within(pending).getByTestId("delivery-cancel"));
    fireEvent.click(within(pending).getByTestId("delivery-cancel-confirm"));
    await waitFor(() => expect(screen.getAllByTestId("delivery")[1]!.dataset.status).toBe("cancelled"));
    expect(within(screen.getAllByTestId("delivery")[1]!).getByTestId("delivery-status").textContent).toBe("Cancelled");
    expect(within(screen.getAllByTestId("delivery")[1]!).getByTestId("delivery-retry")).toBeTruthy();

    // The backend refuses (e.g. it was delivered meanwhile): the banner says why.
    api.failNext("retryOutbound", { kind: "conflict", field: null, message: "delivery d2 was already delivered; queue a new message instead" });
    fireEvent.click(within(screen.getAllByTestId("delivery")[1]!).getByTestId("delivery-retry"));
    expect((await screen.findByText(/already delivered; queue a new message instead/)).textContent).toContain("d2");
    expect(api.calls.filter(([m]) => m === "cancelOutbound").map(([, a]) => a)).toEqual(["d2"]);
  });
});
