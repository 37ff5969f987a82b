//! An xlsx/xlsm workbook opened straight from its zip parts with `quick-xml`: the sheet list
//! (`xl/workbook.xml` and its relationships), the date system, the cell formats
//! (`xl/styles.xml`) and the shared strings, kept in a [`SharedStrings`] store.
//!
//! Why not calamine's `Xlsx` here: it loads the shared-strings table as one `String` per entry
//! when the workbook is opened, which put the 1M-row benchmark workbook 54 MiB over its CSV twin
//! and above the 300 MB bound. The cells themselves are streamed by [`super::xlsx_cells`], with
//! the same value rules as calamine's cell reader (the unit tests compare the two on every xlsx
//! of the corpus).

use std::{
    collections::HashMap,
    io::BufReader,
    path::{Path, PathBuf},
};

use quick_xml::{events::Event, Reader};

use crate::{
    error::workbook::WorkbookError,
    import::workbook::{
        date_format::DateKind,
        markup_runs::MarkupRuns,
        number_format::NumberFormat,
        shared_strings::{SharedStrings, SPILL_BYTES},
        FileReader,
    },
};

/// One zip part's bytes as UTF-8: a part saved in UTF-16 with a byte-order mark (Excel Mobile on
/// Windows Phone writes every part so; Excel opens them) is transcoded as it streams, anything
/// else passes through unchanged.
type PartBytes<'a> = encoding_rs_io::DecodeReaderBytes<zip::read::ZipFile<'a, FileReader>, Vec<u8>>;

/// The XML reader over one zip part, refusing text runs no spreadsheet writes ([`MarkupRuns`]).
pub(crate) type PartReader<'a> = Reader<BufReader<MarkupRuns<PartBytes<'a>>>>;

/// How one cell format (`cellXfs` entry) shows a number.
#[derive(Debug, Clone, Default)]
pub(crate) struct CellStyle {
    /// A date, a duration or a plain number.
    pub kind: DateKind,
    /// The format, when [`NumberFormat`] renders it exactly.
    pub format: Option<NumberFormat>,
}

/// A worksheet of the workbook.
#[derive(Debug, Clone)]
pub(crate) struct SheetEntry {
    /// Sheet name.
    pub name: String,
    /// Zip path of its XML.
    pub part: String,
    /// False for hidden and very hidden sheets.
    pub visible: bool,
    /// False for chart and dialog sheets.
    pub worksheet: bool,
}

/// An open xlsx/xlsm workbook.
pub(crate) struct XlsxBook {
    pub(crate) zip: zip::ZipArchive<FileReader>,
    pub(crate) sheets: Vec<SheetEntry>,
    pub(crate) styles: Vec<CellStyle>,
    pub(crate) strings: SharedStrings,
    pub(crate) is_1904: bool,
}

/// Something wrong in the workbook's parts (shown as "damaged").
#[derive(Debug, thiserror::Error)]
pub(crate) enum PartError {
    #[error("{0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("{part}: {error}")]
    Xml { part: String, error: quick_xml::Error },
    #[error("{0}")]
    Strings(#[from] super::shared_strings::SharedStringsError),
    #[error("{0}")]
    Missing(String),
}

/// Opens a zip part as XML, `None` when the workbook has no such part. Names are matched
/// case-insensitively, as Excel does.
pub(crate) fn part_reader<'a>(
    zip: &'a mut zip::ZipArchive<FileReader>,
    name: &str,
) -> Result<Option<PartReader<'a>>, PartError> {
    let found = if zip.index_for_name(name).is_some() {
        Some(name.to_owned())
    } else {
        zip.file_names().filter_map(Result::ok).find(|n| n.eq_ignore_ascii_case(name)).map(std::borrow::Cow::into_owned)
    };
    let Some(found) = found else { return Ok(None) };
    let entry = zip.by_name(&found)?;
    let utf8 = encoding_rs_io::DecodeReaderBytesBuilder::new().bom_sniffing(true).build(entry);
    let mut reader = Reader::from_reader(BufReader::with_capacity(64 * 1024, MarkupRuns::new(utf8)));
    let config = reader.config_mut();
    config.trim_text(false);
    config.check_end_names = false;
    config.expand_empty_elements = true;
    Ok(Some(reader))
}

