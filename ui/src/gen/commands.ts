// Generated from src-tauri/src/commands/table.rs by `make generate`: do not edit by hand.
// `make lint` and `cargo test -p outpost-desktop` fail when it is stale.
import { invoke } from "@tauri-apps/api/core";
import type { ActionId } from "../bindings/ActionId";
import type { Activity } from "../bindings/Activity";
import type { ActivityQuery } from "../bindings/ActivityQuery";
import type { AlertQuery } from "../bindings/AlertQuery";
import type { AskRequest } from "../bindings/AskRequest";
import type { Board } from "../bindings/Board";
import type { Brief } from "../bindings/Brief";
import type { BriefId } from "../bindings/BriefId";
import type { BriefQuery } from "../bindings/BriefQuery";
import type { BriefSummary } from "../bindings/BriefSummary";
import type { BrowseRequest } from "../bindings/BrowseRequest";
import type { CalendarImport } from "../bindings/CalendarImport";
import type { CalendarImportRequest } from "../bindings/CalendarImportRequest";
import type { Company } from "../bindings/Company";
import type { CompanyId } from "../bindings/CompanyId";
import type { CompanyUpdate } from "../bindings/CompanyUpdate";
import type { ConnectRequest } from "../bindings/ConnectRequest";
import type { Connected } from "../bindings/Connected";
import type { Connection } from "../bindings/Connection";
import type { ConnectionId } from "../bindings/ConnectionId";
import type { Contact } from "../bindings/Contact";
import type { ContactId } from "../bindings/ContactId";
import type { ContactUpdate } from "../bindings/ContactUpdate";
import type { CopilotResponse } from "../bindings/CopilotResponse";
import type { CreateContacts } from "../bindings/CreateContacts";
import type { Deal } from "../bindings/Deal";
import type { DealId } from "../bindings/DealId";
import type { DealQuery } from "../bindings/DealQuery";
import type { DealUpdate } from "../bindings/DealUpdate";
import type { Deleted } from "../bindings/Deleted";
import type { Delivery } from "../bindings/Delivery";
import type { DeliveryId } from "../bindings/DeliveryId";
import type { Digest } from "../bindings/Digest";
import type { Disconnected } from "../bindings/Disconnected";
import type { Erased } from "../bindings/Erased";
import type { FolderListing } from "../bindings/FolderListing";
import type { FollowUps } from "../bindings/FollowUps";
import type { Forgotten } from "../bindings/Forgotten";
import type { ImportJob } from "../bindings/ImportJob";
import type { ImportJobId } from "../bindings/ImportJobId";
import type { ImportPreview } from "../bindings/ImportPreview";
import type { ListQuery } from "../bindings/ListQuery";
import type { Meeting } from "../bindings/Meeting";
import type { MeetingBriefStatus } from "../bindings/MeetingBriefStatus";
import type { MeetingId } from "../bindings/MeetingId";
import type { MeetingNotes } from "../bindings/MeetingNotes";
import type { MeetingUpdate } from "../bindings/MeetingUpdate";
import type { MeetingsQuery } from "../bindings/MeetingsQuery";
import type { Memory } from "../bindings/Memory";
import type { MemoryId } from "../bindings/MemoryId";
import type { MemoryQuery } from "../bindings/MemoryQuery";
import type { MemoryUpdate } from "../bindings/MemoryUpdate";
import type { MergeSuggestion } from "../bindings/MergeSuggestion";
import type { MoveDeal } from "../bindings/MoveDeal";
import type { NewActivity } from "../bindings/NewActivity";
import type { NewCompany } from "../bindings/NewCompany";
import type { NewContact } from "../bindings/NewContact";
import type { NewDeal } from "../bindings/NewDeal";
import type { NewMemory } from "../bindings/NewMemory";
import type { NewSource } from "../bindings/NewSource";
import type { NewTask } from "../bindings/NewTask";
import type { Notification } from "../bindings/Notification";
import type { NotificationId } from "../bindings/NotificationId";
import type { OutboundQuery } from "../bindings/OutboundQuery";
import type { PendingAction } from "../bindings/PendingAction";
import type { PendingSignIn } from "../bindings/PendingSignIn";
import type { PreviewRequest } from "../bindings/PreviewRequest";
import type { Provider } from "../bindings/Provider";
import type { ProviderStatus } from "../bindings/ProviderStatus";
import type { Removed } from "../bindings/Removed";
import type { ReviewBrief } from "../bindings/ReviewBrief";
import type { RowError } from "../bindings/RowError";
import type { Score } from "../bindings/Score";
import type { ScoreQuery } from "../bindings/ScoreQuery";
import type { SetSetting } from "../bindings/SetSetting";
import type { Setting } from "../bindings/Setting";
import type { Stage } from "../bindings/Stage";
import type { SyncReport } from "../bindings/SyncReport";
import type { SyncStatus } from "../bindings/SyncStatus";
import type { Task } from "../bindings/Task";
import type { TaskId } from "../bindings/TaskId";
import type { TaskQuery } from "../bindings/TaskQuery";
import type { TeamPipeline } from "../bindings/TeamPipeline";
import type { Thread } from "../bindings/Thread";
import type { ThreadId } from "../bindings/ThreadId";
import type { ThreadSummary } from "../bindings/ThreadSummary";
import type { Usage } from "../bindings/Usage";
import type { WatchedSource } from "../bindings/WatchedSource";

