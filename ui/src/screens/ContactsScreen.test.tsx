import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { memoryApi, type MemoryApi } from "../test/memoryApi";
import { renderApp } from "../test/render";

async function seeded(): Promise<MemoryApi> {
  const api = memoryApi();
  await api.addContact({ first_name: "Alice", last_name: "Archer", email: "alice@acme.com", company: "Acme", title: "CTO" });
  await api.addContact({ first_name: "Albert", last_name: "Zed", phone: "+1 555 0100" });
  await api.addContact({ first_name: "Bob", last_name: "Baker", email: "bob@globex.com", email_opt_out: true, do_not_call: true });
  api.calls.length = 0;
  return api;
}

const searches = (api: MemoryApi) => api.calls.filter(([m]) => m === "listContacts").map(([, arg]) => arg);
const rowNames = () => screen.queryAllByTestId("contact-row").map((r) => r.querySelector("td")?.textContent);

describe("contacts list", () => {
  it("searches as you type, debounced, calling list_contacts with the typed text", async () => {
    const api = await seeded();
    renderApp(api, "#/contacts");
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    expect(searches(api)).toEqual([{ limit: 200 }]);

    const box = screen.getByTestId("contact-search");
    fireEvent.change(box, { target: { value: "a" } });
    fireEvent.change(box, { target: { value: "al" } });
    fireEvent.change(box, { target: { value: "ali" } });
    // Nothing is sent while the user is still typing.
    await new Promise((r) => setTimeout(r, 100));
    expect(searches(api)).toEqual([{ limit: 200 }]);

    await waitFor(() => expect(rowNames()).toEqual(["Alice Archer"]));
    expect(searches(api)).toEqual([{ limit: 200 }, { search: "ali", limit: 200 }]);

    // Clearing the box lists everyone again.
    fireEvent.change(box, { target: { value: "" } });
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    expect(searches(api).at(-1)).toEqual({ limit: 200 });
  });

  it("shows name, email, phone, company and title columns", async () => {
    const api = await seeded();
    renderApp(api, "#/contacts");
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    const alice = screen.getAllByTestId("contact-row").find((r) => r.textContent?.includes("Alice"))!;
    expect([...alice.querySelectorAll("td")].map((td) => td.textContent)).toEqual(["Alice Archer", "alice@acme.com", "—", "Acme", "CTO"]);
  });

  it("says so when a search matches nobody", async () => {
    const api = await seeded();
    renderApp(api, "#/contacts");
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    fireEvent.change(screen.getByTestId("contact-search"), { target: { value: "zzz" } });
    expect(await screen.findByText("No contacts match “zzz”.")).toBeTruthy();
  });

  it("opens the contact's page when a row is clicked", async () => {
    const api = await seeded();
    renderApp(api, "#/contacts");
    await waitFor(() => expect(rowNames()).toHaveLength(3));
    const bob = screen.getAllByTestId("contact-row").find((r) => r.textContent?.includes("Bob"))!;
    fireEvent.click(bob.querySelectorAll("td")[1]!);
    expect((await screen.findByTestId("contact-name")).textContent).toBe("Bob Baker");
    expect(window.location.hash).toBe(`#/contacts/${bob.dataset.contactId}`);
    expect(screen.getAllByTestId("consent-badge").map((b) => b.textContent)).toEqual(["Email opt-out", "Do not call"]);
  });
});

describe("contact form", () => {
  async function openForm(api: MemoryApi) {
    renderApp(api, "#/contacts");
    fireEvent.click(await screen.findByTestId("new-contact"));
    return screen.getByTestId("contact-form") as HTMLFormElement;
  }
  const type = (form: HTMLFormElement, name: string, value: string) =>
    fireEvent.change(form.querySelector(`[name="${name}"]`)!, { target: { value } });

  it("creates a contact and shows it in the refreshed list", async () => {
    const api = await seeded();
    const form = await openForm(api);
    type(form, "first_name", "Carol");
    type(form, "last_name", "Chen");
    type(form, "email", "carol@initech.com");
    type(form, "company", "Initech");
    fireEvent.click(within(form).getByLabelText("SMS opt-out"));
    fireEvent.click(screen.getByTestId("contact-submit"));

    await waitFor(() => expect(screen.queryByTestId("contact-form")).toBeNull());
    expect(api.calls.find(([m]) => m === "addContact")?.[1]).toEqual({
      first_name: "Carol",
      last_name: "Chen",
      email: "carol@initech.com",
      company: "Initech",
      email_opt_out: false,
      sms_opt_out: true,
      do_not_call: false,
    });
    await waitFor(() => expect(rowNames()).toContain("Carol Chen"));
  });

  it("shows the server's validation error under the email field", async () => {
    const api = await seeded();
    const form = await openForm(api);
    type(form, "first_name", "Dan");
    type(form, "email", "dan-at-example");
    fireEvent.click(screen.getByTestId("contact-submit"));

    const error = await screen.findByTestId("error-email");
    expect(error.textContent).toBe("'dan-at-example' is not a valid email address (expected name@example.com)");
    expect(screen.queryByTestId("error-banner")).toBeNull();
    expect(api.contacts).toHaveLength(3);
  });

  it("asks for a name, email or phone before calling the backend", async () => {
    const api = await seeded();
    const form = await openForm(api);
    type(form, "title", "Buyer");
    fireEvent.click(screen.getByTestId("contact-submit"));
    expect(screen.getByTestId("error-first_name").textContent).toBe("A contact needs at least a name, an email or a phone number");
    expect(api.calls.some(([m]) => m === "addContact")).toBe(false);
  });
});
