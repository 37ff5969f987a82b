import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { memoryApi, type MemoryApi } from "../test/memoryApi";
import { column, fakeDataTransfer, renderApp, titlesIn } from "../test/render";

async function seeded(): Promise<MemoryApi> {
  const api = memoryApi();
  const acme = await api.addDeal({ title: "Acme renewal", value: 12000, currency: "USD", stage: "Lead", company: "Acme" });
  api.deals.find((d) => d.id === acme.id)!.stage_entered_at = new Date(Date.now() - 3 * 86_400_000 - 60_000).toISOString();
  await api.addDeal({ title: "Globex pilot", value: 3000.5, currency: "USD", stage: "Lead" });
  await api.addDeal({ title: "Initech EU", value: 5000, currency: "EUR", stage: "Lead" });
  await api.addDeal({ title: "Umbrella rollout", value: 40000, currency: "USD", stage: "Proposal" });
  api.calls.length = 0;
  return api;
}

const moves = (api: MemoryApi) => api.calls.filter(([m]) => m === "moveDeal").map(([, arg]) => arg);
const boardLoads = (api: MemoryApi) => api.calls.filter(([m]) => m === "board").length;

describe("pipeline board", () => {
  it("shows one column per stage in order, with deal counts and totals per currency", async () => {
    const api = await seeded();
    renderApp(api);
    await screen.findAllByTestId("deal-card");

    const columns = screen.getAllByTestId("stage-column");
    expect(columns.map((c) => c.dataset.stage)).toEqual(["Lead", "Qualified", "Proposal", "Negotiation", "Won", "Lost"]);

    expect(within(column("Lead")).getByTestId("stage-count").textContent).toBe("3");
    expect(within(column("Lead")).getByTestId("stage-total").textContent).toBe("$15,000.50 · €5,000");
    expect(within(column("Proposal")).getByTestId("stage-count").textContent).toBe("1");
    expect(within(column("Proposal")).getByTestId("stage-total").textContent).toBe("$40,000");
    expect(within(column("Won")).getByTestId("stage-count").textContent).toBe("0");

    expect(titlesIn("Lead").sort()).toEqual(["Acme renewal", "Globex pilot", "Initech EU"]);
    expect(titlesIn("Proposal")).toEqual(["Umbrella rollout"]);

    const acme = screen.getAllByTestId("deal-card").find((c) => c.textContent?.includes("Acme renewal"))!;
    expect(acme.textContent).toContain("$12,000");
    expect(acme.textContent).toContain("Acme");
    expect(within(acme).getByText("3 days in stage")).toBeTruthy();
    const globex = screen.getAllByTestId("deal-card").find((c) => c.textContent?.includes("Globex pilot"))!;
    expect(within(globex).getByText("New in stage today")).toBeTruthy();
    expect(screen.queryByTestId("empty-board")).toBeNull();
  });

  it("shows a friendly empty state when there are no deals, which opens the deal form", async () => {
    const api = memoryApi();
    renderApp(api);
    const empty = await screen.findByTestId("empty-board");
    expect(empty.textContent).toMatch(/add your first deal/i);
    expect(empty.textContent).toMatch(/contacts/i);
    expect(screen.queryAllByTestId("stage-column")).toHaveLength(0);

    fireEvent.click(within(empty).getByRole("button", { name: "Add your first deal" }));
    expect(screen.getByTestId("deal-form")).toBeTruthy();
    expect(document.activeElement?.getAttribute("name")).toBe("title");
    fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    expect(screen.queryByTestId("deal-form")).toBeNull();
  });

  it("moves a deal with the card's stage select and refreshes the board", async () => {
    const api = await seeded();
    renderApp(api);
    await screen.findAllByTestId("deal-card");
    const card = screen.getAllByTestId("deal-card").find((c) => c.textContent?.includes("Globex pilot"))!;
    const select = within(card).getByTestId<HTMLSelectElement>("deal-move-select");
    expect([...select.options].map((o) => o.value)).toEqual(["Lead", "Qualified", "Proposal", "Negotiation", "Won", "Lost"]);
    expect(select.value).toBe("Lead");

    fireEvent.change(select, { target: { value: "Qualified" } });

    await waitFor(() => expect(titlesIn("Qualified")).toEqual(["Globex pilot"]));
    expect(moves(api)).toEqual([{ id: card.dataset.dealId, stage: "Qualified" }]);
    expect(boardLoads(api)).toBe(2);
    expect(within(column("Lead")).getByTestId("stage-count").textContent).toBe("2");
    expect(within(column("Lead")).getByTestId("stage-total").textContent).toBe("$12,000 · €5,000");
    expect(within(column("Qualified")).getByTestId("stage-total").textContent).toBe("$3,000.50");
  });

  it("moves a deal dropped on another column", async () => {
    const api = await seeded();
    renderApp(api);
    await screen.findAllByTestId("deal-card");
    const card = screen.getAllByTestId("deal-card").find((c) => c.textContent?.includes("Umbrella rollout"))!;
    const dataTransfer = fakeDataTransfer();

    fireEvent.dragStart(card, { dataTransfer });
    fireEvent.dragOver(column("Won"), { dataTransfer });
    expect(column("Won").className).toContain("stage--over");
    fireEvent.drop(column("Won"), { dataTransfer });

    await waitFor(() => expect(titlesIn("Won")).toEqual(["Umbrella rollout"]));
    expect(moves(api)).toEqual([{ id: card.dataset.dealId, stage: "Won" }]);
    expect(titlesIn("Proposal")).toEqual([]);
  });

  it("does not call move_deal when a card is dropped on its own column", async () => {
    const api = await seeded();
    renderApp(api);
    await screen.findAllByTestId("deal-card");
    const card = screen.getAllByTestId("deal-card").find((c) => c.textContent?.includes("Umbrella rollout"))!;
    const dataTransfer = fakeDataTransfer();
    fireEvent.dragStart(card, { dataTransfer });
    fireEvent.drop(column("Proposal"), { dataTransfer });
    expect(moves(api)).toEqual([]);
  });

  it("shows a failed move in the error banner and keeps the deal where it was", async () => {
    const api = await seeded();
    api.failNext("moveDeal", { kind: "storage", message: "the database is busy; try again", field: null });
    renderApp(api);
    await screen.findAllByTestId("deal-card");
    const card = screen.getAllByTestId("deal-card").find((c) => c.textContent?.includes("Initech EU"))!;
    fireEvent.change(within(card).getByTestId("deal-move-select"), { target: { value: "Lost" } });

    expect((await screen.findByTestId("error-banner")).textContent).toContain("The database is busy; try again");
    await waitFor(() => expect(boardLoads(api)).toBe(2));
    expect(titlesIn("Lead")).toContain("Initech EU");
    expect(titlesIn("Lost")).toEqual([]);
  });
});