/** Every command the desktop app registers and its capability grants, and whether it writes. */
export const COMMANDS = {
  board: { writes: false },
  stages: { writes: false },
  list_contacts: { writes: false },
  get_contact: { writes: false },
  add_contact: { writes: true },
  update_contact: { writes: true },
  delete_contact: { writes: true },
  erase_contact: { writes: true },
  list_companies: { writes: false },
  get_company: { writes: false },
  add_company: { writes: true },
  update_company: { writes: true },
  delete_company: { writes: true },
  list_deals: { writes: false },
  get_deal: { writes: false },
  add_deal: { writes: true },
  update_deal: { writes: true },
  move_deal: { writes: true },
  delete_deal: { writes: true },
  list_activities: { writes: false },
  log_activity: { writes: true },
  list_tasks: { writes: false },
  add_task: { writes: true },
  complete_task: { writes: true },
  list_meetings: { writes: false },
  get_meeting: { writes: false },
  update_meeting: { writes: true },
  set_meeting_notes: { writes: true },
  meeting_follow_ups: { writes: true },
  add_meeting_contacts: { writes: true },
  import_calendar: { writes: true },
  list_settings: { writes: false },
  set_setting: { writes: true },
  stage_upload: { writes: true },
  preview_import: { writes: false },
  run_import: { writes: true },
  cancel_imports: { writes: true },
  list_imports: { writes: false },
  get_import: { writes: false },
  import_errors: { writes: false },
  list_merges: { writes: false },
  accept_merge: { writes: true },
  dismiss_merge: { writes: true },
  list_watched: { writes: false },
  add_watched: { writes: true },
  remove_watched: { writes: true },
  browse_folders: { writes: false },
  current_user: { writes: false },
  sync_status: { writes: false },
  sync_connect: { writes: true },
  sync_now: { writes: true },
  sync_disconnect: { writes: true },
  copilot_ask: { writes: true },
  list_copilot_actions: { writes: false },
  confirm_copilot_action: { writes: true },
  dismiss_copilot_action: { writes: true },
  list_memories: { writes: false },
  add_memory: { writes: true },
  update_memory: { writes: true },
  forget_memory: { writes: true },
  list_copilot_threads: { writes: false },
  get_copilot_thread: { writes: false },
  copilot_provider: { writes: false },
  set_copilot_provider: { writes: true },
  copilot_usage: { writes: false },
  set_copilot_limit: { writes: true },
  list_connections: { writes: false },
  begin_connect: { writes: true },
  finish_connect: { writes: true },
  test_connection: { writes: true },
  remove_connection: { writes: true },
  list_outbound: { writes: false },
  retry_outbound: { writes: true },
  cancel_outbound: { writes: true },
  brief_for_meeting: { writes: true },
  get_brief: { writes: true },
  list_briefs: { writes: false },
  review_brief: { writes: true },
  list_alerts: { writes: false },
  read_alert: { writes: true },
  unread_alerts: { writes: false },
  show_scores: { writes: true },
  team_pipeline: { writes: false },
  team_meetings: { writes: false },
  digest: { writes: false },
} as const;

export type CommandName = keyof typeof COMMANDS;

