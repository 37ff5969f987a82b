//! The `outpost` command line: argument parsing, dispatch to the core API, and output.
//!
//! With `--json`, a created or shown record prints as one JSON object and a list as a JSON array on
//! stdout; errors go to stderr (as a JSON object `{"error": {kind, message, field}}`) with a
//! non-zero exit code: 3 invalid input (or a file that cannot be imported), 4 not found, 5 conflict, 1 anything else (2 is clap's
//! usage error).

mod agent_cmd;
mod args;
mod brief_cmd;
mod calendar_cmd;
mod connections_cmd;
mod copilot_cmd;
mod import_cmd;
mod meetings_cmd;
mod memories_cmd;
mod outbound_cmd;
mod render;
mod render_workbook;
mod run;
mod stdout;
mod sync_cmd;
mod watch_cmd;

use std::{io::Write, path::PathBuf, process::ExitCode};

use clap::Parser;

use crate::{Error, ErrorPayload};

pub use args::Cli;

/// Entry point of the `outpost` binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let json = cli.json;
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            stdout::note(format_args!("error: cannot start the async runtime: {e}"));
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => report(&error, json),
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("OUTPOST_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// Prints an error to stderr and maps it to the documented exit code.
fn report(error: &Error, json: bool) -> ExitCode {
    // A closed stderr must not turn an error report into a panic either.
    let mut err = std::io::stderr().lock();
    let _ = if json {
        let payload = ErrorPayload::from(error);
        writeln!(err, "{}", serde_json::json!({ "error": payload }))
    } else {
        writeln!(err, "error: {error}")
    };
    ExitCode::from(match error {
        Error::Invalid { .. } | Error::Import(_) => 3,
        Error::NotFound { .. } => 4,
        Error::Conflict { .. } => 5,
        _ => 1,
    })
}

/// The data directory chosen by flag, environment or OS default.
pub fn data_dir(flag: Option<PathBuf>) -> crate::Result<PathBuf> {
    crate::store::resolve_data_dir(flag.as_deref())
}
