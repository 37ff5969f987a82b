//! The desktop commands: every command the UI may call is one line of `commands/table.rs`, which
//! `registry!` below turns into a one-line adapter over an `outpost-core` API call (returning the
//! core's serialisable error payload to the UI) and into the invoke handler. The core API is
//! synchronous where it works on the database; the adapters run those calls on the blocking pool
//! (`off_runtime`), so the async runtime's workers only ever wait on network I/O. The few commands that
//! need more than `ctx` and one `req` (a raw upload body, a progress channel, the sign-in's app
//! handle) are written by hand at the end of this file. `build.rs` reads the same table for the
//! command permissions, and `commands/generate.rs` writes the UI's typed wrappers from it.

use std::sync::Arc;

use outpost_core::{
    assist::alerts::{self, AlertQuery, Notification},
    assist::briefs::{self, Brief, BriefQuery, BriefSummary, ReviewBrief},
    assist::copilot::{
        self,
        actions::{self, PendingAction},
        llm_config::{self, ProviderConfig, ProviderStatus},
        threads::{self, Thread, ThreadSummary},
        usage::{self, Usage},
        AskRequest, CopilotResponse,
    },
    assist::proactive::{self, digest::Digest},
    assist::scores::{self, Score, ScoreQuery},
    crm::activities::{self, Activity, ActivityQuery, NewActivity},
    crm::board::{self, Board},
    crm::companies::{self, Company, CompanyUpdate, Deleted, NewCompany},
    crm::contacts::{self, Contact, ContactUpdate, NewContact},
    crm::deals::{self, Deal, DealQuery, DealUpdate, MoveDeal, NewDeal},
    crm::pipeline::{self, Stage},
    crm::tasks::{self, NewTask, Task, TaskQuery},
    crm::team::{self, MeetingBriefStatus, MeetingsQuery, TeamPipeline},
    erasure::{self, Erased},
    import::watch::{self, BrowseRequest, FolderListing, NewSource, WatchedSource},
    import::{
        desktop,
        jobs::{self, ImportJob, ImportProgress, ImportRequest, RowError},
        merge::{self, MergeSuggestion},
        preview::{self, ImportPreview, PreviewRequest},
        staging::StagedFile,
    },
    integrations::connections::{self, Connection, PendingSignIn, Provider, Removed},
    integrations::outbound::{self, Delivery, OutboundQuery},
    meetings::{
        self,
        ics::{self as ics, CalendarImport, CalendarImportRequest},
        CreateContacts, FollowUps, Meeting, MeetingNotes, MeetingUpdate,
    },
    memories::{self, Forgotten, Memory, MemoryQuery, MemoryUpdate, NewMemory},
    store::ctx::off_runtime,
    store::ids::{
        ActionId, BriefId, CompanyId, ConnectionId, ContactId, DealId, DeliveryId, ImportJobId, MeetingId, MemoryId,
        NotificationId, TaskId, ThreadId,
    },
    store::search::ListQuery,
    store::settings::{self, SetSetting, Setting},
    sync::{self, ConnectRequest, Connected, Disconnected, SyncReport, SyncStatus},
    Ctx, ErrorPayload,
};
use outpost_integrations::Net;
use tauri::{
    ipc::{Channel, InvokeBody, Request},
    AppHandle, State,
};

use crate::signin::{self, SignIns};

#[cfg(test)]
mod generate;
#[cfg(test)]
mod generate_rules;

/// The managed store handle; shared (`Arc`) so a long import can run on its own thread.
pub(crate) type Shared<'a> = State<'a, Arc<Ctx>>;

/// Declares `#[tauri::command] async fn $name(ctx, req: $req) -> Result<$res, ErrorPayload>`
/// forwarding to `$call(&ctx, req)`. A `sync` call (a synchronous core function: most of them, the
/// database work) runs on the blocking pool through [`off_runtime`], so a long write never holds
/// one of the runtime's worker threads and the UI's other commands keep being served; a panic in
/// it comes back as an `internal` error. The others (network I/O) are awaited.
macro_rules! adapter {
    (sync $name:ident, $call:path, $req:ty => $res:ty) => {
        #[tauri::command]
        async fn $name(ctx: Shared<'_>, req: $req) -> Result<$res, ErrorPayload> {
            off_runtime(&ctx, move |ctx| $call(ctx, req)).await.map_err(ErrorPayload::from)
        }
    };
    (sync $name:ident, $call:path, => $res:ty) => {
        #[tauri::command]
        async fn $name(ctx: Shared<'_>) -> Result<$res, ErrorPayload> {
            off_runtime(&ctx, move |ctx| $call(ctx)).await.map_err(ErrorPayload::from)
        }
    };
    ($name:ident, $call:path, $req:ty => $res:ty) => {
        #[tauri::command]
        async fn $name(ctx: Shared<'_>, req: $req) -> Result<$res, ErrorPayload> {
            $call(&ctx, req).await.map_err(ErrorPayload::from)
        }
    };
    ($name:ident, $call:path, => $res:ty) => {
        #[tauri::command]
        async fn $name(ctx: Shared<'_>) -> Result<$res, ErrorPayload> {
            $call(&ctx).await.map_err(ErrorPayload::from)
        }
    };
}

