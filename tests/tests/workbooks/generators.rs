//! Workbooks from writers the rest of the corpus does not cover — Excel on Windows with a title
//! block and a row-label column, Excel Mobile (every part in UTF-16), Excel for Mac's accounting
//! format, Google Sheets (inline strings, hidden rows and columns), the .NET Open XML SDK
//! (prefixed XML, a Cyrillic sheet name), a Ruby writer (inline strings only, 31 columns), Apple
//! Numbers percentages and LibreOffice's tab order — each read as the user sees it. Named after
//! what used to break.

use anyhow::{ensure, Result};
use outpost_tests::Workspace;

use super::support::{cells, outcomes, preview, records, refused, workbook};

#[test]
fn a_row_label_column_left_of_the_header_is_imported_not_dropped() -> Result<()> {
    let ws = Workspace::new()?;
    // Excel: a port's berth line-up, a title merged over A1:E3, the header in B5:I5 and the
    // berth codes (B1A, B1…) under no header cell in column A. They used to be dropped, leaving
    // the "AT BERTH" section row empty.
    let sheet = preview(&ws, &workbook("krishnapatnam-line-up.xlsx"), &[])?;
    ensure!(sheet["header_line"] == 5, "{}", sheet["header_line"]);
    let headers = sheet["headers"].as_array().cloned().unwrap_or_default();
    ensure!(
        headers.first().is_some_and(|h| h == "Column 1") && headers.get(1).is_some_and(|h| h == "VESSELS NAME:"),
        "{headers:?}"
    );
    let rows = cells(&sheet);
    ensure!(rows[0][0] == "AT BERTH" && rows[1][..2] == ["B1A", "V A C A N T"], "{:?}", &rows[..2]);
    ensure!(rows[4][..4] == ["B3", "MV. ORIENTE GLORIA", "01/11/2017", "01/11/2017"], "{:?}", rows[4]);
    Ok(())
}

#[test]
fn workbook_parts_saved_in_utf16_are_read_not_refused_as_damaged() -> Result<()> {
    let ws = Workspace::new()?;
    // Excel Mobile (Windows Phone) writes every XML part in UTF-16 with a byte-order mark; it
    // used to be refused as "damaged or only partly downloaded".
    let sheet = preview(&ws, &workbook("Pfand_from_windows_phone.xlsx"), &[])?;
    let names: Vec<&str> =
        sheet["workbook"]["sheets"].as_array().into_iter().flatten().filter_map(|s| s["name"].as_str()).collect();
    ensure!(names == ["Blatt1", "Blatt2", "Blatt3"], "{names:?}");
    // A date serial and euro amounts (formula cells by their cached values).
    ensure!(cells(&sheet)[0][..4] == ["2011-09-15", "4.06 €", "0.58 €", "3.48 €"], "{:?}", cells(&sheet));
    Ok(())
}

#[test]
fn accounting_format_padding_is_not_imported_around_an_amount() -> Result<()> {
    let ws = Workspace::new()?;
    // Excel for Mac: `_([$€-2]\ * #,##0.00_)` pads the amount to align it; the text used to keep
    // the padding (" € 20.51 ").
    let sheet = preview(&ws, &workbook("currency-euro.xlsx"), &[])?;
    ensure!(cells(&sheet) == [["06083"], ["10083"], ["€ 20.51"]], "{:?}", cells(&sheet));
    Ok(())
}

#[test]
fn google_sheets_inline_strings_stay_text_and_hidden_cells_are_reported() -> Result<()> {
    let ws = Workspace::new()?;
    // Numbers typed as text in Google Sheets, written as inline strings: "1.0" stays "1.0".
    let inline = preview(&ws, &workbook("inline-strings-google-sheets.xlsx"), &[])?;
    ensure!(cells(&inline) == [["1.0", "2.0", "3.0"], ["4.0", "5.0", "6.0"]], "{:?}", cells(&inline));
    let hidden = preview(&ws, &workbook("hidden-test-google-sheets.xlsx"), &[])?;
    let book = &hidden["workbook"];
    ensure!(
        book["hidden_rows"] == serde_json::json!([2]) && book["hidden_columns"] == serde_json::json!(["HIDDEN"]),
        "{book}"
    );
    Ok(())
}

#[test]
fn a_cyrillic_sheet_of_the_open_xml_sdk_reads_with_ids_as_digits() -> Result<()> {
    let ws = Workspace::new()?;
    // .NET Open XML SDK: `x:`-prefixed elements, a UTF-8 byte-order mark, sheet "Лист1".
    let sheet = preview(&ws, &workbook("name_with_leading_slash.xlsx"), &[])?;
    ensure!(sheet["workbook"]["sheet"] == "Лист1", "{}", sheet["workbook"]);
    ensure!(sheet["headers"][1] == "Номер объявления", "{}", sheet["headers"]);
    let rows = cells(&sheet);
    ensure!(rows.len() == 20 && rows[0][1] == "847136310" && rows[0][4] == "1 000 руб.", "{:?}", rows.first());
    Ok(())
}

#[test]
fn a_ruby_writers_inline_string_workbook_without_shared_strings_reads_every_column() -> Result<()> {
    let ws = Workspace::new()?;
    // No sharedStrings part at all, 31 columns, empty inline strings (`<t></t>`).
    let sheet = preview(&ws, &workbook("blank_children.xlsx"), &[])?;
    let headers = sheet["headers"].as_array().cloned().unwrap_or_default();
    ensure!(headers.len() == 31 && headers[30] == "Created Date", "{headers:?}");
    let row = &cells(&sheet)[0];
    ensure!(row[..5] == ["797", "Jon", "Patiente", "", "1985-04-11"] && row[22].is_empty(), "{row:?}");
    ensure!(row[30] == "2019-01-18 13:12:26 -0500", "{row:?}");
    Ok(())
}

