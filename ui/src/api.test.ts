import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn((..._args: unknown[]) => Promise.resolve("ok"));
class FakeChannel {
  onmessage: (message: unknown) => void = () => {};
}
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args), Channel: FakeChannel }));
type Handler = (event: { payload: unknown }) => void;
const listeners = new Map<string, Handler>();
const unlisten = vi.fn();
vi.mock("@tauri-apps/api/event", () => ({
  listen: (name: string, handler: Handler) => {
    listeners.set(name, handler);
    return Promise.resolve(unlisten);
  },
}));

const { tauriApi } = await import("./api");
const { COMMANDS } = await import("./gen/commands");

describe("tauri api", () => {
  beforeEach(() => invoke.mockClear());

  it("calls board and stages without arguments", async () => {
    await tauriApi.board();
    await tauriApi.stages();
    expect(invoke.mock.calls).toEqual([["board"], ["stages"]]);
  });

  it("passes the single argument as `req` to the snake_case command", async () => {
    await tauriApi.listContacts({ search: "ali", limit: 200 });
    await tauriApi.moveDeal({ id: "d1", stage: "Won" });
    await tauriApi.getContact("c1");
    await tauriApi.completeTask("t1");
    expect(invoke.mock.calls).toEqual([
      ["list_contacts", { req: { search: "ali", limit: 200 } }],
      ["move_deal", { req: { id: "d1", stage: "Won" } }],
      ["get_contact", { req: "c1" }],
      ["complete_task", { req: "t1" }],
    ]);
  });

  it("covers every command of the Rust command table, each exactly once", async () => {
    // COMMANDS is generated from src-tauri/src/commands/table.rs, the list the app registers and
    // its capability grants: a command without a wrapper here, or a wrapper for a command the app
    // does not have, fails this test.
    for (const fn of Object.values(tauriApi)) await (fn as (arg: unknown) => Promise<unknown>)({});
    expect(invoke.mock.calls.map((c) => c[0]).sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it("sends `req: null` to a command whose request is `()` and nothing to one without a request", async () => {
    await tauriApi.cancelImports();
    await tauriApi.listMerges();
    await tauriApi.listImports(20);
    expect(invoke.mock.calls).toEqual([["cancel_imports", { req: null }], ["list_merges"], ["list_imports", { req: 20 }]]);
  });

  it("sends the provider's API key as a separate argument and a cleared limit as null", async () => {
    const config = { kind: "openai", base_url: "http://127.0.0.1:11434/v1", model: "llama3.1" } as never;
    await tauriApi.setCopilotProvider(config, "sk-test");
    await tauriApi.setCopilotLimit(null);
    expect(invoke.mock.calls).toEqual([
      ["set_copilot_provider", { req: config, apiKey: "sk-test" }],
      ["set_copilot_limit", { req: null }],
    ]);
  });

  it("delivers the agent's `alerts` events to subscribers until they unsubscribe", async () => {
    const seen: unknown[] = [];
    const stop = tauriApi.subscribeAlerts((raised) => seen.push(...raised));
    listeners.get("alerts")?.({ payload: [{ id: "n1", kind: "deal_stale" }] });
    expect(seen).toEqual([{ id: "n1", kind: "deal_stale" }]);
    stop();
    await Promise.resolve();
    await Promise.resolve();
    expect(unlisten).toHaveBeenCalledTimes(1);
  });

  it("sends an upload as a raw body with its name percent-encoded in a header", async () => {
    const bytes = new Uint8Array([104, 105]);
    await tauriApi.stageUpload("Leads Q4 é.csv", bytes);
    expect(invoke.mock.calls).toEqual([["stage_upload", bytes, { headers: { "x-file-name": "Leads%20Q4%20%C3%A9.csv" } }]]);
  });

  it("streams import progress through a channel argument", async () => {
    const seen: unknown[] = [];
    await tauriApi.runImport({ path: "/in/a.csv", mode: "skip", force: false }, (p) => seen.push(p));
    const [command, args] = invoke.mock.calls[0] as [string, { req: unknown; onProgress: FakeChannel }];
    expect(command).toBe("run_import");
    expect(args.req).toEqual({ path: "/in/a.csv", mode: "skip", force: false });
    args.onProgress.onmessage({ rows_done: 2 });
    expect(seen).toEqual([{ rows_done: 2 }]);
  });
});
