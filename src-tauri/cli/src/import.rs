//! `outpost import`, `outpost imports …` and `outpost merges …`: lead lists in (preview, progress,
//! rejected rows) and the near-duplicates they leave for the rep to settle.

use std::{
    io::{IsTerminal, Write},
    path::{Path, PathBuf},
    sync::atomic::AtomicBool,
};

use clap::{Args, Subcommand};
use outpost_core::{
    import::{
        apply::ImportMode,
        export::ExportSummary,
        jobs::{self, ImportProgress, ImportRequest, RowError},
        merge,
        preview::{self, PreviewRequest},
    },
    store::ids::ImportJobId,
    Ctx, Error, Result,
};

use crate::{
    render,
    stdout::{self, emit},
};

/// `outpost import FILE …`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file, or an Excel/OpenDocument workbook (xlsx, xlsm, xlsb, xls, ods).
    pub file: PathBuf,
    /// Workbooks: the sheet to import (default: the one chosen last time for workbooks with the
    /// same sheets, else the sheet that holds the records); remembered for next time.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Column mapping as JSON: {"Header": "email", "Other": "custom", "X": "ignore"}; saved as the
    /// template for files with the same headers.
    #[arg(long, value_name = "FILE.json")]
    pub mapping: Option<PathBuf>,
    /// What to do with duplicates: skip (default) or update.
    #[arg(long, default_value = "skip")]
    pub mode: String,
    /// Show the detected format, proposed mapping and first 20 rows; import nothing.
    #[arg(long)]
    pub preview: bool,
    /// Import even if this exact file was imported before.
    #[arg(long)]
    pub force: bool,
    /// Region for phone numbers without a country code (e.g. GB, US, DE); default: inferred from
    /// the file's country columns and international numbers, else GB.
    #[arg(long)]
    pub region: Option<String>,
    /// Encoding of the file (e.g. utf-8, windows-1250, windows-1252, iso-8859-2, utf-16le);
    /// default: detected.
    #[arg(long)]
    pub encoding: Option<String>,
    /// What the rows are: contacts, companies or deals; default: told from the headers.
    #[arg(long = "type", value_name = "TYPE")]
    pub record_type: Option<String>,
}

/// `outpost imports …`
#[derive(Debug, Subcommand)]
pub enum ImportsCmd {
    /// Past import jobs, newest first.
    List {
        /// Maximum rows.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// One job with its counts and every rejected row.
    Show {
        /// Import job id.
        id: ImportJobId,
    },
    /// The rejected rows of a job.
    Errors {
        /// Import job id.
        id: ImportJobId,
        /// Write them to this CSV file instead.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
    },
}

/// `outpost merges …`
#[derive(Debug, Subcommand)]
pub enum MergesCmd {
    /// Open merge suggestions.
    List,
    /// Fold the suggested duplicate into the kept contact.
    Accept {
        /// Suggestion id.
        id: String,
    },
    /// Keep both contacts.
    Dismiss {
        /// Suggestion id.
        id: String,
    },
}

fn mode(text: &str) -> Result<ImportMode> {
    match text.trim().to_lowercase().as_str() {
        "skip" => Ok(ImportMode::Skip),
        "update" => Ok(ImportMode::Update),
        other => Err(Error::invalid("mode", format!("unknown mode '{other}'; use skip or update"))),
    }
}

fn read_mapping(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        Error::invalid("mapping", format!("cannot read mapping file {}: {e}; check the path", path.display()))
    })
}

/// One progress line: a bar by bytes read (UTF-8 files; capped below 100% until the job ends),
/// rows done and rows rejected.
fn progress_line(p: &ImportProgress) -> String {
    const WIDTH: u64 = 30;
    let fraction = if p.size_bytes == 0 { 0.0 } else { (p.bytes_done as f64 / p.size_bytes as f64).min(0.99) };
    let filled = ((fraction * WIDTH as f64) as u64).min(WIDTH);
    let bar: String = (0..WIDTH).map(|i| if i < filled { '#' } else { '-' }).collect();
    format!("[{bar}] {:>3.0}%  {} rows  ({} rejected)", fraction * 100.0, p.rows_done, p.failed)
}

