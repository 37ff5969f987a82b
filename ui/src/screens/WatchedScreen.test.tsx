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
    const input = screen.getByLabelText("Folder (or s3://bucket/prefix)");
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
    await waitFor(() => expect(within(updated).getByTestId("watched-error").textContent).toBe("Folder /home/me/leads is gone"));
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
    fireEvent.change(screen.getByLabelText("Folder (or s3://bucket/prefix)"), { target: { value: "/home/me/exports" } });
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

  it("picks the folder in the folder chooser, and says in words what the OS reported", async () => {
    const api = memoryApi();
    renderApp(api, "#/watched");
    await screen.findByText(/Nothing watched yet/);
    const choose = screen.getByTestId("watched-choose");
    choose.focus();
    fireEvent.click(choose);
    const picker = await screen.findByTestId("folder-picker");
    // Starts at home, lists its folders without the hidden one.
    await waitFor(() => expect(within(picker).getAllByTestId("folder-picker-folder").map((b) => b.textContent)).toEqual(["▸Documents", "▸Downloads"]));
    fireEvent.click(within(picker).getByRole("button", { name: /Downloads/ }));
    await waitFor(() => expect(within(picker).getAllByTestId("folder-picker-folder").map((b) => b.textContent)).toEqual(["▸leads"]));
    fireEvent.click(within(picker).getByRole("button", { name: /leads/ }));
    await waitFor(() => expect(within(picker).queryAllByTestId("folder-picker-folder")).toHaveLength(0));
    fireEvent.click(screen.getByTestId("folder-picker-choose"));
    await waitFor(() => expect(screen.queryByTestId("folder-picker")).toBeNull());
    expect((screen.getByLabelText("Folder (or s3://bucket/prefix)") as HTMLInputElement).value).toBe("/home/rep/Downloads/leads");
    // Focus is back on the button that opened the chooser.
    expect(document.activeElement).toBe(screen.getByTestId("watched-choose"));

    fireEvent.click(screen.getByTestId("watched-add"));
    const row = await screen.findByTestId("watched-source");
    expect(row.dataset.location).toBe("/home/rep/Downloads/leads");
    Object.assign(api.imports.watched[0]!, { status: "error", last_error: "cannot read folder /home/rep/Downloads/leads: No such file or directory (os error 2)" });
    fireEvent.click(screen.getByTestId("nav-import"));
    fireEvent.click(await screen.findByTestId("nav-watched"));
    const error = await screen.findByTestId("watched-error");
    expect(error.textContent).toBe("Cannot read folder /home/rep/Downloads/leads: it does not exist (moved, renamed or deleted?)");
    expect(error.textContent).not.toContain("os error");
  });

  it("folder chooser: a typed path that is gone opens home and says so", async () => {
    const api = memoryApi();
    renderApp(api, "#/watched");
    fireEvent.change(await screen.findByLabelText("Folder (or s3://bucket/prefix)"), { target: { value: "/home/rep/Old" } });
    fireEvent.click(screen.getByTestId("watched-choose"));
    const picker = await screen.findByTestId("folder-picker");
    expect((await within(picker).findByTestId("folder-picker-error")).textContent).toBe("There is no folder at /home/rep/Old; it may have been moved, renamed or deleted");
    await waitFor(() => expect(within(picker).getAllByTestId("folder-picker-folder")).toHaveLength(2));
    // Still explained once home is shown; gone when the rep moves on.
    expect(within(picker).getByTestId("folder-picker-error").textContent).toContain("/home/rep/Old");
    fireEvent.click(within(picker).getByRole("button", { name: /Documents/ }));
    await waitFor(() => expect(within(picker).queryByTestId("folder-picker-error")).toBeNull());
  });
});
