// Typed wrappers over the Tauri commands. One function per command; each takes the command's
// single `req` argument (except `board` and `stages`, which take none).
import { Channel, invoke } from "@tauri-apps/api/core";
import type { Activity } from "./bindings/Activity";
import type { ActivityQuery } from "./bindings/ActivityQuery";
import type { Board } from "./bindings/Board";
import type { Company } from "./bindings/Company";
import type { CompanyId } from "./bindings/CompanyId";
import type { CompanyUpdate } from "./bindings/CompanyUpdate";
import type { Contact } from "./bindings/Contact";
import type { ContactId } from "./bindings/ContactId";
import type { ContactUpdate } from "./bindings/ContactUpdate";
import type { Deal } from "./bindings/Deal";
import type { DealId } from "./bindings/DealId";
import type { DealQuery } from "./bindings/DealQuery";
import type { DealUpdate } from "./bindings/DealUpdate";
import type { Deleted } from "./bindings/Deleted";
import type { ImportJob } from "./bindings/ImportJob";
import type { ImportJobId } from "./bindings/ImportJobId";
import type { ImportPreview } from "./bindings/ImportPreview";
import type { ImportProgress } from "./bindings/ImportProgress";
import type { ImportRequest } from "./bindings/ImportRequest";
import type { MergeSuggestion } from "./bindings/MergeSuggestion";
import type { PreviewRequest } from "./bindings/PreviewRequest";
import type { StagedFile } from "./bindings/StagedFile";
import type { ListQuery } from "./bindings/ListQuery";
import type { Meeting } from "./bindings/Meeting";
import type { MoveDeal } from "./bindings/MoveDeal";
import type { NewActivity } from "./bindings/NewActivity";
import type { NewCompany } from "./bindings/NewCompany";
import type { NewContact } from "./bindings/NewContact";
import type { NewDeal } from "./bindings/NewDeal";
import type { NewTask } from "./bindings/NewTask";
import type { Stage } from "./bindings/Stage";
import type { Task } from "./bindings/Task";
import type { TaskId } from "./bindings/TaskId";
import type { TaskQuery } from "./bindings/TaskQuery";
import type { NewSource } from "./bindings/NewSource";
import type { WatchedSource } from "./bindings/WatchedSource";
import type { Connection } from "./bindings/Connection";
import type { ConnectionId } from "./bindings/ConnectionId";
import type { Delivery } from "./bindings/Delivery";
import type { DeliveryId } from "./bindings/DeliveryId";
import type { OutboundQuery } from "./bindings/OutboundQuery";
import type { Removed } from "./bindings/Removed";
import type { PendingSignIn } from "./bindings/PendingSignIn";
import type { Provider } from "./bindings/Provider";

/** Everything the UI can ask the backend. Components get it from `ApiContext`. */
export interface Api {
  board(): Promise<Board>;
  stages(): Promise<Stage[]>;

  listContacts(req: ListQuery): Promise<Contact[]>;
  getContact(req: ContactId): Promise<Contact>;
  addContact(req: NewContact): Promise<Contact>;
  updateContact(req: ContactUpdate): Promise<Contact>;
  deleteContact(req: ContactId): Promise<Deleted>;

  listCompanies(req: ListQuery): Promise<Company[]>;
  getCompany(req: CompanyId): Promise<Company>;
  addCompany(req: NewCompany): Promise<Company>;
  updateCompany(req: CompanyUpdate): Promise<Company>;
  deleteCompany(req: CompanyId): Promise<Deleted>;

  listDeals(req: DealQuery): Promise<Deal[]>;
  getDeal(req: DealId): Promise<Deal>;
  addDeal(req: NewDeal): Promise<Deal>;
  updateDeal(req: DealUpdate): Promise<Deal>;
  moveDeal(req: MoveDeal): Promise<Deal>;
  deleteDeal(req: DealId): Promise<Deleted>;

  listActivities(req: ActivityQuery): Promise<Activity[]>;
  logActivity(req: NewActivity): Promise<Activity>;

  listTasks(req: TaskQuery): Promise<Task[]>;
  addTask(req: NewTask): Promise<Task>;
  completeTask(req: TaskId): Promise<Task>;

  listMeetings(req: ListQuery): Promise<Meeting[]>;