/// Declares `#[tauri::command] async fn $name(ctx, net, req: $req) -> Result<$res, ErrorPayload>`
/// forwarding to `$call(&ctx, &net, req)`: a core function that reaches the network through the
/// managed [`Net`] (the adapters of `outpost-integrations`).
macro_rules! net_adapter {
    ($name:ident, $call:path, $req:ty => $res:ty) => {
        #[tauri::command]
        async fn $name(ctx: Shared<'_>, net: State<'_, Net>, req: $req) -> Result<$res, ErrorPayload> {
            $call(&ctx, net.inner(), req).await.map_err(ErrorPayload::from)
        }
    };
}

/// One line of the table per command: `read|write NAME = HOW(REQUEST) -> RESPONSE;` (see the
/// table's header). Expands to the `core` adapters, [`handler`] with every command, and (in tests)
/// the [`generate::Command`] list the UI wrappers are generated from.
macro_rules! registry {
    ($(
        $(#[doc = $doc:literal])*
        $effect:ident $name:ident = $how:ident $($call:ident)::* ( $($req:ty)? ) -> $res:ty;
    )*) => {
        $( registry!(@command $how $name, $($call)::*, [$($req)?] -> $res); )*

        /// The invoke handler with every command the UI may call.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// Every command of the table, for the generator of the UI's wrappers.
        #[cfg(test)]
        fn registry() -> Vec<generate::Command> {
            vec![$(generate::Command {
                name: stringify!($name),
                doc: concat!($($doc, "\n"),*),
                writes: registry!(@writes $effect),
                how: stringify!($how),
                request: registry!(@request $($req)?),
                response: generate::TsType::of::<$res>(),
            }),*]
        }
    };
    (@command core $name:ident, $($call:ident)::+, [$req:ty] -> $res:ty) => { adapter!($name, $($call)::+, $req => $res); };
    (@command core $name:ident, $($call:ident)::+, [] -> $res:ty) => { adapter!($name, $($call)::+, => $res); };
    (@command core_sync $name:ident, $($call:ident)::+, [$req:ty] -> $res:ty) => { adapter!(sync $name, $($call)::+, $req => $res); };
    (@command core_sync $name:ident, $($call:ident)::+, [] -> $res:ty) => { adapter!(sync $name, $($call)::+, => $res); };
    (@command net $name:ident, $($call:ident)::+, [$req:ty] -> $res:ty) => { net_adapter!($name, $($call)::+, $req => $res); };
    // Written by hand below (and for `custom`, in ui/src/api.ts too).
    (@command shell $($hand_written:tt)*) => {};
    (@command custom $($hand_written:tt)*) => {};
    (@writes read) => { false };
    (@writes write) => { true };
    (@request $req:ty) => { Some(generate::TsType::of::<$req>()) };
    (@request) => { None };
}

include!("commands/table.rs");

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

/// Starts a sign-in: a fresh loopback listener, and the authorisation address opened in the
/// system browser.
#[tauri::command]
async fn begin_connect(
    app: AppHandle,
    pending: State<'_, SignIns>,
    req: Provider,
) -> Result<PendingSignIn, ErrorPayload> {
    signin::begin(&app, &pending, req)
}

/// Waits for the browser to come back to the attempt's listener and stores the connection.
#[tauri::command]
async fn finish_connect(
    ctx: Shared<'_>,
    net: State<'_, Net>,
    pending: State<'_, SignIns>,
    req: String,
) -> Result<Connection, ErrorPayload> {
    signin::finish(&ctx, net.inner(), &pending, req).await
}

/// Saves the provider; a given `api_key` goes to the OS keychain and is never sent back.
#[tauri::command]
async fn set_copilot_provider(
    ctx: Shared<'_>,
    req: ProviderConfig,
    api_key: Option<String>,
) -> Result<ProviderStatus, ErrorPayload> {
    off_runtime(&ctx, move |ctx| llm_config::set(ctx, req, api_key)).await.map_err(ErrorPayload::from)
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
    desktop::stage_encoded(&ctx, name, bytes).map_err(ErrorPayload::from)
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
