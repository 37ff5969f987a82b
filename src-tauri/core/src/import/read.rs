//! Opening a dropped CSV file and streaming its rows.
//!
//! [`open_csv`] sniffs the file (text or not, encoding, delimiter, header row), checksums it in
//! one streaming pass and checks there is at least one data row. [`CsvSource::records`] then
//! streams [`RawRow`]s through a transcoding reader, so memory stays bounded whatever the size.

use std::{
    fs::File,
    io::Read,
    path::{Path, PathBuf},
};

use encoding_rs::Encoding;
use encoding_rs_io::DecodeReaderBytesBuilder;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    error::import::ImportError,
    import::{
        decode::MixedDecoder,
        scan::{legacy_guess, scan},
        sniff::{self, TextEncoding, SAMPLE_BYTES},
    },
};

/// What [`open_csv`] found out about a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SourceInfo {
    /// The file as given.
    #[ts(type = "string")]
    pub path: PathBuf,
    /// Encoding read: `UTF-8`, `UTF-8 (BOM)`, `UTF-16LE`, `UTF-16BE`, a legacy encoding such as
    /// `windows-1250` (detected by `chardetng`, or given), or `UTF-8 + windows-1250` for a mixed file.
    pub encoding: String,
    /// Things about the file as a whole the user should know (a guessed or mixed encoding).
    pub notices: Vec<String>,
    /// Field delimiter: one of `,` `;` `\t` `|`.
    pub delimiter: char,
    /// 1-based line of the file the header row starts on (greater than 1 after a preamble).
    #[ts(type = "number")]
    pub header_line: u64,
    /// Column names: trimmed, never empty, unique (`Email`, `Email (2)`).
    pub headers: Vec<String>,
    /// File size in bytes.
    #[ts(type = "number")]
    pub size_bytes: u64,
    /// Lower-case hex sha256 of the raw file bytes.
    pub checksum: String,
}

/// Something off about a row's shape (the row is still returned).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "kind")]
#[ts(export)]
pub enum RowIssue {
    /// The row had fewer fields than the header; it was padded with empty strings.
    Padded {
        /// Header width.
        expected: usize,
        /// Fields found.
        found: usize,
    },
    /// The row had more (non-blank) fields than the header; `extra` holds the surplus values.
    ExtraFields {
        /// Header width.
        expected: usize,
        /// Fields found.
        found: usize,
        /// The values past the last header column.
        extra: Vec<String>,
    },
}

/// One data row, exactly as read (not trimmed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RawRow {
    /// 1-based data row number as users count them: the first row after the header is 1.
    /// Blank lines are not counted.
    #[ts(type = "number")]
    pub row: u64,
    /// Exactly one value per header.
    pub fields: Vec<String>,
    /// Shape problem, if any.
    pub issue: Option<RowIssue>,
}

/// An opened, sniffed CSV file, ready to stream.
#[derive(Debug, Clone)]
pub struct CsvSource {
    info: SourceInfo,
    encoding: TextEncoding,
    /// Parser records before the header (preamble), not counting the header itself.
    header_record: u64,
}

/// How to read a file, beyond what sniffing finds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Encoding to use instead of detecting one: a WHATWG label such as `windows-1250`,
    /// `iso-8859-2`, `utf-8` or `utf-16le`.
    pub encoding: Option<String>,
}

/// Opens and sniffs a CSV file; see the [module docs](self).
///
/// Rejects workbooks and other binary files, empty files and files with a header but no data.
pub fn open_csv(path: &Path) -> Result<CsvSource, ImportError> {
    open_csv_with(path, &ReadOptions::default())
}