  /** Sends a file's bytes (raw IPC body, not JSON) to `<data-dir>/inbox/`. */
  stageUpload(name: string, bytes: Uint8Array): Promise<StagedFile>;
  previewImport(req: PreviewRequest): Promise<ImportPreview>;
  /** Runs an import; `onProgress` gets one message per written batch. */
  runImport(req: ImportRequest, onProgress: (progress: ImportProgress) => void): Promise<ImportJob>;
  listImports(limit: number): Promise<ImportJob[]>;
  getImport(id: ImportJobId): Promise<ImportJob>;
  importErrors(id: ImportJobId): Promise<ImportJob["errors"]>;
  listMerges(): Promise<MergeSuggestion[]>;
  acceptMerge(id: string): Promise<Contact>;
  dismissMerge(id: string): Promise<MergeSuggestion>;

  listWatched(): Promise<WatchedSource[]>;
  addWatched(req: NewSource): Promise<WatchedSource>;
  /** Stops watching a source, by id or location. */
  removeWatched(idOrLocation: string): Promise<Deleted>;

  listConnections(): Promise<Connection[]>;
  /** Starts a sign-in: a loopback listener and the address to open in the system browser. */
  beginConnect(req: Provider): Promise<PendingSignIn>;
  /** Waits for the browser to come back and stores the connection. */
  finishConnect(req: string): Promise<Connection>;
  /** Checks a connection (refreshing its token) and records the outcome. */
  testConnection(req: ConnectionId): Promise<Connection>;
  /** Revokes the connection's tokens at the provider and deletes them from the keychain. */
  removeConnection(req: ConnectionId): Promise<Removed>;

  listOutbound(req: OutboundQuery): Promise<Delivery[]>;
  retryOutbound(req: DeliveryId): Promise<Delivery>;
  cancelOutbound(req: DeliveryId): Promise<Delivery>;
}

export function board(): Promise<Board> {
  return invoke<Board>("board");
}
export function stages(): Promise<Stage[]> {
  return invoke<Stage[]>("stages");
}
export function listContacts(req: ListQuery): Promise<Contact[]> {
  return invoke<Contact[]>("list_contacts", { req });
}
export function getContact(req: ContactId): Promise<Contact> {
  return invoke<Contact>("get_contact", { req });
}
export function addContact(req: NewContact): Promise<Contact> {
  return invoke<Contact>("add_contact", { req });
}
export function updateContact(req: ContactUpdate): Promise<Contact> {
  return invoke<Contact>("update_contact", { req });
}
export function deleteContact(req: ContactId): Promise<Deleted> {
  return invoke<Deleted>("delete_contact", { req });
}
export function listCompanies(req: ListQuery): Promise<Company[]> {
  return invoke<Company[]>("list_companies", { req });
}
export function getCompany(req: CompanyId): Promise<Company> {
  return invoke<Company>("get_company", { req });
}
export function addCompany(req: NewCompany): Promise<Company> {
  return invoke<Company>("add_company", { req });
}
export function updateCompany(req: CompanyUpdate): Promise<Company> {
  return invoke<Company>("update_company", { req });
}
export function deleteCompany(req: CompanyId): Promise<Deleted> {
  return invoke<Deleted>("delete_company", { req });
}
export function listDeals(req: DealQuery): Promise<Deal[]> {
  return invoke<Deal[]>("list_deals", { req });
}
export function getDeal(req: DealId): Promise<Deal> {
  return invoke<Deal>("get_deal", { req });
}
export function addDeal(req: NewDeal): Promise<Deal> {
  return invoke<Deal>("add_deal", { req });
}
export function updateDeal(req: DealUpdate): Promise<Deal> {
  return invoke<Deal>("update_deal", { req });
}
export function moveDeal(req: MoveDeal): Promise<Deal> {
  return invoke<Deal>("move_deal", { req });
}
export function deleteDeal(req: DealId): Promise<Deleted> {
  return invoke<Deleted>("delete_deal", { req });
}
export function listActivities(req: ActivityQuery): Promise<Activity[]> {
  return invoke<Activity[]>("list_activities", { req });
}
export function logActivity(req: NewActivity): Promise<Activity> {
  return invoke<Activity>("log_activity", { req });
}
export function listTasks(req: TaskQuery): Promise<Task[]> {
  return invoke<Task[]>("list_tasks", { req });
}
export function addTask(req: NewTask): Promise<Task> {
  return invoke<Task>("add_task", { req });
}
export function completeTask(req: TaskId): Promise<Task> {
  return invoke<Task>("complete_task", { req });
}
export function listMeetings(req: ListQuery): Promise<Meeting[]> {
  return invoke<Meeting[]>("list_meetings", { req });
}

