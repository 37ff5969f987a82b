//! Tauri commands: each a one-line adapter over an `outpost-core` API call, returning the core's
//! serialisable error payload to the UI.

use std::sync::Arc;

use outpost_core::{
    activities::{self, Activity, ActivityQuery, NewActivity},
    agent::{self, digest::Digest},
    alerts::{self, AlertQuery, Notification},
    briefs::{self, Brief, BriefQuery, BriefSummary, ReviewBrief},
    companies::{self, Company, CompanyUpdate, Deleted, NewCompany},
    connections::{self, Connection, Removed},
    contacts::{self, Contact, ContactUpdate, NewContact},
    copilot::{
        self,
        actions::{self, PendingAction},
        provider::{self, ProviderConfig, ProviderStatus},
        threads::{self, Thread, ThreadSummary},
        usage::{self, Usage},
        AskRequest, CopilotResponse,
    },
    deals::{self, Deal, DealQuery, DealUpdate, MoveDeal, NewDeal},
    erasure::{self, Erased},
    ids::{
        ActionId, BriefId, CompanyId, ConnectionId, ContactId, DealId, DeliveryId, ImportJobId, MeetingId, MemoryId,
        NotificationId, TaskId, ThreadId,
    },
    import::{
        desktop,
        jobs::{self, ImportJob, ImportProgress, ImportRequest, RowError},
        merge::{self, MergeSuggestion},
        preview::{self, ImportPreview, PreviewRequest},
        staging::StagedFile,
    },
    meetings::{
        self,
        calendar::{self as ics, CalendarImport, CalendarImportRequest},
        CreateContacts, FollowUps, Meeting, MeetingNotes, MeetingUpdate,
    },
    memories::{self, Forgotten, Memory, MemoryQuery, MemoryUpdate, NewMemory},
    outbound::{self, Delivery, OutboundQuery},
    pipeline::{self, Board, Stage},
    replica::session::{self, ConnectRequest, Connected, Disconnected, SyncReport, SyncStatus},
    scores::{self, Score, ScoreQuery},
    search::ListQuery,
    settings::{self, SetSetting, Setting},
    tasks::{self, NewTask, Task, TaskQuery},
    team::{self, MeetingBriefStatus, MeetingsQuery, TeamPipeline},
    watch::{self, BrowseRequest, FolderListing, NewSource, WatchedSource},
    Ctx, ErrorPayload,
};
use tauri::{
    ipc::{Channel, InvokeBody, Request},
    State,
};

/// The managed store handle; shared (`Arc`) so a long import can run on its own thread.
pub(crate) type Shared<'a> = State<'a, Arc<Ctx>>;

/// Declares `#[tauri::command] async fn $name(ctx, req: $req) -> Result<$res, ErrorPayload>`
/// forwarding to `$call(&ctx, req)`.
macro_rules! adapter {
    ($name:ident, $call:path, $req:ty => $res:ty) => {
        #[tauri::command]
        async fn $name(ctx: Shared<'_>, req: $req) -> Result<$res, ErrorPayload> {
            $call(&ctx, req).await.map_err(ErrorPayload::from)
        }
    };
}

#[tauri::command]
async fn board(ctx: Shared<'_>) -> Result<Board, ErrorPayload> {
    pipeline::board(&ctx).await.map_err(ErrorPayload::from)
}

#[tauri::command]
async fn stages(ctx: Shared<'_>) -> Result<Vec<Stage>, ErrorPayload> {
    pipeline::stages(&ctx).await.map_err(ErrorPayload::from)
}

adapter!(list_contacts, contacts::list, ListQuery => Vec<Contact>);
adapter!(get_contact, contacts::get, ContactId => Contact);
adapter!(add_contact, contacts::add, NewContact => Contact);
adapter!(update_contact, contacts::update, ContactUpdate => Contact);
adapter!(delete_contact, contacts::delete, ContactId => Deleted);
adapter!(erase_contact, erasure::erase_contact, ContactId => Erased);
adapter!(list_companies, companies::list, ListQuery => Vec<Company>);
adapter!(get_company, companies::get, CompanyId => Company);
adapter!(add_company, companies::add, NewCompany => Company);
adapter!(update_company, companies::update, CompanyUpdate => Company);
adapter!(delete_company, companies::delete, CompanyId => Deleted);
adapter!(list_deals, deals::list, DealQuery => Vec<Deal>);
adapter!(get_deal, deals::get, DealId => Deal);
adapter!(add_deal, deals::add, NewDeal => Deal);
adapter!(update_deal, deals::update, DealUpdate => Deal);
adapter!(move_deal, deals::move_stage, MoveDeal => Deal);
adapter!(delete_deal, deals::delete, DealId => Deleted);
adapter!(list_activities, activities::list, ActivityQuery => Vec<Activity>);
adapter!(log_activity, activities::log, NewActivity => Activity);
adapter!(list_tasks, tasks::list, TaskQuery => Vec<Task>);
adapter!(add_task, tasks::add, NewTask => Task);
adapter!(complete_task, tasks::complete, TaskId => Task);
adapter!(list_meetings, meetings::list, ListQuery => Vec<Meeting>);
adapter!(get_meeting, meetings::get, MeetingId => Meeting);
adapter!(update_meeting, meetings::update, MeetingUpdate => Meeting);
adapter!(set_meeting_notes, meetings::set_notes, MeetingNotes => Meeting);
adapter!(meeting_follow_ups, meetings::follow_ups, MeetingId => FollowUps);
adapter!(add_meeting_contacts, meetings::create_contacts, CreateContacts => Vec<Contact>);
adapter!(import_calendar, ics::import_file, CalendarImportRequest => CalendarImport);
adapter!(set_setting, settings::set, SetSetting => Setting);

