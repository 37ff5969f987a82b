import { afterEach, describe, expect, it, vi } from "vitest";
import { contactName, daysSince, formatCount, formatDateTime, formatDays, formatMoney, formatTotals, isOverdue, ownerName, startsSoon, todayYmd } from "./format";

describe("format", () => {
  it("formats money in the deal's currency, with cents only when there are some", () => {
    expect(formatMoney(12000, "USD")).toBe("$12,000");
    expect(formatMoney(12000.5, "USD")).toBe("$12,000.50");
    expect(formatMoney(990, "EUR")).toBe("€990");
    expect(formatMoney(0, "GBP")).toBe("£0");
  });

  it("formats column totals per currency, largest first, never adding currencies", () => {
    expect(formatTotals([])).toBe("—");
    expect(formatTotals([{ currency: "USD", value: 0, weighted: 0 }])).toBe("$0");
    expect(
      formatTotals([
        { currency: "EUR", value: 500, weighted: 0 },
        { currency: "USD", value: 1500, weighted: 0 },
      ]),
    ).toBe("$1,500 · €500");
  });

  it("counts whole days in stage", () => {
    const now = new Date("2026-03-10T12:00:00Z");
    expect(daysSince("2026-03-10T08:00:00Z", now)).toBe(0);
    expect(daysSince("2026-03-09T11:00:00Z", now)).toBe(1);
    expect(daysSince("2026-02-28T12:00:00Z", now)).toBe(10);
    expect(daysSince("2026-03-11T12:00:00Z", now)).toBe(0);
    expect([0, 1, 7].map(formatDays)).toEqual(["today", "1 day", "7 days"]);
  });

  it("names contacts by name, else email, else phone", () => {
    const none = { first_name: null, last_name: null, email: null, phone: null };
    expect(contactName({ ...none, first_name: "Ada", last_name: "Lovelace" })).toBe("Ada Lovelace");
    expect(contactName({ ...none, email: "x@y.com", phone: "123" })).toBe("x@y.com");
    expect(contactName({ ...none, phone: "+1 555" })).toBe("+1 555");
    expect(contactName(none)).toBe("Unnamed contact");
  });

  it("knows when a due date is overdue", () => {
    const now = new Date(2026, 2, 10, 23, 59);
    expect(todayYmd(now)).toBe("2026-03-10");
    expect(isOverdue("2026-03-09", now)).toBe(true);
    expect(isOverdue("2026-03-10", now)).toBe(false);
    expect(isOverdue(null, now)).toBe(false);
  });

  describe("under LANG=C (WebKitGTK reports the language as \"C\")", () => {
    afterEach(() => vi.unstubAllGlobals());
    it("falls back to en-US instead of throwing", () => {
      vi.stubGlobal("navigator", { language: "C" });
      expect(formatCount(12345)).toBe("12,345");
      expect(formatMoney(12000, "USD")).toBe("$12,000");
      expect(formatDateTime("2026-01-02T10:00:00Z")).toContain("2026");
    });
  });
});

describe("startsSoon", () => {
  const now = new Date("2026-12-06T10:00:00Z");
  it("flags meetings within two hours, and running ones as Now", () => {
    expect(startsSoon("2026-12-06T11:15:00Z", "2026-12-06T12:00:00Z", now)).toBe("in 75 min");
    expect(startsSoon("2026-12-06T10:00:30Z", null, now)).toBe("in 1 min");
    expect(startsSoon("2026-12-06T12:00:00Z", null, now)).toBe("in 120 min");
    expect(startsSoon("2026-12-06T12:01:00Z", null, now)).toBeNull();
    expect(startsSoon("2026-12-06T09:30:00Z", "2026-12-06T10:30:00Z", now)).toBe("Now");
    expect(startsSoon("2026-12-06T08:00:00Z", "2026-12-06T09:00:00Z", now)).toBeNull();
    expect(startsSoon("not a date", null, now)).toBeNull();
  });
});

describe("ownerName", () => {
  it("shows the local user as You, never the internal value", () => {
    expect(ownerName("local")).toBe("You");
    expect(ownerName("ana", ["ana"])).toBe("You");
    expect(ownerName("sam", ["ana"])).toBe("sam");
    expect(ownerName(null)).toBe("Unassigned");
    expect(ownerName("  ")).toBe("Unassigned");
  });
});
