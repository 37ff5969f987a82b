//! Preview before importing: detected encoding and delimiter, the proposed mapping and the first
//! rows as they would be imported. Nothing is written: a mapping tried here becomes the template
//! only when the file is imported with it.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{normalize_row, templates, LeadRow, Mapping, NormalizeOptions};
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
}

/// Reads the head of a file and shows what importing it would do.
pub async fn preview(ctx: &Ctx, req: PreviewRequest) -> Result<ImportPreview> {
    let source = super::open_csv(&req.path)?;
    let info = source.info().clone();
    let explicit = templates::explicit(&info.headers, req.mapping.as_ref(), req.mapping_json.as_deref())?;
    let (mapping, mapping_source) =
        templates::resolve_with_source(ctx, &info.headers, explicit, templates::SaveTemplate::No)?;
    let options = NormalizeOptions { default_region: req.region.unwrap_or_else(|| "GB".to_owned()) };
    let mut rows = Vec::with_capacity(PREVIEW_ROWS);
    for record in source.records().take(PREVIEW_ROWS) {
        let raw = record?;
        let (lead, error) = match normalize_row(&mapping, &info.headers, &raw, &options) {
            Ok(lead) => (Some(lead), None),
            Err(failure) => (None, Some(failure.message)),
        };
        rows.push(PreviewRow { row: raw.row, fields: raw.fields, lead, error });
    }
    Ok(ImportPreview {
        path: info.path.display().to_string(),
        encoding: info.encoding,
        delimiter: info.delimiter.to_string(),
        header_line: info.header_line,
        headers: info.headers,
        mapping,
        mapping_source: mapping_source.as_str().to_owned(),
        checksum: info.checksum,
        size_bytes: info.size_bytes,
        rows,
    })
}
