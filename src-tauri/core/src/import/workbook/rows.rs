//! Reading a sheet row by row as text: the xlsx family through [`super::xlsx_cells`] (streamed:
//! memory does not grow with the sheet), xlsb, xls and ods through calamine's sheet ranges (xls
//! is at most 65,536 rows; an ods is parsed whole when opened).

use std::{path::Path, sync::mpsc::Receiver};

use calamine::Reader;

use crate::{
    error::workbook::WorkbookError,
    import::workbook::{cells::data_text, open::Book},
};

/// One sheet row that has at least one non-empty cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SheetRow {
    /// 0-based row in the sheet.
    pub index: u32,
    /// Non-empty cells as (0-based column, text), left to right.
    pub cells: Vec<(u32, String)>,
}

/// What a pass over a sheet learnt besides its rows.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SheetSize {
    /// Last row the sheet declares or holds (0-based), if known.
    pub last_row: Option<u32>,
}

fn read_error(path: &Path, sheet: &str, e: impl std::fmt::Display) -> WorkbookError {
    WorkbookError::Read { path: path.to_path_buf(), sheet: sheet.to_owned(), detail: e.to_string() }
}

/// Calls `each` with every non-empty row of `sheet` in order until it returns false.
pub(crate) fn for_each_row(
    book: &mut Book,
    path: &Path,
    sheet: &str,
    mut each: impl FnMut(SheetRow) -> bool,
) -> Result<SheetSize, WorkbookError> {
    let range = match book {
        Book::Xlsx(xlsx) => return super::xlsx_cells::for_each_row(xlsx, path, sheet, each),
        Book::Xlsb(b) => b.worksheet_range(sheet).map_err(|e| read_error(path, sheet, e))?,
        Book::Xls(b) => b.worksheet_range(sheet).map_err(|e| read_error(path, sheet, e))?,
        Book::Ods(b, _) => b.worksheet_range(sheet).map_err(|e| read_error(path, sheet, e))?,
    };
    let shown = match book {
        Book::Ods(_, shown) => Some(&*shown),
        _ => None,
    };
    let Some((first_row, first_col)) = range.start() else { return Ok(SheetSize::default()) };
    let last_row = range.end().map(|(row, _)| row);
    for (offset, cells) in range.rows().enumerate() {
        let cells: Vec<(u32, String)> = cells
            .iter()
            .enumerate()
            .filter_map(|(col, value)| {
                let col = first_col + u32::try_from(col).ok()?;
                let index = first_row + u32::try_from(offset).ok()?;
                let styled = match value {
                    calamine::Data::Float(_) => shown.and_then(|s| s.get(&(index, col))).cloned(),
                    _ => None,
                };
                let text = styled.unwrap_or_else(|| data_text(value, None));
                (!text.is_empty()).then_some((col, text))
            })
            .collect();
        if cells.is_empty() {
            continue;
        }
        let index = first_row + u32::try_from(offset).unwrap_or(u32::MAX - first_row);
        if !each(SheetRow { index, cells }) {
            break;
        }
    }
    Ok(SheetSize { last_row })
}

/// Rows of `sheet` read on their own thread, handed over through a small bounded queue: the
/// reader owns the open workbook, and stops as soon as the receiver is dropped.
pub(crate) fn spawn(mut book: Book, path: &Path, sheet: &str) -> Receiver<Result<SheetRow, WorkbookError>> {
    let (sender, receiver) = std::sync::mpsc::sync_channel(1024);
    let failed = sender.clone();
    let (thread_path, thread_sheet) = (path.to_path_buf(), sheet.to_owned());
    let spawned = std::thread::Builder::new().name("workbook-rows".into()).spawn(move || {
        let result = for_each_row(&mut book, &thread_path, &thread_sheet, |row| sender.send(Ok(row)).is_ok());
        if let Err(error) = result {
            let _ = sender.send(Err(error));
        }
    });
    if let Err(e) = spawned {
        let _ = failed.try_send(Err(read_error(path, sheet, format!("cannot start the reader thread: {e}"))));
    }
    receiver
}
