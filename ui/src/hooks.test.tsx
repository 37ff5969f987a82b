import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { changeHub, ChangesContext } from "./changes";
import type { Changed } from "./bindings/Changed";
import { useLoad } from "./hooks";
import { memoryApi } from "./test/memoryApi";
import { renderApp } from "./test/render";

const contactChanged: Changed = { kinds: [{ kind: "contact", ids: ["c1"], more: false }] };

/** A loader whose answers the test releases one by one. */
function gatedLoader() {
  const pending: Array<(value: number) => void> = [];
  let calls = 0;
  return {
    load: () => {
      calls += 1;
      return new Promise<number>((resolve) => pending.push(resolve));
    },
    release: (value: number) => pending.shift()?.(value),
    calls: () => calls,
  };
}

function Probe(props: { load: () => Promise<number>; states: string[] }) {
  const { data, loading } = useLoad(props.load, []);
  props.states.push(`${loading ? "loading" : "idle"}:${data ?? "-"}`);
  return <output data-testid="probe">{data ?? "-"}</output>;
}

describe("useLoad refreshes on `changed` events", () => {
  it("replaces the data in place, without a loading state, and coalesces events that arrive meanwhile", async () => {
    const hub = changeHub();
    const loader = gatedLoader();
    const states: string[] = [];
    render(
      <ChangesContext.Provider value={hub.subscribe}>
        <Probe load={loader.load} states={states} />
      </ChangesContext.Provider>,
    );
    await act(async () => loader.release(1));
    await waitFor(() => expect(screen.getByTestId("probe").textContent).toBe("1"));
    const shownBefore = states.length;

    // Three events while the first refresh runs: one refresh now, ONE more after it.
    act(() => {
      hub.emit(contactChanged);
      hub.emit(contactChanged);
      hub.emit(contactChanged);
    });
    expect(loader.calls()).toBe(2);
    await act(async () => loader.release(2));
    await waitFor(() => expect(screen.getByTestId("probe").textContent).toBe("2"));
    expect(loader.calls()).toBe(3);
    await act(async () => loader.release(3));
    await waitFor(() => expect(screen.getByTestId("probe").textContent).toBe("3"));
    expect(loader.calls()).toBe(3);
    expect(states.slice(shownBefore).filter((s) => s.startsWith("loading"))).toEqual([]);
  });

  it("stops listening when the screen closes", async () => {
    const hub = changeHub();
    const view = render(
      <ChangesContext.Provider value={hub.subscribe}>
        <Probe load={async () => 1} states={[]} />
      </ChangesContext.Provider>,
    );
    expect(hub.listeners()).toBe(1);
    view.unmount();
    expect(hub.listeners()).toBe(0);
  });

  it("shows a contact written elsewhere on the open contacts screen and keeps a half-filled form", async () => {
    const api = memoryApi();
    await api.addContact({ first_name: "Alice", last_name: "Archer", email: "alice@acme.com" });
    const hub = changeHub();
    renderApp(api, "#/contacts", hub.subscribe);
    await waitFor(() => expect(screen.queryAllByTestId("contact-row")).toHaveLength(1));
    fireEvent.click(screen.getByTestId("new-contact"));
    const firstName = document.querySelector<HTMLInputElement>("input[name=first_name]");
    if (!firstName) throw new Error("the new-contact form has no first-name field");
    fireEvent.change(firstName, { target: { value: "Half typed" } });

    // Another writer (the CLI, sync) adds a contact; the core publishes `changed`.
    const added = await api.addContact({ first_name: "Mina", last_name: "Murray", email: "mina@whitby.example" });
    act(() => hub.emit({ kinds: [{ kind: "contact", ids: [added.id], more: false }] }));

    await waitFor(() => expect(screen.queryAllByTestId("contact-row")).toHaveLength(2));
    expect(screen.getByText("Mina Murray")).toBeTruthy();
    expect(document.querySelector<HTMLInputElement>("input[name=first_name]")?.value).toBe("Half typed");
  });
});
