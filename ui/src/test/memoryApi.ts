// An in-memory stand-in for the Rust backend: the *other end* of the `Api` interface in tests.
// It mirrors the core's observable behaviour that the UI relies on (validation errors naming a
// field, board columns in stage order with per-currency totals, stage changes on the timeline).
import type { Api } from "../api";
import { COMMANDS, type CommandName } from "../gen/commands";
import type { Activity } from "../bindings/Activity";
import type { Board } from "../bindings/Board";
import type { Company } from "../bindings/Company";
import type { Contact } from "../bindings/Contact";
import type { CurrencyTotal } from "../bindings/CurrencyTotal";
import type { Deal } from "../bindings/Deal";
import type { ErrorPayload } from "../bindings/ErrorPayload";
import type { Meeting } from "../bindings/Meeting";
import type { Stage } from "../bindings/Stage";
import type { StageKind } from "../bindings/StageKind";
import type { Task } from "../bindings/Task";
import { copilotMethods, copilotState, type CopilotState } from "./memoryCopilot";
import { briefMethods, briefState, type BriefState } from "./memoryBriefs";
import { importMethods, importState, type ImportState } from "./memoryImport";
import { syncFacts, syncMethods, type SyncFacts } from "./memorySync";
import { integrationMethods, integrationState, type IntegrationState } from "./memoryIntegrations";
import { validateRequest } from "./validateRequest";
import { settingsMethods, settingsState, type SettingsState } from "./memorySettings";

const STAGES: Array<[string, number, StageKind]> = [
  ["Lead", 10, "open"],
  ["Qualified", 25, "open"],
  ["Proposal", 50, "open"],
  ["Negotiation", 75, "open"],
  ["Won", 100, "won"],
  ["Lost", 0, "lost"],
];

const invalid = (field: string, message: string): ErrorPayload => ({ kind: "invalid", field, message });
const notFound = (entity: string, id: string): ErrorPayload => ({ kind: "not_found", field: null, message: `no ${entity} with id ${id}` });

export interface MemoryApi extends Api {
  /** Every call made, in order: `[method, argument]`. */
  calls: Array<[string, unknown]>;
  deals: Deal[];
  contacts: Contact[];
  companies: Company[];
  activities: Activity[];
  tasks: Task[];
  meetings: Meeting[];
  /** Staged files, import jobs, merge suggestions, watched sources, the import gate. */
  imports: ImportState;
  /** The sync server connection and outbox, as the core would report them. */
  sync: SyncFacts;
  /** Copilot pending actions and memories. */
  copilot: CopilotState;
  /** Connections and the outbound queue. */
  integrations: IntegrationState;
  /** Briefs, alerts, scores and the team view the backend holds. */
  briefing: BriefState;
  /** Settings, the copilot's provider, usage and threads. */
  settings: SettingsState;
  /** Makes the next call of `method` reject with `error`. */
  failNext(method: keyof Api, error: unknown): void;
}

