// Change events: the core publishes which records changed after every write, from any source —
// this window, the CLI on the same data dir, sync, watched folders, the agent — as the `changed`
// event (core `changes` module, forwarded by the desktop shell). `useLoad` (hooks.ts) listens
// through `ChangesContext`, so every open screen refreshes without per-screen code.
import { createContext, useContext } from "react";
import { listen } from "@tauri-apps/api/event";
import type { Changed } from "./bindings/Changed";

/** Calls `onChanged` for every change event; returns the unsubscribe function. */
export type SubscribeChanges = (onChanged: (changed: Changed) => void) => () => void;

/** The desktop's `changed` events. Outside the app's window (no Tauri), nothing arrives. */
export const subscribeTauriChanges: SubscribeChanges = (onChanged) => {
  let stop: Promise<() => void>;
  try {
    stop = listen<Changed>("changed", (event) => onChanged(event.payload));
  } catch {
    return () => {};
  }
  stop.catch(() => {});
  return () => void stop.then((unlisten) => unlisten(), () => {});
};

/** A change source for tests and previews: `emit` delivers to every subscriber. */
export function changeHub(): { subscribe: SubscribeChanges; emit: (changed: Changed) => void; listeners: () => number } {
  const listeners = new Set<(changed: Changed) => void>();
  return {
    subscribe: (onChanged) => {
      listeners.add(onChanged);
      return () => void listeners.delete(onChanged);
    },
    emit: (changed) => listeners.forEach((listener) => listener(changed)),
    listeners: () => listeners.size,
  };
}

/** Where change events come from. Defaults to the desktop's; tests provide a `changeHub`. */
export const ChangesContext = createContext<SubscribeChanges>(subscribeTauriChanges);

export function useChanges(): SubscribeChanges {
  return useContext(ChangesContext);
}
