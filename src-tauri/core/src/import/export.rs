//! CSV export of contacts and companies: RFC 4180, UTF-8, and safe to open in a spreadsheet — cells
//! that would be read as formulas (`= + - @`, tab, CR) are neutralised with a leading apostrophe.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::import::neutralise_for_export;
use crate::{crm::companies, crm::contacts, Ctx, Error, Result};

/// What an export wrote.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportSummary {
    /// The file written.
    #[ts(type = "string")]
    pub path: PathBuf,
    /// Data rows written.
    pub rows: u64,
}

fn io_error(path: &Path, error: impl std::fmt::Display) -> Error {
    Error::invalid("path", format!("cannot write {}: {error}; choose a writable location", path.display()))
}

type CsvWriter = csv::Writer<std::fs::File>;

fn open_writer(path: &Path, headers: &[&str]) -> Result<CsvWriter> {
    let mut writer = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .from_path(path)
        .map_err(|e| io_error(path, e))?;
    writer.write_record(headers).map_err(|e| io_error(path, e))?;
    Ok(writer)
}

fn write_row(writer: &mut CsvWriter, path: &Path, row: &[String]) -> Result<()> {
    writer.write_record(row.iter().map(|cell| neutralise_for_export(cell).into_owned())).map_err(|e| io_error(path, e))
}

fn cell(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// Custom fields as a JSON object, or an empty cell when there are none.
fn custom_json(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Object(map) if map.is_empty() => String::new(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Every field of a contact, so re-importing the file into a fresh data directory gives the same
/// records (ids, opt-outs and custom fields included).
const CONTACT_HEADERS: [&str; 16] = [
    "id",
    "first_name",
    "last_name",
    "email",
    "phone",
    "title",
    "company",
    "email_opt_out",
    "sms_opt_out",
    "do_not_call",
    "lead_source",
    "linkedin_url",
    "time_zone",
    "notes",
    "created_at",
    "custom_fields",
];

/// Writes every contact to `path`, streaming.
pub fn contacts_csv(ctx: &Ctx, path: &Path) -> Result<ExportSummary> {
    let mut writer = open_writer(path, &CONTACT_HEADERS)?;
    let mut rows = 0;
    ctx.read(|conn| {
        contacts::each(conn, |c| {
            rows += 1;
            let row = [
                c.id.to_string(),
                cell(&c.first_name),
                cell(&c.last_name),
                cell(&c.email),
                cell(&c.phone),
                cell(&c.title),
                cell(&c.company_name),
                c.email_opt_out.to_string(),
                c.sms_opt_out.to_string(),
                c.do_not_call.to_string(),
                cell(&c.lead_source),
                cell(&c.linkedin_url),
                cell(&c.time_zone),
                cell(&c.notes),
                c.created_at,
                custom_json(&c.custom_fields),
            ];
            write_row(&mut writer, path, &row)
        })
    })?;
    writer.flush().map_err(|e| io_error(path, e))?;
    Ok(ExportSummary { path: path.to_path_buf(), rows })
}

/// Writes every company to `path`, streaming.
pub fn companies_csv(ctx: &Ctx, path: &Path) -> Result<ExportSummary> {
    let mut writer = open_writer(path, &["id", "name", "domain", "industry", "location", "size", "created_at"])?;
    let mut rows = 0;
    ctx.read(|conn| {
        companies::each(conn, |c| {
            rows += 1;
            let row = [
                c.id.to_string(),
                c.name,
                cell(&c.domain),
                cell(&c.industry),
                cell(&c.location),
                cell(&c.size),
                c.created_at,
            ];
            write_row(&mut writer, path, &row)
        })
    })?;
    writer.flush().map_err(|e| io_error(path, e))?;
    Ok(ExportSummary { path: path.to_path_buf(), rows })
}