/// The encoding a user asked for, checked against what the file starts with.
fn given_encoding(label: &str, unicode: Option<TextEncoding>) -> Result<TextEncoding, ImportError> {
    let unknown = || ImportError::Encoding { label: label.to_owned() };
    let encoding = Encoding::for_label_no_replacement(label.trim().as_bytes()).ok_or_else(unknown)?;
    Ok(match (encoding.name(), unicode) {
        ("UTF-8", Some(TextEncoding::Utf8Bom)) => TextEncoding::Utf8Bom,
        ("UTF-8", _) => TextEncoding::Utf8,
        ("UTF-16LE", Some(TextEncoding::Utf16Le { bom })) => TextEncoding::Utf16Le { bom },
        ("UTF-16LE", _) => TextEncoding::Utf16Le { bom: false },
        ("UTF-16BE", Some(TextEncoding::Utf16Be { bom })) => TextEncoding::Utf16Be { bom },
        ("UTF-16BE", _) => TextEncoding::Utf16Be { bom: false },
        _ if encoding == encoding_rs::ISO_2022_JP || encoding == encoding_rs::X_USER_DEFINED => return Err(unknown()),
        _ => TextEncoding::Legacy(encoding),
    })
}

/// Opens and sniffs a CSV file with [`ReadOptions`]; see [`open_csv`].
pub fn open_csv_with(path: &Path, options: &ReadOptions) -> Result<CsvSource, ImportError> {
    let size_bytes = std::fs::metadata(path).map_err(|e| ImportError::io(path, e))?.len();
    if size_bytes == 0 {
        return Err(ImportError::Empty { path: path.to_path_buf() });
    }
    let sample = read_sample(path)?;
    sniff::reject_non_text(path, &sample)?;
    let unicode = sniff::detect_unicode(&sample);
    if !matches!(unicode, Some(TextEncoding::Utf16Le { .. } | TextEncoding::Utf16Be { .. })) {
        sniff::reject_binary(path, &sample)?;
    }
    let given = options.encoding.as_deref().filter(|l| !l.trim().is_empty());
    let encoding = given.map(|label| given_encoding(label, unicode)).transpose()?;
    let skip = encoding.or(unicode).map_or(0, TextEncoding::bom_len);
    let scanned = scan(path, skip)?;
    let mut notices = Vec::new();
    let encoding = match (encoding, unicode) {
        (Some(e), _) => e,
        (None, Some(e)) => e,
        (None, None) if scanned.valid_utf8() => TextEncoding::Utf8,
        (None, None) if scanned.mixed() => {
            let legacy = legacy_guess(path, skip)?;
            notices.push(format!(
                "mixed encodings: {} characters are UTF-8 but {} byte sequences are not; those were read as {} \
                 (detected). Check names with accents, or re-export the file as CSV UTF-8 (or pass --encoding)",
                scanned.utf8_sequences,
                scanned.invalid_sequences,
                legacy.name()
            ));
            TextEncoding::Mixed(legacy)
        }
        (None, None) => {
            let legacy = legacy_guess(path, skip)?;
            notices.push(format!(
                "not UTF-8: read as {} (detected from the text); if names look wrong, pass the right --encoding",
                legacy.name()
            ));
            TextEncoding::Legacy(legacy)
        }
    };
    let text = sniff::decode_sample(encoding, &sample);
    let truncated = (sample.len() as u64) < size_bytes;
    let layout = sniff::sniff_layout(&text, truncated);
    if layout.headers.is_empty() {
        return Err(ImportError::Empty { path: path.to_path_buf() });
    }
    let source = CsvSource {
        info: SourceInfo {
            path: path.to_path_buf(),
            encoding: encoding.label(),
            notices,
            delimiter: char::from(layout.delimiter),
            header_line: layout.header_line,
            headers: layout.headers,
            size_bytes,
            checksum: scanned.checksum,
        },
        encoding,
        header_record: layout.header_record,
    };
    let has_data = layout.has_data_in_sample || (truncated && source.clone().records().next().is_some());
    if !has_data {
        return Err(ImportError::HeaderOnly { path: path.to_path_buf() });
    }
    Ok(source)
}

/// Reads up to [`SAMPLE_BYTES`] from the start of the file.
fn read_sample(path: &Path) -> Result<Vec<u8>, ImportError> {
    let file = File::open(path).map_err(|e| ImportError::io(path, e))?;
    let mut sample = Vec::with_capacity(SAMPLE_BYTES);
    file.take(SAMPLE_BYTES as u64).read_to_end(&mut sample).map_err(|e| ImportError::io(path, e))?;
    Ok(sample)
}