/** The commands with a generated wrapper; `Api` in api.ts adds the hand-written (custom) ones. */
export interface GeneratedApi {
  /** The pipeline board: columns in stage order with deals and per-currency totals. */
  board(): Promise<Board>;
  stages(): Promise<Array<Stage>>;
  listContacts(req: ListQuery): Promise<Array<Contact>>;
  getContact(req: ContactId): Promise<Contact>;
  addContact(req: NewContact): Promise<Contact>;
  updateContact(req: ContactUpdate): Promise<Contact>;
  deleteContact(req: ContactId): Promise<Deleted>;
  /** GDPR erase: the person and their activities and tasks, everywhere; deals stay, unlinked. */
  eraseContact(req: ContactId): Promise<Erased>;
  listCompanies(req: ListQuery): Promise<Array<Company>>;
  getCompany(req: CompanyId): Promise<Company>;
  addCompany(req: NewCompany): Promise<Company>;
  updateCompany(req: CompanyUpdate): Promise<Company>;
  deleteCompany(req: CompanyId): Promise<Deleted>;
  listDeals(req: DealQuery): Promise<Array<Deal>>;
  getDeal(req: DealId): Promise<Deal>;
  addDeal(req: NewDeal): Promise<Deal>;
  updateDeal(req: DealUpdate): Promise<Deal>;
  moveDeal(req: MoveDeal): Promise<Deal>;
  deleteDeal(req: DealId): Promise<Deleted>;
  listActivities(req: ActivityQuery): Promise<Array<Activity>>;
  logActivity(req: NewActivity): Promise<Activity>;
  listTasks(req: TaskQuery): Promise<Array<Task>>;
  addTask(req: NewTask): Promise<Task>;
  completeTask(req: TaskId): Promise<Task>;
  listMeetings(req: ListQuery): Promise<Array<Meeting>>;
  getMeeting(req: MeetingId): Promise<Meeting>;
  updateMeeting(req: MeetingUpdate): Promise<Meeting>;
  setMeetingNotes(req: MeetingNotes): Promise<Meeting>;
  /** Turns the notes' action lines into tasks (never twice) and logs the meeting on its contacts. */
  meetingFollowUps(req: MeetingId): Promise<FollowUps>;
  /** Creates contacts from the meeting's suggested external attendees (all when `emails` is empty). */
  addMeetingContacts(req: CreateContacts): Promise<Array<Contact>>;
  /** Imports a (staged) .ics file into meetings, like `outpost meetings import`. */
  importCalendar(req: CalendarImportRequest): Promise<CalendarImport>;
  /** Every setting the rep can change, with its current value (`null`: the default applies). */
  listSettings(): Promise<Array<Setting>>;
  /** Changes a setting (empty value: back to the default); invalid values fail naming the setting. */
  setSetting(req: SetSetting): Promise<Setting>;
  previewImport(req: PreviewRequest): Promise<ImportPreview>;
  /** Asks running imports to stop after their current batch (re-importing the file resumes). */
  cancelImports(): Promise<number>;
  /** The most recent imports, at most `req` of them. */
  listImports(req: number): Promise<Array<ImportJob>>;
  getImport(req: ImportJobId): Promise<ImportJob>;
  importErrors(req: ImportJobId): Promise<Array<RowError>>;
  listMerges(): Promise<Array<MergeSuggestion>>;
  /** Merges the suggestion with this id into the existing contact. */
  acceptMerge(req: string): Promise<Contact>;
  dismissMerge(req: string): Promise<MergeSuggestion>;
  listWatched(): Promise<Array<WatchedSource>>;
  addWatched(req: NewSource): Promise<WatchedSource>;
  /** Stops watching a source, by id or location. */
  removeWatched(req: string): Promise<Deleted>;
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
  /** The copilot's suggested actions (only those still pending when `req` is true). */
  listCopilotActions(req: boolean): Promise<Array<PendingAction>>;
  /** Executes a pending action (the rep's explicit confirmation). */
  confirmCopilotAction(req: ActionId): Promise<PendingAction>;
  dismissCopilotAction(req: ActionId): Promise<PendingAction>;
  listMemories(req: MemoryQuery): Promise<Array<Memory>>;
  addMemory(req: NewMemory): Promise<Memory>;
  updateMemory(req: MemoryUpdate): Promise<Memory>;
  /** Deletes a memory for good. */
  forgetMemory(req: MemoryId): Promise<Forgotten>;
  /** The rep's copilot threads, most recently active first (at most `req`). */
  listCopilotThreads(req: number): Promise<Array<ThreadSummary>>;
  /** A copilot thread with its summary and live messages. */
  getCopilotThread(req: ThreadId): Promise<Thread>;
  /** The copilot's model provider (`null`: offline engine only); never includes the API key. */
  copilotProvider(): Promise<ProviderStatus | null>;
  /** This month's model usage and the monthly token limit. */
  copilotUsage(): Promise<Usage>;
  /** Sets the monthly token limit (`null` removes it). */
  setCopilotLimit(req: number | null): Promise<null>;
  listConnections(): Promise<Array<Connection>>;
  /** Starts a sign-in: a loopback listener and the address to open in the system browser. */
  beginConnect(req: Provider): Promise<PendingSignIn>;
  /** Waits for the browser to come back and stores the connection. */
  finishConnect(req: string): Promise<Connection>;
  /** Checks a connection (refreshing its token) and records the outcome. */
  testConnection(req: ConnectionId): Promise<Connection>;
  /** Revokes the connection's tokens at the provider and deletes them from the keychain. */
  removeConnection(req: ConnectionId): Promise<Removed>;
  listOutbound(req: OutboundQuery): Promise<Array<Delivery>>;
  retryOutbound(req: DeliveryId): Promise<Delivery>;
  cancelOutbound(req: DeliveryId): Promise<Delivery>;
  /** The brief of a meeting (generated, or regenerated when its inputs changed). */
  briefForMeeting(req: MeetingId): Promise<Brief>;
  /** A brief, refreshed first when its meeting's inputs changed since it was written. */
  getBrief(req: BriefId): Promise<Brief>;
  listBriefs(req: BriefQuery): Promise<Array<BriefSummary>>;
  reviewBrief(req: ReviewBrief): Promise<Brief>;
  listAlerts(req: AlertQuery): Promise<Array<Notification>>;
  readAlert(req: NotificationId): Promise<Notification>;
  unreadAlerts(): Promise<number>;
  /** A record's scores (computed and kept when due). */
  showScores(req: ScoreQuery): Promise<Array<Score>>;
  teamPipeline(): Promise<TeamPipeline>;
  teamMeetings(req: MeetingsQuery): Promise<Array<MeetingBriefStatus>>;
  /** Today's pipeline digest. */
  digest(): Promise<Digest>;
}

