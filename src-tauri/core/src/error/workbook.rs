//! Why a workbook cannot be imported. Each message says what is wrong and what the user can do,
//! as it is shown as-is by the Import screen, the watched-folder screen and the CLI.

use std::path::PathBuf;

/// A workbook that cannot be read, or a sheet that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    /// Encrypted with a password (Excel "Encrypt with Password", LibreOffice "Save with password").
    #[error(
        "{path} is a password-protected {format} workbook, so it cannot be read: open it, remove the password \
         (Excel: File › Info › Protect Workbook › Encrypt with Password; LibreOffice: File › Properties › Security) \
         and save it, then drop it again"
    )]
    Password {
        /// The file.
        path: PathBuf,
        /// `xlsx`, `xls`, `ods`…
        format: &'static str,
    },
    /// Damaged, truncated or not really what its first bytes say.
    #[error(
        "{path} looks like an {format} workbook but cannot be read ({detail}): it may be damaged or only partly \
         downloaded — open it in Excel or LibreOffice, save it again and drop the new file"
    )]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// `xlsx`, `xls`, `ods`…
        format: &'static str,
        /// What the reader said.
        detail: String,
    },
    /// An Excel 2.x, 3.0 or 4.0 worksheet (BIFF2–4, before Excel 5): no reader Outpost uses
    /// reads these, and Excel and LibreOffice still open them.
    #[error(
        "{path} is an Excel {version} worksheet, a format from before Excel 5 (1993) that Outpost cannot read: open it \
         in Excel or LibreOffice, save it as .xlsx and drop the new file"
    )]
    TooOld {
        /// The file.
        path: PathBuf,
        /// `2.x`, `3.0` or `4.0`.
        version: &'static str,
    },
    /// A zip or OLE file that is not a spreadsheet (a Word document, a plain archive…).
    #[error("{path} is {what}, not a spreadsheet: export your leads as CSV, xlsx or ods and drop that file instead")]
    NotWorkbook {
        /// The file.
        path: PathBuf,
        /// What it is instead.
        what: String,
    },
    /// The sheet asked for does not exist.
    #[error("{path} has no sheet named '{sheet}'; its sheets are {available}: choose one of them (--sheet NAME)")]
    NoSuchSheet {
        /// The file.
        path: PathBuf,
        /// The name asked for.
        sheet: String,
        /// The sheet names, quoted and comma-separated.
        available: String,
    },
    /// No sheet (or not the chosen one) has a header row followed by data.
    #[error("{path}: {what}, so there is nothing to import{hint}")]
    NoData {
        /// The file.
        path: PathBuf,
        /// What is missing: `sheet 'Leads' has no header row followed by data rows`.
        what: String,
        /// Which sheets do have data, if any.
        hint: String,
    },
    /// Reading cells failed part-way through a sheet.
    #[error(
        "could not read sheet '{sheet}' of {path}: {detail}; the workbook may be damaged — save it again and retry"
    )]
    Read {
        /// The file.
        path: PathBuf,
        /// The sheet.
        sheet: String,
        /// What the reader said.
        detail: String,
    },
}
