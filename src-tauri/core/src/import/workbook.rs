//! Excel and OpenDocument workbooks (`.xlsx`, `.xlsm`, `.xlsb`, `.xls`, `.ods`) as import
//! sources: the same [`RawRow`]s as a CSV file, so mapping, normalising, de-duplication and
//! import jobs treat a workbook exactly as its CSV twin.
//!
//! - [`open_workbook`] recognises the workbook by content ([`open::sniff`]), refuses
//!   password-protected, damaged and non-spreadsheet files with a message saying what to do, looks
//!   at the first rows of every worksheet and picks the sheet to read: the one asked for, else the
//!   one remembered for workbooks with these sheet names ([`crate::import::sheet_choice`]), else
//!   the visible sheet whose header row maps to the most lead fields and that holds the most rows.
//! - [`WorkbookSource::records`] streams the chosen sheet's rows on a reader thread through a
//!   bounded queue (the xlsx family cell by cell by [`xlsx_cells`], its shared strings in a
//!   compact store that spills to a temporary file: memory stays flat however long the sheet).
//!   The first data rows are kept from opening for [`WorkbookSource::sample_rows`], so the phone
//!   region is inferred without opening the workbook again.
//! - Cells read as the user sees them ([`cells`]; xlsx cell formats, ods data styles from
//!   [`ods_sheet`]); hidden rows and columns (xlsx, ods) and merged header cells (xlsx, xls, ods)
//!   are reported in [`WorkbookInfo`] (hidden rows are imported, as a CSV export keeps them).
//!
//! Dependencies and why: `calamine` (pure-Rust reader of xlsb, xls and ods, and the reference
//! the xlsx reader is tested against), `zip` + `quick-xml` (the same crates calamine uses) to
//! tell a workbook from other zip files, stream xlsx sheets and read what calamine does not
//! expose (hidden rows and columns, ods data styles), `tempfile` for the spilled shared strings.

pub(crate) mod cells;
pub(crate) mod date_format;
pub(crate) mod layout;
pub(crate) mod markup_runs;
pub(crate) mod number_format;
pub(crate) mod ods_sheet;
pub(crate) mod open;
pub(crate) mod rows;
pub(crate) mod shared_strings;
pub(crate) mod xlsx_book;
pub(crate) mod xlsx_cells;
pub(crate) mod xlsx_sheet;

use std::{
    path::{Path, PathBuf},
    sync::mpsc::Receiver,
};

use serde::Serialize;
use ts_rs::TS;

use crate::error::workbook::WorkbookError;
use layout::Layout;
use open::{Book, Format};
use rows::SheetRow;

use crate::{
    error::import::ImportError,
    import::{auto_map, scan::checksum, RawRow, RowIssue, Target},
};

/// The buffered file every workbook reader reads from.
pub(crate) type FileReader = std::io::BufReader<std::fs::File>;

/// Non-empty rows looked at per sheet to find the header and judge the sheet.
const SAMPLE_ROWS: usize = 200;

/// Data rows of the chosen sheet kept from opening for [`WorkbookSource::sample_rows`] (what the
/// phone-region inference looks at).
pub const KEPT_DATA_ROWS: usize = 2_000;

/// A worksheet of the workbook, as listed in the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SheetSummary {
    /// Sheet name.
    pub name: String,
    /// False for sheets hidden in the workbook.
    pub visible: bool,
    /// 1-based sheet row of the header, if the sheet has a table.
    #[ts(type = "number | null")]
    pub header_line: Option<u64>,
    /// Header columns.
    #[ts(type = "number")]
    pub columns: u64,
    /// Rows below the header (counting blank ones the sheet declares).
    #[ts(type = "number")]
    pub rows: u64,
    /// Header columns that map to a lead field.
    #[ts(type = "number")]
    pub lead_columns: u64,
}

/// What was found in a workbook and which sheet is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct WorkbookInfo {
    /// `xlsx`, `xlsm`, `xlsb`, `xls` or `ods`.
    pub format: String,
    /// The sheet read.
    pub sheet: String,
    /// Why that sheet: `explicit` (asked for), `remembered` (chosen before for workbooks with
    /// these sheets) or `auto`.
    pub sheet_source: String,
    /// Every worksheet, in workbook order.
    pub sheets: Vec<SheetSummary>,
    /// 1-based sheet rows hidden in the chosen sheet (the first 1,000; they are imported).
    #[ts(type = "number[]")]
    pub hidden_rows: Vec<u64>,
    /// How many rows are hidden in all.
    #[ts(type = "number")]
    pub hidden_row_count: u64,
    /// Hidden columns of the table, by header name (they are imported).
    pub hidden_columns: Vec<String>,
    /// Header cells named from a merged cell.
    #[ts(type = "number")]
    pub merged_header_cells: u64,
}