fn xml_error(part: &str) -> impl Fn(quick_xml::Error) -> PartError + '_ {
    move |error| PartError::Xml { part: part.to_owned(), error }
}

/// An attribute by local name, entities decoded.
pub(crate) fn attr(e: &quick_xml::events::BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned()))
}

/// `base/` joined with a relationship target (`worksheets/sheet1.xml`, `/xl/…`, `../…`).
fn resolve(base_dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("{base_dir}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for piece in joined.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            piece => parts.push(piece),
        }
    }
    parts.join("/")
}

/// Relationship id → (target, type) of a `.rels` part.
fn relationships(
    zip: &mut zip::ZipArchive<FileReader>,
    part: &str,
) -> Result<HashMap<String, (String, String)>, PartError> {
    let mut map = HashMap::new();
    let Some(mut xml) = part_reader(zip, part)? else { return Ok(map) };
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(xml_error(part))? {
            Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                    map.insert(id, (target, attr(&e, "Type").unwrap_or_default()));
                }
            }
            Event::Eof => return Ok(map),
            _ => {}
        }
    }
}

impl XlsxBook {
    /// Opens the workbook at `path` (already sniffed as xlsx/xlsm).
    pub(crate) fn open(path: &Path, format: &'static str) -> Result<XlsxBook, WorkbookError> {
        Self::open_with(path, SPILL_BYTES).map_err(|e| WorkbookError::Corrupt {
            path: PathBuf::from(path),
            format,
            detail: e.to_string(),
        })
    }

    /// [`XlsxBook::open`] with the shared strings spilled past `spill_at` bytes.
    pub(crate) fn open_with(path: &Path, spill_at: usize) -> Result<XlsxBook, PartError> {
        let file = std::fs::File::open(path).map_err(|e| PartError::Missing(e.to_string()))?;
        let mut zip = zip::ZipArchive::new(BufReader::new(file))?;
        // As calamine (and Excel): the package must say which part is the workbook.
        if part_reader(&mut zip, "_rels/.rels")?.is_none() {
            return Err(PartError::Missing("the package has no _rels/.rels".to_owned()));
        }
        let package = relationships(&mut zip, "_rels/.rels")?;
        let workbook_part = package
            .values()
            .find(|(_, kind)| kind.ends_with("/officeDocument"))
            .map(|(target, _)| resolve("", target))
            .ok_or_else(|| PartError::Missing("_rels/.rels names no workbook part".to_owned()))?;
        let (dir, name) = workbook_part.rsplit_once('/').map_or(("", workbook_part.as_str()), |(d, n)| (d, n));
        let dir = if dir.is_empty() { String::new() } else { format!("{dir}/") };
        let rels = relationships(&mut zip, &format!("{dir}_rels/{name}.rels"))?;
        let (sheets, is_1904) = read_workbook(&mut zip, &workbook_part, &dir, &rels)?;
        let styles = match rels.values().find(|(_, kind)| kind.ends_with("/styles")) {
            Some((target, _)) => read_styles(&mut zip, &resolve(&dir, target))?,
            None => read_styles(&mut zip, &format!("{dir}styles.xml"))?,
        };
        let strings_part = rels
            .values()
            .find(|(_, kind)| kind.ends_with("/sharedStrings"))
            .map_or_else(|| format!("{dir}sharedStrings.xml"), |(target, _)| resolve(&dir, target));
        let strings = read_shared_strings(&mut zip, &strings_part, spill_at)?;
        Ok(XlsxBook { zip, sheets, styles, strings, is_1904 })
    }
}

