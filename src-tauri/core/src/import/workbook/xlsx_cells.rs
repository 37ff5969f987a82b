//! Streams an xlsx/xlsm worksheet's XML cell by cell (`quick-xml` over the zip entry: memory does
//! not grow with the sheet) into [`SheetRow`]s of text, with calamine's value rules: shared
//! strings by index from the compact [`super::shared_strings`] store, inline and formula strings,
//! booleans, errors as written, ISO dates (`t="d"`), and numbers shown through their cell format
//! — a date or duration serial when the format is one, else [`super::cells`]' General style or
//! the format itself.

use std::path::Path;

use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
use quick_xml::events::{BytesStart, Event};

use crate::{
    error::workbook::WorkbookError,
    import::workbook::{
        cells::data_text,
        date_format::DateKind,
        rows::{SheetRow, SheetSize},
        shared_strings::SharedStrings,
        xlsx_book::{part_reader, read_string, unescape_excel, CellStyle, PartReader, XlsxBook},
    },
};

/// The `t` attribute of a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CellType {
    /// No `t`: a number, or text if it does not parse as one.
    Untyped,
    Number,
    Shared,
    Inline,
    Formula,
    Bool,
    Error,
    Date,
}

impl CellType {
    fn of(value: &str) -> Result<CellType, String> {
        Ok(match value {
            "n" => CellType::Number,
            "s" => CellType::Shared,
            "inlineStr" | "is" => CellType::Inline,
            "str" => CellType::Formula,
            "b" => CellType::Bool,
            "e" => CellType::Error,
            "d" => CellType::Date,
            other => return Err(format!("unknown cell type t=\"{other}\"")),
        })
    }
}

/// `B7` → (6, 1).
fn cell_position(text: &str) -> Option<(u32, u32)> {
    let letters = text.bytes().take_while(u8::is_ascii_alphabetic).count();
    let mut col: u32 = 0;
    for b in text[..letters].bytes() {
        col = col.checked_mul(26)?.checked_add(u32::from(b.to_ascii_uppercase() - b'A') + 1)?;
    }
    let row: u32 = text[letters..].parse().ok()?;
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

/// What one `<c>` element said.
struct RawCell {
    position: (u32, u32),
    style: Option<usize>,
    typ: CellType,
}

fn raw_cell(e: &BytesStart<'_>, row: u32, col: u32) -> Result<RawCell, String> {
    let mut cell = RawCell { position: (row, col), style: None, typ: CellType::Untyped };
    for attribute in e.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        match attribute.key.local_name().as_ref() {
            "r" => {
                cell.position = cell_position(&attribute.value)
                    .ok_or_else(|| format!("bad cell reference '{}'", attribute.value))?;
            }
            "s" => cell.style = attribute.value.trim().parse().ok(),
            "t" => cell.typ = CellType::of(&attribute.value)?,
            _ => {}
        }
    }
    Ok(cell)
}

/// Reads the text content of the element just opened, entities decoded.
fn read_text(xml: &mut PartReader<'_>, buf: &mut Vec<u8>, out: &mut String) -> Result<(), String> {
    let mut depth = 0_u32;
    loop {
        buf.clear();
        match xml.read_event_into(buf).map_err(|e| e.to_string())? {
            Event::Text(t) => out.push_str(&t.xml10_content()),
            Event::CData(t) => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                if let Some(text) = quick_xml::escape::resolve_xml_entity(&r) {
                    out.push_str(text);
                } else if let Some(c) = r.resolve_char_ref().map_err(|e| e.to_string())? {
                    out.push(c);
                }
            }
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return Ok(()),
            Event::End(_) => depth -= 1,
            Event::Eof => return Err("the sheet ends inside a cell".to_owned()),
            _ => {}
        }
    }
}