export function memoryApi(now = new Date().toISOString()): MemoryApi {
  let seq = 0;
  const nextId = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, "0")}`;
  const stages: Stage[] = STAGES.map(([name, probability, kind], i) => ({
    id: `stage-${i}`,
    pipeline_id: "pipe-1",
    name,
    position: BigInt(i),
    probability: BigInt(probability),
    kind,
  }));
  const stageByName = (name: string) => {
    const s = stages.find((x) => x.name.toLowerCase() === name.trim().toLowerCase());
    if (!s) throw invalid("stage", `unknown stage '${name}'; choose one of: ${stages.map((x) => x.name).join(", ")}`);
    return s;
  };
  const companyByName = (name: string): Company => {
    const found = state.companies.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (found) return found;
    const c: Company = { id: nextId(), name, domain: null, industry: null, location: null, size: null, custom_fields: {}, created_at: now, updated_at: now };
    state.companies.push(c);
    return c;
  };
  const contactName = (c: Contact) => [c.first_name, c.last_name].filter(Boolean).join(" ") || c.email || c.phone;
  const failures = new Map<string, unknown>();
  const followUpKeys: Record<string, Set<string>> = {};
  const imports = importState();
  const sync = syncFacts();
  const copilot = copilotState();
  const integrations = integrationState();
  const briefing = briefState();
  const settings = settingsState(now.slice(0, 7));

  const state = {
    calls: [] as Array<[string, unknown]>,
    deals: [] as Deal[],
    contacts: [] as Contact[],
    companies: [] as Company[],
    activities: [] as Activity[],
    tasks: [] as Task[],
    meetings: [] as Meeting[],
  };

  const impl: Api = {
    async board(): Promise<Board> {
      return {
        pipeline_id: "pipe-1",
        name: "Sales",
        stages: stages.map((stage) => {
          const deals = state.deals.filter((d) => d.stage_id === stage.id);
          const totals = new Map<string, CurrencyTotal>();
          for (const d of deals) {
            const t = totals.get(d.currency) ?? { currency: d.currency, value: 0, weighted: 0 };
            t.value += d.value;
            t.weighted += (d.value * Number(stage.probability)) / 100;
            totals.set(d.currency, t);
          }
          return { stage, deal_count: deals.length, total_value: deals.reduce((n, d) => n + d.value, 0), totals: [...totals.values()], deals };
        }),
      };
    },
    async stages() {
      return stages;
    },
    async listContacts(q) {
      const words = (q.search ?? "").toLowerCase().split(/\W+/).filter(Boolean);
      const hay = (c: Contact) => [c.first_name, c.last_name, c.email, c.title, c.company_name].join(" ").toLowerCase();
      return state.contacts.filter((c) => words.every((w) => hay(c).split(/\W+/).some((x) => x.startsWith(w)))).slice(0, q.limit ?? 100);
    },
    async getContact(id) {
      const c = state.contacts.find((x) => x.id === id);
      if (!c) throw notFound("contact", id);
      return c;
    },
    async addContact(req) {
      if (!req.first_name && !req.last_name && !req.email && !req.phone) throw invalid("first_name", "a contact needs at least a name, an email or a phone number");
      const company = req.company ? companyByName(req.company) : null;
      const c: Contact = {
        id: nextId(), first_name: req.first_name ?? null, last_name: req.last_name ?? null, email: req.email?.toLowerCase() ?? null,
        phone: req.phone ?? null, title: req.title ?? null, company_id: company?.id ?? null, company_name: company?.name ?? null,
        email_opt_out: req.email_opt_out ?? false, sms_opt_out: req.sms_opt_out ?? false, do_not_call: req.do_not_call ?? false,
        lead_source: req.lead_source ?? null, linkedin_url: req.linkedin_url ?? null, time_zone: req.time_zone ?? null,
        notes: req.notes ?? null, custom_fields: {}, last_contacted_at: null, created_at: now, updated_at: now,
      };
      state.contacts.push(c);
      return c;
    },
    async updateContact(req) {
      const c = await impl.getContact(req.id);
      const { id: _id, company, company_id: _cid, ...rest } = req;
      for (const [k, v] of Object.entries(rest)) (c as Record<string, unknown>)[k] = v === "" ? null : v;
      if (company !== undefined) {
        const co = company ? companyByName(company) : null;
        c.company_id = co?.id ?? null;
        c.company_name = co?.name ?? null;
      }
      return c;
    },
    async deleteContact(id) {
      state.contacts = state.contacts.filter((c) => c.id !== id);
      return { entity: "contact", id };
    },
    async eraseContact(id) {
      // As the core's `erasure::erase_contact`: activities and tasks go, deals stay unlinked.
      if (!state.contacts.some((c) => c.id === id)) throw notFound("contact", id);
      const activities = state.activities.filter((a) => a.contact_id === id).length;
      const tasks = state.tasks.filter((t) => t.entity_type === "contact" && t.entity_id === id).length;
      const linked = state.deals.filter((d) => d.contact_id === id);
      state.activities = state.activities.filter((a) => a.contact_id !== id);
      state.tasks = state.tasks.filter((t) => !(t.entity_type === "contact" && t.entity_id === id));
      for (const d of linked) Object.assign(d, { contact_id: null, contact_name: null });
      state.contacts = state.contacts.filter((c) => c.id !== id);
      return { id, activities, tasks, deals_unlinked: linked.length, meetings_updated: 0, records_redacted: 0, memories_removed: 0 };
    },
    async listCompanies(q) {
      const s = (q.search ?? "").toLowerCase();
      return state.companies.filter((c) => c.name.toLowerCase().includes(s));
    },
    async getCompany(id) {
      const c = state.companies.find((x) => x.id === id);
      if (!c) throw notFound("company", id);
      return c;
    },
    async addCompany(req) {
      const c = companyByName(req.name);
      Object.assign(c, { domain: req.domain, industry: req.industry, location: req.location, size: req.size });
      return c;
    },
    async updateCompany(req) {
      const c = await impl.getCompany(req.id);
      for (const k of ["name", "domain", "industry", "location", "size"] as const) if (req[k] !== null) (c as Record<string, unknown>)[k] = req[k] || null;
      return c;
    },
    async deleteCompany(id) {
      state.companies = state.companies.filter((c) => c.id !== id);
      return { entity: "company", id };
    },
    async listDeals(q) {
      return state.deals.filter((d) => (!q.contact_id || d.contact_id === q.contact_id) && (!q.company_id || d.company_id === q.company_id));
    },
    async getDeal(id) {
      const d = state.deals.find((x) => x.id === id);
      if (!d) throw notFound("deal", id);
      return { ...d };
    },
    async addDeal(req) {
      const stage = req.stage ? stageByName(req.stage) : stages[0]!;
      const contact = req.contact_id ? await impl.getContact(req.contact_id) : null;
      const company = req.company ? companyByName(req.company) : null;
      const d: Deal = {
        id: nextId(), title: req.title, value: req.value ?? 0, currency: (req.currency ?? "USD").toUpperCase(), pipeline_id: "pipe-1",
        stage_id: stage.id, stage: stage.name, stage_kind: stage.kind, stage_entered_at: now, expected_close: req.expected_close ?? null,
        owner: "me", contact_id: contact?.id ?? null, contact_name: contact ? contactName(contact) : null, company_id: company?.id ?? null,
        company_name: company?.name ?? null, next_step: req.next_step ?? null, notes: req.notes ?? null, closed_at: null, created_at: now, updated_at: now,
      };
      state.deals.unshift(d);
      return d;
    },
    async updateDeal(req) {
      const d = state.deals.find((x) => x.id === req.id);
      if (!d) throw notFound("deal", req.id);
      Object.assign(d, { title: req.title ?? d.title, value: req.value ?? d.value, currency: req.currency ?? d.currency });
      return d;
    },
    async moveDeal(req) {
      const d = state.deals.find((x) => x.id === req.id);
      if (!d) throw notFound("deal", req.id);
      const target = stageByName(req.stage);
      if (target.id === d.stage_id) return d;
      const from = d.stage;
      Object.assign(d, { stage_id: target.id, stage: target.name, stage_kind: target.kind, stage_entered_at: now });
      state.deals = [d, ...state.deals.filter((x) => x !== d)];
      await impl.logActivity({ kind: "note", subject: `Moved from ${from} to ${target.name}`, deal_id: d.id });
      state.activities[0]!.kind = "stage_change";
      return d;
    },
    async deleteDeal(id) {
      state.deals = state.deals.filter((d) => d.id !== id);
      return { entity: "deal", id };
    },
    async listActivities(q) {
      return state.activities.filter((a) => (!q.deal_id || a.deal_id === q.deal_id) && (!q.contact_id || a.contact_id === q.contact_id));
    },
    async logActivity(req) {
      if (!req.contact_id && !req.company_id && !req.deal_id) throw invalid("contact_id", "link the activity to a contact, company or deal");
      const a: Activity = {
        id: nextId(), kind: req.kind, subject: req.subject, body: req.body ?? null, occurred_at: now, contact_id: req.contact_id ?? null,
        company_id: req.company_id ?? null, deal_id: req.deal_id ?? null, meeting_id: null, direction: req.direction ?? null, created_at: now,
      };
      state.activities.unshift(a);
      return a;
    },
    async listTasks(q) {
      // Like the core, the linked record's name is read when the task is read.
      const nameOf = (t: Task): string | null => {
        if (t.entity_type === "deal") return state.deals.find((d) => d.id === t.entity_id)?.title ?? null;
        if (t.entity_type === "company") return state.companies.find((c) => c.id === t.entity_id)?.name ?? null;
        if (t.entity_type === "meeting") return state.meetings.find((m) => m.id === t.entity_id)?.title ?? null;
        const c = t.entity_type === "contact" ? state.contacts.find((x) => x.id === t.entity_id) : undefined;
        return c ? (contactName(c) ?? null) : null;
      };
      return state.tasks
        .filter((t) => (q.include_done || !t.done_at) && (!q.entity_id || t.entity_id === q.entity_id))
        .map((t) => ({ ...t, entity_name: nameOf(t) }));
    },
    async addTask(req) {
      const [entity_type, entity_id] = req.deal_id ? ["deal", req.deal_id] : req.contact_id ? ["contact", req.contact_id] : req.company_id ? ["company", req.company_id] : [null, null];
      const t: Task = {
        id: nextId(), title: req.title, notes: req.notes ?? null, due_date: req.due_date ?? null, priority: req.priority ?? "normal",
        entity_type, entity_id, entity_name: null, done_at: null, created_at: now, updated_at: now,
      };
      state.tasks.push(t);
      return t;
    },
    async completeTask(id) {
      const t = state.tasks.find((x) => x.id === id);
      if (!t) throw notFound("task", id);
      t.done_at = now;
      return t;
    },
    async listMeetings() {
      return state.meetings;
    },
    ...integrationMethods(integrations, now),
    async getMeeting(id) {
      const m = state.meetings.find((x) => x.id === id);
      if (!m) throw notFound("meeting", id);
      const attendees = m.attendees.map((a) => ({ ...a, contact_id: a.contact_id ?? state.contacts.find((c) => c.email === a.email)?.id ?? null }));
      const suggested_contacts = m.suggested_contacts.filter((s) => !attendees.some((a) => a.email === s.email && a.contact_id));
      return { ...m, attendees, suggested_contacts };
    },
    async updateMeeting(req) {
      await impl.getMeeting(req.id);
      const stored = state.meetings.find((x) => x.id === req.id)!;
      if (req.title !== undefined && !req.title.trim()) throw invalid("title", "is required and cannot be blank");
      const { id: _id, attendees: _attendees, ...rest } = req;
      for (const [k, v] of Object.entries(rest)) (stored as Record<string, unknown>)[k] = v === "" ? null : v;
      return impl.getMeeting(req.id);
    },
    async setMeetingNotes(req) {
      const m = await impl.getMeeting(req.meeting_id);
      const stored = state.meetings.find((x) => x.id === m.id)!;
      stored.notes = req.notes?.trim() ? req.notes : null;
      return { ...m, notes: stored.notes };
    },
    async meetingFollowUps(id) {
      // The core's rules, reduced to the markers the UI tests use: "- [ ] …", "TODO: …", "Action: …".
      const m = await impl.getMeeting(id);
      if (!m.notes?.trim()) throw invalid("notes", "the meeting has no notes yet; add them and try again");
      const actions = m.notes
        .split("\n")
        .map((line) => /^\s*(?:[-*]\s*\[ \]|TODO:|Action:)\s*(.+)$/i.exec(line)?.[1]?.trim())
        .filter((text): text is string => Boolean(text));
      const seen = (followUpKeys[id] ??= new Set());
      const tasks_created: Task[] = [];
      for (const text of actions) {
        if (seen.has(text.toLowerCase())) continue;
        seen.add(text.toLowerCase());
        tasks_created.push(await impl.addTask({ title: text[0]!.toUpperCase() + text.slice(1), deal_id: m.deal_id ?? undefined }));
      }
      return {
        meeting_id: id, actions: [], tasks_created, already_created: actions.length - tasks_created.length,
        activities_logged: [], contacts_updated: [],
      };
    },
    async addMeetingContacts(req) {
      const m = await impl.getMeeting(req.meeting_id);
      const chosen = m.suggested_contacts.filter((s) => req.emails.length === 0 || req.emails.includes(s.email));
      const created: Contact[] = [];
      for (const s of chosen) {
        created.push(await impl.addContact({ first_name: s.first_name ?? undefined, last_name: s.last_name ?? undefined, email: s.email }));
      }
      return created;
    },
    ...briefMethods(briefing, now),
    // The core's acting user; deals created here are owned by it ("me", above).
    async currentUser() {
      return "me";
    },
    subscribeAlerts(onAlerts) {
      briefing.listeners.add(onAlerts);
      return () => void briefing.listeners.delete(onAlerts);
    },
    ...importMethods(imports, {
      nextId,
      now,
      contacts: () => state.contacts,
      addContact: (req) => impl.addContact(req),
      getContact: (id) => impl.getContact(id),
    }),
    ...syncMethods(sync, now),
    ...settingsMethods(settings, { now, nextId, files: imports.files, meetings: () => state.meetings }),
    ...copilotMethods(copilot, {
      nextId,
      now,
      deals: () => state.deals,
      contacts: () => state.contacts,
      tasks: () => state.tasks,
      addTask: (req) => impl.addTask(req),
    }),
  };

  // What a command may change: everything but the call record. Bigints as strings for JSON.
  const stored = () =>
    JSON.stringify([state.deals, state.contacts, state.companies, state.activities, state.tasks, state.meetings,
      imports, sync, copilot, integrations, briefing, settings], (_, v) => (typeof v === "bigint" ? `${v}n` : v));
  const snakeCase = (method: string) => method.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) as CommandName;

  // Record every call (its first argument) and honour `failNext`, around each method. Answers are
  // copies, as over the desktop's IPC: a screen never holds the double's live state, so a later
  // write shows only once the screen asks again (never on an unrelated re-render). A command
  // the Rust table declares `read` must not change the double's state (checked over the
  // synchronous part of the call, which is all of it here), so the double cannot drift into
  // writing where the app only reads.
  const api = { ...state } as MemoryApi;
  for (const [name, fn] of Object.entries(impl) as Array<[keyof Api, (...args: unknown[]) => Promise<unknown>]>) {
    // Subscriptions are synchronous (they return the unsubscribe function).
    if (name === "subscribeAlerts") {
      (api as unknown as Record<string, unknown>)[name] = fn;
      continue;
    }
    (api as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      api.calls.push([name, args[0]]);
      const failure = failures.get(name);
      if (failure !== undefined) {
        failures.delete(name);
        throw failure;
      }
      if (COMMANDS[snakeCase(name)]?.writes !== false) {
        // Every write request passes the rules generated from the Rust side, before anything changes.
        validateRequest(snakeCase(name), args[0]);
        return structuredClone(await fn(...args));
      }
      const before = stored();
      const answer = fn(...args);
      if (stored() !== before) throw new Error(`the test double's ${name} changed its state, but the command only reads`);
      return structuredClone(await answer);
    };
  }
  // Keep the record arrays shared between `api` and the implementation.
  for (const key of ["deals", "contacts", "companies", "activities", "tasks", "meetings"] as const) {
    Object.defineProperty(api, key, { get: () => state[key], set: (v) => (state[key] = v) });
  }
  api.calls = state.calls;
  api.imports = imports;
  api.sync = sync;
  api.copilot = copilot;
  api.integrations = integrations;
  api.briefing = briefing;
  api.settings = settings;
  api.failNext = (method, error) => failures.set(method, error);
  return api;
}
