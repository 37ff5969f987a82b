import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { memoryApi } from "../test/memoryApi";
import { renderApp } from "../test/render";

describe("watched folders", () => {
  it("adds a folder (with inline errors), lists its status and last import, and removes it", async () => {
    const api = memoryApi();
    renderApp(api, "#/import");
    fireEvent.click(await screen.findByTestId("nav-watched"));
    await screen.findByText(/Nothing watched yet/);

    fireEvent.click(screen.getByTestId("watched-add"));
    expect((await screen.findByTestId("error-location")).textContent).toContain("required");
    const input = screen.getByLabelText("Folder path or s3://bucket/prefix");
    fireEvent.change(input, { target: { value: "relative/dir" } });
    fireEvent.click(screen.getByTestId("watched-add"));
    await waitFor(() => expect(screen.getByTestId("error-location").textContent).toContain("not an absolute folder path"));
    expect(api.imports.watched).toHaveLength(0);

    fireEvent.change(input, { target: { value: "/home/me/leads" } });
    fireEvent.click(screen.getByTestId("watched-add"));
    const row = await screen.findByTestId("watched-source");
    expect(row.dataset.location).toBe("/home/me/leads");
    expect(within(row).getByTestId("watched-status").textContent).toBe("Waiting for first scan");
    expect(within(row).getByTestId("watched-last-import").textContent).toBe("No file imported yet");
    expect((input as HTMLInputElement).value).toBe("");

    Object.assign(api.imports.watched[0]!, {
      status: "error", last_error: "folder /home/me/leads is gone", files_processed: 3,
      last_import: { job_id: "j1", key: "q4.csv", status: "completed", imported: 5, updated: 1, skipped: 2, failed: 0, at: "2026-01-02T10:00:00Z" },
    });
    fireEvent.click(screen.getByTestId("nav-import"));
    fireEvent.click(await screen.findByTestId("nav-watched"));
    const updated = await screen.findByTestId("watched-source");
    await waitFor(() => expect(within(updated).getByTestId("watched-error").textContent).toBe("folder /home/me/leads is gone"));
    expect(within(updated).getByTestId("watched-status").textContent).toBe("Problem");
    expect(within(updated).getByTestId("watched-last-import").textContent).toContain("q4.csv");
    expect(within(updated).getByTestId("watched-last-import").textContent).toContain("5 new, 1 updated, 2 skipped, 0 failed");

    const id = api.imports.watched[0]!.id;
    fireEvent.click(within(updated).getByTestId("watched-remove"));
    fireEvent.click(within(updated).getByTestId("watched-remove-confirm"));
    await screen.findByText(/Nothing watched yet/);
    expect(api.calls.filter(([m]) => m === "removeWatched").map(([, a]) => a)).toEqual([id]);
  });

  it("adds a folder without its subfolders and lists the files it skipped with the reason", async () => {
    const api = memoryApi();
    renderApp(api, "#/watched");
    await screen.findByText(/Nothing watched yet/);
    fireEvent.change(screen.getByLabelText("Folder path or s3://bucket/prefix"), { target: { value: "/home/me/exports" } });
    const subfolders = screen.getByTestId("watched-subfolders-input") as HTMLInputElement;
    expect(subfolders.checked).toBe(true);
    fireEvent.click(subfolders);
    fireEvent.click(screen.getByTestId("watched-add"));
    const row = await screen.findByTestId("watched-source");
    expect(api.calls.filter(([m]) => m === "addWatched").map(([, a]) => a)).toEqual([{ location: "/home/me/exports", subfolders: false }]);
    expect(within(row).getByTestId("watched-subfolders").textContent).toBe("This folder only, not its subfolders");
    expect(within(row).queryByTestId("watched-skipped")).toBeNull();

    Object.assign(api.imports.watched[0]!, {
      settings: { ...api.imports.watched[0]!.settings, subfolders: true, max_depth: 3 },
      skipped: [
        { key: "brochure.pdf", reason: "a .pdf file is not a lead list", seen_at: "2026-01-02T10:00:00Z" },
        { key: "q1/~$leads.xlsx", reason: "an editor's lock or backup file, not a lead list", seen_at: "2026-01-02T10:00:00Z" },
      ],
    });
    fireEvent.click(screen.getByTestId("nav-import"));
    fireEvent.click(await screen.findByTestId("nav-watched"));
    const updated = await screen.findByTestId("watched-source");
    await waitFor(() => expect(within(updated).getByTestId("watched-subfolders").textContent).toBe("Includes subfolders, 3 levels deep"));
    expect(within(updated).getByTestId("watched-skipped").textContent).toContain("2 files not imported");
    const files = within(updated).getAllByTestId("watched-skipped-file").map((li) => li.textContent);
    expect(files).toEqual(["brochure.pdf — a .pdf file is not a lead list", "q1/~$leads.xlsx — an editor's lock or backup file, not a lead list"]);
  });
});