/// The text shown for a cell whose `<v>` is `value`.
fn value_text(book: &mut Context<'_>, cell: &RawCell, value: &str, out: &mut String) -> Result<(), String> {
    match cell.typ {
        CellType::Shared if value.trim().is_empty() => {}
        CellType::Shared => {
            let index: usize = value.trim().parse().map_err(|_| format!("bad shared-string index '{value}'"))?;
            book.strings.read_into(index, out).map_err(|e| e.to_string())?;
        }
        CellType::Inline => {}
        CellType::Formula => unescape_excel(value, out),
        CellType::Bool => match value.trim() {
            "" => {}
            "0" => out.push_str("FALSE"),
            "1" => out.push_str("TRUE"),
            v if v.eq_ignore_ascii_case("false") => out.push_str("FALSE"),
            v if v.eq_ignore_ascii_case("true") => out.push_str("TRUE"),
            v => return Err(format!("bad boolean cell value '{v}'")),
        },
        CellType::Error => out.push_str(value),
        CellType::Date => out.push_str(&data_text(&Data::DateTimeIso(value.to_owned()), None)),
        CellType::Number | CellType::Untyped => {
            if value.is_empty() {
                return Ok(());
            }
            let Ok(number) = value.trim().parse::<f64>() else {
                if cell.typ == CellType::Untyped {
                    out.push_str(value);
                    return Ok(());
                }
                return Err(format!("bad number '{value}'"));
            };
            // A cell without a style reads as a plain number, shown with the default format.
            let style = book.styles.get(cell.style.unwrap_or(0));
            let kind = if cell.style.is_some() { style.map(|s| s.kind).unwrap_or_default() } else { DateKind::Number };
            let data = match kind {
                DateKind::DateTime => {
                    Data::DateTime(ExcelDateTime::new(number, ExcelDateTimeType::DateTime, book.is_1904))
                }
                DateKind::Duration => {
                    Data::DateTime(ExcelDateTime::new(number, ExcelDateTimeType::TimeDelta, book.is_1904))
                }
                DateKind::Number => Data::Float(number),
            };
            out.push_str(&data_text(&data, style.and_then(|s| s.format.as_ref())));
        }
    }
    Ok(())
}

/// Calls `each` with every non-empty row of `sheet` in order until it returns false.
pub(crate) fn for_each_row(
    book: &mut XlsxBook,
    path: &Path,
    sheet: &str,
    mut each: impl FnMut(SheetRow) -> bool,
) -> Result<SheetSize, WorkbookError> {
    let error = |detail: String| WorkbookError::Read { path: path.to_path_buf(), sheet: sheet.to_owned(), detail };
    let part = book
        .sheets
        .iter()
        .find(|s| s.name == sheet)
        .map(|s| s.part.clone())
        .ok_or_else(|| error("the sheet is not in the workbook".to_owned()))?;
    let XlsxBook { zip, strings, styles, is_1904, .. } = book;
    let context = Context { strings, styles, is_1904: *is_1904 };
    stream(zip, context, &part, &mut each).map_err(error)
}

/// What cell values are read against.
struct Context<'a> {
    strings: &'a mut SharedStrings,
    styles: &'a [CellStyle],
    is_1904: bool,
}

