//! Everything decided about a file before its rows are touched, shared by the preview and the
//! import so both say the same: how it is read (encoding), how its columns map, what kind of
//! records it holds (refusing files that hold none) and which phone region reads its numbers.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::{
    error::import::ImportError,
    import::{
        record_type::{self, RecordType},
        region::{self, PhoneRegion},
        sensitive, sheet_choice,
        source::{open_source_with, Source},
        templates::{self, MappingSource, SaveTemplate},
        Mapping, ReadOptions, Target,
    },
};
use crate::{Ctx, Error, Result};

/// A "column name" that is really a value — an email address or a phone number — with what it
/// is: the file has no header row and its first person was read as the column names.
fn looks_like_data(header: &str) -> Option<(String, &'static str)> {
    let value = header.trim();
    if crate::canonical::contact_info::clean_email(value).is_some() {
        return Some((value.to_owned(), "an email address"));
    }
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let phone_like = value.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    (phone_like && digits >= 7).then(|| (value.to_owned(), "a phone number"))
}

/// What an import of a file will do, decided up front.
pub(crate) struct FilePlan {
    /// The opened file.
    pub source: Source,
    /// The mapping used.
    pub mapping: Mapping,
    /// Where the mapping came from.
    pub mapping_source: MappingSource,
    /// What each row becomes.
    pub record_type: RecordType,
    /// Region for national phone numbers.
    pub phone_region: PhoneRegion,
    /// Notices about the file as a whole: how it was read (encoding) and the secret columns the
    /// mapping leaves out.
    pub notices: Vec<String>,
}

/// How the caller wants a file read.
pub(crate) struct PlanRequest<'a> {
    pub path: &'a Path,
    pub mapping: Option<&'a Mapping>,
    pub mapping_json: Option<&'a str>,
    pub encoding: Option<&'a str>,
    pub record_type: Option<&'a str>,
    pub region: Option<&'a str>,
    /// Workbooks: the sheet to read.
    pub sheet: Option<&'a str>,
    pub save: SaveTemplate,
}

/// Opens, maps and classifies a file; a file that is neither contacts, companies nor deals is
/// refused here, before any job exists.
pub(crate) fn plan_file(ctx: &Ctx, req: &PlanRequest<'_>) -> Result<FilePlan> {
    let forced = req
        .record_type
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            RecordType::parse(t).ok_or_else(|| {
                Error::invalid("type", format!("unknown record type '{t}'; use contacts, companies or deals"))
            })
        })
        .transpose()?;
    if let Some(region) = req.region.map(str::trim).filter(|r| !r.is_empty()) {
        if crate::canonical::contact_info::region_of(region).is_none() {
            return Err(Error::invalid(
                "region",
                format!("unknown region '{region}'; use a two-letter country code such as GB, US or DE"),
            ));
        }
    }
    let options = ReadOptions { encoding: req.encoding.map(str::to_owned) };
    let source = open_source_with(req.path, req.sheet, &options, &|names| sheet_choice::remembered(ctx, names))?;
    let headers = source.headers().to_vec();
    let explicit = templates::explicit(&headers, req.mapping, req.mapping_json)?;
    let (mapping, mapping_source) = templates::resolve_with_source(ctx, &headers, explicit, req.save)?;
    let trusted = mapping_source != MappingSource::Auto;
    let record_type = forced.or_else(|| record_type::detect(&headers, &mapping, trusted)).ok_or_else(|| {
        if let Some((value, what)) = headers.iter().find_map(|h| looks_like_data(h)) {
            return Error::from(ImportError::NoHeaderRow { path: req.path.to_path_buf(), value, what });
        }
        let mut columns: Vec<&str> = headers.iter().take(8).map(String::as_str).collect();
        if headers.len() > 8 {
            columns.push("…");
        }
        Error::from(ImportError::Unrecognised { path: req.path.to_path_buf(), columns: columns.join(", ") })
    })?;
    let mapping = if record_type == RecordType::Companies { record_type::for_companies(mapping) } else { mapping };
    let phone_region = region::infer(&source, &mapping, req.region);
    let mut notices = source.notices().to_vec();
    let secrets: Vec<&str> = headers
        .iter()
        .zip(&mapping.columns)
        .filter(|(header, target)| **target == Target::Ignore && sensitive::is_secret(header))
        .map(|(header, _)| header.as_str())
        .collect();
    notices.extend(sensitive::notice(&secrets));
    Ok(FilePlan { source, mapping, mapping_source, record_type, phone_region, notices })
}

#[cfg(test)]
mod tests {
    use super::looks_like_data;

    #[test]
    fn a_first_row_of_values_is_no_header_row() {
        assert_eq!(looks_like_data("john@doe.invalid").map(|(_, what)| what), Some("an email address"));
        assert_eq!(looks_like_data("+44 20 7946 0958").map(|(_, what)| what), Some("a phone number"));
        for header in ["Email", "Phone 1", "column1", "2024", "Name"] {
            assert_eq!(looks_like_data(header), None, "{header}");
        }
    }
}

/// What a job stores about how it read its file (in its `mapping` column): the mapping itself
/// plus the record type, phone region and file notices it settled on.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct JobReading {
    /// One target per header (the [`Mapping`]'s `columns`).
    #[serde(flatten)]
    pub mapping: Mapping,
    /// What each row became.
    #[serde(default)]
    pub record_type: Option<RecordType>,
    /// Region used for national phone numbers.
    #[serde(default)]
    pub phone_region: Option<PhoneRegion>,
    /// Notices about the file as a whole (encoding, secret columns left out).
    #[serde(default)]
    pub notices: Vec<String>,
}