impl CsvSource {
    /// What was detected.
    pub fn info(&self) -> &SourceInfo {
        &self.info
    }

    /// Streams the data rows (header and preamble skipped, blank lines skipped).
    ///
    /// An I/O or parse error is yielded once and ends the stream.
    pub fn records(self) -> Records {
        let state = match File::open(&self.info.path) {
            Ok(file) => {
                let decoder: Box<dyn Read + Send> = match self.encoding {
                    TextEncoding::Mixed(legacy) => {
                        let mut file = file;
                        // Skip a UTF-8 byte-order mark like the other decoders do.
                        let mut bom = [0u8; 3];
                        let start = match file.read_exact(&mut bom) {
                            Ok(()) if bom == [0xEF, 0xBB, 0xBF] => Vec::new(),
                            Ok(()) => bom.to_vec(),
                            Err(_) => Vec::new(),
                        };
                        Box::new(MixedDecoder::new(std::io::Cursor::new(start).chain(file), legacy))
                    }
                    encoding => Box::new(
                        DecodeReaderBytesBuilder::new().encoding(Some(encoding.codec())).strip_bom(true).build(file),
                    ),
                };
                let delimiter = u8::try_from(self.info.delimiter).unwrap_or(b',');
                State::Reading(Box::new(sniff::reader_builder(delimiter).from_reader(decoder)))
            }
            Err(e) => State::Failed(Some(ImportError::io(&self.info.path, e))),
        };
        Records {
            width: self.info.headers.len(),
            path: self.info.path,
            skip: self.header_record + 1,
            row: 0,
            state,
            record: csv::StringRecord::new(),
        }
    }
}

/// Reader state of [`Records`].
enum State {
    Reading(Box<csv::Reader<Box<dyn Read + Send>>>),
    Failed(Option<ImportError>),
}

/// Iterator returned by [`CsvSource::records`].
pub struct Records {
    path: PathBuf,
    width: usize,
    /// Records still to skip (preamble + header).
    skip: u64,
    row: u64,
    state: State,
    record: csv::StringRecord,
}

impl Records {
    /// How far into the decoded text the rows read so far reach, in bytes (for progress: close to
    /// the file's size for UTF-8, about half of it for UTF-16).
    pub fn byte_position(&self) -> u64 {
        match &self.state {
            State::Reading(reader) => reader.position().byte(),
            State::Failed(_) => 0,
        }
    }
}

impl Iterator for Records {
    type Item = Result<RawRow, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        let reader = match &mut self.state {
            State::Reading(reader) => reader,
            State::Failed(error) => return error.take().map(Err),
        };
        loop {
            match reader.read_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => return None,
                Err(e) => {
                    let line = e.position().map_or(0, csv::Position::line);
                    let error = ImportError::Parse { path: self.path.clone(), line, message: e.to_string() };
                    self.state = State::Failed(None);
                    return Some(Err(error));
                }
            }
            if self.skip > 0 {
                self.skip -= 1;
                continue;
            }
            if sniff::is_blank(self.record.iter()) {
                continue;
            }
            self.row += 1;
            return Some(Ok(shape(self.row, self.width, &self.record)));
        }
    }
}

/// Pads or trims a record to the header width, flagging what was done.
fn shape(row: u64, width: usize, record: &csv::StringRecord) -> RawRow {
    let found = record.len();
    let mut fields: Vec<String> = record.iter().take(width).map(str::to_string).collect();
    let issue = if found < width {
        fields.resize(width, String::new());
        Some(RowIssue::Padded { expected: width, found })
    } else if record.iter().skip(width).any(|f| !f.trim().is_empty()) {
        let extra = record.iter().skip(width).map(str::to_string).collect();
        Some(RowIssue::ExtraFields { expected: width, found, extra })
    } else {
        // Only blank values past the header (a trailing delimiter): nothing is lost.
        None
    };
    RawRow { row, fields, issue }
}
