//! The workbook part of `outpost import --preview`: every sheet with its table, which one is
//! read and why, and what is hidden in it (hidden rows and columns are imported all the same).

use outpost_core::import::workbook::WorkbookInfo;

use super::table::table;

/// Sheets and layout notes, as lines to append to the preview's facts.
pub(super) fn sheets(book: &WorkbookInfo) -> String {
    let rows = book
        .sheets
        .iter()
        .map(|s| {
            vec![
                if s.name == book.sheet { format!("* {}", s.name) } else { format!("  {}", s.name) },
                if s.visible { "visible".to_owned() } else { "hidden".to_owned() },
                s.header_line.map_or_else(|| "-".to_owned(), |line| line.to_string()),
                s.columns.to_string(),
                s.rows.to_string(),
                s.lead_columns.to_string(),
            ]
        })
        .collect();
    let mut out = format!(
        "\n\nSheets (* = read; choose another with --sheet NAME)\n{}",
        table(&["SHEET", "STATE", "HEADER ROW", "COLUMNS", "ROWS", "LEAD COLUMNS"], rows, "No worksheets.")
    );
    if book.hidden_row_count > 0 {
        let listed: Vec<String> = book.hidden_rows.iter().take(20).map(u64::to_string).collect();
        let more = if book.hidden_row_count > listed.len() as u64 { ", …" } else { "" };
        out.push_str(&format!(
            "\n\nHidden rows (imported): {} — sheet rows {}{more}",
            book.hidden_row_count,
            listed.join(", ")
        ));
    }
    if !book.hidden_columns.is_empty() {
        out.push_str(&format!("\nHidden columns (imported): {}", book.hidden_columns.join(", ")));
    }
    if book.merged_header_cells > 0 {
        out.push_str(&format!("\nHeader cells named from merged cells: {}", book.merged_header_cells));
    }
    out
}
