//! Sniffing the first bytes of a dropped file: is it text at all, which encoding, which
//! delimiter, and where does the header row start.
//!
//! Only a bounded sample ([`SAMPLE_BYTES`]) is inspected here; the full-file pass (checksum and
//! UTF-8 validation) lives in [`super::scan`].

use std::path::Path;

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use crate::error::import::ImportError;

/// How many leading bytes are sniffed.
pub(crate) const SAMPLE_BYTES: usize = 64 * 1024;

/// Delimiters considered, in tie-break order.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How many records of the sample are looked at to pick the delimiter.
const SNIFF_RECORDS: usize = 200;

/// A text encoding the importer can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextEncoding {
    /// UTF-8 without byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// UTF-16 little endian (Excel's "Unicode Text"); `bom` if it starts with FF FE.
    Utf16Le {
        /// Whether the file starts with a byte-order mark.
        bom: bool,
    },
    /// UTF-16 big endian; `bom` if it starts with FE FF.
    Utf16Be {
        /// Whether the file starts with a byte-order mark.
        bom: bool,
    },
    /// A legacy 8-bit encoding: what Excel writes as plain "CSV" on Windows (windows-1252 in the
    /// West, windows-1250 in Central Europe, windows-1251 for Cyrillic…), detected by `chardetng`
    /// or given by the user.
    Legacy(&'static Encoding),
    /// Mostly UTF-8 with some bytes in a legacy encoding (rows pasted from another file).
    Mixed(&'static Encoding),
}

impl TextEncoding {
    /// The name reported to users.
    pub(crate) fn label(self) -> String {
        match self {
            TextEncoding::Utf8 => "UTF-8".to_owned(),
            TextEncoding::Utf8Bom => "UTF-8 (BOM)".to_owned(),
            TextEncoding::Utf16Le { .. } => "UTF-16LE".to_owned(),
            TextEncoding::Utf16Be { .. } => "UTF-16BE".to_owned(),
            TextEncoding::Legacy(encoding) => encoding.name().to_owned(),
            TextEncoding::Mixed(encoding) => format!("UTF-8 + {}", encoding.name()),
        }
    }

    /// The `encoding_rs` codec.
    pub(crate) fn codec(self) -> &'static Encoding {
        match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom | TextEncoding::Mixed(_) => UTF_8,
            TextEncoding::Utf16Le { .. } => UTF_16LE,
            TextEncoding::Utf16Be { .. } => UTF_16BE,
            TextEncoding::Legacy(encoding) => encoding,
        }
    }

    /// Length of the byte-order mark at the start of the file.
    pub(crate) fn bom_len(self) -> usize {
        match self {
            TextEncoding::Utf8Bom => 3,
            TextEncoding::Utf16Le { bom: true } | TextEncoding::Utf16Be { bom: true } => 2,
            _ => 0,
        }
    }
}

/// Rejects files that are clearly not CSV text, judging by their first bytes.
pub(crate) fn reject_non_text(path: &Path, sample: &[u8]) -> Result<(), ImportError> {
    let path_buf = || path.to_path_buf();
    if sample.starts_with(b"PK\x03\x04") || sample.starts_with(b"PK\x05\x06") {
        return Err(ImportError::Workbook { path: path_buf() });
    }
    if sample.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(ImportError::LegacyWorkbook { path: path_buf() });
    }
    const MAGIC: [(&[u8], &str); 7] = [
        (b"%PDF-", "a PDF document"),
        (&[0x1F, 0x8B], "a gzip archive"),
        (b"\x89PNG", "a PNG image"),
        (&[0xFF, 0xD8, 0xFF], "a JPEG image"),
        (b"SQLite format 3\0", "an SQLite database"),
        (b"\x7FELF", "a program"),
        (b"7z\xBC\xAF", "a 7-Zip archive"),
    ];
    if let Some((_, what)) = MAGIC.iter().find(|(magic, _)| sample.starts_with(magic)) {
        return Err(ImportError::NotText { path: path_buf(), what: (*what).to_string() });
    }
    Ok(())
}