/// An opened workbook with its sheet chosen, ready to stream.
pub struct WorkbookSource {
    path: PathBuf,
    book: Book,
    layout: Layout,
    info: WorkbookInfo,
    checksum: String,
    size_bytes: u64,
    /// Rows below the header the sheet declares (for progress).
    expected_rows: u64,
    /// The first data rows (up to [`KEPT_DATA_ROWS`]), read while opening.
    kept: Vec<SheetRow>,
}

/// A sheet looked at while opening.
struct Candidate {
    name: String,
    visible: bool,
    layout: Option<Layout>,
    rows: u64,
    lead_columns: u64,
}

/// Whether `path` holds a workbook (by content); `Ok(None)` for anything else, which is read as
/// CSV. Damaged archives and non-spreadsheet zip/OLE files are errors.
pub(crate) fn is_workbook(path: &Path) -> Result<bool, WorkbookError> {
    open::sniff(path).map(|format| format.is_some())
}

/// Merged ranges of a sheet, and for the chosen sheet of an xlsx or ods its hidden rows and
/// columns (an ods also gets the numbers as its data styles show them, used by [`rows`]).
fn sheet_extras(book: &mut Book, path: &Path, sheet: &str) -> (Vec<xlsx_sheet::Span>, Option<xlsx_sheet::SheetExtras>) {
    match book {
        Book::Xlsx(_) => match xlsx_sheet::extras(path, sheet) {
            Some(extras) => (extras.merges.clone(), Some(extras)),
            None => (Vec::new(), None),
        },
        Book::Xls(xls) => {
            let merges = xls.merge_cells_by_sheet_name(sheet).unwrap_or_default();
            (merges.into_iter().map(|d| (d.start, d.end)).collect(), None)
        }
        Book::Ods(_, shown) => match ods_sheet::read(path, sheet) {
            Some(read) => {
                *shown = read.shown;
                (read.extras.merges.clone(), Some(read.extras))
            }
            None => (Vec::new(), None),
        },
        Book::Xlsb(_) => (Vec::new(), None),
    }
}

/// Reads the first rows of a sheet and finds its table.
fn look_at(book: &mut Book, path: &Path, name: &str, visible: bool) -> Result<Candidate, WorkbookError> {
    let mut sample: Vec<SheetRow> = Vec::new();
    let size = rows::for_each_row(book, path, name, |row| {
        sample.push(row);
        sample.len() < SAMPLE_ROWS
    })?;
    // Merged ranges are only needed when the first row could be a (merged) title or header.
    let merges = match book {
        Book::Xls(xls) => {
            xls.merge_cells_by_sheet_name(name).unwrap_or_default().into_iter().map(|d| (d.start, d.end)).collect()
        }
        _ => Vec::new(),
    };
    let layout = layout::detect(&sample, &merges);
    let (rows, lead_columns) = match &layout {
        Some(layout) => {
            let declared = size.last_row.map_or(0, |last| u64::from(last.saturating_sub(layout.header_row)));
            let rows = declared.max(layout.data_rows_in_sample as u64);
            let mapping = auto_map(&layout.headers);
            let lead = mapping.columns.iter().filter(|t| matches!(t, Target::Field(_))).count() as u64;
            (rows, lead)
        }
        None => (0, 0),
    };
    Ok(Candidate { name: name.to_owned(), visible, layout, rows, lead_columns })
}

fn quoted_list(names: &[String]) -> String {
    names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ")
}

