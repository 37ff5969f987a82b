import { describe, expect, it } from "vitest";
import type { ImportPreview } from "./bindings/ImportPreview";
import { errorsCsv, estimateRows, fileLabel, progressPercent, targetOf, targetValue } from "./importing";

const preview = (rows: number, size: number): ImportPreview => ({
  path: "/p.csv", encoding: "UTF-8", notices: [], delimiter: ",", record_type: "contacts",
  phone_region: { region: "GB", reason: "default" }, header_line: 1n, headers: ["a", "b"], mapping: { columns: [] },
  mapping_source: "auto", checksum: "", size_bytes: BigInt(size),
  rows: Array.from({ length: rows }, (_, i) => ({ row: BigInt(i + 1), fields: ["xxxx", "yyyy"], lead: null, record: null, warnings: [], error: null })),
  workbook: null,
});

describe("import helpers", () => {
  it("round-trips mapping targets through select values", () => {
    expect(targetValue({ field: "email" })).toBe("field:email");
    expect(targetValue({ custom: "Org" })).toBe("custom");
    expect(targetValue("ignore")).toBe("ignore");
    expect(targetOf("field:lead_source", "Source")).toEqual({ field: "lead_source" });
    expect(targetOf("custom", "Owner")).toEqual({ custom: "Owner" });
    expect(targetOf("ignore", "X")).toBe("ignore");
  });

  it("counts rows exactly for short files and estimates long ones from the size", () => {
    expect(estimateRows(preview(7, 999))).toEqual({ rows: 7, exact: true });
    // 20 rows of "xxxx,yyyy\n" (10 bytes) after a 4-byte header: a 10,004-byte file has ~1,000 rows.
    expect(estimateRows(preview(20, 10_004))).toEqual({ rows: 1000, exact: false });
    expect(progressPercent(500, 1000)).toBe(50);
    expect(progressPercent(2000, 1000)).toBe(99);
    expect(progressPercent(3, 0)).toBe(0);
  });

  it("writes rejected rows as CSV that spreadsheets open safely", () => {
    expect(errorsCsv([
      { row: 2n, message: "plain" },
      { row: 5n, message: 'has "quotes", commas' },
      { row: 9n, message: "=HYPERLINK(\"x\")" },
      { row: 11n, message: "-1 is not allowed" },
    ])).toBe('row,message\r\n2,plain\r\n5,"has ""quotes"", commas"\r\n9,"\'=HYPERLINK(""x"")"\r\n11,\'-1 is not allowed\r\n');
    expect(errorsCsv([])).toBe("row,message\r\n");
  });

  it("names a staged file without its inbox prefix", () => {
    expect(fileLabel("/d/inbox/019a1b2c-3d4e-7f00-8a9b-0c1d2e3f4a5b-Leads_Q4.csv")).toBe("Leads_Q4.csv");
    expect(fileLabel("C:\\exports\\hubspot.csv")).toBe("hubspot.csv");
  });
});