/// Detects a byte-order mark, or UTF-16 without one (every other byte NUL).
pub(crate) fn detect_unicode(sample: &[u8]) -> Option<TextEncoding> {
    if sample.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Some(TextEncoding::Utf8Bom);
    }
    if sample.starts_with(&[0xFF, 0xFE]) {
        return Some(TextEncoding::Utf16Le { bom: true });
    }
    if sample.starts_with(&[0xFE, 0xFF]) {
        return Some(TextEncoding::Utf16Be { bom: true });
    }
    let pairs = sample.len().min(4096) / 2;
    if pairs < 2 {
        return None;
    }
    let (mut even_nul, mut odd_nul) = (0, 0);
    for pair in sample[..pairs * 2].chunks_exact(2) {
        even_nul += usize::from(pair[0] == 0);
        odd_nul += usize::from(pair[1] == 0);
    }
    // Mostly-ASCII UTF-16 has a NUL in (nearly) every pair, always on the same side.
    if odd_nul * 10 >= pairs * 7 && even_nul * 20 <= pairs {
        Some(TextEncoding::Utf16Le { bom: false })
    } else if even_nul * 10 >= pairs * 7 && odd_nul * 20 <= pairs {
        Some(TextEncoding::Utf16Be { bom: false })
    } else {
        None
    }
}

/// Rejects 8-bit samples with many NULs or control bytes (binary data). Not for UTF-16.
pub(crate) fn reject_binary(path: &Path, sample: &[u8]) -> Result<(), ImportError> {
    let nul = sample.iter().filter(|&&b| b == 0).count();
    let control = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A)) || b == 0x7F)
        .count();
    // A stray NUL or control byte happens in real exports; binary data is full of them.
    if nul * 100 > sample.len() || control * 20 > sample.len() {
        return Err(ImportError::NotText { path: path.to_path_buf(), what: "binary data".to_string() });
    }
    Ok(())
}

/// Decodes the sample (without its BOM) to UTF-8 text for layout sniffing.
pub(crate) fn decode_sample(encoding: TextEncoding, sample: &[u8]) -> String {
    let body = sample.get(encoding.bom_len()..).unwrap_or_default();
    if let TextEncoding::Mixed(legacy) = encoding {
        let mut text = String::with_capacity(body.len());
        super::decode::decode_mixed(body, legacy, true, &mut text);
        return text;
    }
    let (text, _) = encoding.codec().decode_without_bom_handling(body);
    text.into_owned()
}

/// Where the table starts in the decoded text and how it is delimited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    /// Field delimiter.
    pub delimiter: u8,
    /// Index of the header among all records the CSV parser yields (preamble records before it).
    pub header_record: u64,
    /// 1-based physical line the header starts on.
    pub header_line: u64,
    /// Header names, trimmed and made unique.
    pub headers: Vec<String>,
    /// Whether the sample holds at least one non-blank record after the header.
    pub has_data_in_sample: bool,
}

/// One record of the sample: its index among parser records, start byte and fields.
struct SampleRecord {
    index: u64,
    byte: u64,
    fields: Vec<String>,
}

/// Builds the CSV reader configuration shared by sniffing and streaming, so both count records
/// the same way.
pub(crate) fn reader_builder(delimiter: u8) -> csv::ReaderBuilder {
    let mut builder = csv::ReaderBuilder::new();
    builder.delimiter(delimiter).has_headers(false).flexible(true);
    builder
}

/// True for records that carry no data at all (blank lines, or only delimiters and spaces).
pub(crate) fn is_blank<'a>(mut fields: impl Iterator<Item = &'a str>) -> bool {
    fields.all(|f| f.trim().is_empty())
}

/// Parses the sample with `delimiter`, dropping blank records and, if `truncated`, the last
/// (possibly cut) record.
fn sample_records(text: &str, delimiter: u8, truncated: bool) -> Vec<SampleRecord> {
    let mut reader = reader_builder(delimiter).from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut record = csv::ByteRecord::new();
    let mut index = 0;
    while let Ok(true) = reader.read_byte_record(&mut record) {
        let fields: Vec<String> = record.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect();
        let byte = record.position().map_or(0, csv::Position::byte);
        if !is_blank(fields.iter().map(String::as_str)) {
            out.push(SampleRecord { index, byte, fields });
        }
        index += 1;
        if out.len() > SNIFF_RECORDS {
            return out;
        }
    }
    // The last record of a cut sample may itself be cut; keep it if it is all there is (the
    // header), as the caller then looks past the sample for data.
    if truncated && out.len() > 1 {
        out.pop();
    }
    out
}

/// A delimiter under consideration by [`sniff_layout`].
struct Candidate {
    /// (share of records with the modal width in permille, how many, the modal width).
    score: (u64, usize, usize),
    delimiter: u8,
    records: Vec<SampleRecord>,
    modal: usize,
}