/// Opens a workbook and chooses its sheet: `sheet` if given (an error naming the sheets if it
/// does not exist), else `remembered(sheet names)` if it names one of them, else the best sheet.
pub fn open_workbook(
    path: &Path,
    sheet: Option<&str>,
    remembered: &dyn Fn(&[String]) -> Option<String>,
) -> Result<WorkbookSource, ImportError> {
    let size_bytes = std::fs::metadata(path).map_err(|e| ImportError::io(path, e))?.len();
    if size_bytes == 0 {
        return Err(ImportError::Empty { path: path.to_path_buf() });
    }
    let format = open::sniff(path)?.unwrap_or(Format::Xlsx);
    let mut book = open::open(path, format)?;
    let sheets = book.worksheets();
    let names: Vec<String> = sheets.iter().map(|(name, _)| name.clone()).collect();
    let chosen = match sheet {
        Some(wanted) => {
            let found = names
                .iter()
                .find(|n| n.as_str() == wanted)
                .or_else(|| names.iter().find(|n| n.trim().eq_ignore_ascii_case(wanted.trim())));
            match found {
                Some(name) => Some((name.clone(), "explicit")),
                None => {
                    return Err(WorkbookError::NoSuchSheet {
                        path: path.to_path_buf(),
                        sheet: wanted.to_owned(),
                        available: quoted_list(&names),
                    }
                    .into())
                }
            }
        }
        None => remembered(&names).filter(|n| names.contains(n)).map(|n| (n, "remembered")),
    };
    let mut candidates = Vec::with_capacity(sheets.len());
    for (name, visible) in &sheets {
        candidates.push(look_at(&mut book, path, name, *visible)?);
    }
    let best = candidates
        .iter()
        .filter(|c| c.layout.as_ref().is_some_and(|l| l.data_rows_in_sample > 0))
        .max_by_key(|c| (c.visible, c.lead_columns > 0, c.rows, c.lead_columns, std::cmp::Reverse(c.name.clone())))
        .map(|c| c.name.clone());
    let (sheet, sheet_source) = match (chosen, best) {
        (Some((name, source)), _) => (name, source),
        (None, Some(name)) => (name, "auto"),
        (None, None) => {
            return Err(WorkbookError::NoData {
                path: path.to_path_buf(),
                what: if names.is_empty() {
                    "the workbook has no worksheet".to_owned()
                } else {
                    "no sheet has a header row followed by data rows".to_owned()
                },
                hint: String::new(),
            }
            .into())
        }
    };
    let candidate = candidates.iter().find(|c| c.name == sheet);
    let usable = candidate.and_then(|c| c.layout.clone()).filter(|l| l.data_rows_in_sample > 0);
    let Some(mut layout) = usable else {
        let with_data: Vec<String> = candidates
            .iter()
            .filter(|c| c.layout.as_ref().is_some_and(|l| l.data_rows_in_sample > 0))
            .map(|c| c.name.clone())
            .collect();
        let hint = if with_data.is_empty() {
            String::new()
        } else {
            format!("; sheets with data: {}", quoted_list(&with_data))
        };
        let what = format!("sheet '{sheet}' has no header row followed by data rows");
        return Err(WorkbookError::NoData { path: path.to_path_buf(), what, hint }.into());
    };
    // One more pass over the chosen sheet, now knowing its layout facts: its header again with
    // merged cells taken into account, and the first data rows kept for sampling (the phone
    // region), so nothing opens the workbook a second time.
    let (merges, extras) = sheet_extras(&mut book, path, &sheet);
    let (first_header, mut sample, mut after_header) = (layout.header_row, Vec::new(), 0_usize);
    rows::for_each_row(&mut book, path, &sheet, |row| {
        after_header += usize::from(row.index > first_header);
        sample.push(row);
        sample.len() < SAMPLE_ROWS || after_header < KEPT_DATA_ROWS
    })?;
    if !merges.is_empty() && !matches!(book, Book::Xls(_)) {
        let head = &sample[..sample.len().min(SAMPLE_ROWS)];
        if let Some(merged) = layout::detect(head, &merges).filter(|l| l.data_rows_in_sample > 0) {
            layout = merged;
        }
    }
    let kept: Vec<SheetRow> =
        sample.into_iter().filter(|row| row.index > layout.header_row && !is_blank(row)).take(KEPT_DATA_ROWS).collect();
    let extras = extras.unwrap_or_default();
    let hidden_columns = extras
        .hidden_columns
        .iter()
        .filter(|c| (layout.first_col..=layout.last_col).contains(c))
        .filter_map(|c| layout.headers.get((c - layout.first_col) as usize).cloned())
        .collect();
    let summaries = candidates
        .iter()
        .map(|c| SheetSummary {
            name: c.name.clone(),
            visible: c.visible,
            header_line: c.layout.as_ref().map(|l| u64::from(l.header_row) + 1),
            columns: c.layout.as_ref().map_or(0, |l| l.headers.len() as u64),
            rows: c.rows,
            lead_columns: c.lead_columns,
        })
        .collect();
    let expected_rows = candidate.map_or(0, |c| c.rows);
    let info = WorkbookInfo {
        format: format.label().to_owned(),
        sheet,
        sheet_source: sheet_source.to_owned(),
        sheets: summaries,
        hidden_rows: extras.hidden_rows.iter().map(|r| u64::from(*r) + 1).collect(),
        hidden_row_count: extras.hidden_row_count,
        hidden_columns,
        merged_header_cells: u64::from(layout.merged_header_cells),
    };
    let checksum = checksum(path)?;
    Ok(WorkbookSource { path: path.to_path_buf(), book, layout, info, checksum, size_bytes, expected_rows, kept })
}