fn read_workbook(
    zip: &mut zip::ZipArchive<FileReader>,
    part: &str,
    dir: &str,
    rels: &HashMap<String, (String, String)>,
) -> Result<(Vec<SheetEntry>, bool), PartError> {
    let mut xml = part_reader(zip, part)?.ok_or_else(|| PartError::Missing(format!("{part} is missing")))?;
    let (mut sheets, mut is_1904, mut buf) = (Vec::new(), false, Vec::new());
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(xml_error(part))? {
            Event::Start(e) if e.local_name().as_ref() == "sheet" => {
                let name = attr(&e, "name").unwrap_or_default();
                let id = attr(&e, "id").unwrap_or_default();
                let visible = attr(&e, "state").is_none_or(|s| s == "visible");
                let Some((target, kind)) = rels.get(&id) else {
                    return Err(PartError::Missing(format!("sheet '{name}' has no part")));
                };
                let worksheet = kind.ends_with("/worksheet");
                sheets.push(SheetEntry { name, part: resolve(dir, target), visible, worksheet });
            }
            Event::Start(e) if e.local_name().as_ref() == "workbookPr" => {
                if let Some(v) = attr(&e, "date1904") {
                    is_1904 = v == "1" || v == "true";
                }
            }
            Event::End(e) if e.local_name().as_ref() == "workbook" => return Ok((sheets, is_1904)),
            Event::Eof => return Err(PartError::Missing(format!("{part} ends before </workbook>"))),
            _ => {}
        }
    }
}

/// Built-in number format codes (ECMA-376 18.8.30) that can change how a number reads.
fn builtin_code(id: u32) -> Option<&'static str> {
    Some(match id {
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        39 => "#,##0.00;(#,##0.00)",
        40 => "#,##0.00;[Red](#,##0.00)",
        _ => return None,
    })
}