#[test]
fn the_sheet_holding_the_records_is_imported_with_every_row_reported() -> Result<()> {
    let ws = Workspace::new()?;
    // Excel: the records on the second sheet, two of their rows hidden (imported, as a CSV
    // export keeps them); a near-empty first sheet.
    let file = workbook("second-sheet-ids.xlsx");
    let sheet = preview(&ws, &file, &[])?;
    ensure!(
        sheet["workbook"]["sheet"] == "Sheet2" && sheet["workbook"]["hidden_rows"] == serde_json::json!([3, 5]),
        "{}",
        sheet["workbook"]
    );
    let path = file.to_str().unwrap_or_default();
    let job = ws.json(&["import", path, "--type", "contacts"])?;
    ensure!(job["imported"] == 5 && job["failed"] == 0, "{job}");
    let report = outcomes(&ws)?;
    ensure!(report.len() == 5 && report.iter().all(|(_, outcome, _)| outcome == "imported"), "{report:?}");
    let people = records(&ws)?;
    ensure!(people[0][..2] == [Some("Test".to_owned()), Some("89".to_owned())], "{:?}", people[0]);
    ensure!(people[0][8].as_deref() == Some(r#"{"DK":"T123456789"}"#), "{:?}", people[0]);
    // Excel: a working sheet named "Sheet" before the "KA lijst" table.
    let lijst = preview(&ws, &workbook("ka-lijst.xlsx"), &[])?;
    ensure!(lijst["workbook"]["sheet"] == "KA lijst" && cells(&lijst)[0][..2] == ["AP1", "1"], "{}", lijst["workbook"]);
    Ok(())
}

#[test]
fn a_half_rounds_away_from_zero_as_excel_shows_it() -> Result<()> {
    let ws = Workspace::new()?;
    // Apple Numbers: 0.005 formatted 0% shows 1% in Excel; it used to read 0% (half to even).
    let sheet = preview(&ws, &workbook("percentage.xlsx"), &[])?;
    ensure!(sheet["headers"] == serde_json::json!(["1.23%"]), "{}", sheet["headers"]);
    ensure!(cells(&sheet) == [["50%"], ["1%"], ["0.01%"]], "{:?}", cells(&sheet));
    Ok(())
}

#[test]
fn libreoffice_sheets_are_listed_in_tab_order_with_negative_numbers_intact() -> Result<()> {
    let ws = Workspace::new()?;
    let sheet = preview(&ws, &workbook("sheets_order.xlsx"), &[])?;
    let names: Vec<&str> =
        sheet["workbook"]["sheets"].as_array().into_iter().flatten().filter_map(|s| s["name"].as_str()).collect();
    ensure!(names == ["b", "e", "d", "a"] && sheet["workbook"]["sheet"] == "b", "{names:?} {}", sheet["workbook"]);
    ensure!(cells(&sheet)[0] == ["-10", "-1000"] && cells(&sheet)[12] == ["2", "8"], "{:?}", cells(&sheet));
    Ok(())
}

#[test]
fn a_title_merged_across_the_table_is_not_taken_for_its_header() -> Result<()> {
    let ws = Workspace::new()?;
    // PHPExcel (xls): "ПРАЙС-ЛИСТ" merged across A1:G1, a date row, then the header. The title
    // used to be the header ("ПРАЙС-ЛИСТ", "ПРАЙС-ЛИСТ (2)"…) and the real header a data row.
    let sheet = preview(&ws, &workbook("price-list-title.xls"), &[])?;
    let headers = ["ТИП", "Наименование", "ГОСТ", "Длина", "Сталь", "Остаток", "Цена за тонну"];
    ensure!(sheet["headers"] == serde_json::json!(headers), "{}", sheet["headers"]);
    ensure!(sheet["workbook"]["merged_header_cells"] == 0, "{}", sheet["workbook"]);
    ensure!(
        cells(&sheet)[0] == ["10х10х1,0", "3,10", "13663", "6", "3,10", "0.004", "73500"],
        "{:?}",
        cells(&sheet)[0]
    );
    // Every sheet of the workbook is summarised with the header below its title.
    let sheets = sheet["workbook"]["sheets"].as_array().cloned().unwrap_or_default();
    ensure!(sheets.len() == 9 && sheets.iter().all(|s| s["header_line"].as_u64() > Some(1)), "{sheets:?}");
    Ok(())
}

#[test]
fn an_xls_row_label_column_without_a_header_cell_is_kept() -> Result<()> {
    let ws = Workspace::new()?;
    let sheet = preview(&ws, &workbook("profiles.xls"), &["--sheet", "AXISDATUMLEVELS"])?;
    ensure!(sheet["headers"] == serde_json::json!(["Column 1", "i", "d"]), "{}", sheet["headers"]);
    ensure!(cells(&sheet)[0] == ["P8.2", "265.21206", "266.80039"], "{:?}", cells(&sheet)[0]);
    Ok(())
}

#[test]
fn an_excel_4_worksheet_is_refused_with_how_to_convert_it_not_as_binary_text() -> Result<()> {
    let ws = Workspace::new()?;
    // A BIFF4 worksheet (a bare record stream, not OLE): it used to be read as a CSV file and
    // refused as "not a text file (binary data)", telling the user to export CSV.
    let file = workbook("biff4_no_format_no_window2.xls");
    refused(&ws, &file, &["Excel 4.0 worksheet", "save it as .xlsx"])?;
    Ok(())
}