impl WorkbookSource {
    /// What was found and which sheet is read.
    pub fn info(&self) -> &WorkbookInfo {
        &self.info
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Column names of the chosen sheet's table.
    pub fn headers(&self) -> &[String] {
        &self.layout.headers
    }

    /// 1-based sheet row of the header.
    pub fn header_line(&self) -> u64 {
        u64::from(self.layout.header_row) + 1
    }

    /// Lower-case hex sha256 of the file's bytes.
    pub fn checksum(&self) -> &str {
        &self.checksum
    }

    /// File size in bytes.
    pub fn size_bytes(&self) -> u64 {
        self.size_bytes
    }

    /// The first `n` data rows (at most [`KEPT_DATA_ROWS`]), shaped as [`Self::records`] gives
    /// them, from the rows read while opening: the workbook is not read again.
    pub fn sample_rows(&self, n: usize) -> Vec<RawRow> {
        self.kept.iter().take(n).enumerate().map(|(i, row)| shape(&self.layout, i as u64 + 1, row.clone())).collect()
    }

    /// Streams the data rows below the header (blank rows skipped), padded or flagged to the
    /// header width exactly as CSV rows are.
    pub fn records(self) -> WorkbookRecords {
        let receiver = rows::spawn(self.book, &self.path, &self.info.sheet);
        WorkbookRecords {
            receiver,
            layout: self.layout,
            row: 0,
            rows_seen: 0,
            expected_rows: self.expected_rows.max(1),
            size_bytes: self.size_bytes,
            done: false,
        }
    }
}

/// Iterator returned by [`WorkbookSource::records`].
pub struct WorkbookRecords {
    receiver: Receiver<Result<SheetRow, WorkbookError>>,
    layout: Layout,
    row: u64,
    rows_seen: u64,
    expected_rows: u64,
    size_bytes: u64,
    done: bool,
}

impl WorkbookRecords {
    /// Progress as a share of the file's size (rows read over the rows the sheet declares), so
    /// it reads like the CSV reader's byte position.
    pub fn byte_position(&self) -> u64 {
        let share = self.rows_seen.min(self.expected_rows) as f64 / self.expected_rows as f64;
        (share * self.size_bytes as f64) as u64
    }
}

impl Iterator for WorkbookRecords {
    type Item = Result<RawRow, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            let sheet_row = match self.receiver.recv() {
                Ok(Ok(row)) => row,
                Ok(Err(error)) => {
                    self.done = true;
                    return Some(Err(error.into()));
                }
                Err(_) => {
                    self.done = true;
                    return None;
                }
            };
            if sheet_row.index <= self.layout.header_row {
                continue;
            }
            self.rows_seen = u64::from(sheet_row.index - self.layout.header_row);
            if is_blank(&sheet_row) {
                continue;
            }
            self.row += 1;
            return Some(Ok(shape(&self.layout, self.row, sheet_row)));
        }
    }
}

/// A row whose cells are all blank (skipped, as a CSV reader skips empty lines).
fn is_blank(row: &SheetRow) -> bool {
    row.cells.iter().all(|(_, text)| text.trim().is_empty())
}

/// The table's cells of one sheet row: one value per header, and any non-empty cell outside the
/// table reported as extra values (as a CSV row with too many fields is).
fn shape(layout: &Layout, row: u64, sheet_row: SheetRow) -> RawRow {
    let (first, last) = (layout.first_col, layout.last_col);
    let width = layout.headers.len();
    let mut fields = vec![String::new(); width];
    let mut extra = Vec::new();
    for (col, text) in sheet_row.cells {
        if (first..=last).contains(&col) {
            fields[(col - first) as usize] = text;
        } else {
            extra.push(text);
        }
    }
    let issue =
        (!extra.is_empty()).then(|| RowIssue::ExtraFields { expected: width, found: width + extra.len(), extra });
    RawRow { row, fields, issue }
}
