import { describe, expect, it } from "vitest";
import { linkToRoute, parseHash, sectionOf, toHash, type Route } from "./router";

describe("router", () => {
  it("round-trips every route through the hash", () => {
    const routes: Route[] = [
      { name: "pipeline" },
      { name: "contacts" },
      { name: "contact", id: "c-1" },
      { name: "deal", id: "d 2" },
      { name: "companies" },
      { name: "company", id: "co-3" },
      { name: "tasks" },
      { name: "meetings" },
      { name: "brief", id: "m-9" },
      { name: "alerts" },
      { name: "team" },
      { name: "import" },
      { name: "watched" },
      { name: "connections" },
      { name: "outbound" },
    ];
    for (const r of routes) expect(parseHash(toHash(r))).toEqual(r);
  });

  it("defaults to the pipeline and maps details to their section", () => {
    expect(parseHash("")).toEqual({ name: "pipeline" });
    expect(parseHash("#/nonsense")).toEqual({ name: "pipeline" });
    expect(sectionOf({ name: "deal", id: "x" })).toBe("pipeline");
    expect(sectionOf({ name: "contact", id: "x" })).toBe("contacts");
  });

  it("opens notification deep links on the right screen", () => {
    expect(linkToRoute("outpost://meeting/m1/brief")).toEqual({ name: "brief", id: "m1" });
    expect(linkToRoute("outpost://deal/d1")).toEqual({ name: "deal", id: "d1" });
    expect(linkToRoute("outpost://task/t1")).toEqual({ name: "tasks" });
    expect(linkToRoute("outpost://digest/2026-11-24")).toEqual({ name: "team" });
    expect(sectionOf({ name: "brief", id: "m1" })).toBe("meetings");
  });
});
