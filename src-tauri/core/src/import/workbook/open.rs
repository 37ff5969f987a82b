//! Recognising a workbook by its content (not its name) and opening it with the right reader.
//!
//! A zip is an xlsx/xlsm (`xl/workbook.xml`), an xlsb (`xl/workbook.bin`) or an ods (`mimetype`
//! says spreadsheet); an OLE compound file is an xls, or an encrypted (password-protected) xlsx.
//! Anything else is not a workbook and goes to the CSV reader, so a "`.xls`" that is really a
//! tab-separated export still imports.

use std::{
    fs::File,
    io::{BufReader, Read},
    path::Path,
};

use calamine::{Ods, OdsError, Reader, Xls, XlsError, Xlsb, XlsbError, Xlsx, XlsxError};

use crate::{error::workbook::WorkbookError, import::workbook::xlsx_book::XlsxBook};

use crate::import::workbook::FileReader;

/// Which kind of workbook a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// Office Open XML workbook.
    Xlsx,
    /// Office Open XML workbook with macros (read like xlsx; macros are never run).
    Xlsm,
    /// Excel binary workbook.
    Xlsb,
    /// Excel 97-2003 workbook (BIFF8, also BIFF5).
    Xls,
    /// OpenDocument spreadsheet (LibreOffice, Google Sheets, Numbers exports).
    Ods,
}

impl Format {
    /// The name shown to users.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsm => "xlsm",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
        }
    }
}

/// An open workbook.
pub(crate) enum Book {
    /// xlsx and xlsm (read by [`XlsxBook`], not calamine: see there).
    Xlsx(Box<XlsxBook>),
    /// xlsb.
    Xlsb(Box<Xlsb<FileReader>>),
    /// xls.
    Xls(Box<Xls<FileReader>>),
    /// ods, with the chosen sheet's numbers as its data styles show them ((row, column) → text,
    /// from [`super::ods_sheet`]; empty until the sheet is chosen).
    Ods(Box<Ods<FileReader>>, std::collections::HashMap<(u32, u32), String>),
}

const ZIP_MAGIC: [&[u8]; 2] = [b"PK\x03\x04", b"PK\x05\x06"];
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn io_corrupt(path: &Path, format: Format, e: impl std::fmt::Display) -> WorkbookError {
    WorkbookError::Corrupt { path: path.to_path_buf(), format: format.label(), detail: e.to_string() }
}

/// Inflated size from which a part's compression ratio is checked (256 MiB).
const BOMB_MIN_BYTES: u64 = 256 << 20;
/// Compression ratio no spreadsheet part reaches: sheet XML of a million repetitive rows deflates
/// about 20 to 50 times; a decompression bomb over a thousand.
const BOMB_RATIO: u64 = 200;

/// Why the archive is refused before anything is inflated: a part declaring hundreds of MiB at a
/// ratio no spreadsheet reaches (the cheap first line; [`super::markup_runs`] bounds what the
/// xlsx reader holds, whatever the archive declares).
fn inflates_like_a_bomb<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>) -> Option<String> {
    (0..zip.len()).find_map(|index| {
        let entry = zip.by_index_raw(index).ok()?;
        let (inflated, deflated) = (entry.size(), entry.compressed_size().max(1));
        (inflated >= BOMB_MIN_BYTES && inflated / deflated >= BOMB_RATIO).then(|| {
            format!(
                "its part {} would inflate {} times, to {} MiB: no spreadsheet compresses like that, so it is not opened",
                entry.name().unwrap_or_default(),
                inflated / deflated,
                inflated >> 20
            )
        })
    })
}

fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// What kind of workbook `path` is by its content; `None` when it is not a zip or OLE file at all.
/// The Excel version of a BIFF2, BIFF3 or BIFF4 worksheet from its first record (a BOF: id
/// 0x0009, 0x0209 or 0x0409, a 4-to-16-byte body, a sheet type naming a worksheet, chart or
/// macro sheet); these are bare record streams, not OLE files, so they are told apart here.
fn pre_excel5_worksheet(head: &[u8]) -> Option<&'static str> {
    let [0x09, id_high, len_low, 0x00, ..] = *head else { return None };
    let version = match id_high {
        0x00 => "2.x",
        0x02 => "3.0",
        0x04 => "4.0",
        _ => return None,
    };
    if !(4..=16).contains(&len_low) {
        return None;
    }
    // BIFF2's body starts with the version word; BIFF3/4 with it too, then the sheet type
    // (0x0010 worksheet, 0x0020 chart, 0x0040 macro sheet, 0x0100 workspace).
    let kind = head.get(6..8).map(|b| u16::from_le_bytes([b[0], b[1]]));
    matches!(kind, Some(0x0010 | 0x0020 | 0x0040 | 0x0100)).then_some(version)
}

