//! `outpost-desktop`: the Outpost desktop app. A thin Tauri shell: it opens the local store and
//! exposes the core API to the React UI; all behaviour lives in `outpost-core`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;

use std::{path::PathBuf, process::ExitCode, sync::Arc, time::Duration};

use outpost_core::{agent, store, Ctx};
use tauri::{Emitter, Manager};

/// How often the proactive agent looks for due briefs and alerts.
const AGENT_EVERY: Duration = Duration::from_secs(60);

/// `--data-dir DIR` (or `--data-dir=DIR`) from the command line, if given.
fn data_dir_flag() -> Option<PathBuf> {
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--data-dir" {
            return args.next().map(PathBuf::from);
        }
        if let Some(value) = arg.to_str().and_then(|a| a.strip_prefix("--data-dir=")) {
            return Some(PathBuf::from(value));
        }
    }
    None
}

fn main() -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_env("OUTPOST_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();

    let ctx = match store::resolve_data_dir(data_dir_flag().as_deref()).and_then(|dir| Ctx::open(&dir)) {
        Ok(ctx) => ctx,
        Err(error) => {
            eprintln!("Outpost cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(data_dir = %ctx.data_dir().display(), "opened local store");
    let result = tauri::Builder::default()
        .manage(Arc::new(ctx))
        .invoke_handler(commands::handler())
        .setup(|app| {
            // The proactive agent runs for the app's lifetime; new alerts go to the UI as the
            // `alerts` event (the notification centre and its unread badge refresh on it).
            let ctx = Arc::clone(app.state::<Arc<Ctx>>().inner());
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let notify = |raised: &[outpost_core::alerts::Notification]| {
                    let _ = handle.emit("alerts", raised.to_vec());
                };
                if let Err(error) = agent::run(&ctx, AGENT_EVERY, std::future::pending(), notify).await {
                    tracing::warn!(%error, "the proactive agent stopped");
                }
            });
            Ok(())
        })
        .run(tauri::generate_context!("../tauri.conf.json"));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("Outpost stopped with an error: {error}");
            ExitCode::FAILURE
        }
    }
}