fn read_styles(zip: &mut zip::ZipArchive<FileReader>, part: &str) -> Result<Vec<CellStyle>, PartError> {
    let Some(mut xml) = part_reader(zip, part)? else { return Ok(Vec::new()) };
    let (mut custom, mut styles, mut buf) = (HashMap::<u32, String>::new(), Vec::new(), Vec::new());
    let mut in_cell_xfs = false;
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(xml_error(part))? {
            Event::Start(e) if e.local_name().as_ref() == "numFmt" => {
                let id = attr(&e, "numFmtId").and_then(|v| v.parse().ok());
                if let (Some(id), Some(code)) = (id, attr(&e, "formatCode")) {
                    custom.insert(id, code);
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "cellXfs" => in_cell_xfs = true,
            Event::End(e) if e.local_name().as_ref() == "cellXfs" => in_cell_xfs = false,
            Event::Start(e) if in_cell_xfs && e.local_name().as_ref() == "xf" => {
                let id = attr(&e, "numFmtId").and_then(|v| v.parse::<u32>().ok());
                let style = match id {
                    None => CellStyle::default(),
                    Some(id) => match custom.get(&id) {
                        Some(code) => CellStyle { kind: DateKind::of_code(code), format: NumberFormat::parse(code) },
                        None => CellStyle {
                            kind: DateKind::builtin(id),
                            format: builtin_code(id).and_then(NumberFormat::parse),
                        },
                    },
                };
                styles.push(style);
            }
            Event::Eof => return Ok(styles),
            _ => {}
        }
    }
}

/// The text of an `<si>` or `<is>` element: its `<t>`, or the `<t>`s of its rich-text runs
/// (phonetic `<rPh>` runs left out); unpreserved space trimmed and `_xHHHH_` escapes decoded as
/// Excel writes them.
pub(crate) fn read_string(xml: &mut PartReader<'_>, part: &str, out: &mut String) -> Result<(), PartError> {
    let (mut buf, mut depth, mut phonetic) = (Vec::new(), 0_u32, false);
    let mut piece = String::new();
    let mut in_t: Option<bool> = None;
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(xml_error(part))? {
            Event::Start(e) => {
                depth += 1;
                match e.local_name().as_ref() {
                    "rPh" => phonetic = true,
                    "t" if !phonetic => {
                        piece.clear();
                        in_t = Some(attr(&e, "space").as_deref() == Some("preserve"));
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_t.is_some() => piece.push_str(&t.xml10_content()),
            Event::CData(t) if in_t.is_some() => piece.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_t.is_some() => {
                if let Some(text) = quick_xml::escape::resolve_xml_entity(&r) {
                    piece.push_str(text);
                } else if let Some(c) = r.resolve_char_ref().map_err(xml_error(part))? {
                    piece.push(c);
                }
            }
            Event::End(e) => {
                if depth == 0 {
                    return Ok(());
                }
                depth -= 1;
                match e.local_name().as_ref() {
                    "rPh" => phonetic = false,
                    "t" => {
                        if let Some(preserve) = in_t.take() {
                            let text =
                                if preserve { piece.as_str() } else { piece.trim_matches([' ', '\t', '\r', '\n']) };
                            unescape_excel(text, out);
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => return Err(PartError::Missing(format!("{part} ends inside a string"))),
            _ => {}
        }
    }
}

/// Decodes Excel's `_xHHHH_` escapes (UTF-16 code units: `_x000D_` is a carriage return,
/// surrogate pairs come as two escapes, `_x005F_` escapes a literal underscore).
pub(crate) fn unescape_excel(text: &str, out: &mut String) {
    if !text.contains("_x") {
        out.push_str(text);
        return;
    }
    let bytes = text.as_bytes();
    let escape_at = |i: usize| -> Option<u16> {
        let candidate = bytes.get(i..i + 7)?;
        if candidate[0] != b'_' || candidate[1] != b'x' || candidate[6] != b'_' {
            return None;
        }
        let hex = std::str::from_utf8(&candidate[2..6]).ok()?;
        u16::from_str_radix(hex, 16).ok()
    };
    let mut units: Vec<u16> = Vec::new();
    let mut i = 0;
    let mut plain_start = 0;
    while i < bytes.len() {
        if let Some(unit) = escape_at(i) {
            out.push_str(&text[plain_start..i]);
            units.push(unit);
            i += 7;
            plain_start = i;
        } else {
            if !units.is_empty() {
                out.push_str(&String::from_utf16_lossy(&units));
                units.clear();
            }
            i += 1;
        }
    }
    out.push_str(&String::from_utf16_lossy(&units));
    out.push_str(&text[plain_start..]);
}

fn read_shared_strings(
    zip: &mut zip::ZipArchive<FileReader>,
    part: &str,
    spill_at: usize,
) -> Result<SharedStrings, PartError> {
    let mut strings = SharedStrings::new(spill_at);
    let Some(mut xml) = part_reader(zip, part)? else { return Ok(strings) };
    let (mut buf, mut text) = (Vec::new(), String::new());
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(xml_error(part))? {
            Event::Start(e) if e.local_name().as_ref() == "sst" => {
                if let Some(n) = attr(&e, "uniqueCount").and_then(|v| v.parse().ok()) {
                    strings.reserve(n);
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "si" => {
                text.clear();
                read_string(&mut xml, part, &mut text)?;
                strings.push(&text)?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    strings.finish()?;
    Ok(strings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_escapes_decode_to_the_characters_they_stand_for() {
        let decode = |s: &str| {
            let mut out = String::new();
            unescape_excel(s, &mut out);
            out
        };
        assert_eq!(decode("a_x000D_b"), "a\rb");
        assert_eq!(decode("_xD83D__xDCF7_"), "📷");
        assert_eq!(decode("_x005F_x000D_"), "_x000D_");
        assert_eq!(decode("plain_xyz_"), "plain_xyz_");
    }

    #[test]
    fn relationship_targets_resolve_against_the_workbook_folder() {
        assert_eq!(resolve("xl/", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/", "/xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/", "../other/s.xml"), "other/s.xml");
    }
}
