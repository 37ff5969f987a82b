// Typed wrappers over the Tauri commands. One function per command; each takes the command's
// single `req` argument (except `board` and `stages`, which take none).
import { Channel, invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { AlertQuery } from "./bindings/AlertQuery";
import type { CalendarImport } from "./bindings/CalendarImport";
import type { CalendarImportRequest } from "./bindings/CalendarImportRequest";
import type { ProviderConfig } from "./bindings/ProviderConfig";
import type { ProviderStatus } from "./bindings/ProviderStatus";
import type { SetSetting } from "./bindings/SetSetting";
import type { Setting } from "./bindings/Setting";
import type { Thread } from "./bindings/Thread";
import type { ThreadId } from "./bindings/ThreadId";
import type { ThreadSummary } from "./bindings/ThreadSummary";
import type { Usage } from "./bindings/Usage";
import type { Brief } from "./bindings/Brief";
import type { BriefId } from "./bindings/BriefId";
import type { BriefQuery } from "./bindings/BriefQuery";
import type { BriefSummary } from "./bindings/BriefSummary";
import type { Digest } from "./bindings/Digest";
import type { MeetingBriefStatus } from "./bindings/MeetingBriefStatus";
import type { MeetingId } from "./bindings/MeetingId";
import type { MeetingsQuery } from "./bindings/MeetingsQuery";
import type { Notification } from "./bindings/Notification";
import type { NotificationId } from "./bindings/NotificationId";
import type { ReviewBrief } from "./bindings/ReviewBrief";
import type { Score } from "./bindings/Score";
import type { ScoreQuery } from "./bindings/ScoreQuery";
import type { TeamPipeline } from "./bindings/TeamPipeline";
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
import type { Erased } from "./bindings/Erased";
import type { ImportJob } from "./bindings/ImportJob";
import type { ImportJobId } from "./bindings/ImportJobId";
import type { ImportPreview } from "./bindings/ImportPreview";
import type { ImportProgress } from "./bindings/ImportProgress";
import type { ImportRequest } from "./bindings/ImportRequest";
import type { MergeSuggestion } from "./bindings/MergeSuggestion";
import type { PreviewRequest } from "./bindings/PreviewRequest";
import type { StagedFile } from "./bindings/StagedFile";
import type { ListQuery } from "./bindings/ListQuery";
import type { CreateContacts } from "./bindings/CreateContacts";
import type { FollowUps } from "./bindings/FollowUps";
import type { Meeting } from "./bindings/Meeting";
import type { MeetingNotes } from "./bindings/MeetingNotes";
import type { MeetingUpdate } from "./bindings/MeetingUpdate";
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
import type { BrowseRequest } from "./bindings/BrowseRequest";
import type { FolderListing } from "./bindings/FolderListing";
import type { ConnectRequest } from "./bindings/ConnectRequest";
import type { Connected } from "./bindings/Connected";
import type { Disconnected } from "./bindings/Disconnected";
import type { SyncReport } from "./bindings/SyncReport";
import type { SyncStatus } from "./bindings/SyncStatus";
import type { ActionId } from "./bindings/ActionId";
import type { AskRequest } from "./bindings/AskRequest";
import type { CopilotResponse } from "./bindings/CopilotResponse";
import type { Forgotten } from "./bindings/Forgotten";
import type { Memory } from "./bindings/Memory";
import type { MemoryId } from "./bindings/MemoryId";
import type { MemoryQuery } from "./bindings/MemoryQuery";
import type { MemoryUpdate } from "./bindings/MemoryUpdate";
import type { NewMemory } from "./bindings/NewMemory";
import type { PendingAction } from "./bindings/PendingAction";
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
  /** GDPR erase: the person and their activities and tasks, everywhere; deals stay, unlinked. */
  eraseContact(req: ContactId): Promise<Erased>;

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
  getMeeting(req: MeetingId): Promise<Meeting>;
  updateMeeting(req: MeetingUpdate): Promise<Meeting>;
  setMeetingNotes(req: MeetingNotes): Promise<Meeting>;
  /** Turns the notes' action lines into tasks (never twice) and logs the meeting on its contacts. */
  meetingFollowUps(req: MeetingId): Promise<FollowUps>;
  /** Creates contacts from the meeting's suggested external attendees (all when `emails` is empty). */
  addMeetingContacts(req: CreateContacts): Promise<Contact[]>;
  /** Imports a (staged) .ics file into meetings, like `outpost meetings import`. */
  importCalendar(req: CalendarImportRequest): Promise<CalendarImport>;

  /** Every setting the rep can change, with its current value (`null`: the default applies). */
  listSettings(): Promise<Setting[]>;
  /** Changes a setting (empty value: back to the default); invalid values fail naming the setting. */
  setSetting(req: SetSetting): Promise<Setting>;

  /** Sends a file's bytes (raw IPC body, not JSON) to `<data-dir>/inbox/`. */
  stageUpload(name: string, bytes: Uint8Array): Promise<StagedFile>;
  previewImport(req: PreviewRequest): Promise<ImportPreview>;
  /** Runs an import; `onProgress` gets one message per written batch. */
  runImport(req: ImportRequest, onProgress: (progress: ImportProgress) => void): Promise<ImportJob>;
  /** Asks running imports to stop after their current batch (re-importing the file resumes). */
  cancelImports(): Promise<number>;
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
  /** One folder's sub-folders (default: home), for the folder chooser. */
  browseFolders(req: BrowseRequest): Promise<FolderListing>;
  /** Who the app acts as: the owner recorded on the deals this user creates. */
  currentUser(): Promise<string>;

  /** Sync state for the indicator and the Sync screen (local; no network). */
  syncStatus(): Promise<SyncStatus>;
  /** Checks the token with the server, then keeps it in the OS keychain (never returned). */
  syncConnect(req: ConnectRequest): Promise<Connected>;
  /** Pushes local changes and pulls everything new, once. */
  syncNow(): Promise<SyncReport>;
  /** Forgets the server and the device token; local data and queued changes stay. */
  syncDisconnect(): Promise<Disconnected>;
  /** Asks the copilot; write suggestions come back as pending actions, nothing is executed. */
  copilotAsk(req: AskRequest): Promise<CopilotResponse>;
  listCopilotActions(pendingOnly: boolean): Promise<PendingAction[]>;
  /** Executes a pending action (the rep's explicit confirmation). */
  confirmCopilotAction(id: ActionId): Promise<PendingAction>;
  dismissCopilotAction(id: ActionId): Promise<PendingAction>;

  listMemories(req: MemoryQuery): Promise<Memory[]>;
  addMemory(req: NewMemory): Promise<Memory>;
  updateMemory(req: MemoryUpdate): Promise<Memory>;
  /** Deletes a memory for good. */
  forgetMemory(id: MemoryId): Promise<Forgotten>;
  /** The rep's copilot threads, most recently active first. */
  listCopilotThreads(limit: number): Promise<ThreadSummary[]>;
  /** A copilot thread with its summary and live messages. */
  getCopilotThread(id: ThreadId): Promise<Thread>;
  /** The copilot's model provider (`null`: offline engine only); never includes the API key. */
  copilotProvider(): Promise<ProviderStatus | null>;
  /** Saves the provider; a given API key goes to the OS keychain and is never sent back. */
  setCopilotProvider(config: ProviderConfig, apiKey: string | null): Promise<ProviderStatus>;
  /** This month's model usage and the monthly token limit. */
  copilotUsage(): Promise<Usage>;
  /** Sets the monthly token limit (`null` removes it). */
  setCopilotLimit(tokens: number | null): Promise<null>;
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
  /** The brief of a meeting (generated, or regenerated when its inputs changed). */
  briefForMeeting(req: MeetingId): Promise<Brief>;
  getBrief(req: BriefId): Promise<Brief>;
  listBriefs(req: BriefQuery): Promise<BriefSummary[]>;
  reviewBrief(req: ReviewBrief): Promise<Brief>;

  listAlerts(req: AlertQuery): Promise<Notification[]>;
  readAlert(req: NotificationId): Promise<Notification>;
  unreadAlerts(): Promise<number>;
  /** Calls `onAlerts` whenever the agent raises new alerts; returns the unsubscribe function. */
  subscribeAlerts(onAlerts: (raised: Notification[]) => void): () => void;

  showScores(req: ScoreQuery): Promise<Score[]>;
  teamPipeline(): Promise<TeamPipeline>;
  teamMeetings(req: MeetingsQuery): Promise<MeetingBriefStatus[]>;
  /** Today's pipeline digest. */
  digest(): Promise<Digest>;
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
export function eraseContact(req: ContactId): Promise<Erased> {
  return invoke<Erased>("erase_contact", { req });
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
export function getMeeting(req: MeetingId): Promise<Meeting> {
  return invoke<Meeting>("get_meeting", { req });
}
export function updateMeeting(req: MeetingUpdate): Promise<Meeting> {
  return invoke<Meeting>("update_meeting", { req });
}
export function setMeetingNotes(req: MeetingNotes): Promise<Meeting> {
  return invoke<Meeting>("set_meeting_notes", { req });
}
export function meetingFollowUps(req: MeetingId): Promise<FollowUps> {
  return invoke<FollowUps>("meeting_follow_ups", { req });
}
export function addMeetingContacts(req: CreateContacts): Promise<Contact[]> {
  return invoke<Contact[]>("add_meeting_contacts", { req });
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
export function cancelImports(): Promise<number> {
  return invoke<number>("cancel_imports", { req: null });
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
export function browseFolders(req: BrowseRequest): Promise<FolderListing> {
  return invoke<FolderListing>("browse_folders", { req });
}
export function currentUser(): Promise<string> {
  return invoke<string>("current_user");
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

export function syncStatus(): Promise<SyncStatus> {
  return invoke<SyncStatus>("sync_status");
}
export function syncConnect(req: ConnectRequest): Promise<Connected> {
  return invoke<Connected>("sync_connect", { req });
}
export function syncNow(): Promise<SyncReport> {
  return invoke<SyncReport>("sync_now");
}
export function syncDisconnect(): Promise<Disconnected> {
  return invoke<Disconnected>("sync_disconnect");
}
export function copilotAsk(req: AskRequest): Promise<CopilotResponse> {
  return invoke<CopilotResponse>("copilot_ask", { req });
}
export function listCopilotActions(req: boolean): Promise<PendingAction[]> {
  return invoke<PendingAction[]>("list_copilot_actions", { req });
}
export function confirmCopilotAction(req: ActionId): Promise<PendingAction> {
  return invoke<PendingAction>("confirm_copilot_action", { req });
}
export function dismissCopilotAction(req: ActionId): Promise<PendingAction> {
  return invoke<PendingAction>("dismiss_copilot_action", { req });
}
export function listCopilotThreads(req: number): Promise<ThreadSummary[]> {
  return invoke<ThreadSummary[]>("list_copilot_threads", { req });
}
export function getCopilotThread(req: ThreadId): Promise<Thread> {
  return invoke<Thread>("get_copilot_thread", { req });
}
export function copilotProvider(): Promise<ProviderStatus | null> {
  return invoke<ProviderStatus | null>("copilot_provider");
}
export function setCopilotProvider(config: ProviderConfig, apiKey: string | null): Promise<ProviderStatus> {
  return invoke<ProviderStatus>("set_copilot_provider", { req: config, apiKey });
}
export function copilotUsage(): Promise<Usage> {
  return invoke<Usage>("copilot_usage");
}
export function setCopilotLimit(req: number | null): Promise<null> {
  return invoke<null>("set_copilot_limit", { req });
}
export function importCalendar(req: CalendarImportRequest): Promise<CalendarImport> {
  return invoke<CalendarImport>("import_calendar", { req });
}
export function listSettings(): Promise<Setting[]> {
  return invoke<Setting[]>("list_settings");
}
export function setSetting(req: SetSetting): Promise<Setting> {
  return invoke<Setting>("set_setting", { req });
}
export function listMemories(req: MemoryQuery): Promise<Memory[]> {
  return invoke<Memory[]>("list_memories", { req });
}
export function addMemory(req: NewMemory): Promise<Memory> {
  return invoke<Memory>("add_memory", { req });
}
export function updateMemory(req: MemoryUpdate): Promise<Memory> {
  return invoke<Memory>("update_memory", { req });
}
export function forgetMemory(req: MemoryId): Promise<Forgotten> {
  return invoke<Forgotten>("forget_memory", { req });
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
  eraseContact,
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
  getMeeting,
  updateMeeting,
  setMeetingNotes,
  meetingFollowUps,
  addMeetingContacts,
  importCalendar,
  listSettings,
  setSetting,
  stageUpload,
  previewImport,
  runImport,
  cancelImports,
  listImports,
  getImport,
  importErrors,
  listMerges,
  acceptMerge,
  dismissMerge,
  listWatched,
  addWatched,
  removeWatched,
  browseFolders,
  currentUser,
  syncStatus,
  syncConnect,
  syncNow,
  syncDisconnect,
  copilotAsk,
  listCopilotActions,
  confirmCopilotAction,
  dismissCopilotAction,
  listMemories,
  addMemory,
  updateMemory,
  forgetMemory,
  listCopilotThreads,
  getCopilotThread,
  copilotProvider,
  setCopilotProvider,
  copilotUsage,
  setCopilotLimit,
  listConnections,
  beginConnect,
  finishConnect,
  testConnection,
  removeConnection,
  listOutbound,
  retryOutbound,
  cancelOutbound,
  briefForMeeting,
  getBrief,
  listBriefs,
  reviewBrief,
  listAlerts,
  readAlert,
  unreadAlerts,
  subscribeAlerts,
  showScores,
  teamPipeline,
  teamMeetings,
  digest,
};
export function briefForMeeting(req: MeetingId): Promise<Brief> {
  return invoke<Brief>("brief_for_meeting", { req });
}
export function getBrief(req: BriefId): Promise<Brief> {
  return invoke<Brief>("get_brief", { req });
}
export function listBriefs(req: BriefQuery): Promise<BriefSummary[]> {
  return invoke<BriefSummary[]>("list_briefs", { req });
}
export function reviewBrief(req: ReviewBrief): Promise<Brief> {
  return invoke<Brief>("review_brief", { req });
}
export function listAlerts(req: AlertQuery): Promise<Notification[]> {
  return invoke<Notification[]>("list_alerts", { req });
}
export function readAlert(req: NotificationId): Promise<Notification> {
  return invoke<Notification>("read_alert", { req });
}
export function unreadAlerts(): Promise<number> {
  return invoke<number>("unread_alerts");
}
export function subscribeAlerts(onAlerts: (raised: Notification[]) => void): () => void {
  const stop = listen<Notification[]>("alerts", (event) => onAlerts(event.payload));
  return () => void stop.then((unlisten) => unlisten());
}
export function showScores(req: ScoreQuery): Promise<Score[]> {
  return invoke<Score[]>("show_scores", { req });
}
export function teamPipeline(): Promise<TeamPipeline> {
  return invoke<TeamPipeline>("team_pipeline");
}
export function teamMeetings(req: MeetingsQuery): Promise<MeetingBriefStatus[]> {
  return invoke<MeetingBriefStatus[]>("team_meetings", { req });
}
export function digest(): Promise<Digest> {
  return invoke<Digest>("digest");
}
