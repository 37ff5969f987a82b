//! Cells read as the user sees them, on workbooks written by Excel (Windows and Mac), LibreOffice,
//! OpenOffice, Google Sheets and Apple Numbers: dates in both date systems, durations, leading
//! zeros kept by a `00000` format, booleans, error cells, hidden rows and merged header cells,
//! and the same for OpenDocument: data styles, spanned header cells, hidden rows and columns.

use anyhow::{ensure, Result};
use outpost_tests::Workspace;

use super::support::{cells, preview, workbook};

#[test]
fn the_1900_and_1904_date_systems_give_the_same_dates() -> Result<()> {
    let ws = Workspace::new()?;
    // Excel for Mac saved the same two dates once in each date system.
    let in_1900 = preview(&ws, &workbook("1900_base.xlsx"), &[])?;
    let in_1904 = preview(&ws, &workbook("1904_base.xlsx"), &[])?;
    ensure!(in_1900["headers"] == serde_json::json!(["2009-06-15"]), "{}", in_1900["headers"]);
    ensure!(in_1904["headers"] == in_1900["headers"], "{} vs {}", in_1904["headers"], in_1900["headers"]);
    ensure!(cells(&in_1900) == [["2013-04-19"]] && cells(&in_1904) == cells(&in_1900), "{:?}", cells(&in_1904));
    // LibreOffice's 1904 workbook and the xls of the same sheet: a date and a [h]:mm:ss duration.
    let libreoffice = preview(&ws, &workbook("date_1904.xlsx"), &[])?;
    let xls = preview(&ws, &workbook("date.xls"), &[])?;
    ensure!(cells(&libreoffice) == [["2021-01-02", "16"], ["255:10:10", "17"]], "{:?}", cells(&libreoffice));
    ensure!(cells(&xls) == cells(&libreoffice), "{:?}", cells(&xls));
    ensure!(
        xls["encoding"] == "xls" && libreoffice["encoding"] == "xlsx",
        "{} {}",
        xls["encoding"],
        libreoffice["encoding"]
    );
    Ok(())
}

#[test]
fn numbers_formatted_00000_keep_their_leading_zeros() -> Result<()> {
    let ws = Workspace::new()?;
    // An Apple Numbers export: postcodes stored as numbers with the format 00000.
    let numbers = preview(&ws, &workbook("zero-padded-number.xlsx"), &[])?;
    ensure!(cells(&numbers) == [["06083"], ["10083"], ["05010"]], "{:?}", cells(&numbers));
    Ok(())
}

#[test]
fn google_sheets_booleans_and_excel_error_cells_read_as_shown() -> Result<()> {
    let ws = Workspace::new()?;
    let google = preview(&ws, &workbook("boolean-from-google-sheets.xlsx"), &[])?;
    ensure!(google["headers"] == serde_json::json!(["TRUE"]) && cells(&google) == [["FALSE"]], "{google}");
    let errors = preview(&ws, &workbook("errors.xlsx"), &[])?;
    let shown: Vec<String> = cells(&errors).into_iter().map(|r| r[0].clone()).collect();
    ensure!(shown[..6] == ["#NAME?", "#VALUE!", "#NULL!", "#REF!", "#NUM!", "#N/A"], "{shown:?}");
    // Row 20 of that sheet is hidden: reported, and still imported as a CSV export keeps it.
    ensure!(errors["workbook"]["hidden_rows"] == serde_json::json!([20]), "{}", errors["workbook"]);
    ensure!(errors["workbook"]["hidden_row_count"] == 1, "{}", errors["workbook"]);
    Ok(())
}

#[test]
fn a_header_merged_across_columns_names_each_of_them() -> Result<()> {
    let ws = Workspace::new()?;
    // LibreOffice: "horizontal" merged over C4:E4, above a block merged over B9:D12.
    let merged = preview(&ws, &workbook("merged_ranges.xlsx"), &[])?;
    ensure!(merged["header_line"] == 4, "{}", merged["header_line"]);
    let expected = ["vertical1", "Column 2", "horizontal", "horizontal (2)", "horizontal (3)", "Column 6", "vertical2"];
    ensure!(merged["headers"] == serde_json::json!(expected), "{}", merged["headers"]);
    ensure!(merged["workbook"]["merged_header_cells"] == 2, "{}", merged["workbook"]);
    Ok(())
}