#[tauri::command]
async fn list_settings(ctx: Shared<'_>) -> Result<Vec<Setting>, ErrorPayload> {
    settings::list(&ctx).await.map_err(ErrorPayload::from)
}
adapter!(preview_import, preview::preview, PreviewRequest => ImportPreview);
adapter!(cancel_imports, desktop::cancel_imports, () => u32);
adapter!(list_imports, jobs::list, u32 => Vec<ImportJob>);
adapter!(get_import, jobs::get, ImportJobId => ImportJob);
adapter!(import_errors, jobs::errors, ImportJobId => Vec<RowError>);
adapter!(accept_merge, merge::accept, String => Contact);
adapter!(dismiss_merge, merge::dismiss, String => MergeSuggestion);
adapter!(add_watched, watch::add, NewSource => WatchedSource);
adapter!(remove_watched, watch::remove, String => Deleted);
adapter!(sync_connect, session::connect_device, ConnectRequest => Connected);

#[tauri::command]
async fn sync_status(ctx: Shared<'_>) -> Result<SyncStatus, ErrorPayload> {
    session::status(&ctx).await.map_err(ErrorPayload::from)
}

#[tauri::command]
async fn sync_now(ctx: Shared<'_>) -> Result<SyncReport, ErrorPayload> {
    session::sync_now(&ctx).await.map_err(ErrorPayload::from)
}

#[tauri::command]
async fn sync_disconnect(ctx: Shared<'_>) -> Result<Disconnected, ErrorPayload> {
    session::disconnect(&ctx).await.map_err(ErrorPayload::from)
}

adapter!(copilot_ask, copilot::ask, AskRequest => CopilotResponse);
adapter!(list_copilot_actions, actions::list, bool => Vec<PendingAction>);
adapter!(confirm_copilot_action, actions::confirm, ActionId => PendingAction);
adapter!(dismiss_copilot_action, actions::dismiss, ActionId => PendingAction);
adapter!(list_memories, memories::list, MemoryQuery => Vec<Memory>);
adapter!(add_memory, memories::add, NewMemory => Memory);
adapter!(update_memory, memories::update, MemoryUpdate => Memory);
adapter!(forget_memory, memories::forget, MemoryId => Forgotten);
adapter!(list_copilot_threads, threads::list, u32 => Vec<ThreadSummary>);
adapter!(get_copilot_thread, threads::get, ThreadId => Thread);
adapter!(set_copilot_limit, usage::set_limit, Option<i64> => ());

#[tauri::command]
async fn copilot_provider(ctx: Shared<'_>) -> Result<Option<ProviderStatus>, ErrorPayload> {
    provider::status(&ctx).await.map_err(ErrorPayload::from)
}

/// Saves the provider; a given `api_key` goes to the OS keychain and is never sent back.
#[tauri::command]
async fn set_copilot_provider(
    ctx: Shared<'_>,
    req: ProviderConfig,
    api_key: Option<String>,
) -> Result<ProviderStatus, ErrorPayload> {
    provider::set(&ctx, req, api_key).await.map_err(ErrorPayload::from)
}

#[tauri::command]
async fn copilot_usage(ctx: Shared<'_>) -> Result<Usage, ErrorPayload> {
    usage::current(&ctx).await.map_err(ErrorPayload::from)
}

adapter!(test_connection, connections::test, ConnectionId => Connection);
adapter!(remove_connection, connections::remove, ConnectionId => Removed);
adapter!(list_outbound, outbound::list, OutboundQuery => Vec<Delivery>);
adapter!(retry_outbound, outbound::retry, DeliveryId => Delivery);
adapter!(cancel_outbound, outbound::cancel, DeliveryId => Delivery);

#[tauri::command]
async fn list_connections(ctx: Shared<'_>) -> Result<Vec<Connection>, ErrorPayload> {
    connections::list(&ctx).await.map_err(ErrorPayload::from)
}

adapter!(brief_for_meeting, briefs::for_meeting, MeetingId => Brief);
adapter!(get_brief, briefs::get, BriefId => Brief);
adapter!(list_briefs, briefs::list, BriefQuery => Vec<BriefSummary>);
adapter!(review_brief, briefs::review, ReviewBrief => Brief);
adapter!(list_alerts, alerts::list, AlertQuery => Vec<Notification>);
adapter!(read_alert, alerts::mark_read, NotificationId => Notification);
adapter!(show_scores, scores::show, ScoreQuery => Vec<Score>);
adapter!(team_meetings, team::meetings, MeetingsQuery => Vec<MeetingBriefStatus>);

