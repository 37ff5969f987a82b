//! `outpost-desktop`: the Outpost desktop app. A thin Tauri shell: it opens the local store and
//! exposes the core API to the React UI, syncs in the background while the device is connected
//! to a sync server, and watches the rep's watched folders and buckets in the background (the same
//! watcher as `outpost watch run`); every write, from any of these or from the CLI on the same data
//! dir, reaches the open screens as the `changed` event. All behaviour lives in `outpost-core`.
//! The core API is synchronous where it works on the database, so the shell keeps that work off
//! the async runtime's workers: commands run it on the blocking pool, and each background loop
//! (watcher, live sync, agent, calendar, outbound) runs on a thread of its own.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod fixed_clock;
mod signin;

use std::{path::PathBuf, process::ExitCode, sync::Arc, time::Duration};

use outpost_core::{
    assist::proactive, import::watch, integrations::google_calendar, integrations::outbound, store, store::changes,
    sync, Ctx,
};
use outpost_integrations::Net;
use tauri::Emitter;
use tauri_plugin_notification::NotificationExt;

/// How often connected Google calendars are read into meetings.
const CALENDAR_EVERY: Duration = Duration::from_secs(15 * 60);

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

/// Delivers the outbound queue (Slack / webhook messages) in the background while the app runs.
fn spawn_outbound_runner(ctx: Arc<Ctx>, net: Net) {
    on_own_thread("outpost-outbound", async move {
        let options = outbound::DeliveryOptions::from_env();
        let poll = std::time::Duration::from_secs(5);
        if let Err(error) = outbound::run(&ctx, &net, &options, poll, std::future::pending(), |_| {}).await {
            tracing::warn!("the outbound queue stopped: {error}");
        }
    });
}

/// Runs a background loop (live sync, the agent, calendar sync, the outbound queue) on a thread of
/// its own for the app's lifetime. Between their network waits and timers these loops call the
/// synchronous core API, which waits on SQLite (behind a long import, for seconds); on their own
/// thread that waiting never holds one of the async runtime's workers, which serve the UI's
/// commands. Their network I/O and timers still run on the runtime's driver.
fn on_own_thread(name: &str, task: impl std::future::Future<Output = ()> + Send + 'static) {
    let spawned = std::thread::Builder::new().name(name.to_owned()).spawn(move || tauri::async_runtime::block_on(task));
    if let Err(error) = spawned {
        tracing::warn!(%error, "could not start the background thread {name}");
    }
}

/// Forwards every change event of the data dir (core [`changes`]: writes of this app's commands,
/// sync, the watcher, the agent, calendar sync, the outbound runner, and of other processes such
/// as the CLI) to the webview as the `changed` event; the open screens refresh from it.
fn forward_changes(app: &tauri::AppHandle, data_dir: &std::path::Path) {
    let feed = match changes::ChangeFeed::start(data_dir) {
        Ok(feed) => feed,
        Err(error) => {
            tracing::warn!(%error, "open screens will not refresh by themselves: the change feed did not start");
            return;
        }
    };
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut events = feed.subscribe();
        while let Some(changed) = events.next().await {
            if let Err(error) = handle.emit("changed", changed) {
                tracing::warn!(%error, "could not send a change event to the window");
            }
        }
    });
}

/// Shows `alert` as a native desktop notification (the system's notification daemon).
fn show_native(app: &tauri::AppHandle, alert: &outpost_core::assist::alerts::Notification) {
    if let Err(error) = app.notification().builder().title(&alert.title).body(&alert.body).show() {
        tracing::warn!(%error, "could not show a desktop notification");
    }
}

fn main() -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::try_from_env("OUTPOST_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();

    let fixed_clock::AppClock { clock, fixed: fixed_now } = match fixed_clock::from_env() {
        Ok(clock) => clock,
        Err(error) => {
            eprintln!("Outpost cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    let ctx =
        match store::resolve_data_dir(data_dir_flag().as_deref()).and_then(|dir| Ctx::open_with_clock(&dir, clock)) {
            Ok(ctx) => ctx,
            Err(error) => {
                eprintln!("Outpost cannot start: {error}");
                return ExitCode::FAILURE;
            }
        };
    tracing::info!(data_dir = %ctx.data_dir().display(), "opened local store");
    let ctx = Arc::new(ctx);
    let background = Arc::clone(&ctx);
    let watcher = Arc::clone(&ctx);
    // The network adapters (S3, cloud folders, …), built once and handed to the core where it runs.
    let net = Net::new();
    let remote_folders: Arc<dyn watch::RemoteFolders> = Arc::new(net.clone());
    // Imports block while they run, so the watcher gets its own thread rather than a runtime worker.
    let spawned = std::thread::Builder::new().name("outpost-watch".into()).spawn(move || {
        tauri::async_runtime::block_on(watch::background(watcher, remote_folders, |event| {
            tracing::info!("watch: {:?} {} {}", event.event, event.location, event.key);
        }));
    });
    if let Err(error) = spawned {
        eprintln!("Outpost cannot watch folders in the background ({error}); imports from watched folders need `outpost watch run`");
    }
    let mut builder = tauri::Builder::default();
    if let Some(at) = fixed_now {
        builder = builder.plugin(fixed_clock::plugin(at));
    }
    let result = builder
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .manage(Arc::clone(&ctx))
        .manage(net.clone())
        .manage(signin::SignIns::default())
        .invoke_handler(commands::handler())
        .setup(move |app| {
            forward_changes(app.handle(), ctx.data_dir());
            // Background sync while this device is connected (the same loop as `outpost sync run`).
            on_own_thread("outpost-sync", sync::background(background, |event| tracing::info!("sync: {event}")));
            // The proactive agent runs for the app's lifetime; new alerts go to the UI as the
            // `alerts` event (the notification centre and its unread badge refresh on it) and each
            // becomes one native notification (`tick` returns an alert only when it is first raised).
            let agent_ctx = Arc::clone(&ctx);
            let handle = app.handle().clone();
            on_own_thread("outpost-agent", async move {
                let notify = |raised: &[outpost_core::assist::alerts::Notification]| {
                    let _ = handle.emit("alerts", raised.to_vec());
                    for alert in raised {
                        show_native(&handle, alert);
                    }
                };
                if let Err(error) = proactive::run(&agent_ctx, AGENT_EVERY, std::future::pending(), notify).await {
                    tracing::warn!(%error, "the proactive agent stopped");
                }
            });
            // Connected Google calendars into meetings (the same sync as `outpost calendar sync --all`).
            on_own_thread(
                "outpost-calendar",
                google_calendar::background(Arc::clone(&ctx), Arc::new(net.clone()), CALENDAR_EVERY),
            );
            spawn_outbound_runner(ctx, net);
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
