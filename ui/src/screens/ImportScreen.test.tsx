import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ImportRequest } from "../bindings/ImportRequest";
import { memoryApi, type MemoryApi } from "../test/memoryApi";
import { renderApp } from "../test/render";

const csv = (name: string, text: string) => new File([text], name, { type: "text/csv" });
const LEADS = "First Name,Last Name,Email,Org\nAda,Lovelace,ada@engines.io,Analytical\nGrace,Hopper,grace@cobol.dev,Navy\nBad,Row,not-an-email,Nowhere\n";

async function pick(file: File) {
  fireEvent.change(screen.getByTestId("import-file-input"), { target: { files: [file] } });
  await screen.findByTestId("import-preview");
}

const select = (column: string) => document.querySelector<HTMLSelectElement>(`[data-testid="mapping-select"][data-column="${column}"]`)!;
const count = (kind: string) => screen.getByTestId(`import-count-${kind}`).textContent;
const runs = (api: MemoryApi) => api.calls.filter(([m]) => m === "runImport").map(([, req]) => req as ImportRequest);

afterEach(() => vi.restoreAllMocks());

describe("import screen", () => {
  it("is reachable from the nav and previews a picked file with its detected format", async () => {
    const api = memoryApi();
    renderApp(api, "#/pipeline");
    fireEvent.click(await screen.findByTestId("nav-import"));
    await screen.findByText(/Drop a CSV file or a workbook anywhere/);
    await pick(csv("leads.csv", LEADS));

    expect(api.calls.find(([m]) => m === "stageUpload")?.[1]).toBe("leads.csv");
    expect(screen.getByTestId("preview-encoding").textContent).toBe("UTF-8");
    expect(screen.getByTestId("preview-delimiter").textContent).toBe("comma");
    expect(screen.getByTestId("preview-header-line").textContent).toBe("1");
    expect(screen.getAllByTestId("preview-row")).toHaveLength(3);
    expect(screen.getAllByTestId("mapping-select").map((s) => (s as HTMLSelectElement).value)).toEqual([
      "field:first_name", "field:last_name", "field:email", "custom",
    ]);
    const labels = Array.from(select("Org").options).map((o) => o.textContent);
    // The 37 import fields of the core, then the two choices.
    expect(labels).toHaveLength(39);
    expect(labels).toContain("Time zone");
    expect(labels.slice(-2)).toEqual(["Keep as custom field", "Ignore"]);
    expect(screen.getByTestId("preview-problems").textContent).toContain("1 of the first 3 rows");
    expect(screen.getByTestId("import-start").textContent).toBe("Import 3 rows");
  });

  it("says what the rows are and re-reads the file in the encoding picked", async () => {
    const api = memoryApi();
    renderApp(api, "#/import");
    await pick(csv("leads.csv", LEADS));
    expect(screen.getByTestId("preview-record-type").textContent).toBe("People");
    expect(screen.getByTestId("preview-phone-region").textContent).toBe("GB");

    fireEvent.change(screen.getByTestId("preview-encoding-select"), { target: { value: "windows-1250" } });
    await waitFor(() => expect(screen.getByTestId("preview-encoding").textContent).toBe("windows-1250"));
    const previews = api.calls.filter(([m]) => m === "previewImport").map(([, req]) => req as { encoding?: string });
    expect(previews.at(-1)?.encoding).toBe("windows-1250");
    fireEvent.click(screen.getByTestId("import-start"));
    await screen.findByTestId("import-result");
    expect(runs(api)[0]?.encoding).toBe("windows-1250");
  });

  it("accepts a file dropped anywhere on the screen", async () => {
    const api = memoryApi();
    renderApp(api, "#/import");
    const zone = await screen.findByTestId("import-dropzone");
    fireEvent.drop(zone, { dataTransfer: { files: [csv("dropped.csv", LEADS)], types: ["Files"] } });
    await screen.findByTestId("import-preview");
    expect(screen.getByRole("heading", { name: "dropped.csv" })).toBeTruthy();
  });

  it("sends the mapping chosen in the column selects, and the mode, to run_import", async () => {
    const api = memoryApi();
    renderApp(api, "#/import");
    await pick(csv("leads.csv", LEADS));

    fireEvent.change(select("Org"), { target: { value: "field:company" } });
    fireEvent.change(select("Last Name"), { target: { value: "ignore" } });
    await waitFor(() => expect(select("Org").value).toBe("field:company"));
    // The preview is re-read with the new mapping so row checks reflect it.
    const previews = api.calls.filter(([m]) => m === "previewImport");
    expect(previews.at(-1)?.[1]).toMatchObject({ mapping: { columns: [{ field: "first_name" }, "ignore", { field: "email" }, { field: "company" }] } });

    fireEvent.click(screen.getByTestId("import-mode-update"));
    fireEvent.click(screen.getByTestId("import-start"));
    await screen.findByTestId("import-result");
    expect(runs(api)).toEqual([
      {
        path: expect.stringMatching(/leads\.csv$/),
        mapping: { columns: [{ field: "first_name" }, "ignore", { field: "email" }, { field: "company" }] },
        mode: "update",
        force: false,
        source_kind: "drop",
      },
    ]);
    expect(api.contacts.map((c) => [c.first_name, c.last_name, c.company_name])).toEqual([
      ["Ada", null, "Analytical"],
      ["Grace", null, "Navy"],
    ]);
  });

  it("moves the progress bar with each progress message from the backend", async () => {
    const api = memoryApi();
    let release = () => {};
    api.imports.importGate = new Promise<void>((resolve) => (release = resolve));
    renderApp(api, "#/import");
    await pick(csv("leads.csv", LEADS));
    fireEvent.click(screen.getByTestId("import-start"));

    const bar = await screen.findByRole("progressbar");
    expect(bar.getAttribute("aria-valuenow")).toBe("0");
    await waitFor(() => expect(api.imports.progress).not.toBeNull());
    act(() => api.imports.progress!({ job_id: "j", rows_done: 1n, failed: 0n, size_bytes: 100n, bytes_done: 50n }));
    expect(bar.getAttribute("aria-valuenow")).toBe("33");
    expect(bar.getAttribute("aria-valuetext")).toBe("1 rows processed");
    act(() => api.imports.progress!({ job_id: "j", rows_done: 2n, failed: 1n, size_bytes: 100n, bytes_done: 100n }));
    expect(bar.getAttribute("aria-valuenow")).toBe("66");
    expect(screen.getByText("2 rows processed · 1 rejected")).toBeTruthy();
    expect((screen.getByTestId("import-start") as HTMLButtonElement).disabled).toBe(true);

    release();
    await screen.findByTestId("import-result");
    expect(screen.queryByRole("progressbar")).toBeNull();
  });

  it("cancels a running import from the progress view and says how to finish it", async () => {
    const api = memoryApi();
    let release = () => {};
    api.imports.importGate = new Promise<void>((resolve) => (release = resolve));
    renderApp(api, "#/import");
    await pick(csv("leads.csv", LEADS));
    fireEvent.click(screen.getByTestId("import-start"));
    await waitFor(() => expect(api.imports.progress).not.toBeNull());
    fireEvent.click(await screen.findByTestId("import-cancel"));
    await waitFor(() => expect(api.imports.cancelRequested).toBe(true));
    release();
    const result = await screen.findByTestId("import-result");
    expect(result.getAttribute("data-status")).toBe("cancelled");
    expect(result.textContent).toContain("import the file again to finish it");
    expect(await api.listContacts({})).toHaveLength(0);
  });

  it("shows the counts and rejected rows, and downloads them as CSV", async () => {
    const api = memoryApi();
    await api.addContact({ first_name: "Grace", email: "grace@cobol.dev" });
    renderApp(api, "#/import");
    await pick(csv("leads.csv", LEADS + "=HYPERLINK(1),x,=cmd@evil,\n"));
    fireEvent.click(screen.getByTestId("import-start"));
    await screen.findByTestId("import-result");

    expect([count("imported"), count("updated"), count("skipped"), count("failed")]).toEqual(["1", "0", "1", "2"]);
    const errors = screen.getAllByTestId("import-error").map((li) => li.textContent);
    expect(errors).toEqual(["Row 3 'not-an-email' is not a valid email address", "Row 4 '=cmd@evil' is not a valid email address"]);

    let blob: Blob | undefined;
    const create = vi.fn((b: Blob) => ((blob = b), "blob:errors"));
    Object.assign(URL, { createObjectURL: create, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => {});
    fireEvent.click(screen.getByTestId("import-errors-download"));
    expect(click).toHaveBeenCalledOnce();
    expect(click.mock.contexts[0]).toMatchObject({ download: "import-errors-leads.csv" });
    expect(blob?.type).toBe("text/csv");
    expect(await blob!.text()).toBe("row,message\r\n3,'not-an-email' is not a valid email address\r\n4,'=cmd@evil' is not a valid email address\r\n");
    await waitFor(() => expect(screen.getAllByTestId("import-history-row")).toHaveLength(1));
  });

  it("says when the same content was already imported and imports it again only when asked", async () => {
    const api = memoryApi();
    renderApp(api, "#/import");
    await pick(csv("leads.csv", LEADS));
    fireEvent.click(screen.getByTestId("import-start"));
    await screen.findByTestId("import-result");
    fireEvent.click(screen.getByRole("button", { name: "Import another file" }));

    await pick(csv("leads-copy.csv", LEADS));
    fireEvent.click(screen.getByTestId("import-start"));
    const notice = await screen.findByTestId("import-conflict");
    expect(notice.textContent).toContain("was already imported");
    expect(notice.textContent).not.toContain("--force");
    expect(screen.queryByTestId("import-result")).toBeNull();

    fireEvent.click(within(notice).getByTestId("import-force"));
    await screen.findByTestId("import-result");
    expect(runs(api).map((r) => r.force)).toEqual([false, false, true]);
    expect([count("imported"), count("skipped")]).toEqual(["0", "2"]);
    await waitFor(() => expect(screen.getAllByTestId("import-history-row")).toHaveLength(2));
  });

  it("reports other failures in the banner and stays on the preview", async () => {
    const api = memoryApi();
    renderApp(api, "#/import");
    await pick(csv("leads.csv", LEADS));
    api.failNext("runImport", { kind: "storage", field: null, message: "disk full" });
    fireEvent.click(screen.getByTestId("import-start"));
    expect((await screen.findByTestId("error-banner")).textContent).toContain("Disk full");
    expect((screen.getByTestId("import-start") as HTMLButtonElement).disabled).toBe(false);
  });

  it("lets the rep merge or dismiss suggested duplicates", async () => {
    const api = memoryApi();
    const a = await api.addContact({ first_name: "Jon", last_name: "Smith", company: "Acme" });
    const b = await api.addContact({ first_name: "John", last_name: "Smith", company: "Acme" });
    const c = await api.addContact({ first_name: "Ann", last_name: "Lee", company: "Acme" });
    const d = await api.addContact({ first_name: "Anne", last_name: "Lee", company: "Acme" });
    const open = { entity_type: "contact", status: "open" } as const;
    api.imports.merges.push(
      { id: "m1", keep_id: a.id, merge_id: b.id, score: 0.93, reason: "similar name at Acme", ...open },
      { id: "m2", keep_id: c.id, merge_id: d.id, score: 0.9, reason: "similar name at Acme", ...open },
    );
    renderApp(api, "#/import");
    const rows = await screen.findAllByTestId("merge-suggestion");
    await waitFor(() => expect(rows[0]!.textContent).toContain("Jon Smith and John Smith"));
    expect(rows[0]!.textContent).toContain("93% similar");

    fireEvent.click(within(rows[0]!).getByTestId("merge-accept"));
    await waitFor(() => expect(screen.getAllByTestId("merge-suggestion")).toHaveLength(1));
    fireEvent.click(within(screen.getByTestId("merge-suggestion")).getByTestId("merge-dismiss"));
    await waitFor(() => expect(screen.queryByTestId("merge-suggestion")).toBeNull());
    expect(api.imports.merges.map((m) => m.status)).toEqual(["accepted", "dismissed"]);
  });
});
