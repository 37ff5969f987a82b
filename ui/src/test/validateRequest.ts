// The UI test double's one validation path: every write request is checked against the rules
// generated from the Rust side (`ui/src/gen/rules.ts`, written by `make generate` from
// outpost_core::crm::request_rules). Each check below is the TypeScript twin of one function of
// the core's `store::validate` (outpost_sync::entity::rules); `rules.test.ts` runs the generated
// examples — the same ones the core's tests run against the real API — so a twin that drifts fails.
import type { CommandName } from "../gen/commands";
import { RULES, type Check } from "../gen/rules";
import type { ErrorPayload } from "../bindings/ErrorPayload";

const invalid = (field: string, message: string): ErrorPayload => ({ kind: "invalid", field, message });

/** At most 60 characters of `value`, as the core quotes a refused value. */
const preview = (value: string): string => {
  const chars = [...value];
  return chars.length <= 60 ? value : `${chars.slice(0, 60).join("")}…`;
};

const alnum = /^[\p{L}\p{N}]$/u;

function email(raw: string): string | null {
  const address = raw.toLowerCase();
  const at = address.indexOf("@");
  if (at < 0) return "bad";
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  const domainOk = domain.includes(".") && !domain.startsWith(".") && !domain.endsWith(".") && !domain.includes("..") &&
    [...domain].every((c) => alnum.test(c) || c === "." || c === "-");
  const localOk = local.length > 0 && new TextEncoder().encode(local).length <= 64 && !local.startsWith(".") && !local.endsWith(".") &&
    [...local].every((c) => alnum.test(c) || "!#$%&'*+-/=?^_`{|}~.".includes(c));
  return localOk && domainOk && new TextEncoder().encode(address).length <= 254 ? null : "bad";
}

function phone(raw: string): boolean {
  const chars = [...raw];
  const digits = chars.filter((c) => /[0-9]/.test(c)).length;
  const allowed = chars.every((c, i) => /[0-9]/.test(c) || " -().\u00a0/".includes(c) || (c === "+" && i === 0));
  return allowed && digits >= 5 && digits <= 15;
}

