import { describe, expect, it } from "vitest";
import type { CalendarImport } from "../bindings/CalendarImport";
import { calendarProblems } from "./CalendarImport";

const report = (over: Partial<CalendarImport>): CalendarImport => ({
  file: "team.ics",
  events: 3,
  created: 1,
  updated: 0,
  cancelled: 0,
  unchanged: 0,
  changes: [],
  skipped: [],
  warnings: [],
  window_from: "2026-08-26T00:00:00.000Z",
  window_to: "2027-05-23T00:00:00.000Z",
  ...over,
});

describe("calendarProblems", () => {
  it("lists unreadable events, series cut at the limit and dropped values with line and UID, not solo blocks", () => {
    const lines = calendarProblems(
      report({
        skipped: [
          { uid: "bad@x", title: "Bad", starts_at: "", reason: "unreadable", line: 51, detail: "RRULE 'FREQ=SOMETIMES' cannot be read" },
          { uid: "daily@x", title: "Daily", starts_at: "2028-09-27T08:00:00.000Z", reason: "occurrence_limit", line: 4, detail: "more than 1000" },
          { uid: "solo@x", title: "Focus", starts_at: "2026-12-01T09:00:00.000Z", reason: "solo", line: 9, detail: null },
        ],
        warnings: [{ uid: "sync@x", line: 41, message: "it ends before it starts; its start and end were swapped" }],
      }),
    );
    expect(lines).toEqual([
      "line 51 · bad@x: not imported — RRULE 'FREQ=SOMETIMES' cannot be read",
      "line 4 · daily@x: cut — more than 1000",
      "line 41 · sync@x: it ends before it starts; its start and end were swapped",
    ]);
    expect(calendarProblems(report({}))).toEqual([]);
  });
});