/// A progress bar on stderr when it is a terminal (nothing otherwise: output stays parseable).
fn progress_printer() -> impl Fn(&ImportProgress) + Sync {
    let tty = std::io::stderr().is_terminal();
    move |p: &ImportProgress| {
        if tty {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{}", progress_line(p));
            let _ = err.flush();
        }
    }
}

/// `outpost import FILE`.
pub(crate) async fn import(ctx: &Ctx, json: bool, args: ImportArgs) -> Result<()> {
    let mapping_json = args.mapping.as_deref().map(read_mapping).transpose()?;
    if args.preview {
        let req = PreviewRequest {
            path: args.file,
            mapping: None,
            mapping_json,
            region: args.region,
            encoding: args.encoding,
            record_type: args.record_type,
            sheet: args.sheet,
        };
        return emit(json, &preview::preview(ctx, req)?, render::preview);
    }
    let req = ImportRequest {
        path: args.file,
        mapping: None,
        mapping_json,
        mode: mode(&args.mode)?,
        force: args.force,
        region: args.region,
        encoding: args.encoding,
        record_type: args.record_type,
        source_kind: Some("file".into()),
        sheet: args.sheet,
    };
    let job = jobs::import_file(ctx, req, &progress_printer(), &AtomicBool::new(false)).await?;
    if std::io::stderr().is_terminal() {
        stdout::note("");
    }
    emit(json, &job, render::import_job)
}

fn write_errors_csv(path: &Path, errors: &[RowError]) -> Result<ExportSummary> {
    let fail = |e: csv::Error| Error::invalid("csv", format!("cannot write {}: {e}", path.display()));
    let mut writer = csv::Writer::from_path(path).map_err(fail)?;
    writer.write_record(["row", "message"]).map_err(fail)?;
    for error in errors {
        writer.write_record([error.row.to_string(), error.message.clone()]).map_err(fail)?;
    }
    writer.flush().map_err(|e| fail(e.into()))?;
    Ok(ExportSummary { path: path.to_path_buf(), rows: errors.len() as u64 })
}

/// `outpost imports …`.
pub(crate) fn imports(ctx: &Ctx, json: bool, cmd: ImportsCmd) -> Result<()> {
    match cmd {
        ImportsCmd::List { limit } => emit(json, jobs::list(ctx, limit)?.as_slice(), render::import_jobs),
        ImportsCmd::Show { id } => emit(json, &jobs::get(ctx, id)?, render::import_job),
        ImportsCmd::Errors { id, csv: Some(path) } => {
            emit(json, &write_errors_csv(&path, &jobs::errors(ctx, id)?)?, render::exported)
        }
        ImportsCmd::Errors { id, csv: None } => emit(json, jobs::errors(ctx, id)?.as_slice(), render::row_errors),
    }
}

/// `outpost merges …`.
pub(crate) fn merges(ctx: &Ctx, json: bool, cmd: MergesCmd) -> Result<()> {
    match cmd {
        MergesCmd::List => emit(json, merge::list(ctx)?.as_slice(), render::merges),
        MergesCmd::Accept { id } => emit(json, &merge::accept(ctx, id)?, render::contact),
        MergesCmd::Dismiss { id } => emit(json, &merge::dismiss(ctx, id)?, |m| format!("Dismissed {}", m.id)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_bar_fills_with_bytes_read_and_never_claims_done_early() {
        let job_id = ImportJobId::new();
        let half = ImportProgress { job_id, rows_done: 500, failed: 2, size_bytes: 1000, bytes_done: 500 };
        assert_eq!(
            progress_line(&half),
            format!("[{}{}]  50%  500 rows  (2 rejected)", "#".repeat(15), "-".repeat(15))
        );
        let all = ImportProgress { bytes_done: 1000, ..half.clone() };
        assert!(progress_line(&all).contains(" 99%"), "{}", progress_line(&all));
        let empty = ImportProgress { size_bytes: 0, bytes_done: 0, ..half };
        assert!(progress_line(&empty).starts_with(&format!("[{}]   0%", "-".repeat(30))));
    }
}
