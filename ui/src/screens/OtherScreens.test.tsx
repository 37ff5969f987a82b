import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Task } from "../bindings/Task";
import { memoryApi } from "../test/memoryApi";
import { renderApp } from "../test/render";
import { groupTasks } from "./TasksScreen";

const task = (title: string, due_date: string | null, created_at = "2026-01-01T00:00:00Z"): Task => ({
  id: title, title, notes: null, due_date, priority: "normal", entity_type: null, entity_id: null, entity_name: null, done_at: null, created_at, updated_at: created_at,
});

describe("tasks", () => {
  it("groups open tasks into overdue, today, upcoming and undated", () => {
    const now = new Date(2026, 2, 10, 9, 0);
    const groups = groupTasks([task("later", "2026-04-01"), task("none", null), task("old", "2026-03-01"), task("today", "2026-03-10"), task("older", "2026-02-01")], now);
    expect(groups.map((g) => [g.title, g.tasks.map((t) => t.title)])).toEqual([
      ["Overdue", ["older", "old"]],
      ["Today", ["today"]],
      ["Upcoming", ["later"]],
      ["No due date", ["none"]],
    ]);
  });

  it("highlights overdue tasks, marks tasks done and adds new ones", async () => {
    const api = memoryApi();
    const deal = await api.addDeal({ title: "Acme" });
    await api.addTask({ title: "Chase invoice", due_date: "2021-06-01", deal_id: deal.id });
    await api.addTask({ title: "Plan QBR", due_date: "2099-01-01" });
    renderApp(api, "#/tasks");

    const rows = await screen.findAllByTestId("task-row");
    expect(rows.map((r) => [r.textContent?.includes("Chase invoice"), r.dataset.overdue])).toEqual([
      [true, "true"],
      [false, undefined],
    ]);
    expect(rows[0]!.textContent).toContain("Overdue");
    // The task names the deal it is for, not just "Deal".
    expect(within(rows[0]!).getByTestId("task-link").textContent).toBe("Deal Acme");
    expect(within(rows[0]!).getByRole("link", { name: "Deal Acme" }).getAttribute("href")).toBe(`#/deals/${deal.id}`);

    fireEvent.click(within(rows[0]!).getByRole("checkbox"));
    await waitFor(() => expect(screen.getAllByTestId("task-row")).toHaveLength(1));
    expect(api.calls.filter(([m]) => m === "completeTask")).toHaveLength(1);

    fireEvent.change(screen.getByLabelText("Task"), { target: { value: "Call Bob" } });
    fireEvent.click(screen.getByTestId("task-submit"));
    await waitFor(() => expect(screen.getAllByTestId("task-row")).toHaveLength(2));
    expect(screen.getByText("Call Bob")).toBeTruthy();
  });
});

describe("companies", () => {
  it("lists, searches, adds and opens companies with their people and deals", async () => {
    const api = memoryApi();
    await api.addContact({ first_name: "Alice", company: "Acme" });
    await api.addContact({ first_name: "Zoe", company: "Zeta" });
    const acme = api.companies.find((c) => c.name === "Acme")!;
    await api.addDeal({ title: "Acme renewal", company: "Acme" });
    renderApp(api, "#/companies");
    await waitFor(() => expect(screen.getAllByTestId("company-row")).toHaveLength(2));

    fireEvent.change(screen.getByTestId("company-search"), { target: { value: "acm" } });
    await waitFor(() => expect(screen.getAllByTestId("company-row")).toHaveLength(1));
    expect(api.calls).toContainEqual(["listCompanies", { search: "acm", limit: 200 }]);

    fireEvent.click(screen.getByTestId("new-company"));
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "Acme Labs" } });
    fireEvent.click(screen.getByTestId("company-submit"));
    await waitFor(() => expect(screen.getAllByTestId("company-row")).toHaveLength(2));

    fireEvent.click(screen.getByRole("link", { name: "Acme" }));
    expect((await screen.findByTestId("company-name")).textContent).toBe("Acme");
    expect(await screen.findByRole("link", { name: "Alice" })).toBeTruthy();
    expect(await screen.findByRole("link", { name: "Acme renewal" })).toBeTruthy();
    expect(api.calls).toContainEqual(["listDeals", { company_id: acme.id }]);
  });
});

describe("meetings", () => {
  it("lists upcoming and past meetings", async () => {
    const api = memoryApi();
    const base = {
      ends_at: null, all_day: false, location: "Zoom", description: null, notes: null, company_id: null, deal_id: null,
      calendar_uid: null, suggested_contacts: [], created_at: "", updated_at: "",
    };
    api.meetings = [
      { ...base, id: "m1", title: "Kickoff", starts_at: "2020-05-01T10:00:00Z", status: "scheduled", attendees: [] },
      { ...base, id: "m2", title: "Renewal review", starts_at: "2099-05-01T10:00:00Z", status: "cancelled", attendees: [{ email: "bob@x.com", name: "Bob", contact_id: null, is_internal: false }] },
    ];
    renderApp(api, "#/meetings");
    const rows = await screen.findAllByTestId("meeting-row");
    expect(rows.map((r) => r.querySelector(".meeting__title")?.textContent)).toEqual(["Renewal review", "Kickoff"]);
    expect(within(rows[0]!).getByText("Cancelled")).toBeTruthy();
    expect(rows[0]!.textContent).toContain("Bob");
    expect(screen.getByText("1 upcoming · 1 past")).toBeTruthy();
  });
});

describe("navigation", () => {
  it("switches screens from the left nav and marks the current one", async () => {
    const api = memoryApi();
    renderApp(api);
    await screen.findByTestId("empty-board");
    for (const [id, heading] of [["contacts", "Contacts"], ["companies", "Companies"], ["tasks", "Tasks"], ["meetings", "Meetings"], ["pipeline", "Sales"]]) {
      fireEvent.click(screen.getByTestId(`nav-${id}`));
      expect(await screen.findByRole("heading", { level: 1, name: heading })).toBeTruthy();
      expect(screen.getByTestId(`nav-${id}`).getAttribute("aria-current")).toBe("page");
    }
  });
});
