//! Preview before importing: detected encoding and delimiter, the proposed mapping and the first
//! rows as they would be imported. Nothing is written: a mapping tried here becomes the template
//! only when the file is imported with it.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    normalize_row, sheet_choice, source::open_source, templates, workbook::WorkbookInfo, LeadRow, Mapping,
    NormalizeOptions,
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
    /// The lead it would become.
    pub lead: Option<LeadRow>,
    /// Why it would be rejected.
    pub error: Option<String>,
}

/// What an import would do with a file.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    /// The file.
    pub path: String,
    /// Detected encoding.
    pub encoding: String,
    /// Detected delimiter.
    pub delimiter: String,
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
    /// Default phone region.
    #[serde(default)]
    pub region: Option<String>,
    /// Workbooks: the sheet to read (default: the remembered or best one).
    #[serde(default)]
    pub sheet: Option<String>,
}

/// Reads the head of a file and shows what importing it would do.
pub async fn preview(ctx: &Ctx, req: PreviewRequest) -> Result<ImportPreview> {
    let source = open_source(&req.path, req.sheet.as_deref(), &|names| sheet_choice::remembered(ctx, names))?;
    let headers = source.headers().to_vec();
    let explicit = templates::explicit(&headers, req.mapping.as_ref(), req.mapping_json.as_deref())?;
    let (mapping, mapping_source) =
        templates::resolve_with_source(ctx, &headers, explicit, templates::SaveTemplate::No)?;
    let options = NormalizeOptions { default_region: req.region.unwrap_or_else(|| "GB".to_owned()) };
    let mut rows = Vec::with_capacity(PREVIEW_ROWS);
    let (path, encoding, delimiter) = (source.path().display().to_string(), source.encoding(), source.delimiter());
    let (header_line, checksum, size_bytes) = (source.header_line(), source.checksum().to_owned(), source.size_bytes());
    let workbook = source.workbook().cloned();
    for record in source.records().take(PREVIEW_ROWS) {
        let raw = record?;
        let (lead, error) = match normalize_row(&mapping, &headers, &raw, &options) {
            Ok(lead) => (Some(lead), None),
            Err(failure) => (None, Some(failure.message)),
        };
        rows.push(PreviewRow { row: raw.row, fields: raw.fields, lead, error });
    }
    Ok(ImportPreview {
        path,
        encoding,
        delimiter,
        header_line,
        headers,
        mapping,
        mapping_source: mapping_source.as_str().to_owned(),
        checksum,
        size_bytes,
        rows,
        workbook,
    })
}
