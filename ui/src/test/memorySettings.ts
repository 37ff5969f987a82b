// Settings, .ics import into meetings, and the copilot's provider/usage/threads, for the in-memory
// backend (see memoryApi.ts). It mirrors the core's rules the UI relies on: a bad setting value is
// refused naming the setting, an empty value resets to the default, the provider's API key goes to
// the "keychain" and is never returned, a negative limit is refused, re-importing a calendar
// updates rather than duplicates.
import type { Api } from "../api";
import type { ErrorPayload } from "../bindings/ErrorPayload";
import type { Meeting } from "../bindings/Meeting";
import type { ProviderStatus } from "../bindings/ProviderStatus";
import type { Setting } from "../bindings/Setting";
import type { Thread } from "../bindings/Thread";
import type { Usage } from "../bindings/Usage";

type SettingsMethods = Pick<
  Api,
  "listSettings" | "setSetting" | "importCalendar" | "copilotProvider" | "setCopilotProvider" | "copilotUsage" | "setCopilotLimit" | "listCopilotThreads" | "getCopilotThread"
>;

export interface SettingsState {
  /** Setting name → description, in the core's order. */
  known: Array<[string, string]>;
  /** Stored values by setting name. */
  values: Map<string, string>;
  provider: ProviderStatus | null;
  /** API keys saved to the "keychain", in order. */
  keychain: string[];
  usage: Usage;
  threads: Thread[];
}

export function settingsState(month: string): SettingsState {
  return {
    known: [
      ["internal-domains", "email domains of your own organisation, comma-separated (attendees there are internal)"],
      ["competitors", "comma-separated competitor names that briefs look for in notes and activities"],
      ["stale-deal-days", "days without activity after which an open deal is stale (default 7)"],
      ["digest-time", "local time of the daily pipeline digest, HH:MM (default 09:00)"],
    ],
    values: new Map(),
    provider: null,
    keychain: [],
    usage: { month, requests: 0, input_tokens: 0, output_tokens: 0, limit: null },
    threads: [],
  };
}

const invalid = (field: string, message: string): ErrorPayload => ({ kind: "invalid", field, message });

/** The core's normalisation of the settings this backend knows. */
function normalise(name: string, value: string): string {
  const v = value.trim();
  if (name === "stale-deal-days") {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw invalid(name, `'${value}' is not a whole number above 0`);
    return String(n);
  }
  if (name === "digest-time" && !/^([01]\d|2[0-3]):[0-5]\d$/.test(v)) throw invalid(name, `'${value}' is not a time; use HH:MM, e.g. 09:00`);
  if (name === "competitors") return v.split(",").map((c) => c.trim()).filter(Boolean).join(", ");
  return v;
}

/** `20261202T150000Z` → `2026-12-02T15:00:00Z`. */
function icsTime(text: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text.trim());
  if (!m) throw invalid("file", `unsupported time ${text}`);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`;
}

/** The VEVENTs of a calendar: UID, SUMMARY, DTSTART (UTC only) and DTEND. */
function events(text: string): Array<{ uid: string; title: string; starts_at: string; ends_at: string | null }> {
  const blocks = text.split("BEGIN:VEVENT").slice(1);
  return blocks.map((block) => {
    const field = (name: string) => new RegExp(`^${name}(;[^:]*)?:(.*)$`, "m").exec(block)?.[2]?.trim() ?? null;
    const uid = field("UID");
    const start = field("DTSTART");
    if (!uid || !start) throw invalid("file", "a VEVENT has no UID or DTSTART");
    const end = field("DTEND");
    return { uid, title: field("SUMMARY") ?? "(no title)", starts_at: icsTime(start), ends_at: end ? icsTime(end) : null };
  });
}

export function settingsMethods(
  st: SettingsState,
  deps: { now: string; nextId: () => string; files: Map<string, string>; meetings: () => Meeting[] },
): SettingsMethods {
  const setting = (name: string): Setting => {
    const known = st.known.find(([n]) => n === name);
    if (!known) throw invalid("name", `unknown setting '${name}'; settings are ${st.known.map(([n]) => n).join(", ")}`);
    return { name, value: st.values.get(name) ?? null, description: known[1] };
  };
  return {
    async listSettings() {
      return st.known.map(([name]) => setting(name));
    },
    async setSetting(req) {
      setting(req.name);
      if (!req.value.trim()) st.values.delete(req.name);
      else st.values.set(req.name, normalise(req.name, req.value));
      return setting(req.name);
    },
    async importCalendar(req) {
      const text = deps.files.get(req.path);
      if (text === undefined) throw invalid("path", `${req.path} does not exist`);
      const found = events(text);
      const result = { file: req.path.split("/").pop() ?? req.path, events: found.length, created: 0, updated: 0, cancelled: 0, unchanged: 0 };
      const changes = [];
      for (const e of found) {
        const existing = deps.meetings().find((m) => m.calendar_uid === e.uid);
        if (existing) {
          Object.assign(existing, { title: e.title, starts_at: e.starts_at, ends_at: e.ends_at });
          result.updated += 1;
        } else {
          const meeting: Meeting = {
            id: deps.nextId(), title: e.title, starts_at: e.starts_at, ends_at: e.ends_at, all_day: false, location: null, description: null,
            notes: null, status: "scheduled", company_id: null, deal_id: null, calendar_uid: e.uid, attendees: [], suggested_contacts: [],
            created_at: deps.now, updated_at: deps.now,
          };
          deps.meetings().push(meeting);
          result.created += 1;
        }
        const id = deps.meetings().find((m) => m.calendar_uid === e.uid)!.id;
        changes.push({ action: existing ? "updated" : "created", meeting_id: id, external_uid: e.uid, title: e.title, starts_at: e.starts_at });
      }
      return { ...result, changes, skipped: [], warnings: [], window_from: deps.now, window_to: deps.now };
    },
    async copilotProvider() {
      return st.provider ? structuredClone(st.provider) : null;
    },
    async setCopilotProvider(config, apiKey) {
      const base_url = config.base_url.trim().replace(/\/+$/, "");
      if (!/^https?:\/\/\S+$/.test(base_url)) throw invalid("base_url", `'${config.base_url}' is not an http(s) URL`);
      if (!config.model.trim()) throw invalid("model", "is required (e.g. gpt-4o-mini, llama3.1, claude-sonnet-4-5)");
      if (apiKey) st.keychain.push(apiKey);
      const keyPlace = apiKey || st.provider?.api_key === "keychain" ? "keychain" : "none";
      st.provider = { config: { ...config, base_url, model: config.model.trim() }, api_key: keyPlace };
      return structuredClone(st.provider);
    },
    async copilotUsage() {
      return { ...st.usage };
    },
    async setCopilotLimit(tokens) {
      if (tokens !== null && tokens < 0) throw invalid("limit", "must be zero or more tokens");
      st.usage.limit = tokens;
      return null;
    },
    async listCopilotThreads(limit) {
      return st.threads.slice(0, limit).map(({ id, title, messages }) => ({ id, title, updated_at: messages.at(-1)?.created_at ?? deps.now }));
    },
    async getCopilotThread(id) {
      const thread = st.threads.find((t) => t.id === id);
      if (!thread) throw { kind: "not_found", field: null, message: `thread ${id} not found` } satisfies ErrorPayload;
      return structuredClone(thread);
    },
  };
}
