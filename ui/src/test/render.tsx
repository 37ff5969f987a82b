import { render, within, type RenderResult } from "@testing-library/react";
import { App } from "../App";
import type { Api } from "../api";
import type { SubscribeChanges } from "../changes";

/** Renders the whole app against `api` (and change events from `changes`), starting at `hash`. */
export function renderApp(api: Api, hash = "#/pipeline", changes?: SubscribeChanges): RenderResult {
  window.location.hash = hash;
  return render(<App api={api} changes={changes} />);
}

/** The board column for a stage. */
export function column(name: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-testid="stage-column"][data-stage="${name}"]`);
  if (!el) throw new Error(`no column for stage ${name}`);
  return el;
}

/** Titles of the deal cards in a stage column. */
export function titlesIn(name: string): string[] {
  return within(column(name))
    .queryAllByTestId("deal-title")
    .map((el) => el.textContent ?? "");
}

/** A minimal DataTransfer for drag-and-drop events (jsdom has none). */
export function fakeDataTransfer() {
  const data = new Map<string, string>();
  return {
    data,
    dropEffect: "none",
    effectAllowed: "all",
    get types() {
      return [...data.keys()];
    },
    setData: (type: string, value: string) => void data.set(type, value),
    getData: (type: string) => data.get(type) ?? "",
    clearData: () => data.clear(),
  };
}
