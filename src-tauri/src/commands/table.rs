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
//   HOW           `core path::to::fn` — the adapter is generated and calls `fn(&ctx, req)`
//                 (`fn(&ctx)` when there is no REQUEST);
//                 `net path::to::fn` — likewise, calling `fn(&ctx, &net, req)`: the function
//                 reaches the network through the adapters of outpost-integrations;
//                 `shell` — a hand-written `#[tauri::command] async fn NAME` in commands.rs;
//                 `custom` — hand-written in commands.rs AND in ui/src/api.ts (a raw body, a
//                 progress channel or a second argument), so no TS wrapper is generated
//   REQUEST       the type of the single `req` argument, or nothing; `()` takes nothing in TS
//                 and sends `req: null`
//   RESPONSE      what the command returns; its TS type comes from ts-rs (`ui/src/bindings`)
registry! {
    /// The pipeline board: columns in stage order with deals and per-currency totals.
    read  board                  = core board::board()                                     -> Board;
    read  stages                 = core pipeline::stages()                                 -> Vec<Stage>;

    read  list_contacts          = core contacts::list(ListQuery)                          -> Vec<Contact>;
    read  get_contact            = core contacts::get(ContactId)                           -> Contact;
    write add_contact            = core contacts::add(NewContact)                          -> Contact;
    write update_contact         = core contacts::update(ContactUpdate)                    -> Contact;
    write delete_contact         = core contacts::delete(ContactId)                        -> Deleted;
    /// GDPR erase: the person and their activities and tasks, everywhere; deals stay, unlinked.
    write erase_contact          = core erasure::erase_contact(ContactId)                  -> Erased;

    read  list_companies         = core companies::list(ListQuery)                         -> Vec<Company>;
    read  get_company            = core companies::get(CompanyId)                          -> Company;
    write add_company            = core companies::add(NewCompany)                         -> Company;
    write update_company         = core companies::update(CompanyUpdate)                   -> Company;
    write delete_company         = core companies::delete(CompanyId)                       -> Deleted;

    read  list_deals             = core deals::list(DealQuery)                             -> Vec<Deal>;
    read  get_deal               = core deals::get(DealId)                                 -> Deal;
    write add_deal               = core deals::add(NewDeal)                                -> Deal;
    write update_deal            = core deals::update(DealUpdate)                          -> Deal;
    write move_deal              = core deals::move_stage(MoveDeal)                        -> Deal;
    write delete_deal            = core deals::delete(DealId)                              -> Deleted;

    read  list_activities        = core activities::list(ActivityQuery)                    -> Vec<Activity>;
    write log_activity           = core activities::log(NewActivity)                       -> Activity;

    read  list_tasks             = core tasks::list(TaskQuery)                             -> Vec<Task>;
    write add_task               = core tasks::add(NewTask)                                -> Task;
    write complete_task          = core tasks::complete(TaskId)                            -> Task;

    read  list_meetings          = core meetings::list(ListQuery)                          -> Vec<Meeting>;
    read  get_meeting            = core meetings::get(MeetingId)                           -> Meeting;
    write update_meeting         = core meetings::update(MeetingUpdate)                    -> Meeting;
    write set_meeting_notes      = core meetings::set_notes(MeetingNotes)                  -> Meeting;
    /// Turns the notes' action lines into tasks (never twice) and logs the meeting on its contacts.
    write meeting_follow_ups     = core meetings::follow_ups(MeetingId)                    -> FollowUps;
    /// Creates contacts from the meeting's suggested external attendees (all when `emails` is empty).
    write add_meeting_contacts   = core meetings::create_contacts(CreateContacts)          -> Vec<Contact>;
    /// Imports a (staged) .ics file into meetings, like `outpost meetings import`.
    write import_calendar        = core ics::import_file(CalendarImportRequest)            -> CalendarImport;

    /// Every setting the rep can change, with its current value (`null`: the default applies).
    read  list_settings          = core settings::list()                                   -> Vec<Setting>;
    /// Changes a setting (empty value: back to the default); invalid values fail naming the setting.
    write set_setting            = core settings::set(SetSetting)                          -> Setting;

    /// Sends a file's bytes (raw IPC body, not JSON) to `<data-dir>/inbox/`.
    write stage_upload           = custom()                                                -> StagedFile;
    read  preview_import         = core preview::preview(PreviewRequest)                   -> ImportPreview;
    /// Runs an import; `onProgress` gets one message per written batch.
    write run_import             = custom(ImportRequest)                                   -> ImportJob;
    /// Asks running imports to stop after their current batch (re-importing the file resumes).
    write cancel_imports         = core desktop::cancel_imports(())                        -> u32;
    /// The most recent imports, at most `req` of them.
    read  list_imports           = core jobs::list(u32)                                    -> Vec<ImportJob>;
    read  get_import             = core jobs::get(ImportJobId)                             -> ImportJob;
    read  import_errors          = core jobs::errors(ImportJobId)                          -> Vec<RowError>;
    read  list_merges            = core merge::list()                                      -> Vec<MergeSuggestion>;
    /// Merges the suggestion with this id into the existing contact.
    write accept_merge           = core merge::accept(String)                              -> Contact;
    write dismiss_merge          = core merge::dismiss(String)                             -> MergeSuggestion;

    read  list_watched           = core watch::list()                                      -> Vec<WatchedSource>;
    write add_watched            = core watch::add(NewSource)                              -> WatchedSource;
    /// Stops watching a source, by id or location.
    write remove_watched         = core watch::remove(String)                              -> Deleted;
    /// One folder's sub-folders (default: home), for the folder chooser.
    read  browse_folders         = shell(BrowseRequest)                                    -> FolderListing;
    /// Who the app acts as: the owner recorded on the deals this user creates.
    read  current_user           = shell()                                                 -> String;

    /// Sync state for the indicator and the Sync screen (local; no network).
    read  sync_status            = core sync::status()                                  -> SyncStatus;
    /// Checks the token with the server, then keeps it in the OS keychain (never returned).
    write sync_connect           = core sync::connect_device(ConnectRequest)            -> Connected;
    /// Pushes local changes and pulls everything new, once.
    write sync_now               = core sync::sync_now()                                -> SyncReport;
    /// Forgets the server and the device token; local data and queued changes stay.
    write sync_disconnect        = core sync::disconnect()                              -> Disconnected;

    /// Asks the copilot; write suggestions come back as pending actions, nothing is executed.
    write copilot_ask            = net  copilot::ask(AskRequest)                           -> CopilotResponse;
    /// The copilot's suggested actions (only those still pending when `req` is true).
    read  list_copilot_actions   = core actions::list(bool)                                -> Vec<PendingAction>;
    /// Executes a pending action (the rep's explicit confirmation).
    write confirm_copilot_action = core actions::confirm(ActionId)                         -> PendingAction;
    write dismiss_copilot_action = core actions::dismiss(ActionId)                         -> PendingAction;
    read  list_memories          = core memories::list(MemoryQuery)                        -> Vec<Memory>;
    write add_memory             = core memories::add(NewMemory)                           -> Memory;
    write update_memory          = core memories::update(MemoryUpdate)                     -> Memory;
    /// Deletes a memory for good.
    write forget_memory          = core memories::forget(MemoryId)                         -> Forgotten;
    /// The rep's copilot threads, most recently active first (at most `req`).
    read  list_copilot_threads   = core threads::list(u32)                                 -> Vec<ThreadSummary>;
    /// A copilot thread with its summary and live messages.
    read  get_copilot_thread     = core threads::get(ThreadId)                             -> Thread;
    /// The copilot's model provider (`null`: offline engine only); never includes the API key.
    read  copilot_provider       = core llm_config::status()                                 -> Option<ProviderStatus>;
    /// Saves the provider; a given API key goes to the OS keychain and is never sent back.
    write set_copilot_provider   = custom(ProviderConfig)                                  -> ProviderStatus;
    /// This month's model usage and the monthly token limit.
    read  copilot_usage          = core usage::current()                                   -> Usage;
    /// Sets the monthly token limit (`null` removes it).
    write set_copilot_limit      = core usage::set_limit(Option<i64>)                      -> ();

    read  list_connections       = core connections::list()                                -> Vec<Connection>;
    /// Starts a sign-in: a loopback listener and the address to open in the system browser.
    write begin_connect          = shell(Provider)                                         -> PendingSignIn;
    /// Waits for the browser to come back and stores the connection.
    write finish_connect         = shell(String)                                           -> Connection;
    /// Checks a connection (refreshing its token) and records the outcome.
    write test_connection        = net  connections::test(ConnectionId)                    -> Connection;
    /// Revokes the connection's tokens at the provider and deletes them from the keychain.
    write remove_connection      = net  connections::remove(ConnectionId)                  -> Removed;
    read  list_outbound          = core outbound::list(OutboundQuery)                      -> Vec<Delivery>;
    write retry_outbound         = core outbound::retry(DeliveryId)                        -> Delivery;
    write cancel_outbound        = core outbound::cancel(DeliveryId)                       -> Delivery;

    /// The brief of a meeting (generated, or regenerated when its inputs changed).
    write brief_for_meeting      = core briefs::for_meeting(MeetingId)                     -> Brief;
    /// A brief, refreshed first when its meeting's inputs changed since it was written.
    write get_brief              = core briefs::get(BriefId)                               -> Brief;
    read  list_briefs            = core briefs::list(BriefQuery)                           -> Vec<BriefSummary>;
    write review_brief           = core briefs::review(ReviewBrief)                        -> Brief;

    read  list_alerts            = core alerts::list(AlertQuery)                           -> Vec<Notification>;
    write read_alert             = core alerts::mark_read(NotificationId)                  -> Notification;
    read  unread_alerts          = core alerts::unread_count()                             -> u32;

    /// A record's scores (computed and kept when due).
    write show_scores            = core scores::show(ScoreQuery)                           -> Vec<Score>;
    read  team_pipeline          = core team::pipeline()                                   -> TeamPipeline;
    read  team_meetings          = core team::meetings(MeetingsQuery)                      -> Vec<MeetingBriefStatus>;
    /// Today's pipeline digest.
    read  digest                 = core proactive::digest()                                    -> Digest;
}