#[tauri::command]
async fn unread_alerts(ctx: Shared<'_>) -> Result<u32, ErrorPayload> {
    alerts::unread_count(&ctx).await.map_err(ErrorPayload::from)
}

#[tauri::command]
async fn team_pipeline(ctx: Shared<'_>) -> Result<TeamPipeline, ErrorPayload> {
    team::pipeline(&ctx).await.map_err(ErrorPayload::from)
}

#[tauri::command]
async fn digest(ctx: Shared<'_>) -> Result<Digest, ErrorPayload> {
    agent::digest(&ctx).await.map_err(ErrorPayload::from)
}

#[tauri::command]
async fn list_merges(ctx: Shared<'_>) -> Result<Vec<MergeSuggestion>, ErrorPayload> {
    merge::list(&ctx).await.map_err(ErrorPayload::from)
}

#[tauri::command]
async fn list_watched(ctx: Shared<'_>) -> Result<Vec<WatchedSource>, ErrorPayload> {
    watch::list(&ctx).await.map_err(ErrorPayload::from)
}

/// Who the app acts as (recorded as deal owner and in audit rows), so the UI can show "You".
#[tauri::command]
async fn current_user(ctx: Shared<'_>) -> Result<String, ErrorPayload> {
    Ok(ctx.actor().to_owned())
}

/// One folder's sub-folders, for the folder chooser of the Watched folders screen.
#[tauri::command]
async fn browse_folders(req: BrowseRequest) -> Result<FolderListing, ErrorPayload> {
    watch::browse(req).map_err(ErrorPayload::from)
}

/// The name (header `x-file-name`, percent-encoded) and raw bytes of an uploaded file. The UI
/// sends the bytes as a raw IPC body, not a JSON array of numbers.
fn upload_parts<'r>(request: &'r Request<'_>) -> Result<(&'r str, &'r [u8]), ErrorPayload> {
    let name = request.headers().get("x-file-name").and_then(|v| v.to_str().ok()).unwrap_or("upload.csv");
    match request.body() {
        InvokeBody::Raw(bytes) => Ok((name, bytes)),
        InvokeBody::Json(_) => Err(ErrorPayload::from(outpost_core::Error::invalid(
            "file",
            "send the file's bytes as a raw body (Uint8Array), not JSON",
        ))),
    }
}

/// Stages a dropped or picked file in `<data-dir>/inbox/` for preview and import.
#[tauri::command]
async fn stage_upload(ctx: Shared<'_>, request: Request<'_>) -> Result<StagedFile, ErrorPayload> {
    let (name, bytes) = upload_parts(&request)?;
    desktop::stage_encoded(&ctx, name, bytes).await.map_err(ErrorPayload::from)
}

/// Imports a staged file on a worker thread, streaming progress to `on_progress`.
#[tauri::command]
async fn run_import(
    ctx: Shared<'_>,
    req: ImportRequest,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportJob, ErrorPayload> {
    let send = move |p: ImportProgress| {
        let _ = on_progress.send(p);
    };
    desktop::import_in_background(Arc::clone(&ctx), req, send).await.map_err(ErrorPayload::from)
}

/// The invoke handler with every command the UI may call.
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        board,
        stages,
        list_contacts,
        get_contact,
        add_contact,
        update_contact,
        delete_contact,
        erase_contact,
        list_companies,
        get_company,
        add_company,
        update_company,
        delete_company,
        list_deals,
        get_deal,
        add_deal,
        update_deal,
        move_deal,
        delete_deal,
        list_activities,
        log_activity,
        list_tasks,
        add_task,
        complete_task,
        list_meetings,
        get_meeting,
        update_meeting,
        set_meeting_notes,
        meeting_follow_ups,
        add_meeting_contacts,
        import_calendar,
        list_settings,
        set_setting,
        stage_upload,
        preview_import,
        run_import,
        cancel_imports,
        list_imports,
        get_import,
        import_errors,
        list_merges,
        accept_merge,
        dismiss_merge,
        list_watched,
        add_watched,
        remove_watched,
        browse_folders,
        current_user,
        sync_status,
        sync_connect,
        sync_now,
        sync_disconnect,
        copilot_ask,
        list_copilot_actions,
        confirm_copilot_action,
        dismiss_copilot_action,
        list_memories,
        add_memory,
        update_memory,
        forget_memory,
        list_copilot_threads,
        get_copilot_thread,
        copilot_provider,
        set_copilot_provider,
        copilot_usage,
        set_copilot_limit,
        list_connections,
        test_connection,
        remove_connection,
        list_outbound,
        retry_outbound,
        cancel_outbound,
        crate::signin::begin_connect,
        crate::signin::finish_connect,
        brief_for_meeting,
        get_brief,
        list_briefs,
        review_brief,
        list_alerts,
        read_alert,
        unread_alerts,
        show_scores,
        team_pipeline,
        team_meetings,
        digest
    ]
}
