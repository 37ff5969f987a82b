import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { memoryApi } from "../test/memoryApi";
import { renderApp } from "../test/render";

const subjects = () => screen.queryAllByTestId("activity").map((a) => a.querySelector(".timeline__subject")?.textContent);

describe("contact detail", () => {
  async function setup() {
    const api = memoryApi();
    const alice = await api.addContact({ first_name: "Alice", last_name: "Archer", email: "alice@acme.com", company: "Acme", sms_opt_out: true });
    await api.addDeal({ title: "Acme renewal", value: 9000, contact_id: alice.id });
    await api.addTask({ title: "Send contract", contact_id: alice.id, due_date: "2020-01-02" });
    api.calls.length = 0;
    renderApp(api, `#/contacts/${alice.id}`);
    await screen.findByTestId("contact-name");
    return { api, alice };
  }

  it("shows fields, consent badges, deals and open tasks", async () => {
    const { api, alice } = await setup();
    expect(screen.getByTestId("contact-name").textContent).toBe("Alice Archer");
    expect(screen.getAllByTestId("consent-badge").map((b) => b.textContent)).toEqual(["SMS opt-out"]);
    expect(await screen.findByText("Acme renewal")).toBeTruthy();
    const task = await screen.findByTestId("task-row");
    expect(task.textContent).toContain("Send contract");
    expect(task.dataset.overdue).toBe("true");
    expect(api.calls).toContainEqual(["listActivities", { contact_id: alice.id, limit: 200 }]);
    expect(api.calls).toContainEqual(["listTasks", { entity_id: alice.id }]);
  });

  it("erases the person (GDPR) after a confirmation: tasks go, the deal stays unlinked", async () => {
    const { api, alice } = await setup();
    fireEvent.click(screen.getByTestId("erase-contact"));
    expect(screen.getByRole("group").getAttribute("aria-label")).toContain("cannot be undone");
    fireEvent.click(screen.getByTestId("erase-contact-confirm"));
    await waitFor(() => expect(window.location.hash).toBe("#/contacts"));
    expect(api.calls.filter(([m]) => m === "eraseContact").map(([, a]) => a)).toEqual([alice.id]);
    expect(api.contacts.some((c) => c.id === alice.id)).toBe(false);
    expect(api.tasks).toHaveLength(0);
    expect(api.deals.map((d) => [d.title, d.contact_id])).toEqual([["Acme renewal", null]]);
  });

  it("logs an activity and shows it on the timeline", async () => {
    const { api, alice } = await setup();
    const form = screen.getByTestId("activity-form");
    fireEvent.change(within(form).getByLabelText("Kind"), { target: { value: "call" } });
    fireEvent.change(within(form).getByLabelText("Subject"), { target: { value: "Discovery call" } });
    fireEvent.change(within(form).getByLabelText("Details"), { target: { value: "Wants SSO." } });
    fireEvent.click(screen.getByTestId("activity-submit"));

    await waitFor(() => expect(subjects()).toEqual(["Discovery call"]));
    expect(api.calls.find(([m]) => m === "logActivity")?.[1]).toEqual({
      kind: "call",
      subject: "Discovery call",
      body: "Wants SSO.",
      contact_id: alice.id,
    });
    expect((within(form).getByLabelText("Subject") as HTMLInputElement).value).toBe("");
  });

  it("edits the contact with the same form, showing server errors inline", async () => {
    const { api } = await setup();
    fireEvent.click(screen.getByTestId("edit-contact"));
    const form = screen.getByTestId("contact-form");
    const email = form.querySelector<HTMLInputElement>('[name="email"]')!;
    expect(email.value).toBe("alice@acme.com");

    fireEvent.change(email, { target: { value: "broken" } });
    fireEvent.click(screen.getByTestId("contact-submit"));
    expect((await screen.findByTestId("error-email")).textContent).toContain("is not a valid email address");

    fireEvent.change(email, { target: { value: "alice@acme.io" } });
    fireEvent.change(form.querySelector('[name="title"]')!, { target: { value: "VP Sales" } });
    fireEvent.click(screen.getByTestId("contact-submit"));
    await waitFor(() => expect(screen.queryByTestId("contact-form")).toBeNull());
    expect(await screen.findByText("VP Sales at Acme")).toBeTruthy();
    const update = api.calls.filter(([m]) => m === "updateContact").at(-1)?.[1] as Record<string, unknown>;
    expect(update).toMatchObject({ email: "alice@acme.io", title: "VP Sales", first_name: "Alice" });
    expect(update).not.toHaveProperty("company");
  });

  it("edits the LinkedIn profile and time zone, shows them, and shows a refused URL on its field", async () => {
    const { api } = await setup();
    fireEvent.click(screen.getByTestId("edit-contact"));
    const form = screen.getByTestId("contact-form");
    const linkedin = form.querySelector<HTMLInputElement>('[name="linkedin_url"]')!;
    const zone = form.querySelector<HTMLInputElement>('[name="time_zone"]')!;
    expect([linkedin.value, zone.value]).toEqual(["", ""]);

    fireEvent.change(linkedin, { target: { value: "https://example.com/in/alice" } });
    fireEvent.click(screen.getByTestId("contact-submit"));
    expect((await screen.findByTestId("error-linkedin_url")).textContent).toContain("is not a LinkedIn profile URL");

    fireEvent.change(linkedin, { target: { value: "https://www.linkedin.com/in/alice-archer" } });
    fireEvent.change(zone, { target: { value: "Europe/Berlin" } });
    fireEvent.click(screen.getByTestId("contact-submit"));
    await waitFor(() => expect(screen.queryByTestId("contact-form")).toBeNull());
    const update = api.calls.filter(([m]) => m === "updateContact").at(-1)?.[1] as Record<string, unknown>;
    expect(update).toMatchObject({ linkedin_url: "https://www.linkedin.com/in/alice-archer", time_zone: "Europe/Berlin" });
    const link = await screen.findByText("linkedin.com/in/alice-archer");
    expect(link.getAttribute("href")).toBe("https://www.linkedin.com/in/alice-archer");
    expect(screen.getByText("Europe/Berlin")).toBeTruthy();
  });

  it("deletes only after confirmation, then returns to the list", async () => {
    const { api, alice } = await setup();
    fireEvent.click(screen.getByTestId("delete-contact"));
    expect(api.calls.some(([m]) => m === "deleteContact")).toBe(false);
    fireEvent.click(screen.getByTestId("delete-contact-confirm"));
    await waitFor(() => expect(window.location.hash).toBe("#/contacts"));
    expect(api.calls).toContainEqual(["deleteContact", alice.id]);
    expect(api.contacts).toHaveLength(0);
  });
});