describe("new deal form", () => {
  async function openForm(api: MemoryApi) {
    renderApp(api);
    await screen.findAllByTestId("stage-column");
    fireEvent.click(screen.getByTestId("new-deal"));
    return screen.getByTestId("deal-form") as HTMLFormElement;
  }
  const input = (form: HTMLFormElement, name: string) => form.querySelector<HTMLInputElement>(`[name="${name}"]`)!;

  it("creates a deal in the chosen stage and shows it on the refreshed board", async () => {
    const api = await seeded();
    const form = await openForm(api);
    const stage = form.querySelector<HTMLSelectElement>('select[name="stage"]')!;
    expect([...stage.options].map((o) => o.value)).toEqual(["Lead", "Qualified", "Proposal", "Negotiation", "Won", "Lost"]);

    fireEvent.change(input(form, "title"), { target: { value: "Hooli expansion" } });
    fireEvent.change(input(form, "value"), { target: { value: "2,500" } });
    fireEvent.change(input(form, "currency"), { target: { value: "eur" } });
    fireEvent.change(stage, { target: { value: "Negotiation" } });
    fireEvent.change(input(form, "company"), { target: { value: "Hooli" } });
    fireEvent.click(screen.getByTestId("deal-submit"));

    await waitFor(() => expect(screen.queryByTestId("deal-form")).toBeNull());
    expect(api.calls.find(([m]) => m === "addDeal")?.[1]).toEqual({
      title: "Hooli expansion",
      value: 2500,
      currency: "EUR",
      stage: "Negotiation",
      company: "Hooli",
    });
    await waitFor(() => expect(titlesIn("Negotiation")).toEqual(["Hooli expansion"]));
    expect(within(column("Negotiation")).getByTestId("stage-total").textContent).toBe("€2,500");
  });

  it("shows the server's validation error inline under the offending field", async () => {
    const api = await seeded();
    const form = await openForm(api);
    fireEvent.change(input(form, "title"), { target: { value: "Refund" } });
    fireEvent.change(input(form, "value"), { target: { value: "-5" } });
    fireEvent.click(screen.getByTestId("deal-submit"));

    const error = await screen.findByTestId("error-value");
    expect(error.textContent).toBe("Value cannot be negative (got -5)");
    expect(input(form, "value").getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByTestId("deal-form")).toBeTruthy();
    expect(screen.queryByTestId("error-banner")).toBeNull();
    expect(api.deals).toHaveLength(4);

    fireEvent.change(input(form, "value"), { target: { value: "10" } });
    fireEvent.change(input(form, "currency"), { target: { value: "EURO" } });
    fireEvent.click(screen.getByTestId("deal-submit"));
    expect((await screen.findByTestId("error-currency")).textContent).toContain("is not a currency code");
    expect(screen.queryByTestId("error-value")).toBeNull();
  });

  it("checks the title itself and does not call the backend without one", async () => {
    const api = await seeded();
    await openForm(api);
    fireEvent.click(screen.getByTestId("deal-submit"));
    expect(screen.getByTestId("error-title").textContent).toBe("Title is required");
    expect(api.calls.some(([m]) => m === "addDeal")).toBe(false);
  });

  it("disables submit while saving", async () => {
    const api = await seeded();
    let release: () => void = () => {};
    const addDeal = api.addDeal;
    api.addDeal = (req) => new Promise((resolve) => (release = () => resolve(addDeal(req))));
    const form = await openForm(api);
    fireEvent.change(input(form, "title"), { target: { value: "Slow one" } });
    fireEvent.click(screen.getByTestId("deal-submit"));
    const submit = screen.getByTestId<HTMLButtonElement>("deal-submit");
    expect(submit.disabled).toBe(true);
    expect(submit.textContent).toBe("Saving…");
    await act(async () => release());
    await waitFor(() => expect(screen.queryByTestId("deal-form")).toBeNull());
  });

  it("reports non-validation failures in the error banner", async () => {
    const api = await seeded();
    api.failNext("addDeal", { kind: "storage", message: "disk is full", field: null });
    const form = await openForm(api);
    fireEvent.change(input(form, "title"), { target: { value: "Anything" } });
    fireEvent.click(screen.getByTestId("deal-submit"));
    expect((await screen.findByTestId("error-banner")).textContent).toContain("Disk is full");
    expect(screen.getByTestId("deal-form")).toBeTruthy();
  });
});
