import type { ErrorPayload } from "./bindings/ErrorPayload";

/**
 * Normalises whatever a rejected `invoke` gave us. Commands reject with an `ErrorPayload`; Tauri
 * itself rejects with a plain string (e.g. when arguments cannot be deserialised).
 */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error && typeof error === "object" && "kind" in error && "message" in error) {
    const e = error as { kind: unknown; message: unknown; field?: unknown };
    return {
      kind: String(e.kind),
      message: String(e.message),
      field: typeof e.field === "string" && e.field ? e.field : null,
    };
  }
  if (typeof error === "string") return { kind: "unknown", message: error, field: null };
  if (error instanceof Error) return { kind: "unknown", message: error.message, field: null };
  return { kind: "unknown", message: "Something went wrong. Please try again.", field: null };
}

/** A validation error naming a field, which forms show inline. */
export function isFieldError(p: ErrorPayload): p is ErrorPayload & { field: string } {
  return p.kind === "invalid" && !!p.field;
}

/**
 * Server messages for invalid input are phrased to follow the field name ("is required and
 * cannot be blank"); turn them into a sentence that reads well under the input.
 */
export function fieldMessage(label: string, message: string): string {
  const text = withoutOsWording(message.trim());
  if (/^(is|are|must|can|cannot|can't|should|needs?)\b/.test(text)) return `${label} ${text}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Text for the global error banner. */
export function bannerMessage(p: ErrorPayload): string {
  if (p.kind === "invalid" && p.field) return fieldMessage(humanize(p.field), p.message);
  return humanizeSystemError(p.message);
}

/** `expected_close` → `Expected close`. */
export function humanize(field: string): string {
  const words = field.replace(/_id$/, "").replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Operating-system error texts (Rust's `io::Error` display) and what they mean to a person. */
const OS_ERRORS: ReadonlyArray<[RegExp, string]> = [
  [/No such file or directory \(os error 2\)/g, "it does not exist (moved, renamed or deleted?)"],
  [/Permission denied \(os error 13\)/g, "Outpost is not allowed to open it (check its permissions)"],
  [/Not a directory \(os error 20\)/g, "it is a file, not a folder"],
  [/Is a directory \(os error 21\)/g, "it is a folder, not a file"],
  [/No space left on device \(os error 28\)/g, "the disk is full"],
  [/Read-only file system \(os error 30\)/g, "the disk is read-only"],
  [/Connection refused \(os error 111\)/g, "the server refused the connection"],
  [/Network is unreachable \(os error 101\)/g, "there is no network connection"],
  [/Connection timed out \(os error 110\)/g, "the connection timed out"],
];

/**
 * A message with the operating system's wording (`No such file or directory (os error 2)`)
 * replaced by words a rep understands; any other `(os error N)` suffix is dropped.
 */
export function humanizeSystemError(message: string): string {
  const text = withoutOsWording(message);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function withoutOsWording(message: string): string {
  let text = message;
  for (const [pattern, words] of OS_ERRORS) text = text.replace(pattern, words);
  return text.replace(/\s*\(os error \d+\)/g, "");
}