export function stageUpload(name: string, bytes: Uint8Array): Promise<StagedFile> {
  // Header values must be ASCII: the name travels percent-encoded and the core decodes it.
  return invoke<StagedFile>("stage_upload", bytes, { headers: { "x-file-name": encodeURIComponent(name) } });
}
export function previewImport(req: PreviewRequest): Promise<ImportPreview> {
  return invoke<ImportPreview>("preview_import", { req });
}
export function runImport(req: ImportRequest, onProgress: (progress: ImportProgress) => void): Promise<ImportJob> {
  const channel = new Channel<ImportProgress>();
  channel.onmessage = onProgress;
  return invoke<ImportJob>("run_import", { req, onProgress: channel });
}
export function listImports(limit: number): Promise<ImportJob[]> {
  return invoke<ImportJob[]>("list_imports", { req: limit });
}
export function getImport(req: ImportJobId): Promise<ImportJob> {
  return invoke<ImportJob>("get_import", { req });
}
export function importErrors(req: ImportJobId): Promise<ImportJob["errors"]> {
  return invoke<ImportJob["errors"]>("import_errors", { req });
}
export function listMerges(): Promise<MergeSuggestion[]> {
  return invoke<MergeSuggestion[]>("list_merges");
}
export function acceptMerge(req: string): Promise<Contact> {
  return invoke<Contact>("accept_merge", { req });
}
export function dismissMerge(req: string): Promise<MergeSuggestion> {
  return invoke<MergeSuggestion>("dismiss_merge", { req });
}
export function listWatched(): Promise<WatchedSource[]> {
  return invoke<WatchedSource[]>("list_watched");
}
export function addWatched(req: NewSource): Promise<WatchedSource> {
  return invoke<WatchedSource>("add_watched", { req });
}
export function removeWatched(req: string): Promise<Deleted> {
  return invoke<Deleted>("remove_watched", { req });
}
export function listConnections(): Promise<Connection[]> {
  return invoke<Connection[]>("list_connections");
}
export function beginConnect(req: Provider): Promise<PendingSignIn> {
  return invoke<PendingSignIn>("begin_connect", { req });
}
export function finishConnect(req: string): Promise<Connection> {
  return invoke<Connection>("finish_connect", { req });
}
export function testConnection(req: ConnectionId): Promise<Connection> {
  return invoke<Connection>("test_connection", { req });
}
export function removeConnection(req: ConnectionId): Promise<Removed> {
  return invoke<Removed>("remove_connection", { req });
}
export function listOutbound(req: OutboundQuery): Promise<Delivery[]> {
  return invoke<Delivery[]>("list_outbound", { req });
}
export function retryOutbound(req: DeliveryId): Promise<Delivery> {
  return invoke<Delivery>("retry_outbound", { req });
}
export function cancelOutbound(req: DeliveryId): Promise<Delivery> {
  return invoke<Delivery>("cancel_outbound", { req });
}

/** The real, invoke-backed api. */
export const tauriApi: Api = {
  board,
  stages,
  listContacts,
  getContact,
  addContact,
  updateContact,
  deleteContact,
  listCompanies,
  getCompany,
  addCompany,
  updateCompany,
  deleteCompany,
  listDeals,
  getDeal,
  addDeal,
  updateDeal,
  moveDeal,
  deleteDeal,
  listActivities,
  logActivity,
  listTasks,
  addTask,
  completeTask,
  listMeetings,
  stageUpload,
  previewImport,
  runImport,
  listImports,
  getImport,
  importErrors,
  listMerges,
  acceptMerge,
  dismissMerge,
  listWatched,
  addWatched,
  removeWatched,
  listConnections,
  beginConnect,
  finishConnect,
  testConnection,
  removeConnection,
  listOutbound,
  retryOutbound,
  cancelOutbound,
};
