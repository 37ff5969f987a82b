//! `outpost`: the headless command-line interface to a rep's local Outpost data.
//!
//! With `--json`, a created or shown record prints as one JSON object and a list as a JSON array
//! on stdout; errors go to stderr (as a JSON object `{"error": {kind, message, field}}`) with a
//! non-zero exit code: 3 invalid input (or a file that cannot be imported), 4 not found, 5
//! conflict, 1 anything else (2 is clap's usage error).
//!
//! Layers, each importing only the ones below it:
//! - this file: start the runtime, run the command, map an error to its exit code;
//! - [`command`]: the global flags, the list of command areas and the dispatch;
//! - one module per command area ([`contacts`], [`deals`], [`sync`], …), each owning its clap
//!   arguments and its runner over `outpost_core`'s API;
//! - shared below them: [`args`] (flags several areas take), [`secrets`] (secrets from standard
//!   input or the environment, never argv), [`render`] (human output) and [`stdout`] (the only
//!   writer of stdout, quiet on a closed pipe, terminal-safe).

mod activities;
mod agent;
mod alerts;
mod args;
mod audit;
mod briefs;
mod calendar;
mod command;
mod companies;
mod connections;
mod contacts;
mod copilot;
mod deals;
mod import;
mod meetings;
mod memories;
mod outbound;
mod pipeline;
mod render;
mod scores;
mod secrets;
mod settings;
mod stdout;
mod sync;
mod tasks;
mod team;
mod watch;

use std::process::ExitCode;

use clap::Parser;
use outpost_core::{Error, ErrorPayload};

fn main() -> ExitCode {
    let cli = command::Cli::parse();
    init_tracing();
    let json = cli.json;
    let runtime = match runtime() {
        Ok(rt) => rt,
        Err(e) => {
            stdout::note(format_args!("error: cannot start the async runtime: {e}"));
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(command::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => report(&error, json),
    }
}

/// The command runs on this thread (`block_on`); one worker thread carries the tasks it spawns,
/// such as a sync push in flight while this thread prepares the next batch in the database.
fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build()
}

/// Logs to stderr, filtered by `OUTPOST_LOG` (default: warnings and errors only).
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("OUTPOST_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// Prints an error to stderr (terminal-safe: it may quote the refused value) and maps it to the
/// documented exit code. A closed stderr is ignored, never a panic.
fn report(error: &Error, json: bool) -> ExitCode {
    if json {
        stdout::note(serde_json::json!({ "error": ErrorPayload::from(error) }));
    } else {
        stdout::note(format_args!("error: {error}"));
    }
    ExitCode::from(match error {
        Error::Invalid { .. } | Error::Import(_) => 3,
        Error::NotFound { .. } => 4,
        Error::Conflict { .. } => 5,
        _ => 1,
    })
}
