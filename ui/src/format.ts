import type { Contact } from "./bindings/Contact";
import type { CurrencyTotal } from "./bindings/CurrencyTotal";

/**
 * The UI's locale: the webview's language when it is a valid BCP 47 tag, else `en-US`. (Under
 * `LANG=C`, WebKitGTK reports "C", which every `Intl` formatter rejects with a RangeError.)
 */
const locale = (): string => {
  try {
    return Intl.getCanonicalLocales((typeof navigator !== "undefined" && navigator.language) || "en-US")[0] ?? "en-US";
  } catch {
    return "en-US";
  }
};

/** `12345` → `12,345` in the UI's locale. */
export function formatCount(n: number): string {
  return new Intl.NumberFormat(locale()).format(n);
}

/** `12000, "USD"` → `$12,000`; cents are shown only when there are any. */
export function formatMoney(value: number, currency: string): string {
  const digits = Number.isInteger(value) ? 0 : 2;
  try {
    return new Intl.NumberFormat(locale(), {
      style: "currency",
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(value);
  } catch {
    return `${value.toFixed(digits)} ${currency}`;
  }
}

/**
 * Column totals, one per currency, largest first: `$12,000 · €3,500`. Amounts in different
 * currencies are never added together. Empty columns show a dash.
 */
export function formatTotals(totals: readonly CurrencyTotal[]): string {
  const shown = totals.filter((t) => t.value !== 0 || totals.length === 1);
  if (shown.length === 0) return "—";
  return [...shown]
    .sort((a, b) => b.value - a.value || a.currency.localeCompare(b.currency))
    .map((t) => formatMoney(t.value, t.currency))
    .join(" · ");
}

const DAY_MS = 86_400_000;

/** Whole days between an RFC 3339 instant and now. */
export function daysSince(iso: string, now: Date = new Date()): number {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return 0;
  return Math.max(0, Math.floor((now.getTime() - then) / DAY_MS));
}

/** `0` → `today`, `1` → `1 day`, `5` → `5 days`. */
export function formatDays(days: number): string {
  if (days <= 0) return "today";
  return days === 1 ? "1 day" : `${days} days`;
}

/** A contact's display name: full name, else email, else phone. */
export function contactName(c: Pick<Contact, "first_name" | "last_name" | "email" | "phone">): string {
  const name = [c.first_name, c.last_name].filter(Boolean).join(" ").trim();
  return name || c.email || c.phone || "Unnamed contact";
}

/** `2026-12-31` → `Dec 31, 2026` (a calendar date, no time zone shifts). */
export function formatDate(ymd: string | null | undefined): string {
  if (!ymd) return "—";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(ymd);
  if (!m) return ymd;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeZone: "UTC" }).format(d);
}

/** An RFC 3339 instant in local time: `Dec 31, 2026, 2:30 PM`. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(t);
}

/** Today's local calendar date as `YYYY-MM-DD`. */
export function todayYmd(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Is a `YYYY-MM-DD` due date before today? */
export function isOverdue(due: string | null | undefined, now: Date = new Date()): boolean {
  return !!due && due < todayYmd(now);
}

/**
 * How soon a meeting starts, for one that needs attention: `Now` while it runs, `in 75 min` when
 * it starts within `withinMinutes` (default two hours), else `null`.
 */
export function startsSoon(startsAt: string, endsAt: string | null, now: Date = new Date(), withinMinutes = 120): string | null {
  const start = Date.parse(startsAt);
  if (Number.isNaN(start)) return null;
  const end = endsAt ? Date.parse(endsAt) : start;
  const t = now.getTime();
  if (start <= t && t < end) return "Now";
  const minutes = Math.ceil((start - t) / 60_000);
  if (start <= t || minutes > withinMinutes) return null;
  return minutes <= 1 ? "in 1 min" : `in ${minutes} min`;
}

/**
 * A person's name as the UI shows it: the local user (the core's `local`, or the signed-in or
 * OS user when known) is "You"; nobody is "Unassigned".
 */
export function ownerName(owner: string | null | undefined, me: readonly string[] = []): string {
  if (!owner || !owner.trim()) return "Unassigned";
  if (owner === "local" || me.includes(owner)) return "You";
  return owner;
}
