import { useSyncExternalStore } from "react";

/** The screens of the app. A tiny hash router: `#/contacts/<id>` etc. */
export type Route =
  | { name: "pipeline" }
  | { name: "contacts" }
  | { name: "contact"; id: string }
  | { name: "deal"; id: string }
  | { name: "companies" }
  | { name: "company"; id: string }
  | { name: "tasks" }
  | { name: "meetings" }
  | { name: "brief"; id: string }
  | { name: "alerts" }
  | { name: "team" }
  | { name: "import" }
  | { name: "watched" }
  | { name: "sync" }
  | { name: "connections" }
  | { name: "outbound" }
  | { name: "settings" };

export type Section =
  | "pipeline" | "contacts" | "companies" | "tasks" | "meetings" | "alerts" | "team" | "import" | "watched" | "sync"
  | "connections" | "outbound" | "settings";

export function parseHash(hash: string): Route {
  const [head = "", id, sub] = hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  switch (head) {
    case "contacts":
      return id ? { name: "contact", id } : { name: "contacts" };
    case "deals":
      return id ? { name: "deal", id } : { name: "pipeline" };
    case "companies":
      return id ? { name: "company", id } : { name: "companies" };
    case "tasks":
      return { name: "tasks" };
    case "meetings":
      return id && sub === "brief" ? { name: "brief", id } : { name: "meetings" };
    case "alerts":
      return { name: "alerts" };
    case "team":
      return { name: "team" };
    case "import":
      return { name: "import" };
    case "watched":
      return { name: "watched" };
    case "sync":
      return { name: "sync" };
    case "connections":
      return { name: "connections" };
    case "outbound":
      return { name: "outbound" };
    case "settings":
      return { name: "settings" };
    default:
      return { name: "pipeline" };
  }
}

export function toHash(route: Route): string {
  switch (route.name) {
    case "contact":
      return `#/contacts/${encodeURIComponent(route.id)}`;
    case "deal":
      return `#/deals/${encodeURIComponent(route.id)}`;
    case "company":
      return `#/companies/${encodeURIComponent(route.id)}`;
    case "brief":
      return `#/meetings/${encodeURIComponent(route.id)}/brief`;
    default:
      return `#/${route.name}`;
  }
}

/** Which left-nav section a route belongs to. */
export function sectionOf(route: Route): Section {
  switch (route.name) {
    case "contact":
      return "contacts";
    case "deal":
      return "pipeline";
    case "company":
      return "companies";
    case "brief":
      return "meetings";
    default:
      return route.name;
  }
}

/** Where a notification's deep link (`outpost://deal/<id>`, `outpost://meeting/<id>/brief`, …) opens. */
export function linkToRoute(link: string): Route {
  const [kind = "", id = "", sub] = link.replace(/^outpost:\/\//, "").split("/");
  switch (kind) {
    case "meeting":
      return sub === "brief" && id ? { name: "brief", id } : { name: "meetings" };
    case "deal":
      return id ? { name: "deal", id } : { name: "pipeline" };
    case "contact":
      return id ? { name: "contact", id } : { name: "contacts" };
    case "company":
      return id ? { name: "company", id } : { name: "companies" };
    case "task":
      return { name: "tasks" };
    default:
      return { name: "team" };
  }
}

export function navigate(route: Route): void {
  const hash = toHash(route);
  if (window.location.hash !== hash) window.location.hash = hash;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

const currentHash = () => window.location.hash;

/** The current route, re-rendering on `hashchange`. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, currentHash, () => "");
  return parseHash(hash);
}