/** The invoke-backed wrappers (the real backend). */
export const generatedApi: GeneratedApi = {
  board: () => invoke<Board>("board"),
  stages: () => invoke<Array<Stage>>("stages"),
  listContacts: (req: ListQuery) => invoke<Array<Contact>>("list_contacts", { req }),
  getContact: (req: ContactId) => invoke<Contact>("get_contact", { req }),
  addContact: (req: NewContact) => invoke<Contact>("add_contact", { req }),
  updateContact: (req: ContactUpdate) => invoke<Contact>("update_contact", { req }),
  deleteContact: (req: ContactId) => invoke<Deleted>("delete_contact", { req }),
  eraseContact: (req: ContactId) => invoke<Erased>("erase_contact", { req }),
  listCompanies: (req: ListQuery) => invoke<Array<Company>>("list_companies", { req }),
  getCompany: (req: CompanyId) => invoke<Company>("get_company", { req }),
  addCompany: (req: NewCompany) => invoke<Company>("add_company", { req }),
  updateCompany: (req: CompanyUpdate) => invoke<Company>("update_company", { req }),
  deleteCompany: (req: CompanyId) => invoke<Deleted>("delete_company", { req }),
  listDeals: (req: DealQuery) => invoke<Array<Deal>>("list_deals", { req }),
  getDeal: (req: DealId) => invoke<Deal>("get_deal", { req }),
  addDeal: (req: NewDeal) => invoke<Deal>("add_deal", { req }),
  updateDeal: (req: DealUpdate) => invoke<Deal>("update_deal", { req }),
  moveDeal: (req: MoveDeal) => invoke<Deal>("move_deal", { req }),
  deleteDeal: (req: DealId) => invoke<Deleted>("delete_deal", { req }),
  listActivities: (req: ActivityQuery) => invoke<Array<Activity>>("list_activities", { req }),
  logActivity: (req: NewActivity) => invoke<Activity>("log_activity", { req }),
  listTasks: (req: TaskQuery) => invoke<Array<Task>>("list_tasks", { req }),
  addTask: (req: NewTask) => invoke<Task>("add_task", { req }),
  completeTask: (req: TaskId) => invoke<Task>("complete_task", { req }),
  listMeetings: (req: ListQuery) => invoke<Array<Meeting>>("list_meetings", { req }),
  getMeeting: (req: MeetingId) => invoke<Meeting>("get_meeting", { req }),
  updateMeeting: (req: MeetingUpdate) => invoke<Meeting>("update_meeting", { req }),
  setMeetingNotes: (req: MeetingNotes) => invoke<Meeting>("set_meeting_notes", { req }),
  meetingFollowUps: (req: MeetingId) => invoke<FollowUps>("meeting_follow_ups", { req }),
  addMeetingContacts: (req: CreateContacts) => invoke<Array<Contact>>("add_meeting_contacts", { req }),
  importCalendar: (req: CalendarImportRequest) => invoke<CalendarImport>("import_calendar", { req }),
  listSettings: () => invoke<Array<Setting>>("list_settings"),
  setSetting: (req: SetSetting) => invoke<Setting>("set_setting", { req }),
  previewImport: (req: PreviewRequest) => invoke<ImportPreview>("preview_import", { req }),
  cancelImports: () => invoke<number>("cancel_imports", { req: null }),
  listImports: (req: number) => invoke<Array<ImportJob>>("list_imports", { req }),
  getImport: (req: ImportJobId) => invoke<ImportJob>("get_import", { req }),
  importErrors: (req: ImportJobId) => invoke<Array<RowError>>("import_errors", { req }),
  listMerges: () => invoke<Array<MergeSuggestion>>("list_merges"),
  acceptMerge: (req: string) => invoke<Contact>("accept_merge", { req }),
  dismissMerge: (req: string) => invoke<MergeSuggestion>("dismiss_merge", { req }),
  listWatched: () => invoke<Array<WatchedSource>>("list_watched"),
  addWatched: (req: NewSource) => invoke<WatchedSource>("add_watched", { req }),
  removeWatched: (req: string) => invoke<Deleted>("remove_watched", { req }),
  browseFolders: (req: BrowseRequest) => invoke<FolderListing>("browse_folders", { req }),
  currentUser: () => invoke<string>("current_user"),
  syncStatus: () => invoke<SyncStatus>("sync_status"),
  syncConnect: (req: ConnectRequest) => invoke<Connected>("sync_connect", { req }),
  syncNow: () => invoke<SyncReport>("sync_now"),
  syncDisconnect: () => invoke<Disconnected>("sync_disconnect"),
  copilotAsk: (req: AskRequest) => invoke<CopilotResponse>("copilot_ask", { req }),
  listCopilotActions: (req: boolean) => invoke<Array<PendingAction>>("list_copilot_actions", { req }),
  confirmCopilotAction: (req: ActionId) => invoke<PendingAction>("confirm_copilot_action", { req }),
  dismissCopilotAction: (req: ActionId) => invoke<PendingAction>("dismiss_copilot_action", { req }),
  listMemories: (req: MemoryQuery) => invoke<Array<Memory>>("list_memories", { req }),
  addMemory: (req: NewMemory) => invoke<Memory>("add_memory", { req }),
  updateMemory: (req: MemoryUpdate) => invoke<Memory>("update_memory", { req }),
  forgetMemory: (req: MemoryId) => invoke<Forgotten>("forget_memory", { req }),
  listCopilotThreads: (req: number) => invoke<Array<ThreadSummary>>("list_copilot_threads", { req }),
  getCopilotThread: (req: ThreadId) => invoke<Thread>("get_copilot_thread", { req }),
  copilotProvider: () => invoke<ProviderStatus | null>("copilot_provider"),
  copilotUsage: () => invoke<Usage>("copilot_usage"),
  setCopilotLimit: (req: number | null) => invoke<null>("set_copilot_limit", { req }),
  listConnections: () => invoke<Array<Connection>>("list_connections"),
  beginConnect: (req: Provider) => invoke<PendingSignIn>("begin_connect", { req }),
  finishConnect: (req: string) => invoke<Connection>("finish_connect", { req }),
  testConnection: (req: ConnectionId) => invoke<Connection>("test_connection", { req }),
  removeConnection: (req: ConnectionId) => invoke<Removed>("remove_connection", { req }),
  listOutbound: (req: OutboundQuery) => invoke<Array<Delivery>>("list_outbound", { req }),
  retryOutbound: (req: DeliveryId) => invoke<Delivery>("retry_outbound", { req }),
  cancelOutbound: (req: DeliveryId) => invoke<Delivery>("cancel_outbound", { req }),
  briefForMeeting: (req: MeetingId) => invoke<Brief>("brief_for_meeting", { req }),
  getBrief: (req: BriefId) => invoke<Brief>("get_brief", { req }),
  listBriefs: (req: BriefQuery) => invoke<Array<BriefSummary>>("list_briefs", { req }),
  reviewBrief: (req: ReviewBrief) => invoke<Brief>("review_brief", { req }),
  listAlerts: (req: AlertQuery) => invoke<Array<Notification>>("list_alerts", { req }),
  readAlert: (req: NotificationId) => invoke<Notification>("read_alert", { req }),
  unreadAlerts: () => invoke<number>("unread_alerts"),
  showScores: (req: ScoreQuery) => invoke<Array<Score>>("show_scores", { req }),
  teamPipeline: () => invoke<TeamPipeline>("team_pipeline"),
  teamMeetings: (req: MeetingsQuery) => invoke<Array<MeetingBriefStatus>>("team_meetings", { req }),
  digest: () => invoke<Digest>("digest"),
};
