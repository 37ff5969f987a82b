// Keyboard and focus on the board: the regressions of issue 17 (a deal moved on the first
// ArrowDown and focus fell to <body>; modals never gave focus back; no skip link; seven
// currencies in the header; truncated text without tooltips).
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { openTotals } from "../components/PipelineSummary";
import { memoryApi, type MemoryApi } from "../test/memoryApi";
import { column, renderApp, titlesIn } from "../test/render";

async function seeded(): Promise<MemoryApi> {
  const api = memoryApi();
  await api.addDeal({ title: "Globex pilot", value: 3000, currency: "USD", stage: "Lead", company: "Globex Corporation" });
  await api.addDeal({ title: "Acme renewal", value: 12000, currency: "USD", stage: "Lead" });
  api.calls.length = 0;
  return api;
}

const moves = (api: MemoryApi) => api.calls.filter(([m]) => m === "moveDeal").map(([, arg]) => arg);
const selectOf = (title: string) =>
  within(screen.getAllByTestId("deal-card").find((c) => c.textContent?.includes(title))!).getByTestId<HTMLSelectElement>("deal-move-select");

describe("pipeline keyboard", () => {
  it("arrow_down_on_a_stage_select_does_not_move_the_deal_until_enter", async () => {
    const api = await seeded();
    renderApp(api);
    await screen.findAllByTestId("deal-card");
    const select = selectOf("Globex pilot");
    select.focus();
    // What WebKitGTK does on ArrowDown over a closed select: keydown, then change at once.
    fireEvent.keyDown(select, { key: "ArrowDown" });
    fireEvent.change(select, { target: { value: "Qualified" } });
    expect(moves(api)).toEqual([]);
    expect(select.value).toBe("Qualified");
    expect(screen.getByTestId("stage-move-pending").textContent).toBe("Move to Qualified? Enter moves, Esc keeps Lead");
    expect(select.getAttribute("aria-describedby")).toBe(screen.getByTestId("stage-move-pending").id);
    fireEvent.keyDown(select, { key: "ArrowDown" });
    fireEvent.change(select, { target: { value: "Proposal" } });
    expect(moves(api)).toEqual([]);

    fireEvent.keyDown(select, { key: "Enter" });
    await waitFor(() => expect(titlesIn("Proposal")).toEqual(["Globex pilot"]));
    expect(moves(api)).toHaveLength(1);
    expect(moves(api)[0]).toMatchObject({ stage: "Proposal" });
    // The card now lives in another column; focus followed it instead of falling to <body>.
    await waitFor(() => expect(document.activeElement).toBe(selectOf("Globex pilot")));
    expect(screen.queryByTestId("stage-move-pending")).toBeNull();
  });

  it("escape_puts_a_browsed_stage_back_and_moves_nothing", async () => {
    const api = await seeded();
    renderApp(api);
    await screen.findAllByTestId("deal-card");
    const select = selectOf("Acme renewal");
    select.focus();
    fireEvent.keyDown(select, { key: "ArrowDown" });
    fireEvent.change(select, { target: { value: "Qualified" } });
    fireEvent.keyDown(select, { key: "Escape" });
    expect(select.value).toBe("Lead");
    expect(screen.queryByTestId("stage-move-pending")).toBeNull();
    fireEvent.keyDown(select, { key: "Enter" });
    expect(moves(api)).toEqual([]);
    expect(titlesIn("Lead").sort()).toEqual(["Acme renewal", "Globex pilot"]);
  });

  it("a stage picked with the mouse still moves at once", async () => {
    const api = await seeded();
    renderApp(api);
    await screen.findAllByTestId("deal-card");
    const select = selectOf("Acme renewal");
    fireEvent.pointerDown(select);
    fireEvent.change(select, { target: { value: "Won" } });
    await waitFor(() => expect(titlesIn("Won")).toEqual(["Acme renewal"]));
  });

  it("the new deal modal gives focus back to the button that opened it", async () => {
    const api = await seeded();
    renderApp(api);
    await screen.findAllByTestId("deal-card");
    const opener = screen.getByTestId("new-deal");
    opener.focus();
    fireEvent.click(opener);
    expect(document.activeElement?.getAttribute("name")).toBe("title");
    fireEvent.keyDown(document.activeElement!, { key: "Escape" });
    expect(screen.queryByTestId("deal-form")).toBeNull();
    expect(document.activeElement).toBe(opener);

    const add = within(column("Qualified")).getByRole("button", { name: "Add a deal in Qualified" });
    add.focus();
    fireEvent.click(add);
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(document.activeElement).toBe(add);
  });

  it("the skip link is the first stop and moves focus to the main region", async () => {
    renderApp(await seeded());
    await screen.findAllByTestId("deal-card");
    const skip = screen.getByTestId("skip-link");
    expect(document.querySelector("a, button, select, input")).toBe(skip);
    fireEvent.click(skip);
    expect(document.activeElement).toBe(document.getElementById("main"));
    expect(window.location.hash).toBe("#/pipeline");
  });

  it("truncated company · contact lines and stage totals carry the full text as a tooltip", async () => {
    renderApp(await seeded());
    await screen.findAllByTestId("deal-card");
    const card = screen.getAllByTestId("deal-card").find((c) => c.textContent?.includes("Globex pilot"))!;
    expect(card.querySelector(".deal-card__who")?.getAttribute("title")).toBe("Globex Corporation");
    expect(within(column("Lead")).getByTestId("stage-total").getAttribute("title")).toBe("Lead: $15,000");
  });
});

describe("pipeline header money", () => {
  it("shows one currency in full and the others behind '+N other currencies'", async () => {
    const api = memoryApi();
    for (const [i, currency] of ["USD", "USD", "USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD"].entries()) {
      await api.addDeal({ title: `Deal ${i}`, value: 1000 * (i + 1), currency, stage: "Lead" });
    }
    await api.addDeal({ title: "Closed", value: 99000, currency: "SEK", stage: "Won" });
    renderApp(api);
    const summary = await screen.findByTestId("pipeline-summary");
    expect(summary.textContent).toBe("10 deals · $6,000 open · $600 weighted");
    const more = screen.getByTestId("currency-more");
    expect(more.querySelector("summary")?.textContent).toBe("+6 other currencies");
    // Won and lost money is not open pipeline.
    expect(more.textContent).not.toContain("SEK");
    expect([...more.querySelectorAll("tbody th")].map((th) => th.textContent)).toEqual(["USD", "AUD", "CAD", "CHF", "JPY", "GBP", "EUR"]);
  });

  it("openTotals puts the currency most open deals are in first", () => {
    const board = {
      id: "p", name: "Sales",
      stages: [
        {
          stage: { id: "s", pipeline_id: "p", name: "Lead", position: 0n, probability: 10n, kind: "open" as const },
          deal_count: 3,
          totals: [{ currency: "EUR", value: 90000, weighted: 9000 }, { currency: "USD", value: 2000, weighted: 200 }],
          deals: [{ currency: "USD" }, { currency: "USD" }, { currency: "EUR" }],
        },
      ],
    } as unknown as Parameters<typeof openTotals>[0];
    expect(openTotals(board).map((t) => [t.currency, t.deals])).toEqual([["USD", 2], ["EUR", 1]]);
  });
});
