// The import, merge and watched-folder half of the in-memory backend (see memoryApi.ts). A small
// CSV reader (no quoting) stands in for the core's; the behaviour the UI relies on is mirrored:
// auto-mapping by header name, rows rejected with a reason, duplicates by email skipped or
// updated, the same content refused as a conflict unless forced, progress through a callback.
import type { Api } from "../api";
import type { Contact } from "../bindings/Contact";
import type { ErrorPayload } from "../bindings/ErrorPayload";
import type { ImportJob } from "../bindings/ImportJob";
import type { ImportMapping } from "../bindings/ImportMapping";
import type { ImportPreview } from "../bindings/ImportPreview";
import type { ImportProgress } from "../bindings/ImportProgress";
import type { MergeSuggestion } from "../bindings/MergeSuggestion";
import type { NewContact } from "../bindings/NewContact";
import { FIELDS } from "../importing";
import type { WatchedSource } from "../bindings/WatchedSource";

type ImportMethods = Pick<
  Api,
  | "stageUpload" | "previewImport" | "runImport" | "cancelImports" | "listImports" | "getImport" | "importErrors"
  | "listMerges" | "acceptMerge" | "dismissMerge" | "listWatched" | "addWatched" | "removeWatched" | "browseFolders"
>;

export interface ImportState {
  /** Staged files: path → text. */
  files: Map<string, string>;
  jobs: ImportJob[];
  merges: MergeSuggestion[];
  watched: WatchedSource[];
  /** When set, `runImport` waits for it before writing anything (tests push progress meanwhile). */
  importGate: Promise<void> | null;
  /** The progress callback of the import in flight. */
  progress: ((progress: ImportProgress) => void) | null;
  /** Set by `cancelImports` while an import is in flight: it stops before writing. */
  cancelRequested: boolean;
  /** The folders on "disk" the folder chooser can browse (absolute paths); `home` is one of them. */
  folders: Set<string>;
  home: string;
}

export function importState(): ImportState {
  return {
    files: new Map(), jobs: [], merges: [], watched: [], importGate: null, progress: null, cancelRequested: false,
    folders: new Set(["/", "/home", "/home/rep", "/home/rep/Downloads", "/home/rep/Downloads/leads", "/home/rep/Documents", "/home/rep/.cache"]),
    home: "/home/rep",
  };
}

const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
const conflict = (message: string): ErrorPayload => ({ kind: "conflict", field: null, message });

function parse(text: string) {
  const lines = text.replace(/\r\n?/g, "\n").split("\n").filter((l) => l.length > 0);
  const first = lines[0] ?? "";
  const delimiter = [",", ";", "\t", "|"].reduce((best, d) => (first.split(d).length > first.split(best).length ? d : best), ",");
  const [header = "", ...rows] = lines;
  return { delimiter, headers: header.split(delimiter), rows: rows.map((l) => l.split(delimiter)) };
}

function autoMap(headers: string[]): ImportMapping {
  return {
    columns: headers.map((h) => {
      const match = FIELDS.find(([field, label]) => key(field) === key(h) || key(label) === key(h));
      return match ? { field: match[0] } : { custom: h };
    }),
  };
}

/** The lead a row becomes, or why it is rejected. */
function lead(mapping: ImportMapping, fields: string[]): { lead: NewContact } | { error: string } {
  const get = (name: string) => {
    const i = mapping.columns.findIndex((t) => typeof t === "object" && "field" in t && t.field === name);
    return i >= 0 ? fields[i]?.trim() || undefined : undefined;
  };
  const email = get("email")?.toLowerCase();
  if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return { error: `'${email}' is not a valid email address` };
  const [first_name, last_name] = [get("first_name"), get("last_name")];
  if (!first_name && !last_name && !email && !get("phone")) return { error: "the row has no name, email or phone" };
  return { lead: { first_name, last_name, email, phone: get("phone"), title: get("title"), company: get("company") } };
}

