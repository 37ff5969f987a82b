import { describe, expect, it } from "vitest";
import { parseHash, sectionOf, toHash, type Route } from "./router";

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
});
