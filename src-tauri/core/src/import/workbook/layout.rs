//! Where a sheet's table is: the header row (after title or notes rows above it, found the same
//! way as a CSV file's header), the columns it spans, and header names — a header cell merged
//! across several columns names each of them (`Contact`, `Contact (2)`…), one merged down from a
//! row above names the column below it.

use std::collections::HashMap;

use crate::import::sniff::unique_headers;
use crate::import::workbook::{rows::SheetRow, xlsx_sheet::Span};

/// The table found in a sheet's first rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    /// 0-based sheet row of the header.
    pub header_row: u32,
    /// 0-based first and last column of the table.
    pub first_col: u32,
    /// See `first_col`.
    pub last_col: u32,
    /// Column names: trimmed, never empty, unique.
    pub headers: Vec<String>,
    /// Header cells that got their name from a merged cell.
    pub merged_header_cells: u32,
    /// Sampled rows after the header.
    pub data_rows_in_sample: usize,
}

/// Most frequent count of non-empty cells among rows with two or more (ties: the wider).
fn modal_width(widths: &[usize]) -> usize {
    let mut counts = std::collections::BTreeMap::<usize, usize>::new();
    for &width in widths.iter().filter(|w| **w >= 2) {
        *counts.entry(width).or_default() += 1;
    }
    counts.into_iter().max_by_key(|&(width, n)| (n, width)).map_or(1, |(width, _)| width)
}

/// A sheet row's cells with merged header cells filled in: (column, text, from a merged cell).
type FilledRow = (u32, Vec<(u32, String, bool)>);

/// The header's columns widened to the columns right beside it that have no header cell but hold
/// values in at least a fifth of the sampled data rows (and two of them): a row-label column left
/// of the header (`B1A`, `B2`… under a header starting in B), or a last column someone forgot to
/// name. Such a column is read as `Column N` instead of being dropped; a note or a total in one or
/// two rows beside the table does not widen it.
fn widen_to_unnamed_columns(first: u32, last: u32, data: &[FilledRow]) -> (u32, u32) {
    let needed = data.len().div_ceil(5).max(2);
    let filled_in = |col: u32| {
        data.iter().filter(|(_, cells)| cells.iter().any(|(c, t, _)| *c == col && !t.trim().is_empty())).count()
    };
    let mut first = first;
    while first > 0 && filled_in(first - 1) >= needed {
        first -= 1;
    }
    let mut last = last;
    while last < u32::MAX && filled_in(last + 1) >= needed {
        last += 1;
    }
    (first, last)
}