export function importMethods(
  st: ImportState,
  deps: { nextId: () => string; now: string; contacts: () => Contact[]; addContact: (req: NewContact) => Promise<Contact>; getContact: (id: string) => Promise<Contact> },
): ImportMethods {
  const findJob = (id: string) => {
    const job = st.jobs.find((j) => j.id === id);
    if (!job) throw { kind: "not_found", field: null, message: `import ${id} not found` } satisfies ErrorPayload;
    return job;
  };
  const openMerge = (id: string) => {
    const m = st.merges.find((x) => x.id === id && x.status === "open");
    if (!m) throw conflict(`merge suggestion ${id} is not open`);
    return m;
  };
  return {
    async stageUpload(name, bytes) {
      const path = `/data/inbox/${deps.nextId()}-${name.replace(/[^\p{L}\p{N}._-]/gu, "_")}`;
      st.files.set(path, new TextDecoder().decode(bytes));
      return { path, name, size_bytes: BigInt(bytes.length) };
    },
    async previewImport(req) {
      const text = st.files.get(req.path);
      if (text === undefined) throw { kind: "invalid", field: "path", message: `${req.path} does not exist` } satisfies ErrorPayload;
      const { delimiter, headers, rows } = parse(text);
      const mapping = req.mapping ?? autoMap(headers);
      const preview: ImportPreview = {
        path: req.path, encoding: req.encoding ?? "UTF-8", notices: [], delimiter, record_type: "contacts",
        phone_region: { region: "GB", reason: "default: no country column or international numbers to go by" },
        header_line: 1n, headers, mapping, mapping_source: req.mapping ? "explicit" : "auto",
        checksum: String(text.length), size_bytes: BigInt(new TextEncoder().encode(text).length), rows: [], workbook: null,
      };
      preview.rows = rows.slice(0, 20).map((fields, i) => {
        const r = lead(mapping, fields);
        return { row: BigInt(i + 1), fields, lead: null, record: null, warnings: [], error: "error" in r ? r.error : null };
      });
      return preview;
    },
    async runImport(req, onProgress) {
      const text = st.files.get(req.path) ?? "";
      const before = st.jobs.find((j) => j.checksum === text && j.status === "completed");
      if (before && !req.force) throw conflict(`${req.path} was already imported (job ${before.id}, ${before.created_at}); the same content is never imported twice — pass --force to import it again`);
      st.progress = onProgress;
      if (st.importGate) await st.importGate;
      const { headers, rows } = parse(text);
      const mapping = req.mapping ?? autoMap(headers);
      const job: ImportJob = {
        id: deps.nextId(), status: "completed", mode: req.mode ?? "skip", source_kind: req.source_kind ?? "file", source_path: req.path,
        checksum: text, size_bytes: BigInt(text.length), encoding: req.encoding ?? "UTF-8", delimiter: ",", record_type: "contacts",
        phone_region: null, notices: [], total: BigInt(rows.length),
        imported: 0n, updated: 0n, skipped: 0n, failed: 0n, errors: [], warnings: [], error: null, duration_ms: 1n, created_at: deps.now, finished_at: deps.now,
      };
      if (st.cancelRequested) {
        st.cancelRequested = false;
        st.progress = null;
        Object.assign(job, { status: "cancelled", total: 0n });
        st.jobs.unshift(job);
        return job;
      }
      for (const [i, fields] of rows.entries()) {
        const r = lead(mapping, fields);
        if ("error" in r) {
          job.failed++;
          job.errors.push({ row: BigInt(i + 1), message: r.error });
          continue;
        }
        const existing = r.lead.email ? deps.contacts().find((c) => c.email === r.lead.email) : undefined;
        if (existing && req.mode === "update") {
          Object.assign(existing, Object.fromEntries(Object.entries(r.lead).filter(([k, v]) => v !== undefined && k !== "company")));
          job.updated++;
        } else if (existing) {
          job.skipped++;
        } else {
          await deps.addContact(r.lead);
          job.imported++;
        }
      }
      onProgress({ job_id: job.id, rows_done: BigInt(rows.length), failed: job.failed, size_bytes: job.size_bytes, bytes_done: job.size_bytes });
      st.progress = null;
      st.jobs.unshift(job);
      return job;
    },
    async cancelImports() {
      if (!st.progress) return 0;
      st.cancelRequested = true;
      return 1;
    },
    async listImports(limit) {
      return st.jobs.slice(0, limit);
    },
    async getImport(id) {
      return findJob(id);
    },
    async importErrors(id) {
      return findJob(id).errors;
    },
    async listMerges() {
      return st.merges.filter((m) => m.status === "open");
    },
    async acceptMerge(id) {
      const m = openMerge(id);
      m.status = "accepted";
      return deps.getContact(m.keep_id);
    },
    async dismissMerge(id) {
      const m = openMerge(id);
      m.status = "dismissed";
      return m;
    },
    async listWatched() {
      return st.watched;
    },
    async addWatched(req) {
      if (!req.location.startsWith("/") && !req.location.startsWith("s3://")) {
        throw { kind: "invalid", field: "location", message: `${req.location} is not an absolute folder path or s3://bucket/prefix` } satisfies ErrorPayload;
      }
      const s: WatchedSource = {
        id: deps.nextId(), kind: req.location.startsWith("s3://") ? "s3" : "folder", location: req.location,
        settings: {
          endpoint: null, region: null, settle_ms: 1500, move_processed: false, subfolders: req.subfolders ?? true, max_depth: req.max_depth ?? 5,
          connection_id: null, keychain_credentials: null,
        },
        status: "idle", last_scan_at: null, last_error: null, created_at: deps.now, files_processed: 0, files_failed: 0, skipped: [], last_import: null,
      };
      st.watched.push(s);
      return s;
    },
    async browseFolders(req) {
      // Like the core: absolute paths only, words instead of OS error codes, dot-folders hidden.
      const path = req.path?.trim() || st.home;
      if (!path.startsWith("/")) throw { kind: "invalid", field: "path", message: `'${path}' is not an absolute folder path; start it with /` } satisfies ErrorPayload;
      const clean = path.length > 1 ? path.replace(/\/+$/, "") : path;
      if (!st.folders.has(clean)) {
        throw { kind: "invalid", field: "path", message: `there is no folder at ${path}; it may have been moved, renamed or deleted` } satisfies ErrorPayload;
      }
      const prefix = clean === "/" ? "/" : `${clean}/`;
      const folders = [...st.folders]
        .filter((f) => f !== clean && f.startsWith(prefix) && !f.slice(prefix.length).includes("/"))
        .map((f) => f.slice(prefix.length))
        .filter((name) => req.show_hidden || !name.startsWith("."))
        .sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
      const parent = clean === "/" ? null : clean.slice(0, clean.lastIndexOf("/")) || "/";
      return { path: clean, parent, home: st.home, folders, truncated: false };
    },
    async removeWatched(idOrLocation) {
      const s = st.watched.find((x) => x.id === idOrLocation || x.location === idOrLocation);
      if (!s) throw { kind: "not_found", field: null, message: `watched source ${idOrLocation} not found` } satisfies ErrorPayload;
      st.watched = st.watched.filter((x) => x !== s);
      return { entity: "watched source", id: s.id };
    },
  };
}
