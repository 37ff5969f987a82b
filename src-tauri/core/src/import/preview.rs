//! Preview before importing: detected encoding and delimiter, the proposed mapping and the first
//! rows as they would be imported. Nothing is written: a mapping tried here becomes the template
//! only when the file is imported with it.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::import::{
    file_plan::{plan_file, PlanRequest},
    record_type::RecordType,
    records::{normalize_record, Record},
    region::PhoneRegion,
    templates,
    workbook::WorkbookInfo,
    LeadRow, Mapping, NormalizeOptions,
};
use crate::{Ctx, Result};

/// Rows shown in a preview.
pub const PREVIEW_ROWS: usize = 20;

/// One previewed row.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PreviewRow {
    /// 1-based data row.
    pub row: u64,
    /// Raw cells.
    pub fields: Vec<String>,
    /// The person it would become (contact files).
    pub lead: Option<LeadRow>,
    /// The record it would become, whatever its type.
    pub record: Option<Record>,
    /// What would be left out or guessed.
    pub warnings: Vec<String>,
    /// Why it would be rejected.
    pub error: Option<String>,
}

/// What an import would do with a file.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    /// The file.
    pub path: String,
    /// Detected (or given) encoding.
    pub encoding: String,
    /// Notices about the file as a whole (a guessed or mixed encoding).
    pub notices: Vec<String>,
    /// Detected delimiter.
    pub delimiter: String,
    /// What the rows would become: `contacts`, `companies` or `deals`.
    pub record_type: RecordType,
    /// Region national phone numbers would be read in, and why.
    pub phone_region: PhoneRegion,
    /// 1-based line of the header row.
    pub header_line: u64,
    /// Header names (duplicates made distinct).
    pub headers: Vec<String>,
    /// Proposed mapping, one target per header.
    pub mapping: Mapping,
    /// `explicit`, `template` or `auto`.
    pub mapping_source: String,
    /// SHA-256 of the file.
    pub checksum: String,
    /// File size.
    pub size_bytes: u64,
    /// The first rows.
    pub rows: Vec<PreviewRow>,
    /// Workbooks only: the sheets, the one read, hidden rows and columns.
    pub workbook: Option<WorkbookInfo>,
}

/// Input for a preview.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct PreviewRequest {
    /// The CSV file.
    #[ts(type = "string")]
    pub path: PathBuf,
    /// Mapping to try instead of the saved/auto one.
    #[serde(default)]
    pub mapping: Option<Mapping>,
    /// Mapping as JSON text (a `--mapping FILE.json`), validated against the file's headers.
    #[serde(default)]
    pub mapping_json: Option<String>,
    /// Phone region to use instead of inferring one.
    #[serde(default)]
    pub region: Option<String>,
    /// Encoding to read the file with instead of detecting it.
    #[serde(default)]
    pub encoding: Option<String>,
    /// Record type instead of detecting it: `contacts`, `companies` or `deals`.
    #[serde(default)]
    pub record_type: Option<String>,
    /// Workbooks: the sheet to read (default: the remembered or best one).
    #[serde(default)]
    pub sheet: Option<String>,
}

/// Reads the head of a file and shows what importing it would do.
pub fn preview(ctx: &Ctx, req: PreviewRequest) -> Result<ImportPreview> {
    let plan = plan_file(
        ctx,
        &PlanRequest {
            path: &req.path,
            mapping: req.mapping.as_ref(),
            mapping_json: req.mapping_json.as_deref(),
            encoding: req.encoding.as_deref(),
            record_type: req.record_type.as_deref(),
            region: req.region.as_deref(),
            sheet: req.sheet.as_deref(),
            save: templates::SaveTemplate::No,
        },
    )?;
    let source = plan.source;
    let options = NormalizeOptions { default_region: plan.phone_region.region.clone() };
    let mut rows = Vec::with_capacity(PREVIEW_ROWS);
    let (path, encoding, delimiter) = (source.path().display().to_string(), source.encoding(), source.delimiter());
    let (header_line, checksum, size_bytes) = (source.header_line(), source.checksum().to_owned(), source.size_bytes());
    let (headers, notices) = (source.headers().to_vec(), plan.notices);
    let workbook = source.workbook().cloned();
    for record in source.records().take(PREVIEW_ROWS) {
        let raw = record?;
        let (record, error) = match normalize_record(plan.record_type, &plan.mapping, &headers, &raw, &options) {
            Ok(record) => (Some(record), None),
            Err(failure) => (None, Some(failure.message)),
        };
        let lead = match &record {
            Some(Record::Contact(lead)) => Some(lead.clone()),
            _ => None,
        };
        let warnings = record.as_ref().map(|r| r.warnings().to_vec()).unwrap_or_default();
        rows.push(PreviewRow { row: raw.row, fields: raw.fields, lead, record, warnings, error });
    }
    Ok(ImportPreview {
        path,
        encoding,
        notices,
        delimiter,
        record_type: plan.record_type,
        phone_region: plan.phone_region,
        header_line,
        headers,
        mapping: plan.mapping,
        mapping_source: plan.mapping_source.as_str().to_owned(),
        checksum,
        size_bytes,
        rows,
        workbook,
    })
}
