//! CSV lead import, front half: reading any real-world CSV, mapping its columns to lead fields
//! and normalising values. Pure: no database access here.
//!
//! The pipeline is
//!
//! 1. [`open_csv`] sniffs a dropped file and rejects what is not CSV (binaries, empty
//!    or header-only files) with a message saying what to do. It detects the encoding (UTF-8
//!    with or without BOM, UTF-16 LE/BE, a legacy 8-bit encoding guessed by `chardetng`, or a mix
//!    of UTF-8 and one), the delimiter (`,` `;` tab `|`), the header row (after preamble lines)
//!    and checksums the file in one streaming pass.
//! 2. [`CsvSource::records`] streams [`RawRow`]s (RFC 4180, any line ending), padded or flagged
//!    to the header width, with bounded memory.
//! 3. [`auto_map`] (or a saved / user-edited [`Mapping`]) says which [`Field`] each column fills.
//! 4. [`record_type::detect`] tells people, companies and deals apart (and refuses files that
//!    hold none), [`region::infer`] picks the file's phone region.
//! 5. [`normalize_row`] (or [`company_rows`], [`deal_rows`]) turns a row into a record candidate
//!    or a [`RowFailure`].
//!
//! Workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) are read by [`workbook`] into the same
//! [`RawRow`]s; [`source::open_source`] is where a file is sent one way or the other.
//!
//! Dependencies and why: `chardetng` (Firefox's legacy-encoding detector), `csv` (a proven RFC
//! 4180 parser that streams), `encoding_rs` +
//! `encoding_rs_io` (streaming transcoding of Excel's UTF-16 and windows-1252 output),
//! `phonenumber` (libphonenumber metadata for E.164), `sha2` (file checksum and header
//! fingerprints), `strsim` (Jaro-Winkler for fuzzy duplicate matching).

pub mod watch;

pub(crate) mod consent;
pub(crate) mod decode;
pub(crate) mod field;
pub(crate) mod mapping;
pub(crate) mod normalize;
pub(crate) mod numbered;
pub(crate) mod read;
pub(crate) mod scan;
pub(crate) mod sensitive;
pub(crate) mod sniff;
pub(crate) mod spreadsheet;
pub(crate) mod synonyms;
pub mod workbook;

pub use field::Field;
pub use mapping::{auto_map, header_fingerprint, Mapping, Target};
pub use normalize::{neutralise_for_export, normalize_row, LeadRow, NormalizeOptions, RowFailure};
pub use read::{open_csv, open_csv_with, CsvSource, RawRow, ReadOptions, RowIssue, SourceInfo};

// DB side (plan/apply/jobs) is declared below this line.
pub mod apply;
pub(crate) mod batch;
pub mod company_rows;
pub mod deal_rows;
pub(crate) mod deal_values;
pub mod desktop;
pub mod export;
pub(crate) mod file_plan;
pub mod jobs;
pub(crate) mod key_filter;
pub(crate) mod lookup;
pub mod merge;
pub mod plan;
pub mod preview;
pub mod record_type;
pub mod records;
pub mod region;
pub mod sheet_choice;
pub mod similar;
pub mod source;
pub mod staging;
pub mod templates;
