//! Errors of the import reading and mapping layer.
//!
//! Every message says what went wrong *and* what the user can do about it, because these strings
//! are shown as-is in the import dialog and printed by the CLI.

use std::path::PathBuf;

/// Why a file could not be read as CSV, or a mapping could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be opened or read.
    #[error("could not read {path}: {source}; check the file exists and you can open it")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The file has no bytes at all.
    #[error("{path} is empty: export the leads again and drop the new file")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file has a header row but no data rows.
    #[error("{path} has a header row but no data rows: there is nothing to import")]
    HeaderOnly {
        /// The file.
        path: PathBuf,
    },
    /// An Excel workbook (or another zip archive) instead of CSV.
    #[error("{path} looks like an Excel workbook (xlsx/zip), not CSV: save it as CSV UTF-8 and drop it again")]
    Workbook {
        /// The file.
        path: PathBuf,
    },
    /// A legacy binary Excel file (OLE compound document).
    #[error("{path} looks like an old Excel .xls workbook, not CSV: save it as CSV UTF-8 and drop it again")]
    LegacyWorkbook {
        /// The file.
        path: PathBuf,
    },
    /// Some other non-text file (image, PDF, archive, executable…).
    #[error("{path} is not a text file ({what}): export your leads as CSV and drop that file instead")]
    NotText {
        /// The file.
        path: PathBuf,
        /// What it looks like instead.
        what: String,
    },
    /// The CSV parser failed (for instance invalid text mid-file).
    #[error("could not parse {path} near line {line}: {message}; re-export the file as CSV UTF-8")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line (as counted by the parser).
        line: u64,
        /// The parser's message.
        message: String,
    },
    /// A workbook that cannot be read, or a sheet that cannot be used.
    #[error(transparent)]
    Spreadsheet(#[from] crate::error::workbook::WorkbookError),
    /// The encoding asked for is not one the importer knows.
    #[error("unknown encoding '{label}': use a label such as utf-8, windows-1250, windows-1252, iso-8859-2, utf-16le")]
    Encoding {
        /// What was asked for.
        label: String,
    },
    /// The columns describe neither people, companies nor deals.
    #[error(
        "{path} is not a list of contacts, companies or deals: none of its columns ({columns}) names a person \
         (name, email, phone), a company (company or account name) or a deal (deal name, amount, stage); \
         choose the columns with a mapping (--mapping FILE.json) or export contacts, companies or deals"
    )]
    Unrecognised {
        /// The file.
        path: PathBuf,
        /// Its first column names, comma-separated.
        columns: String,
    },
    /// The first row holds values (an email address, a phone number), not column names.
    #[error(
        "{path} has no header row: its first row holds data ('{value}' is {what}), not column names; add a first \
         row naming the columns (for example First Name, Last Name, Email) and import it again"
    )]
    NoHeaderRow {
        /// The file.
        path: PathBuf,
        /// The first-row value that gave it away.
        value: String,
        /// What the value is ("an email address", "a phone number").
        what: &'static str,
    },
    /// A mapping file or JSON mapping could not be used.
    #[error("invalid mapping: {0}")]
    Mapping(String),
}

impl ImportError {
    /// Wraps an I/O error with the path it happened on.
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        ImportError::Io { path: path.to_path_buf(), source }
    }
}