fn stream(
    zip: &mut zip::ZipArchive<super::FileReader>,
    mut book: Context<'_>,
    part: &str,
    each: &mut impl FnMut(SheetRow) -> bool,
) -> Result<SheetSize, String> {
    let mut xml = part_reader(zip, part).map_err(|e| e.to_string())?.ok_or_else(|| format!("{part} is missing"))?;
    let (mut buf, mut inner, mut value, mut text) = (Vec::new(), Vec::new(), String::new(), String::new());
    let (mut row_index, mut col_index) = (0_u32, 0_u32);
    let mut last_row: Option<u32> = None;
    let mut current = SheetRow { index: 0, cells: Vec::new() };
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(|e| e.to_string())? {
            Event::Start(e) => match e.local_name().as_ref() {
                "dimension" => {
                    let end = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == "ref")
                        .and_then(|a| cell_position(a.value.split(':').next_back()?));
                    last_row = end.map(|(row, _)| row).filter(|row| *row > 0);
                }
                "row" => {
                    let r = e.attributes().flatten().find(|a| a.key.local_name().as_ref() == "r");
                    if let Some(r) = r.and_then(|a| a.value.trim().parse::<u32>().ok()) {
                        row_index = r.saturating_sub(1);
                    }
                }
                "c" => {
                    let cell = raw_cell(&e, row_index, col_index)?;
                    text.clear();
                    loop {
                        inner.clear();
                        match xml.read_event_into(&mut inner).map_err(|e| e.to_string())? {
                            Event::Start(child) => match child.local_name().as_ref() {
                                "v" if cell.typ != CellType::Inline => {
                                    value.clear();
                                    read_text(&mut xml, &mut inner, &mut value)?;
                                    value_text(&mut book, &cell, &value, &mut text)?;
                                }
                                "is" => {
                                    text.clear();
                                    read_string(&mut xml, part, &mut text).map_err(|e| e.to_string())?;
                                }
                                _ => {
                                    value.clear();
                                    read_text(&mut xml, &mut inner, &mut value)?;
                                }
                            },
                            Event::End(end) if end.local_name().as_ref() == "c" => break,
                            Event::Eof => return Err("the sheet ends inside a cell".to_owned()),
                            _ => {}
                        }
                    }
                    let (row, col) = cell.position;
                    col_index = col.saturating_add(1);
                    if row != current.index && !current.cells.is_empty() {
                        let done = std::mem::replace(&mut current, SheetRow { index: row, cells: Vec::new() });
                        if !each(done) {
                            return Ok(SheetSize { last_row });
                        }
                    }
                    current.index = row;
                    last_row = Some(last_row.map_or(row, |last| last.max(row)));
                    if !text.is_empty() {
                        current.cells.push((col, std::mem::take(&mut text)));
                    }
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "row" => {
                row_index = row_index.saturating_add(1);
                col_index = 0;
            }
            Event::End(e) if e.local_name().as_ref() == "sheetData" => break,
            Event::Eof => break,
            _ => {}
        }
    }
    if !current.cells.is_empty() {
        each(current);
    }
    Ok(SheetSize { last_row })
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use calamine::Reader;

    use super::*;
    use crate::import::workbook::{cells::data_ref_text, number_format::NumberFormat, FileReader};

    fn corpus() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/workbooks")
    }

    /// The rows calamine's own streaming cell reader gives (what this reader replaced).
    fn calamine_rows(book: &mut calamine::Xlsx<FileReader>, sheet: &str) -> Vec<SheetRow> {
        let mut reader = book.worksheet_cells_reader(sheet).expect("calamine sheet");
        let formats: Vec<Option<NumberFormat>> = reader
            .styles()
            .iter()
            .map(|style| style.number_format.as_ref().and_then(|f| NumberFormat::parse(&f.format_code)))
            .collect();
        let (mut rows, mut current) = (Vec::new(), SheetRow { index: 0, cells: Vec::new() });
        while let Some((cell, style)) = reader.next_cell_with_style_id().expect("calamine cell") {
            let (row, col) = cell.get_position();
            if row != current.index && !current.cells.is_empty() {
                rows.push(std::mem::replace(&mut current, SheetRow { index: row, cells: Vec::new() }));
            }
            current.index = row;
            let text = data_ref_text(cell.get_value().clone(), formats.get(style).and_then(Option::as_ref));
            if !text.is_empty() {
                current.cells.push((col, text));
            }
        }
        if !current.cells.is_empty() {
            rows.push(current);
        }
        rows
    }

    fn our_rows(path: &Path, spill_at: usize, sheet: &str) -> Vec<SheetRow> {
        let mut book = XlsxBook::open_with(path, spill_at).expect("open");
        let mut rows = Vec::new();
        for_each_row(&mut book, path, sheet, |row| {
            rows.push(row);
            true
        })
        .expect("rows");
        rows
    }

    #[test]
    fn every_corpus_xlsx_reads_cell_for_cell_as_calamines_reader_read_it() {
        let (mut compared, mut beyond_calamine) = (0, Vec::new());
        for entry in std::fs::read_dir(corpus()).expect("corpus") {
            let path = entry.expect("entry").path();
            if path.extension().is_none_or(|e| e != "xlsx")
                || super::super::open::sniff(&path).ok().flatten().is_none_or(|f| f.label() != "xlsx")
            {
                continue;
            }
            let file = std::fs::File::open(&path).map(std::io::BufReader::new).expect("file");
            let Ok(mut calamine) = calamine::Xlsx::<FileReader>::new(file) else {
                // calamine cannot read it at all (Excel Mobile's UTF-16 parts): nothing to compare.
                beyond_calamine.push(path.file_name().unwrap_or_default().to_string_lossy().into_owned());
                continue;
            };
            let ours = XlsxBook::open_with(&path, usize::MAX).expect("open");
            let names: Vec<(String, bool)> =
                ours.sheets.iter().filter(|s| s.worksheet).map(|s| (s.name.clone(), s.visible)).collect();
            let expected: Vec<(String, bool)> = calamine
                .sheets_metadata()
                .iter()
                .filter(|s| matches!(s.typ, calamine::SheetType::WorkSheet))
                .map(|s| (s.name.clone(), matches!(s.visible, calamine::SheetVisible::Visible)))
                .collect();
            assert_eq!(names, expected, "{}", path.display());
            for (sheet, _) in &names {
                let want = calamine_rows(&mut calamine, sheet);
                assert_eq!(our_rows(&path, usize::MAX, sheet), want, "{} '{sheet}'", path.display());
                assert_eq!(our_rows(&path, 0, sheet), want, "{} '{sheet}' spilled", path.display());
                compared += 1;
            }
        }
        assert!(compared >= 20, "only {compared} sheets compared");
        assert_eq!(beyond_calamine, ["Pfand_from_windows_phone.xlsx"]);
    }
}
