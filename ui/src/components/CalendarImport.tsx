import { useRef, useState, type DragEvent, type ReactNode } from "react";
import type { CalendarImport } from "../bindings/CalendarImport";
import { useApi, useBanner } from "../context";
import { readBytes } from "../importing";

/** One line about what a calendar import did. */
export function calendarSummary(r: CalendarImport): string {
  const parts = [`${r.created} created`, `${r.updated} updated`, `${r.cancelled} cancelled`, `${r.unchanged} unchanged`];
  const skipped = r.skipped.length ? ` · ${r.skipped.length} skipped` : "";
  return `${r.file}: ${r.events} events · ${parts.join(", ")}${skipped}`;
}

const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes("Files");

/**
 * A screen (with `heading`) that imports `.ics` files into meetings (the core's `meetings
 * import`): pick one with the header's button or drop it anywhere on the screen. The file is
 * staged in the data dir's inbox, then imported; `onImported` runs after each import and the
 * outcome stays on screen.
 */
export function CalendarImportScreen(props: { heading: ReactNode; onImported: (result: CalendarImport) => void; children: ReactNode }) {
  const api = useApi();
  const { report, clear } = useBanner();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [result, setResult] = useState<CalendarImport | null>(null);

  const accept = async (file: File) => {
    clear();
    setBusy(true);
    try {
      const staged = await api.stageUpload(file.name, await readBytes(file));
      const imported = await api.importCalendar({ path: staged.path });
      setResult({ ...imported, file: file.name });
      props.onImported(imported);
    } catch (error) {
      report(error);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = "";
    }
  };
  const onDrop = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void accept(file);
  };

  return (
    <div
      className={`screen calendar-import ${dragging ? "calendar-import--dragging" : ""}`}
      data-testid="calendar-dropzone"
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <header className="page-header">
        <div>{props.heading}</div>
        <div className="row-actions">
          <label className={`button ${busy ? "button--disabled" : ""}`}>
            {busy ? "Importing…" : "Import .ics"}
            <input
              ref={input}
              type="file"
              accept=".ics,text/calendar"
              className="visually-hidden"
              disabled={busy}
              data-testid="calendar-file"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void accept(file);
              }}
            />
          </label>
        </div>
      </header>
      {result && (
        <div className="panel panel--flat" role="status" data-testid="calendar-result">
          {calendarSummary(result)}
        </div>
      )}
      {props.children}
    </div>
  );
}
