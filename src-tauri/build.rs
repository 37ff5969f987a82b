//! Generates the Tauri context from the top-level `tauri.conf.json` and the app's command
//! permissions (so the capability file can grant exactly the commands the UI uses).

fn main() {
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}

/// Every command `src/commands.rs` registers; keep in step with `generate_handler!` there.
const COMMANDS: &[&str] = &[
    "board",
    "stages",
    "list_contacts",
    "get_contact",
    "add_contact",
    "update_contact",
    "delete_contact",
    "erase_contact",
    "list_companies",
    "get_company",
    "add_company",
    "update_company",
    "delete_company",
    "list_deals",
    "get_deal",
    "add_deal",
    "update_deal",
    "move_deal",
    "delete_deal",
    "list_activities",
    "log_activity",
    "list_tasks",
    "add_task",
    "complete_task",
    "list_meetings",
    "get_meeting",
    "update_meeting",
    "set_meeting_notes",
    "meeting_follow_ups",
    "add_meeting_contacts",
    "stage_upload",
    "preview_import",
    "run_import",
    "cancel_imports",
    "list_imports",
    "get_import",
    "import_errors",
    "list_merges",
    "accept_merge",
    "dismiss_merge",
    "list_watched",
    "add_watched",
    "remove_watched",
    "sync_status",
    "sync_connect",
    "sync_now",
    "sync_disconnect",
    "copilot_ask",
    "list_copilot_actions",
    "confirm_copilot_action",
    "dismiss_copilot_action",
    "list_memories",
    "add_memory",
    "update_memory",
    "forget_memory",
    "list_connections",
    "test_connection",
    "remove_connection",
    "list_outbound",
    "retry_outbound",
    "cancel_outbound",
    "begin_connect",
    "finish_connect",
];
