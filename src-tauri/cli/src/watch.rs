//! `outpost watch …`: watched folders and S3 prefixes, and the foreground watcher.
//!
//! `add`, `list` and `remove` print one JSON document with `--json`; `run` prints one line per
//! event (one JSON object per line with `--json`) until interrupted, or once with `--once`.

use std::sync::atomic::AtomicBool;

use clap::Subcommand;
use outpost_core::{
    import::watch::{self, NewSource, S3AccessKey, WatchEvent, WatchEventKind, WatchedSource},
    store::ids::ConnectionId,
    Ctx, Result,
};
use outpost_integrations::Net;

use crate::{
    render, secrets,
    stdout::{self, emit},
};

/// `outpost watch …`
#[derive(Debug, Subcommand)]
pub enum WatchCmd {
    /// Watch a folder (or s3://bucket/prefix, gdrive://FOLDER-ID, dropbox:///path) and import every new CSV file or workbook that lands there.
    Add {
        /// A folder path, s3://bucket/prefix, gdrive://FOLDER-ID or dropbox:///path/to/folder.
        location: String,
        /// S3-compatible endpoint (MinIO, …), with path-style addressing.
        #[arg(long, value_name = "URL")]
        endpoint: Option<String>,
        /// S3 region [default: us-east-1].
        #[arg(long)]
        region: Option<String>,
        /// How long a file must stay unchanged before it is imported [default: 1500].
        #[arg(long, value_name = "MS")]
        settle_ms: Option<u64>,
        /// Move handled files into <folder>/processed/.
        #[arg(long)]
        move_processed: bool,
        /// Folders: import only files directly in the folder, not in its subfolders.
        #[arg(long)]
        no_subfolders: bool,
        /// Folders: how many levels of subfolders to look into [default: 5, at most 20].
        #[arg(long, value_name = "LEVELS")]
        depth: Option<u32>,
        /// gdrive:// and dropbox:// only: the connection to read through (default: the only one).
        #[arg(long, value_name = "ID")]
        connection: Option<ConnectionId>,
        /// s3:// only: use this access key instead of the AWS credential chain. The secret access
        /// key is read from standard input (e.g. `pass show s3-leads | outpost watch add …`); both
        /// are kept in the OS keychain, never in the database.
        #[arg(long, value_name = "KEY-ID")]
        access_key_id: Option<String>,
    },
    /// Watched sources with their last scan, error and import.
    List,
    /// Stop watching a source (by id or location).
    Remove {
        /// Source id, folder path or s3:// location.
        source: String,
    },
    /// Watch in the foreground, printing one line per handled file, until interrupted.
    Run {
        /// Import what is there now (waiting for files being written) and exit.
        #[arg(long)]
        once: bool,
    },
}

fn source_line(s: &WatchedSource) -> String {
    let last = s.last_import.as_ref().map_or_else(
        || "no import yet".to_owned(),
        |j| format!("last import {} ({}) at {}: {} imported, {} skipped", j.key, j.status, j.at, j.imported, j.skipped),
    );
    let mut line = format!(
        "{}  {:<6}  {}\n    status {}, last scan {}, {} files handled ({} failed), {last}",
        s.id,
        s.kind,
        s.location,
        s.status,
        s.last_scan_at.as_deref().unwrap_or("never"),
        s.files_processed,
        s.files_failed
    );
    if let Some(error) = &s.last_error {
        line.push_str(&format!("\n    last error: {error}"));
    }
    if s.kind == "folder" {
        let depth = if s.settings.subfolders { format!("{} levels", s.settings.max_depth) } else { "off".to_owned() };
        line.push_str(&format!("\n    subfolders: {depth}"));
    }
    for skipped in &s.skipped {
        line.push_str(&format!("\n    skipped {}: {}", skipped.key, skipped.reason));
    }
    line
}

fn sources(list: &[WatchedSource]) -> String {
    if list.is_empty() {
        return "No watched sources. Add one with `outpost watch add FOLDER` or `outpost watch add s3://bucket/prefix`."
            .to_owned();
    }
    list.iter().map(source_line).collect::<Vec<_>>().join("\n")
}

fn event_line(e: &WatchEvent) -> String {
    let what = match e.event {
        WatchEventKind::Imported => "imported",
        WatchEventKind::Duplicate => "duplicate",
        WatchEventKind::Failed => "failed",
        WatchEventKind::SourceError => "source-error",
    };
    let target = if e.key.is_empty() { e.location.clone() } else { e.key.clone() };
    let mut line = format!("{} {what:<12} {target}", e.at);
    if let Some(job) = e.job_id {
        line.push_str(&format!(" job {job}"));
    }
    if e.event == WatchEventKind::Imported {
        line.push_str(&format!(
            ": {} imported, {} updated, {} skipped, {} failed",
            e.imported, e.updated, e.skipped, e.failed
        ));
    }
    if let Some(message) = &e.message {
        line.push_str(&format!(" — {message}"));
    }
    line
}

fn print_event(json: bool, event: &WatchEvent) {
    if json {
        match serde_json::to_string(event) {
            Ok(text) => stdout::line(format_args!("{text}")),
            Err(e) => stdout::note(format_args!("error: cannot encode event: {e}")),
        }
    } else {
        stdout::line(format_args!("{}", event_line(event)));
    }
}

/// The secret half of an access key: only ever on standard input.
fn read_secret_access_key(access_key_id: String) -> Result<S3AccessKey> {
    let example = "pass show s3-leads | outpost watch add s3://bucket/prefix --access-key-id KEY-ID";
    let secret_access_key = secrets::from_stdin("access_key_id", "secret access key", example)?;
    Ok(S3AccessKey { access_key_id, secret_access_key })
}

/// `outpost watch …`.
pub(crate) async fn run(ctx: &Ctx, net: &Net, json: bool, cmd: WatchCmd) -> Result<()> {
    match cmd {
        WatchCmd::Add {
            location,
            endpoint,
            region,
            settle_ms,
            move_processed,
            no_subfolders,
            depth,
            connection,
            access_key_id,
        } => {
            let s3_access_key = access_key_id.map(read_secret_access_key).transpose()?;
            let req = NewSource {
                location,
                endpoint,
                region,
                settle_ms,
                move_processed: Some(move_processed),
                subfolders: no_subfolders.then_some(false),
                max_depth: depth,
                connection_id: connection,
                s3_access_key,
            };
            emit(json, &watch::add(ctx, req)?, source_line)
        }
        WatchCmd::List => emit(json, watch::list(ctx)?.as_slice(), sources),
        WatchCmd::Remove { source } => emit(json, &watch::remove(ctx, source)?, render::deleted),
        WatchCmd::Run { once: true } => {
            for event in watch::scan_once(ctx, net).await? {
                print_event(json, &event);
            }
            Ok(())
        }
        WatchCmd::Run { once: false } => {
            if !json {
                stdout::note(format_args!("Watching {} source(s); press Ctrl-C to stop.", watch::list(ctx)?.len()));
            }
            watch::run(ctx, net, &AtomicBool::new(false), &|event| print_event(json, event)).await
        }
    }
}
