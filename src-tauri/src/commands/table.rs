// THE list of desktop commands: one line per command the UI may call. Not a module: it is
// `include!`d by `src/commands.rs` (which turns it into the Tauri commands and the invoke
// handler) and by `build.rs` (which turns it into the command permissions the capability
// grants). `make generate` writes the UI's typed wrappers (`ui/src/gen/commands.ts`) from it.
//
// One line:   /// what it does (becomes the doc comment of the generated TS wrapper)
//             read|write NAME = HOW(REQUEST) -> RESPONSE;
//   read | write  whether the command can change stored data (write permissions are a set of
//                 their own in the capability; see README "Adding a desktop command")
//   NAME          the command name; the TS wrapper is its camelCase (`list_contacts` → `listContacts`)
//   HOW           `core_sync path::to::fn` — a synchronous core function (database work): the
//                 adapter is generated and runs `fn(&ctx, req)` (`fn(&ctx)` when there is no
//                 REQUEST) on the blocking pool (`off_runtime`), off the async runtime;
//                 `core path::to::fn` — the same for an `async` core function (network I/O),
//                 awaited;
//                 `net path::to::fn` — an `async` core function given the network adapters of
//                 outpost-integrations: calls `fn(&ctx, &net, req)`, awaited;
//                 `shell` — a hand-written `#[tauri::command] async fn NAME` in commands.rs;
//                 `custom` — hand-written in commands.rs AND in ui/src/api.ts (a raw body, a
//                 progress channel or a second argument), so no TS wrapper is generated
//   REQUEST       the type of the single `req` argument, or nothing; `()` takes nothing in TS
//                 and sends `req: null`
//   RESPONSE      what the command returns; its TS type comes from ts-rs (`ui/src/bindings`)
registry! {
    /// The pipeline board: columns in stage order with deals and per-currency totals.
    read  board                  = core_sync board::board()                                -> Board;
    read  stages                 = core_sync pipeline::stages()                            -> Vec<Stage>;

    read  list_contacts          = core_sync contacts::list(ListQuery)                     -> Vec<Contact>;
    read  get_contact            = core_sync contacts::get(ContactId)                      -> Contact;
    write add_contact            = core_sync contacts::add(NewContact)                     -> Contact;
    write update_contact         = core_sync contacts::update(ContactUpdate)               -> Contact;
    write delete_contact         = core_sync contacts::delete(ContactId)                   -> Deleted;
    /// GDPR erase: the person and their activities and tasks, everywhere; deals stay, unlinked.
    write erase_contact          = core_sync erasure::erase_contact(ContactId)             -> Erased;

    read  list_companies         = core_sync companies::list(ListQuery)                    -> Vec<Company>;
    read  get_company            = core_sync companies::get(CompanyId)                     -> Company;
    write add_company            = core_sync companies::add(NewCompany)                    -> Company;
    write update_company         = core_sync companies::update(CompanyUpdate)              -> Company;
    write delete_company         = core_sync companies::delete(CompanyId)                  -> Deleted;

    read  list_deals             = core_sync deals::list(DealQuery)                        -> Vec<Deal>;
    read  get_deal               = core_sync deals::get(DealId)                            -> Deal;
    write add_deal               = core_sync deals::add(NewDeal)                           -> Deal;
    write update_deal            = core_sync deals::update(DealUpdate)                     -> Deal;
    write move_deal              = core_sync deals::move_stage(MoveDeal)                   -> Deal;
    write delete_deal            = core_sync deals::delete(DealId)                         -> Deleted;

    read  list_activities        = core_sync activities::list(ActivityQuery)               -> Vec<Activity>;
    write log_activity           = core_sync activities::log(NewActivity)                  -> Activity;

    read  list_tasks             = core_sync tasks::list(TaskQuery)                        -> Vec<Task>;
    write add_task               = core_sync tasks::add(NewTask)                           -> Task;
    write complete_task          = core_sync tasks::complete(TaskId)                       -> Task;

    read  list_meetings          = core_sync meetings::list(ListQuery)                     -> Vec<Meeting>;
    read  get_meeting            = core_sync meetings::get(MeetingId)                      -> Meeting;
    write update_meeting         = core_sync meetings::update(MeetingUpdate)               -> Meeting;
    write set_meeting_notes      = core_sync meetings::set_notes(MeetingNotes)             -> Meeting;
    /// Turns the notes' action lines into tasks (never twice) and logs the meeting on its contacts.
    write meeting_follow_ups     = core_sync meetings::follow_ups(MeetingId)               -> FollowUps;
    /// Creates contacts from the meeting's suggested external attendees (all when `emails` is empty).
    write add_meeting_contacts   = core_sync meetings::create_contacts(CreateContacts)     -> Vec<Contact>;
    /// Imports a (staged) .ics file into meetings, like `outpost meetings import`.
    write import_calendar        = core_sync ics::import_file(CalendarImportRequest)       -> CalendarImport;

    /// Every setting the rep can change, with its current value (`null`: the default applies).
    read  list_settings          = core_sync settings::list()                              -> Vec<Setting>;
    /// Changes a setting (empty value: back to the default); invalid values fail naming the setting.
    write set_setting            = core_sync settings::set(SetSetting)                     -> Setting;

    /// Sends a file's bytes (raw IPC body, not JSON) to `<data-dir>/inbox/`.
    write stage_upload           = custom()                                                -> StagedFile;
    read  preview_import         = core_sync preview::preview(PreviewRequest)              -> ImportPreview;
    /// Runs an import; `onProgress` gets one message per written batch.
    write run_import             = custom(ImportRequest)                                   -> ImportJob;
    /// Asks running imports to stop after their current batch (re-importing the file resumes).
    write cancel_imports         = core_sync desktop::cancel_imports(())                   -> u32;
    /// The most recent imports, at most `req` of them.
    read  list_imports           = core_sync jobs::list(u32)                               -> Vec<ImportJob>;
    read  get_import             = core_sync jobs::get(ImportJobId)                        -> ImportJob;
    read  import_errors          = core_sync jobs::errors(ImportJobId)                     -> Vec<RowError>;
    read  list_merges            = core_sync merge::list()                                 -> Vec<MergeSuggestion>;
    /// Merges the suggestion with this id into the existing contact.
    write accept_merge           = core_sync merge::accept(String)                         -> Contact;
    write dismiss_merge          = core_sync merge::dismiss(String)                        -> MergeSuggestion;

    read  list_watched           = core_sync watch::list()                                 -> Vec<WatchedSource>;
    write add_watched            = core_sync watch::add(NewSource)                         -> WatchedSource;
    /// Stops watching a source, by id or location.
    write remove_watched         = core_sync watch::remove(String)                         -> Deleted;
    /// One folder's sub-folders (default: home), for the folder chooser.
    read  browse_folders         = shell(BrowseRequest)                                    -> FolderListing;
    /// Who the app acts as: the owner recorded on the deals this user creates.
    read  current_user           = shell()                                                 -> String;

    /// Sync state for the indicator and the Sync screen (local; no network).
    read  sync_status            = core_sync sync::status()                                -> SyncStatus;
    /// Checks the token with the server, then keeps it in the OS keychain (never returned).
    write sync_connect           = core sync::connect_device(ConnectRequest)               -> Connected;
    /// Pushes local changes and pulls everything new, once.
    write sync_now               = core sync::sync_now()                                   -> SyncReport;
    /// Forgets the server and the device token; local data and queued changes stay.
    write sync_disconnect        = core_sync sync::disconnect()                            -> Disconnected;

    /// Asks the copilot; write suggestions come back as pending actions, nothing is executed.
    write copilot_ask            = net  copilot::ask(AskRequest)                           -> CopilotResponse;
    /// The copilot's suggested actions (only those still pending when `req` is true).
    read  list_copilot_actions   = core_sync actions::list(bool)                           -> Vec<PendingAction>;
    /// Executes a pending action (the rep's explicit confirmation).
    write confirm_copilot_action = core_sync actions::confirm(ActionId)                    -> PendingAction;
    write dismiss_copilot_action = core_sync actions::dismiss(ActionId)                    -> PendingAction;
    read  list_memories          = core_sync memories::list(MemoryQuery)                   -> Vec<Memory>;
    write add_memory             = core_sync memories::add(NewMemory)                      -> Memory;
    write update_memory          = core_sync memories::update(MemoryUpdate)                -> Memory;
    /// Deletes a memory for good.
    write forget_memory          = core_sync memories::forget(MemoryId)                    -> Forgotten;
    /// The rep's copilot threads, most recently active first (at most `req`).
    read  list_copilot_threads   = core_sync threads::list(u32)                            -> Vec<ThreadSummary>;
    /// A copilot thread with its summary and live messages.
    read  get_copilot_thread     = core_sync threads::get(ThreadId)                        -> Thread;
    /// The copilot's model provider (`null`: offline engine only); never includes the API key.
    read  copilot_provider       = core_sync llm_config::status()                          -> Option<ProviderStatus>;
    /// Saves the provider; a given API key goes to the OS keychain and is never sent back.
    write set_copilot_provider   = custom(ProviderConfig)                                  -> ProviderStatus;
    /// This month's model usage and the monthly token limit.
    read  copilot_usage          = core_sync usage::current()                              -> Usage;
    /// Sets the monthly token limit (`null` removes it).
    write set_copilot_limit      = core_sync usage::set_limit(Option<i64>)                 -> ();

    read  list_connections       = core_sync connections::list()                           -> Vec<Connection>;
    /// Starts a sign-in: a loopback listener and the address to open in the system browser.
    write begin_connect          = shell(Provider)                                         -> PendingSignIn;
    /// Waits for the browser to come back and stores the connection.
    write finish_connect         = shell(String)                                           -> Connection;
    /// Checks a connection (refreshing its token) and records the outcome.
    write test_connection        = net  connections::test(ConnectionId)                    -> Connection;
    /// Revokes the connection's tokens at the provider and deletes them from the keychain.
    write remove_connection      = net  connections::remove(ConnectionId)                  -> Removed;
    read  list_outbound          = core_sync outbound::list(OutboundQuery)                 -> Vec<Delivery>;
    write retry_outbound         = core_sync outbound::retry(DeliveryId)                   -> Delivery;
    write cancel_outbound        = core_sync outbound::cancel(DeliveryId)                  -> Delivery;

    /// The brief of a meeting (generated, or regenerated when its inputs changed).
    write brief_for_meeting      = core_sync briefs::for_meeting(MeetingId)                -> Brief;
    /// A brief, refreshed first when its meeting's inputs changed since it was written.
    write get_brief              = core_sync briefs::get(BriefId)                          -> Brief;
    read  list_briefs            = core_sync briefs::list(BriefQuery)                      -> Vec<BriefSummary>;
    write review_brief           = core_sync briefs::review(ReviewBrief)                   -> Brief;

    read  list_alerts            = core_sync alerts::list(AlertQuery)                      -> Vec<Notification>;
    write read_alert             = core_sync alerts::mark_read(NotificationId)             -> Notification;
    read  unread_alerts          = core_sync alerts::unread_count()                        -> u32;

    /// A record's scores (computed and kept when due).
    write show_scores            = core_sync scores::show(ScoreQuery)                      -> Vec<Score>;
    read  team_pipeline          = core_sync team::pipeline()                              -> TeamPipeline;
    read  team_meetings          = core_sync team::meetings(MeetingsQuery)                 -> Vec<MeetingBriefStatus>;
    /// Today's pipeline digest.
    read  digest                 = core_sync proactive::digest()                           -> Digest;
}
