// Pure helpers for the CSV import screen: mapping <select> values, row estimates, the errors CSV.
import type { ImportField } from "./bindings/ImportField";
import type { ImportPreview } from "./bindings/ImportPreview";
import type { ImportTarget } from "./bindings/ImportTarget";
import type { RowError } from "./bindings/RowError";

/** Every field with its label, in the core's order (`Field::ALL` / `Field::label()`). */
export const FIELDS: ReadonlyArray<readonly [ImportField, string]> = [
  ["first_name", "First name"],
  ["last_name", "Last name"],
  ["full_name", "Full name"],
  ["email", "Email"],
  ["phone", "Phone"],
  ["mobile", "Mobile"],
  ["title", "Job title"],
  ["company", "Company"],
  ["website", "Website"],
  ["industry", "Industry"],
  ["employees", "Company size"],
  ["city", "City"],
  ["region", "State / region"],
  ["country", "Country"],
  ["location", "Location"],
  ["home_city", "Home city"],
  ["home_region", "Home state / region"],
  ["home_country", "Home country"],
  ["home_address", "Home address"],
  ["address_kind", "Address type"],
  ["notes", "Notes"],
  ["lead_source", "Lead source"],
  ["status", "Status"],
  ["linkedin", "LinkedIn"],
  ["time_zone", "Time zone"],
  ["email_opt_out", "Email opt-out"],
  ["sms_opt_out", "SMS opt-out"],
  ["do_not_call", "Do not call"],
  ["email_consent", "Email consent"],
  ["deal_name", "Deal name"],
  ["amount", "Deal amount"],
  ["currency", "Currency"],
  ["deal_stage", "Deal stage"],
  ["close_date", "Close date"],
  ["record_id", "Outpost id"],
  ["created_at", "Created at"],
  ["custom_fields", "Custom fields (JSON)"],
];

export const CUSTOM_LABEL = "Keep as custom field";
export const IGNORE_LABEL = "Ignore";

/** The `<select>` value of a mapping target: `field:email`, `custom` or `ignore`. */
export function targetValue(target: ImportTarget | undefined): string {
  if (target === undefined || target === "ignore") return "ignore";
  if ("field" in target) return `field:${target.field}`;
  return "custom";
}

/** The mapping target a `<select>` value stands for; custom fields are keyed by the header. */
export function targetOf(value: string, header: string): ImportTarget {
  if (value.startsWith("field:")) return { field: value.slice("field:".length) as ImportField };
  if (value === "custom") return { custom: header };
  return "ignore";
}

/** Human name of a delimiter. */
export function delimiterName(delimiter: string): string {
  const names: Record<string, string> = { ",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe" };
  return names[delimiter] ?? JSON.stringify(delimiter);
}

export const PREVIEW_ROWS = 20;

/**
 * Data rows in the file: exact when the preview reached the end of the file, otherwise estimated
 * from the file size and the previewed rows' average length. `exact` says which.
 */
export function estimateRows(preview: ImportPreview): { rows: number; exact: boolean } {
  const shown = preview.rows.length;
  if (shown < PREVIEW_ROWS) return { rows: shown, exact: true };
  // A workbook is compressed: its sheet says how many rows it holds (blank ones included).
  const sheet = preview.workbook?.sheets.find((s) => s.name === preview.workbook?.sheet);
  if (sheet) return { rows: Math.max(shown, sheet.rows), exact: false };
  const bytes = preview.rows.reduce((n, r) => n + new TextEncoder().encode(r.fields.join(preview.delimiter)).length + 1, 0);
  const header = new TextEncoder().encode(preview.headers.join(preview.delimiter)).length + 1;
  const perRow = Math.max(1, bytes / shown);
  return { rows: Math.max(shown, Math.round((Number(preview.size_bytes) - header) / perRow)), exact: false };
}

/** Percentage (0–99 while running) for the progress bar. */
export function progressPercent(rowsDone: number, estimatedRows: number): number {
  if (estimatedRows <= 0) return 0;
  return Math.min(99, Math.floor((rowsDone / estimatedRows) * 100));
}

/** One CSV cell: quoted when needed; a leading `= + - @` is neutralised so spreadsheets don't run it. */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The rejected rows as a CSV document (`row,message`), CRLF line endings as Excel expects. */
export function errorsCsv(errors: readonly RowError[]): string {
  return ["row,message", ...errors.map((e) => `${Number(e.row)},${cell(e.message)}`)].join("\r\n") + "\r\n";
}

/** Offers `text` as a file download (client-side, no backend round trip). */
export function downloadText(name: string, text: string, type = "text/csv"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A file's bytes (`File.arrayBuffer`, with a `FileReader` fallback for older engines). */
export async function readBytes(file: File): Promise<Uint8Array> {
  if (typeof file.arrayBuffer === "function") return new Uint8Array(await file.arrayBuffer());
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(file);
  });
}

/** The file name of a job's source: last path component, without the inbox's unique prefix. */
export function fileLabel(path: string): string {
  const base = path.split(/[\\/]/).pop() || path;
  return base.replace(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-/i, "");
}