function date(raw: string): boolean {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(raw);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

function timestamp(raw: string): boolean {
  const rfc3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.exec(raw);
  if (rfc3339) return date(rfc3339[1]!) && Number(rfc3339[2]) < 24 && Number(rfc3339[3]) < 60 && Number(rfc3339[4]) < 61;
  const minutes = /^(\d{4}-\d{2}-\d{2}) (\d{2}):(\d{2})$/.exec(raw);
  if (minutes) return date(minutes[1]!) && Number(minutes[2]) < 24 && Number(minutes[3]) < 60;
  return /^\d{4}-\d{2}-\d{2}$/.test(raw) && date(raw);
}

function domain(raw: string): boolean {
  const lower = raw.toLowerCase();
  const scheme = lower.indexOf("://");
  const rest = scheme >= 0 ? lower.slice(scheme + 3) : lower;
  const beforePath = rest.split(/[/?#]/)[0] ?? "";
  let host = (beforePath.split("@").pop() ?? "").split(":")[0] ?? "";
  if (host.startsWith("www.")) host = host.slice(4);
  return host.length <= 253 && host.includes(".") && !/^[.-]/.test(host) && !/[.-]$/.test(host) && !host.includes("..") &&
    [...host].every((c) => alnum.test(c) || c === "." || c === "-");
}

function linkedinUrl(raw: string): string | "bad" | "long" {
  const scheme = raw.indexOf("://");
  let rest = raw;
  if (scheme >= 0) {
    if (!/^https?$/i.test(raw.slice(0, scheme))) return "bad";
    rest = raw.slice(scheme + 3);
  }
  const slash = rest.indexOf("/");
  if (slash < 0) return "bad";
  const host = rest.slice(0, slash).toLowerCase();
  const sub = host.endsWith(".linkedin.com") ? host.slice(0, -".linkedin.com".length) : null;
  if (host !== "linkedin.com" && !(sub !== null && sub.length > 0 && sub.length <= 63 && /^[a-z0-9-]+$/.test(sub))) return "bad";
  const segments = (rest.slice(slash + 1).split(/[?#]/)[0] ?? "").split("/");
  const profile = segments[1];
  if (segments[0] !== "in" || !profile || ![...profile].every((c) => alnum.test(c) || "-_%.".includes(c))) return "bad";
  const url = `https://www.linkedin.com/in/${profile}`;
  return [...url].length > 300 ? "long" : url;
}

function timeZone(raw: string): boolean {
  // The core's rule: an IANA name (letter case forgiven), not an abbreviation or a fixed offset.
  const abbreviation = (raw.toUpperCase() !== "UTC" && !raw.includes("/") && /^[A-Za-z0-9]+$/.test(raw)) ||
    /^etc\/gmt./i.test(raw);
  if (abbreviation || !/^[A-Za-z]/.test(raw)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: raw });
    return true;
  } catch {
    return false;
  }
}

/** Why `value` is refused by `check`, as the core words it (following the field's name), or null. */
function refusal(check: Check, value: unknown): string | null {
  if (check.kind === "money") {
    if (typeof value !== "number" || !Number.isFinite(value)) return "must be a number";
    if (value < 0) return `cannot be negative (got ${value})`;
    if (value > 1e13) return `is implausibly large (got ${value}; at most 10,000,000,000,000)`;
    return null;
  }
  if (typeof value !== "string") return `must be text (got ${typeof value})`;
  const raw = value.trim();
  if (check.kind === "one_of") {
    return check.values.includes(raw) ? null : `unknown value '${preview(raw)}'; expected one of ${check.values.join(", ")}`;
  }
  if (raw === "") return null;
  const q = preview(raw);
  switch (check.kind) {
    case "text": {
      const n = [...raw].length;
      return n > check.max ? `is too long (${n} characters; at most ${check.max})` : null;
    }
    case "email":
      return email(raw) === null ? null : `'${q}' is not a valid email address (expected name@example.com)`;
    case "phone":
      return phone(raw) ? null : `'${q}' is not a phone number (use digits, spaces, dashes or brackets, optionally starting with +country code)`;
    case "currency":
      return /^[A-Za-z]{3}$/.test(raw) ? null : `'${q}' is not a currency code (use three letters, e.g. USD, EUR, GBP)`;
    case "date":
      return date(raw) ? null : `'${q}' is not a date (use YYYY-MM-DD, e.g. 2026-12-31)`;
    case "timestamp":
      return timestamp(raw) ? null : `'${q}' is not a time (use 2026-11-24T14:30:00Z, '2026-11-24 14:30' (UTC) or 2026-11-24)`;
    case "domain":
      return domain(raw) ? null : `'${q}' is not a domain or website (e.g. acme.com)`;
    case "linkedin_url": {
      const url = linkedinUrl(raw);
      if (url === "long") return "is too long (at most 300 characters)";
      return url === "bad" ? `'${q}' is not a LinkedIn profile URL (expected https://www.linkedin.com/in/their-name)` : null;
    }
    case "time_zone":
      return timeZone(raw) ? null : `'${q}' is not an IANA time zone (use a name like Europe/London, America/New_York or UTC)`;
  }
}

/**
 * Checks `req` of `command` against the generated rules; throws the core's `invalid` error naming
 * the first refused field. Absent (undefined or null) fields are not checked, except a required
 * one in a create request (`add_*`, `log_*`); blank is refused for a required field, and for a
 * kept one in an update.
 */
export function validateRequest(command: CommandName, req: unknown): void {
  const rules = RULES[command];
  if (!rules || typeof req !== "object" || req === null) return;
  const creating = !command.startsWith("update_");
  for (const rule of rules) {
    const value = (req as Record<string, unknown>)[rule.field];
    if (value === undefined || value === null) {
      if (rule.required && creating) throw invalid(rule.field, "is required and cannot be blank");
      continue;
    }
    if (typeof value === "string" && value.trim() === "") {
      if (rule.required) throw invalid(rule.field, "is required and cannot be blank");
      if (rule.keep && !creating) throw invalid(rule.field, "cannot be blank");
    }
    const why = refusal(rule.check, value);
    if (why !== null) throw invalid(rule.field, why);
  }
}