/// Finds the header row and columns among the first rows of a sheet; `None` for an empty sheet.
pub(crate) fn detect(sample: &[SheetRow], merges: &[Span]) -> Option<Layout> {
    let values: HashMap<(u32, u32), &str> =
        sample.iter().flat_map(|r| r.cells.iter().map(move |(c, t)| ((r.index, *c), t.as_str()))).collect();
    // Each row's cells with merged header cells filled in from their range's first cell.
    let filled: Vec<FilledRow> = sample
        .iter()
        .map(|row| {
            let mut cells: Vec<(u32, String, bool)> = row.cells.iter().map(|(c, t)| (*c, t.clone(), false)).collect();
            for &((r1, c1), (_, c2)) in merges.iter().filter(|((r1, _), (r2, _))| (*r1..=*r2).contains(&row.index)) {
                let Some(text) = values.get(&(r1, c1)) else { continue };
                for col in c1..=c2.min(c1.saturating_add(512)) {
                    if (row.index, col) != (r1, c1) && !cells.iter().any(|(c, _, _)| *c == col) {
                        cells.push((col, (*text).to_owned(), true));
                    }
                }
            }
            cells.sort_by_key(|(c, _, _)| *c);
            (row.index, cells)
        })
        .collect();
    // A title merged across the table (`PRICE LIST` over A1:G1) fills as many columns as the
    // header but is one cell: it counts as one, so the header below it is found.
    let widths: Vec<usize> = filled
        .iter()
        .map(|(_, cells)| {
            let own = cells.iter().filter(|(_, _, merged)| !merged).count();
            if own <= 1 {
                own.max(usize::from(!cells.is_empty()))
            } else {
                cells.len()
            }
        })
        .collect();
    let modal = modal_width(&widths);
    let min_width = if modal >= 2 { modal.div_ceil(2).max(2) } else { 1 };
    let position = widths.iter().position(|w| *w >= min_width)?;
    let (header_row, cells) = &filled[position];
    let (first_col, last_col) = widen_to_unnamed_columns(cells.first()?.0, cells.last()?.0, &filled[position + 1..]);
    let mut raw = vec![String::new(); (last_col - first_col + 1) as usize];
    for (col, text, _) in cells {
        raw[(col - first_col) as usize] = text.clone();
    }
    Some(Layout {
        header_row: *header_row,
        first_col,
        last_col,
        headers: unique_headers(&raw),
        merged_header_cells: cells.iter().filter(|(_, _, merged)| *merged).count() as u32,
        data_rows_in_sample: sample.len() - position - 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(index: u32, cells: &[(u32, &str)]) -> SheetRow {
        SheetRow { index, cells: cells.iter().map(|(c, t)| (*c, (*t).to_owned())).collect() }
    }

    #[test]
    fn the_header_is_found_after_title_rows() {
        let sample = [
            row(0, &[(0, "Leads export")]),
            row(2, &[(1, "Name"), (2, "Email"), (3, "Phone")]),
            row(3, &[(1, "Ada"), (2, "ada@example.com"), (3, "0207")]),
            row(4, &[(1, "Alan"), (2, "alan@example.com")]),
        ];
        let layout = detect(&sample, &[]).expect("layout");
        assert_eq!((layout.header_row, layout.first_col, layout.last_col), (2, 1, 3));
        assert_eq!(layout.headers, ["Name", "Email", "Phone"]);
        assert_eq!(layout.data_rows_in_sample, 2);
    }

    #[test]
    fn a_merged_header_cell_names_every_column_it_spans() {
        let sample =
            [row(0, &[(0, "Contact"), (2, "Email")]), row(1, &[(0, "Ada"), (1, "Lovelace"), (2, "ada@example.com")])];
        let layout = detect(&sample, &[((0, 0), (0, 1))]).expect("layout");
        assert_eq!(layout.headers, ["Contact", "Contact (2)", "Email"]);
        assert_eq!(layout.merged_header_cells, 1);
    }

    #[test]
    fn a_row_label_column_left_of_the_header_is_not_dropped() {
        // A port's berth line-up (Excel): the header starts in column B, the berth codes under
        // nothing in column A; a total one row beside the table does not widen it.
        let sample = [
            row(0, &[(1, "Vessel"), (2, "Arrived"), (3, "Cargo")]),
            row(1, &[(0, "B1"), (1, "Oriente Gloria"), (2, "01/11/2017"), (3, "Coal")]),
            row(2, &[(0, "B2"), (1, "Bulk Polaris"), (2, "31/10/2017"), (3, "Lime stone")]),
            row(3, &[(0, "B3"), (1, "Devongate"), (3, "Coal"), (5, "total 3")]),
        ];
        let layout = detect(&sample, &[]).expect("layout");
        assert_eq!((layout.first_col, layout.last_col), (0, 3));
        assert_eq!(layout.headers, ["Column 1", "Vessel", "Arrived", "Cargo"]);
    }

    #[test]
    fn a_title_merged_across_the_table_is_not_taken_for_its_header() {
        // xlrd's Russian price list (xls): "ПРАЙС-ЛИСТ" merged over A1:G1, a date, then the header.
        let sample = [
            row(0, &[(0, "Price list")]),
            row(1, &[(0, "05-06-2019")]),
            row(2, &[(0, "Type"), (1, "Name"), (2, "Standard"), (3, "Length")]),
            row(3, &[(0, "10x10"), (1, "3,10"), (2, "13663"), (3, "6")]),
            row(4, &[(0, "15x15"), (1, "3,10"), (2, "13663"), (3, "6")]),
        ];
        let layout = detect(&sample, &[((0, 0), (0, 3))]).expect("layout");
        assert_eq!(layout.header_row, 2);
        assert_eq!(layout.headers, ["Type", "Name", "Standard", "Length"]);
        assert_eq!(layout.merged_header_cells, 0);
    }
}
