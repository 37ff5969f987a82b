import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn((..._args: unknown[]) => Promise.resolve("ok"));
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

const { tauriApi } = await import("./api");

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

  it("covers every command the backend allows", async () => {
    const commands = [
      "board", "stages", "list_contacts", "get_contact", "add_contact", "update_contact", "delete_contact",
      "list_companies", "get_company", "add_company", "update_company", "delete_company",
      "list_deals", "get_deal", "add_deal", "update_deal", "move_deal", "delete_deal",
      "list_activities", "log_activity", "list_tasks", "add_task", "complete_task", "list_meetings",
    ];
    for (const fn of Object.values(tauriApi)) await (fn as (arg: unknown) => Promise<unknown>)({});
    expect(invoke.mock.calls.map((c) => c[0]).sort()).toEqual([...commands].sort());
  });
});
