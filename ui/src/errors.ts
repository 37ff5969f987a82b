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
  const text = message.trim();
  if (/^(is|are|must|can|cannot|can't|should|needs?)\b/.test(text)) return `${label} ${text}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Text for the global error banner. */
export function bannerMessage(p: ErrorPayload): string {
  if (p.kind === "invalid" && p.field) return fieldMessage(humanize(p.field), p.message);
  return p.message.charAt(0).toUpperCase() + p.message.slice(1);
}

/** `expected_close` → `Expected close`. */
export function humanize(field: string): string {
  const words = field.replace(/_id$/, "").replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
