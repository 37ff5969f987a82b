//! The one place the importer chooses how to read a file: a workbook (recognised by content,
//! whatever its name) through [`super::workbook`], anything else through the CSV reader. Preview,
//! import jobs and the reader thread only see [`Source`] and the [`RawRow`]s it streams.

use std::path::Path;

use crate::{
    error::import::ImportError,
    import::{
        open_csv_with,
        read::Records as CsvRecords,
        workbook::{self, WorkbookInfo, WorkbookRecords, WorkbookSource},
        CsvSource, RawRow, ReadOptions,
    },
};

/// An opened file, ready to stream.
pub enum Source {
    /// A CSV (or TSV/TXT) file.
    Csv(CsvSource),
    /// A sheet of a workbook.
    Workbook(Box<WorkbookSource>),
}

/// Opens `path`: a workbook with the sheet chosen as [`workbook::open_workbook`] says, or a CSV
/// file. Asking for a sheet of a CSV file is an error.
pub fn open_source(
    path: &Path,
    sheet: Option<&str>,
    remembered: &dyn Fn(&[String]) -> Option<String>,
) -> Result<Source, ImportError> {
    open_source_with(path, sheet, &ReadOptions::default(), remembered)
}

/// [`open_source`] with CSV reading options (an encoding instead of detecting one); asking for
/// an encoding of a workbook is ignored (a workbook says its own).
pub fn open_source_with(
    path: &Path,
    sheet: Option<&str>,
    options: &ReadOptions,
    remembered: &dyn Fn(&[String]) -> Option<String>,
) -> Result<Source, ImportError> {
    if workbook::is_workbook(path)? {
        return Ok(Source::Workbook(Box::new(workbook::open_workbook(path, sheet, remembered)?)));
    }
    if let Some(sheet) = sheet.filter(|s| !s.trim().is_empty()) {
        return Err(ImportError::Mapping(format!(
            "sheet '{sheet}' was asked for, but {} is not a workbook (xlsx, xlsm, xlsb, xls or ods): leave the sheet out",
            path.display()
        )));
    }
    open_csv_with(path, options).map(Source::Csv)
}

impl Source {
    /// The file.
    pub fn path(&self) -> &Path {
        match self {
            Source::Csv(csv) => &csv.info().path,
            Source::Workbook(book) => book.path(),
        }
    }

    /// Column names.
    pub fn headers(&self) -> &[String] {
        match self {
            Source::Csv(csv) => &csv.info().headers,
            Source::Workbook(book) => book.headers(),
        }
    }

    /// Lower-case hex sha256 of the file.
    pub fn checksum(&self) -> &str {
        match self {
            Source::Csv(csv) => &csv.info().checksum,
            Source::Workbook(book) => book.checksum(),
        }
    }

    /// What identifies this import for re-import detection and resuming: the file's checksum,
    /// followed for a workbook by `#` and the sheet read (another sheet is another import).
    pub fn job_checksum(&self) -> String {
        match self {
            Source::Csv(csv) => csv.info().checksum.clone(),
            Source::Workbook(book) => format!("{}#{}", book.checksum(), book.info().sheet),
        }
    }

    /// File size in bytes.
    pub fn size_bytes(&self) -> u64 {
        match self {
            Source::Csv(csv) => csv.info().size_bytes,
            Source::Workbook(book) => book.size_bytes(),
        }
    }

    /// Text encoding of a CSV file; the format (`xlsx`, `ods`…) of a workbook.
    pub fn encoding(&self) -> String {
        match self {
            Source::Csv(csv) => csv.info().encoding.clone(),
            Source::Workbook(book) => book.info().format.clone(),
        }
    }

    /// Delimiter of a CSV file; empty for a workbook.
    pub fn delimiter(&self) -> String {
        match self {
            Source::Csv(csv) => csv.info().delimiter.to_string(),
            Source::Workbook(_) => String::new(),
        }
    }

    /// 1-based line (CSV) or sheet row (workbook) of the header.
    pub fn header_line(&self) -> u64 {
        match self {
            Source::Csv(csv) => csv.info().header_line,
            Source::Workbook(book) => book.header_line(),
        }
    }

    /// Sheets, chosen sheet and layout notes of a workbook.
    pub fn workbook(&self) -> Option<&WorkbookInfo> {
        match self {
            Source::Csv(_) => None,
            Source::Workbook(book) => Some(book.info()),
        }
    }

    /// Notices about the file as a whole (a guessed or mixed encoding); none for a workbook.
    pub fn notices(&self) -> &[String] {
        match self {
            Source::Csv(csv) => &csv.info().notices,
            Source::Workbook(_) => &[],
        }
    }

    /// The first `n` readable data rows, without consuming the source. A workbook gives them
    /// from the rows read while it was opened (at most [`workbook::KEPT_DATA_ROWS`]): it is not
    /// opened or read again.
    pub fn sample_rows(&self, n: usize) -> Vec<RawRow> {
        match self {
            Source::Csv(csv) => csv.clone().records().take(n).flatten().collect(),
            Source::Workbook(book) => book.sample_rows(n),
        }
    }

    /// Streams the data rows.
    pub fn records(self) -> SourceRecords {
        match self {
            Source::Csv(csv) => SourceRecords::Csv(csv.records()),
            Source::Workbook(book) => SourceRecords::Workbook(book.records()),
        }
    }
}

/// Iterator returned by [`Source::records`].
pub enum SourceRecords {
    /// CSV rows.
    Csv(CsvRecords),
    /// Workbook rows.
    Workbook(WorkbookRecords),
}

impl SourceRecords {
    /// How far reading has got, in bytes of the file (approximate for workbooks).
    pub fn byte_position(&self) -> u64 {
        match self {
            SourceRecords::Csv(records) => records.byte_position(),
            SourceRecords::Workbook(records) => records.byte_position(),
        }
    }
}

impl Iterator for SourceRecords {
    type Item = Result<RawRow, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            SourceRecords::Csv(records) => records.next(),
            SourceRecords::Workbook(records) => records.next(),
        }
    }
}
