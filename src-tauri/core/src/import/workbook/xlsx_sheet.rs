//! What an xlsx sheet's XML says beyond cell values: hidden rows and columns (reported to the
//! user, who may not know they are there) and merged ranges (a merged header cell names every
//! column it spans). calamine does not expose hidden rows or columns, so this is one extra
//! streaming pass over the sheet's XML with `quick-xml`, keeping only those elements.

use std::{
    fs::File,
    io::{BufRead, BufReader, Read},
    path::Path,
};

use quick_xml::{events::Event, Reader};

/// Hidden rows kept for reporting; the count goes on past this.
pub(crate) const MAX_LISTED_HIDDEN_ROWS: usize = 1_000;

/// A cell range, 0-based and inclusive: ((first row, first column), (last row, last column)).
pub(crate) type Span = ((u32, u32), (u32, u32));

/// Layout facts of one sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SheetExtras {
    /// 0-based hidden rows (the first [`MAX_LISTED_HIDDEN_ROWS`]).
    pub hidden_rows: Vec<u32>,
    /// How many rows are hidden in all.
    pub hidden_row_count: u64,
    /// 0-based hidden columns.
    pub hidden_columns: Vec<u32>,
    /// Merged ranges.
    pub merges: Vec<Span>,
}

/// Reads the hidden rows and columns and merged ranges of sheet `name`; `None` when the
/// workbook's parts cannot be found (the import goes on without the report).
pub(crate) fn extras(path: &Path, name: &str) -> Option<SheetExtras> {
    let file = File::open(path).ok()?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).ok()?;
    let part = sheet_part(&mut zip, name)?;
    let entry = zip.by_name(&part).ok()?;
    Some(scan(BufReader::with_capacity(64 * 1024, entry)))
}

fn attr(e: &quick_xml::events::BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

fn read_part<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Option<String> {
    let mut text = String::new();
    zip.by_name(name).ok()?.read_to_string(&mut text).ok()?;
    Some(text)
}

/// The zip path of the worksheet called `name`: `xl/workbook.xml` gives its relationship id,
/// `xl/_rels/workbook.xml.rels` the part it points at.
fn sheet_part<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, name: &str) -> Option<String> {
    let workbook = read_part(zip, "xl/workbook.xml")?;
    let rels = read_part(zip, "xl/_rels/workbook.xml.rels")?;
    let mut reader = Reader::from_str(&workbook);
    let mut id = None;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == "sheet" && attr(&e, "name").as_deref() == Some(name) =>
            {
                id = attr(&e, "id");
                break;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let id = id?;
    let mut reader = Reader::from_str(&rels);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == "Relationship" && attr(&e, "Id").as_deref() == Some(id.as_str()) =>
            {
                let target = attr(&e, "Target")?;
                return Some(match target.strip_prefix('/') {
                    Some(absolute) => absolute.to_owned(),
                    None => format!("xl/{target}"),
                });
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// `B7` → (6, 1).
fn cell_ref(text: &str) -> Option<(u32, u32)> {
    let letters: String = text.chars().take_while(char::is_ascii_alphabetic).collect();
    let digits = &text[letters.len()..];
    let mut col: u32 = 0;
    for c in letters.chars() {
        col = col.checked_mul(26)?.checked_add(u32::from(c.to_ascii_uppercase() as u8 - b'A') + 1)?;
    }
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

fn truthy(value: Option<String>) -> bool {
    matches!(value.as_deref(), Some("1" | "true"))
}

fn scan(source: impl BufRead) -> SheetExtras {
    let mut reader = Reader::from_reader(source);
    let mut extras = SheetExtras::default();
    let mut buf = Vec::new();
    let mut next_row: u32 = 0;
    loop {
        buf.clear();
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(_) => break,
        };
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "row" => {
                    let row =
                        attr(&e, "r").and_then(|r| r.parse::<u32>().ok()).map_or(next_row, |r| r.saturating_sub(1));
                    next_row = row.saturating_add(1);
                    if truthy(attr(&e, "hidden")) {
                        extras.hidden_row_count += 1;
                        if extras.hidden_rows.len() < MAX_LISTED_HIDDEN_ROWS {
                            extras.hidden_rows.push(row);
                        }
                    }
                }
                "col" if truthy(attr(&e, "hidden")) => {
                    let min = attr(&e, "min").and_then(|v| v.parse::<u32>().ok()).unwrap_or(1);
                    let max = attr(&e, "max").and_then(|v| v.parse::<u32>().ok()).unwrap_or(min);
                    // Hiding "every column to the right" writes max=16384: list only real ones.
                    extras.hidden_columns.extend((min.max(1) - 1)..max.min(min.saturating_add(512)));
                }
                "mergeCell" => {
                    let span = attr(&e, "ref").and_then(|r| {
                        let (a, b) = r.split_once(':').unwrap_or((r.as_str(), r.as_str()));
                        Some((cell_ref(a)?, cell_ref(b)?))
                    });
                    extras.merges.extend(span);
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    extras
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_rows_columns_and_merges_are_read_from_sheet_xml() {
        let xml = r#"<worksheet><cols><col min="2" max="3" hidden="1"/><col min="4" max="4"/></cols>
            <sheetData><row r="1"><c r="A1"/></row><row r="3" hidden="1"/><row hidden="true"/></sheetData>
            <mergeCells><mergeCell ref="A1:C1"/></mergeCells></worksheet>"#;
        let extras = scan(xml.as_bytes());
        assert_eq!(extras.hidden_rows, vec![2, 3]);
        assert_eq!(extras.hidden_columns, vec![1, 2]);
        assert_eq!(extras.merges, vec![((0, 0), (0, 2))]);
        assert_eq!(cell_ref("AA10"), Some((9, 26)));
    }
}