describe("deal detail", () => {
  async function setup() {
    const api = memoryApi();
    const deal = await api.addDeal({ title: "Globex pilot", value: 4200, currency: "EUR" });
    api.calls.length = 0;
    renderApp(api, `#/deals/${deal.id}`);
    await screen.findByTestId("deal-name");
    await waitFor(() => expect(screen.getByTestId<HTMLSelectElement>("deal-stage-select").options).toHaveLength(6));
    return { api, deal };
  }

  it("moves the deal with the stage select and shows the stage change on the timeline", async () => {
    const { api, deal } = await setup();
    fireEvent.change(screen.getByTestId("deal-stage-select"), { target: { value: "Proposal" } });
    await waitFor(() => expect(subjects()).toEqual(["Moved from Lead to Proposal"]));
    expect(api.calls).toContainEqual(["moveDeal", { id: deal.id, stage: "Proposal" }]);
    expect(screen.getByTestId<HTMLSelectElement>("deal-stage-select").value).toBe("Proposal");
    expect(screen.getByTestId("activity").querySelector(".kind")?.textContent).toBe("Stage");
  });

  it("shows the owner by name: the app's own user is You, never the internal value", async () => {
    const { api, deal } = await setup();
    const facts = () => screen.getByText("Owner").parentElement!.textContent;
    await waitFor(() => expect(facts()).toBe("OwnerYou"));
    expect(api.calls.filter(([m]) => m === "currentUser")).toHaveLength(1);
    // Another rep's deal keeps that rep's name.
    api.deals.find((d) => d.id === deal.id)!.owner = "sam";
    fireEvent.click(screen.getByTestId("nav-pipeline"));
    fireEvent.click(await screen.findByTestId("deal-title"));
    await waitFor(() => expect(facts()).toBe("Ownersam"));
  });

  it("a stage browsed to with the arrow keys waits for Enter, and focus stays on the select", async () => {
    const { api } = await setup();
    const select = screen.getByTestId<HTMLSelectElement>("deal-stage-select");
    select.focus();
    fireEvent.keyDown(select, { key: "ArrowDown" });
    fireEvent.change(select, { target: { value: "Qualified" } });
    expect(api.calls.filter(([m]) => m === "moveDeal")).toHaveLength(0);
    fireEvent.keyDown(select, { key: "Enter" });
    await waitFor(() => expect(subjects()).toEqual(["Moved from Lead to Qualified"]));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("deal-stage-select")));
  });

  it("adds a task with a due date for the deal", async () => {
    const { api, deal } = await setup();
    const form = screen.getByTestId("task-form");
    fireEvent.change(within(form).getByLabelText("Task"), { target: { value: "Book demo" } });
    fireEvent.change(within(form).getByLabelText("Due"), { target: { value: "2099-05-01" } });
    fireEvent.click(screen.getByTestId("task-submit"));
    const row = await screen.findByTestId("task-row");
    expect(row.textContent).toContain("Book demo");
    expect(row.dataset.overdue).toBeUndefined();
    expect(api.calls.find(([m]) => m === "addTask")?.[1]).toEqual({ title: "Book demo", priority: "normal", deal_id: deal.id, due_date: "2099-05-01" });
  });

  it("edits the deal and shows server validation inline", async () => {
    const { api } = await setup();
    fireEvent.click(screen.getByTestId("edit-deal"));
    const form = screen.getByTestId("deal-form");
    expect(form.querySelector('[name="stage"]')).toBeNull();
    fireEvent.change(form.querySelector('[name="value"]')!, { target: { value: "-1" } });
    fireEvent.click(screen.getByTestId("deal-submit"));
    expect((await screen.findByTestId("error-value")).textContent).toBe("Value cannot be negative (got -1)");

    fireEvent.change(form.querySelector('[name="value"]')!, { target: { value: "5000" } });
    fireEvent.change(form.querySelector('[name="title"]')!, { target: { value: "Globex pilot v2" } });
    fireEvent.click(screen.getByTestId("deal-submit"));
    await waitFor(() => expect(screen.getByTestId("deal-name").textContent).toBe("Globex pilot v2"));
    expect(api.calls.filter(([m]) => m === "updateDeal").at(-1)?.[1]).toMatchObject({ title: "Globex pilot v2", value: 5000, currency: "EUR" });
  });

  it("shows a banner when the deal does not exist", async () => {
    const api = memoryApi();
    renderApp(api, "#/deals/missing");
    expect((await screen.findByTestId("error-banner")).textContent).toContain("No deal with id missing");
    expect(screen.getByRole("button", { name: "Try again" })).toBeTruthy();
  });
});
