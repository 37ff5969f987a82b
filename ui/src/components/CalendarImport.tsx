import { useState, type ReactNode } from "react";
import type { CalendarImport } from "../bindings/CalendarImport";
import { useApi, useBanner } from "../context";
import { readBytes } from "../importing";
import { FileButton, useFileDrop } from "./FileInput";

/** One line about what a calendar import did. */
export function calendarSummary(r: CalendarImport): string {
  const parts = [`${r.created} created`, `${r.updated} updated`, `${r.cancelled} cancelled`, `${r.unchanged} unchanged`];
  const skipped = r.skipped.length ? ` · ${r.skipped.length} skipped` : "";
  return `${r.file}: ${r.events} events · ${parts.join(", ")}${skipped}`;
}

/**
 * What the reader could not use, one line each: events skipped as unreadable, as an attendee's
 * reply or cut at the occurrence limit (with the file's line, UID and reason), and values left out
 * of imported events.
 */
export function calendarProblems(r: CalendarImport): string[] {
  const where = (line: number | null, uid: string) => [line === null ? null : `line ${line}`, uid || null].filter(Boolean).join(" · ");
  const skipped = r.skipped
    .filter((s) => s.reason === "unreadable" || s.reason === "occurrence_limit" || s.reason === "reply")
    .map((s) => `${where(s.line, s.uid)}: ${s.reason === "occurrence_limit" ? "cut" : "not imported"} — ${s.detail ?? ""}`);
  const warnings = r.warnings.map((w) => `${where(w.line, w.uid)}: ${w.message}`);
  return [...skipped, ...warnings];
}

/**
 * A screen (with `heading`) that imports `.ics` files into meetings (the core's `meetings
 * import`): pick one with the header's button or drop it anywhere on the screen. The file is
 * staged in the data dir's inbox, then imported; `onImported` runs after each import and the
 * outcome stays on screen.
 */
export function CalendarImportScreen(props: { heading: ReactNode; onImported: (result: CalendarImport) => void; children: ReactNode }) {
  const api = useApi();
  const { report, clear } = useBanner();
  const [busy, setBusy] = useState(false);
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
    }
  };
  const { dragging, handlers } = useFileDrop((file) => void accept(file));

  return (
    <div className={`screen calendar-import ${dragging ? "calendar-import--dragging" : ""}`} data-testid="calendar-dropzone" {...handlers}>
      <header className="page-header">
        <div>{props.heading}</div>
        <div className="page-header__actions">
          <FileButton label={busy ? "Importing…" : "Import .ics"} accept=".ics,text/calendar" testId="calendar-file" disabled={busy} onFile={(file) => void accept(file)} />
        </div>
      </header>
      {result && (
        <div className="panel panel--flat" role="status" data-testid="calendar-result">
          {calendarSummary(result)}
        </div>
      )}
      {result && calendarProblems(result).length > 0 && (
        <ul className="panel panel--flat calendar-import__problems" data-testid="calendar-problems">
          {calendarProblems(result).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      {props.children}
    </div>
  );
}
