//! Generates the Tauri context from the top-level `tauri.conf.json` and the app's command
//! permissions (so the capability file can grant exactly the commands the UI uses).

fn main() {
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(&COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}

/// Every command `src/commands.rs` registers; keep in step with `generate_handler!` there.
const COMMANDS: [&str; 47] = [
    "board",
    "stages",
    "list_contacts",
    "get_contact",
    "add_contact",
    "update_contact",
    "delete_contact",
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
    "stage_upload",
    "preview_import",
    "run_import",
    "list_imports",
    "get_import",
    "import_errors",
    "list_merges",
    "accept_merge",
    "dismiss_merge",
    "list_watched",
    "add_watched",
    "remove_watched",
    "brief_for_meeting",
    "get_brief",
    "list_briefs",
    "review_brief",
    "list_alerts",
    "read_alert",
    "unread_alerts",
    "show_scores",
    "team_pipeline",
    "team_meetings",
    "digest",
];