#[test]
fn tables_away_from_a1_and_below_blank_rows_are_found() -> Result<()> {
    let ws = Workspace::new()?;
    let middle = preview(&ws, &workbook("temperature-in-middle.xlsx"), &[])?;
    ensure!(middle["header_line"] == 4 && middle["headers"] == serde_json::json!(["label", "value"]), "{middle}");
    ensure!(cells(&middle) == [["celsius", "22.2222"], ["fahrenheit", "72"]], "{:?}", cells(&middle));
    let lower = preview(&ws, &workbook("header-row.xlsx"), &[])?;
    ensure!(lower["header_line"] == 9, "{}", lower["header_line"]);
    Ok(())
}

#[test]
fn opendocument_numbers_read_as_their_data_styles_show_them() -> Result<()> {
    let ws = Workspace::new()?;
    // (simple_spreadsheet.ods, whose 0.00 style shows 12.50, is checked against its CSV twin in
    // `twins`.) pyexcel-ods' LibreOffice file (German locale): styles on the columns, not the cells.
    // Currency and percentage keep their symbols and decimals (written locale-free, as an xlsx
    // reads); the scientific and fraction formats fall back to General.
    let formats = preview(&ws, &workbook("ods_formats.ods"), &[])?;
    let row = cells(&formats).first().cloned().unwrap_or_default();
    ensure!(
        row == ["2014-11-11", "11:12:12", "TRUE", "11.11", "£1", "200.00%", "3", "100000", "1.25", "abc"],
        "{row:?}"
    );
    // A second `value()>=0` style shows a negative amount with its own minus sign.
    ensure!(cells(&formats)[1][4] == "-£10,000", "{:?}", cells(&formats)[1]);
    Ok(())
}

#[test]
fn an_opendocument_header_spanned_across_columns_names_each_of_them() -> Result<()> {
    let ws = Workspace::new()?;
    // odsparsator's LibreOffice sample: "spanned cell" spans A1:C1 and "h" spans H1:I1.
    let spanned = preview(&ws, &workbook("odsparsator-json.ods"), &["--sheet", "first tab"])?;
    let expected = ["spanned cell", "spanned cell (2)", "spanned cell (3)", "d", "e", "f", "g", "h", "h (2)", "j"];
    ensure!(spanned["headers"] == serde_json::json!(expected), "{}", spanned["headers"]);
    ensure!(spanned["workbook"]["merged_header_cells"] == 3, "{}", spanned["workbook"]);
    Ok(())
}

#[test]
fn opendocument_hidden_rows_and_columns_are_reported_and_imported() -> Result<()> {
    let ws = Workspace::new()?;
    // Generated (no public ods with hidden rows or columns was found): a title and the Name
    // header merged across columns, the Phone column hidden, Alan's row collapsed and Grace's
    // filtered out, and empty hidden rows down to the end of the sheet.
    let sheet = preview(&ws, &workbook("generated/hidden-layout.ods"), &[])?;
    let headers = ["Name", "Name (2)", "Email", "Phone", "Postcode", "Score", "Amount"];
    ensure!(sheet["header_line"] == 2 && sheet["headers"] == serde_json::json!(headers), "{sheet}");
    let book = &sheet["workbook"];
    ensure!(book["format"] == "ods" && book["merged_header_cells"] == 1, "{book}");
    ensure!(book["hidden_rows"] == serde_json::json!([4, 5]) && book["hidden_row_count"] == 2, "{book}");
    ensure!(book["hidden_columns"] == serde_json::json!(["Phone"]), "{book}");
    let rows = cells(&sheet);
    ensure!(rows.len() == 3, "hidden rows are imported: {rows:?}");
    ensure!(rows[0][4..] == ["06083", "12.5%", "1,234.50 €"], "{:?}", rows[0]);
    ensure!(rows[1][4..] == ["10083", "50.0%", "-99.00 €"], "{:?}", rows[1]);
    ensure!(rows[2][4..] == ["05010", "100.0%", "0.00 €"], "{:?}", rows[2]);
    Ok(())
}
