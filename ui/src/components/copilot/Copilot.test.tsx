import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { memoryApi } from "../../test/memoryApi";
import { renderApp } from "../../test/render";

async function dealScreen() {
  const api = memoryApi();
  const sam = await api.addContact({ first_name: "Sam", email: "sam@acme.com", email_opt_out: true });
  const deal = await api.addDeal({ title: "Acme pilot", value: 5000, contact_id: sam.id });
  api.calls.length = 0;
  renderApp(api, `#/deals/${deal.id}`);
  await screen.findByTestId("deal-name");
  return { api, deal, sam };
}

const copilot = () => screen.getByRole("region", { name: "Copilot" });
const memories = () => screen.getByRole("region", { name: "Memories" });

describe("copilot panel", () => {
  it("asks about the deal in view, shows cards, and applies an action only on click", async () => {
    const { api, deal } = await dealScreen();
    fireEvent.click(within(copilot()).getByTestId("copilot-ask"));

    const card = await within(copilot()).findByTestId("copilot-action");
    expect(api.calls).toContainEqual(["copilotAsk", { question: "What should I do next?", deal_id: deal.id, thread_id: undefined }]);
    expect(card.dataset.status).toBe("pending");
    expect(card.textContent).toContain('Create task "Follow up on Acme pilot"');
    expect(card.textContent).toContain("nothing is sent to anyone");
    expect(within(copilot()).getByTestId("copilot-reason").dataset.records).toBe(deal.id);
    expect(api.tasks).toEqual([]);
    expect(api.calls.some(([m]) => m === "confirmCopilotAction")).toBe(false);

    fireEvent.click(within(card).getByTestId("copilot-apply"));
    await waitFor(() => expect(within(copilot()).getByTestId("copilot-action").dataset.status).toBe("executed"));
    expect(api.tasks.map((t) => t.title)).toEqual(["Follow up on Acme pilot"]);
    // The new task shows in the deal's open tasks without a reload.
    const tasksPanel = screen.getByRole("region", { name: "Open tasks" });
    expect((await within(tasksPanel).findByTestId("task-row")).textContent).toContain("Follow up on Acme pilot");
  });

  it("dismisses without running, and shows warnings from the backend", async () => {
    const { api, sam } = await dealScreen();
    fireEvent.click(within(copilot()).getByTestId("copilot-ask"));
    fireEvent.click(await within(copilot()).findByTestId("copilot-dismiss"));
    await waitFor(() => expect(within(copilot()).getByTestId("copilot-action-status").textContent).toBe("Dismissed"));
    expect(api.tasks).toEqual([]);

    window.location.hash = `#/contacts/${sam.id}`;
    await screen.findByTestId("contact-name");
    fireEvent.change(within(copilot()).getByTestId("copilot-question"), { target: { value: "email Sam" } });
    fireEvent.click(within(copilot()).getByTestId("copilot-ask"));
    const warning = await within(copilot()).findByTestId("copilot-warning");
    expect(warning.dataset.code).toBe("opted_out");
    expect(warning.textContent).toContain("opted out of email");
  });
});

describe("memories panel", () => {
  it("adds, edits and forgets a memory about the deal", async () => {
    const { api, deal } = await dealScreen();
    await within(memories()).findByText("Nothing remembered yet.");
    fireEvent.change(within(memories()).getByLabelText("Category"), { target: { value: "preference" } });
    fireEvent.change(within(memories()).getByTestId("memory-text-input"), { target: { value: "Wants pricing in EUR" } });
    fireEvent.click(within(memories()).getByTestId("memory-add"));
    expect((await within(memories()).findByTestId("memory-text")).textContent).toBe("Wants pricing in EUR");
    expect(api.calls).toContainEqual(["addMemory", { category: "preference", content: "Wants pricing in EUR", deal_id: deal.id }]);

    fireEvent.click(within(memories()).getByTestId("memory-edit"));
    fireEvent.change(within(memories()).getByTestId("memory-edit-text"), { target: { value: "Wants pricing in GBP" } });
    fireEvent.click(within(memories()).getByTestId("memory-save"));
    await waitFor(() => expect(within(memories()).getByTestId("memory-text").textContent).toBe("Wants pricing in GBP"));

    fireEvent.click(within(memories()).getByTestId("memory-forget"));
    fireEvent.click(within(memories()).getByTestId("memory-forget-confirm"));
    await within(memories()).findByText("Nothing remembered yet.");
    expect(api.copilot.memories).toEqual([]);
  });
});

describe("copilot threads", () => {
  it("lists previous conversations, opens one with its messages, and the next question continues it", async () => {
    const { api, deal } = await dealScreen();
    api.settings.threads.push(
      {
        id: "t-recent", title: "Who should I call today?", summary: null,
        messages: [
          { role: "user", content: "Who should I call today?", created_at: "2026-11-24T09:00:00Z" },
          { role: "assistant", content: "Call Sam about the pilot.", created_at: "2026-11-24T09:00:01Z" },
        ],
      },
      { id: "t-old", title: "Summarise Acme", summary: "Q: hi\nA: hello", messages: [] },
    );
    fireEvent.click(within(copilot()).getByTestId("copilot-history"));
    const items = await within(copilot()).findAllByTestId("copilot-thread-item");
    expect(items.map((i) => i.textContent)).toEqual(["Who should I call today?", "Summarise Acme"]);
    expect(api.calls).toContainEqual(["listCopilotThreads", 20]);

    fireEvent.click(items[0]!);
    const thread = await within(copilot()).findByTestId("copilot-thread");
    expect(thread.dataset.threadId).toBe("t-recent");
    const messages = within(thread).getAllByTestId("copilot-message");
    expect(messages.map((m) => m.dataset.role)).toEqual(["user", "assistant"]);
    expect(messages[1]!.textContent).toContain("Call Sam about the pilot.");
    expect(within(copilot()).queryAllByTestId("copilot-thread-item")).toHaveLength(0);

    fireEvent.click(within(copilot()).getByTestId("copilot-ask"));
    await within(copilot()).findByTestId("copilot-answer");
    expect(api.calls).toContainEqual(["copilotAsk", { question: "What should I do next?", deal_id: deal.id, thread_id: "t-recent" }]);
  });

  it("says so when there are no previous conversations", async () => {
    await dealScreen();
    fireEvent.click(within(copilot()).getByTestId("copilot-history"));
    expect((await within(copilot()).findByTestId("copilot-no-threads")).textContent).toBe("No previous conversations yet.");
  });
});