/// Picks the delimiter and header row of a decoded sample.
///
/// For every candidate delimiter the sample is parsed quote-aware; the modal field count `k`
/// (among records with at least two fields) and the share of records having exactly `k` fields
/// score the candidate. The header is the first record with at least half of `k` fields, which
/// skips preamble lines such as LinkedIn's "Notes:" block.
pub(crate) fn sniff_layout(text: &str, truncated: bool) -> Layout {
    let mut best: Option<Candidate> = None;
    let directed = sep_directive(text);
    for delimiter in DELIMITERS.into_iter().filter(|d| directed.is_none_or(|given| given == *d)) {
        let records = sample_records(text, delimiter, truncated);
        let modal = modal_width(&records);
        let matches = records.iter().filter(|r| r.fields.len() == modal).count();
        let share = if records.is_empty() || modal < 2 { 0 } else { (matches as u64 * 1000) / records.len() as u64 };
        let score = (share, matches, modal);
        if best.as_ref().is_none_or(|b| score > b.score) {
            best = Some(Candidate { score, delimiter, records, modal });
        }
    }
    let Some(Candidate { delimiter, records, modal, .. }) = best else {
        return Layout {
            delimiter: b',',
            header_record: 0,
            header_line: 1,
            headers: Vec::new(),
            has_data_in_sample: false,
        };
    };
    // Widths without trailing blank fields decide where the header starts: a row written with a
    // trailing delimiter (`a@x.com,`) under a one-column header is still data, not the header.
    let effective =
        modal_width_by(&records, |r| r.fields.iter().rposition(|f| !f.trim().is_empty()).map_or(0, |i| i + 1));
    let modal = modal.min(effective.max(1));
    let min_width = if modal >= 2 { modal.div_ceil(2).max(2) } else { 1 };
    let position =
        records.iter().position(|r| r.fields.len() >= min_width && !(directed.is_some() && r.index == 0)).unwrap_or(0);
    let (header_record, header_line, headers) = match records.get(position) {
        Some(r) => (r.index, line_of(text, r.byte), unique_headers(&r.fields)),
        None => (0, 1, Vec::new()),
    };
    Layout { delimiter, header_record, header_line, headers, has_data_in_sample: records.len() > position + 1 }
}

/// The delimiter an Excel `sep=;` first line names (Excel writes and honours it), if the text
/// starts with one: that line is then no record of the file.
fn sep_directive(text: &str) -> Option<u8> {
    // Only spaces are trimmed: `sep=` followed by a tab names the tab.
    let first = text.trim_start_matches('\u{feff}').lines().next()?.trim_matches(' ');
    let rest = first.get(..4).filter(|p| p.eq_ignore_ascii_case("sep="))?;
    let delimiter = first.get(rest.len()..)?.trim_matches('"');
    match delimiter.as_bytes() {
        [byte] if DELIMITERS.contains(byte) => Some(*byte),
        _ => None,
    }
}

/// Most frequent field count among records with two or more fields (ties: the wider one).
fn modal_width(records: &[SampleRecord]) -> usize {
    modal_width_by(records, |r| r.fields.len())
}

/// Most frequent `width` among records where it is two or more (ties: the wider one); 1 if none.
fn modal_width_by(records: &[SampleRecord], width: impl Fn(&SampleRecord) -> usize) -> usize {
    let mut counts = std::collections::BTreeMap::<usize, usize>::new();
    for w in records.iter().map(width).filter(|w| *w >= 2) {
        *counts.entry(w).or_default() += 1;
    }
    counts.into_iter().max_by_key(|&(width, n)| (n, width)).map_or(1, |(width, _)| width)
}

/// 1-based line number of the record starting at byte offset `byte`, counting CRLF, CR and LF as
/// one line break each. The parser reports a record as starting before the blank lines it
/// skipped, so line breaks right at `byte` are counted too (a record never starts with one).
fn line_of(text: &str, byte: u64) -> u64 {
    let mut end = usize::try_from(byte).unwrap_or(usize::MAX).min(text.len());
    while matches!(text.as_bytes().get(end), Some(b'\r' | b'\n')) {
        end += 1;
    }
    let bytes = &text.as_bytes()[..end];
    let mut lines = 1;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => lines += 1,
            b'\r' => {
                lines += 1;
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    lines
}

/// Trims header names (whitespace and stray BOMs), names empty ones `Column N` and suffixes
/// duplicates `Name (2)`, `Name (3)`… so no column is ever overwritten by another.
pub(crate) fn unique_headers(raw: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(raw.len());
    for (i, name) in raw.iter().enumerate() {
        let trimmed = name.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        let base = if trimmed.is_empty() { format!("Column {}", i + 1) } else { trimmed.to_string() };
        let mut candidate = base.clone();
        let mut n = 2;
        while out.contains(&candidate) {
            candidate = format!("{base} ({n})");
            n += 1;
        }
        out.push(candidate);
    }
    out
}