pub(crate) fn sniff(path: &Path) -> Result<Option<Format>, WorkbookError> {
    let mut head = [0_u8; 8];
    let read = File::open(path).and_then(|mut f| {
        let mut n = 0;
        while n < head.len() {
            match f.read(&mut head[n..])? {
                0 => break,
                k => n += k,
            }
        }
        Ok(n)
    });
    let Ok(n) = read else { return Ok(None) };
    let head = &head[..n];
    if head.starts_with(OLE_MAGIC) {
        return Ok(Some(Format::Xls));
    }
    if let Some(version) = pre_excel5_worksheet(head) {
        return Err(WorkbookError::TooOld { path: path.to_path_buf(), version });
    }
    if !ZIP_MAGIC.iter().any(|m| head.starts_with(m)) {
        return Ok(None);
    }
    let guess = if has_extension(path, "ods") { Format::Ods } else { Format::Xlsx };
    let file = File::open(path).map_err(|e| io_corrupt(path, guess, e))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file)).map_err(|e| io_corrupt(path, guess, e))?;
    if let Some(detail) = inflates_like_a_bomb(&mut zip) {
        return Err(io_corrupt(path, guess, detail));
    }
    let names: Vec<String> = zip.file_names().filter_map(Result::ok).map(std::borrow::Cow::into_owned).collect();
    let has = |name: &str| names.iter().any(|n| n.eq_ignore_ascii_case(name));
    if has("xl/workbook.xml") || names.iter().any(|n| n.starts_with("xl/") && n.ends_with("workbook.xml")) {
        let macros = has("xl/vbaProject.bin") || has_extension(path, "xlsm");
        return Ok(Some(if macros { Format::Xlsm } else { Format::Xlsx }));
    }
    if has("xl/workbook.bin") {
        return Ok(Some(Format::Xlsb));
    }
    if has("content.xml") {
        let mut mimetype = String::new();
        if let Ok(mut entry) = zip.by_name("mimetype") {
            let _ = entry.by_ref().take(200).read_to_string(&mut mimetype);
        }
        if mimetype.contains("spreadsheet") || (mimetype.is_empty() && has_extension(path, "ods")) {
            return Ok(Some(Format::Ods));
        }
        let what = if mimetype.contains("text") {
            "an OpenDocument text document"
        } else if mimetype.contains("presentation") {
            "an OpenDocument presentation"
        } else {
            "an OpenDocument file"
        };
        return Err(WorkbookError::NotWorkbook { path: path.to_path_buf(), what: what.to_owned() });
    }
    let what = if has("word/document.xml") {
        "a Word document"
    } else if has("ppt/presentation.xml") {
        "a PowerPoint presentation"
    } else if has("Index/Document.iwa") {
        "an Apple Numbers or Pages file (export it from Numbers as Excel or CSV)"
    } else {
        "a zip archive"
    };
    Err(WorkbookError::NotWorkbook { path: path.to_path_buf(), what: what.to_owned() })
}

fn open_file(path: &Path, format: Format) -> Result<FileReader, WorkbookError> {
    File::open(path).map(BufReader::new).map_err(|e| io_corrupt(path, format, e))
}

/// Opens a workbook of a sniffed format; encrypted workbooks are refused as password-protected.
pub(crate) fn open(path: &Path, format: Format) -> Result<Book, WorkbookError> {
    let password = |format: Format| WorkbookError::Password { path: path.to_path_buf(), format: format.label() };
    match format {
        Format::Xlsx | Format::Xlsm => Ok(Book::Xlsx(Box::new(XlsxBook::open(path, format.label())?))),
        Format::Xlsb => match Xlsb::new(open_file(path, format)?) {
            Ok(book) => Ok(Book::Xlsb(Box::new(book))),
            Err(XlsbError::Password) => Err(password(format)),
            Err(e) => Err(io_corrupt(path, format, e)),
        },
        Format::Ods => match Ods::new(open_file(path, format)?) {
            Ok(book) => Ok(Book::Ods(Box::new(book), std::collections::HashMap::new())),
            Err(OdsError::Password) => Err(password(format)),
            Err(e) => Err(io_corrupt(path, format, e)),
        },
        Format::Xls => match Xls::new(open_file(path, format)?) {
            Ok(book) => Ok(Book::Xls(Box::new(book))),
            Err(XlsError::Password) => Err(password(Format::Xls)),
            Err(xls_error) => {
                // An encrypted xlsx is an OLE file holding an `EncryptedPackage` stream.
                match Xlsx::new(open_file(path, Format::Xlsx)?) {
                    Err(XlsxError::Password) => {
                        let format = if has_extension(path, "xlsm") { Format::Xlsm } else { Format::Xlsx };
                        Err(password(format))
                    }
                    _ if matches!(&xls_error, XlsError::Cfb(e) if e.to_string().starts_with("Cannot find")) => {
                        Err(WorkbookError::NotWorkbook {
                            path: path.to_path_buf(),
                            what: "an Office document that holds no workbook (Word or PowerPoint 97-2003?)".to_owned(),
                        })
                    }
                    _ => Err(io_corrupt(path, Format::Xls, xls_error)),
                }
            }
        },
    }
}

impl Book {
    /// Worksheet names in workbook order with whether each is visible (chart sheets left out).
    pub(crate) fn worksheets(&self) -> Vec<(String, bool)> {
        let sheets = match self {
            Book::Xlsx(b) => {
                return b.sheets.iter().filter(|s| s.worksheet).map(|s| (s.name.clone(), s.visible)).collect()
            }
            Book::Xlsb(b) => b.sheets_metadata().to_vec(),
            Book::Xls(b) => b.sheets_metadata().to_vec(),
            Book::Ods(b, _) => b.sheets_metadata().to_vec(),
        };
        sheets
            .into_iter()
            .filter(|s| matches!(s.typ, calamine::SheetType::WorkSheet))
            .map(|s| (s.name, matches!(s.visible, calamine::SheetVisible::Visible)))
            .collect()
    }
}
