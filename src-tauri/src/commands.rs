//! Tauri commands: each a one-line adapter over an `outpost-core` API call, returning the core's
//! serialisable error payload to the UI.

use outpost_core::{
    activities::{self, Activity, ActivityQuery, NewActivity},
    companies::{self, Company, CompanyUpdate, Deleted, NewCompany},
    contacts::{self, Contact, ContactUpdate, NewContact},
    deals::{self, Deal, DealQuery, DealUpdate, MoveDeal, NewDeal},
    ids::{CompanyId, ContactId, DealId, TaskId},
    meetings::{self, Meeting},
    pipeline::{self, Board, Stage},
    search::ListQuery,
    tasks::{self, NewTask, Task, TaskQuery},
    Ctx, ErrorPayload,
};
use tauri::State;

/// Declares `#[tauri::command] async fn $name(ctx, req: $req) -> Result<$res, ErrorPayload>`
/// forwarding to `$call(&ctx, req)`.
macro_rules! adapter {
    ($name:ident, $call:path, $req:ty => $res:ty) => {
        #[tauri::command]
        async fn $name(ctx: State<'_, Ctx>, req: $req) -> Result<$res, ErrorPayload> {
            $call(&ctx, req).await.map_err(ErrorPayload::from)
        }
    };
}

#[tauri::command]
async fn board(ctx: State<'_, Ctx>) -> Result<Board, ErrorPayload> {
    pipeline::board(&ctx).await.map_err(ErrorPayload::from)
}

#[tauri::command]
async fn stages(ctx: State<'_, Ctx>) -> Result<Vec<Stage>, ErrorPayload> {
    pipeline::stages(&ctx).await.map_err(ErrorPayload::from)
}

adapter!(list_contacts, contacts::list, ListQuery => Vec<Contact>);
adapter!(get_contact, contacts::get, ContactId => Contact);
adapter!(add_contact, contacts::add, NewContact => Contact);
adapter!(update_contact, contacts::update, ContactUpdate => Contact);
adapter!(delete_contact, contacts::delete, ContactId => Deleted);
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
        list_meetings
    ]
}
