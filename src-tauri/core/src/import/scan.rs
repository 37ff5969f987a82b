//! Streaming passes over the whole raw file: sha256 checksum and how much of it is UTF-8 (one
//! pass, every file), and a legacy-encoding guess from `chardetng` (a second pass, only for a file
//! that turned out not to be UTF-8).
//!
//! Deciding the encoding on the whole file (not just the sniffed sample) means a stray "Müller"
//! written by Excel in row 90 000 still decodes correctly, and a file that is mostly UTF-8 with a
//! few rows pasted from a windows-1250 spreadsheet is recognised as *mixed*. The guess is only
//! read for such files, so the detector runs only for them: fed every non-ASCII chunk of a
//! UTF-8 file with accented names it cost about 7 % of a CSV import (BENCHMARKS.md, issue 16).
//! Memory stays bounded: the file is read in fixed-size chunks.

use std::{fs::File, io::Read, path::Path};

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::Encoding;
use sha2::{Digest, Sha256};

use crate::error::import::ImportError;

/// Bytes read at a time.
const CHUNK_BYTES: usize = 256 * 1024;

/// Result of [`scan`].
pub(crate) struct Scan {
    /// Lower-case hex sha256 of the raw bytes.
    pub checksum: String,
    /// Multi-byte characters that are valid UTF-8.
    pub utf8_sequences: u64,
    /// Byte sequences that are not UTF-8.
    pub invalid_sequences: u64,
}

impl Scan {
    /// Every byte after the skipped prefix is UTF-8.
    pub fn valid_utf8(&self) -> bool {
        self.invalid_sequences == 0
    }

    /// Both real UTF-8 characters and bytes that are not UTF-8: two encodings in one file. A
    /// legacy file only matches UTF-8 by chance now and then, so it takes a fair share of real
    /// UTF-8 characters to call a file mixed.
    pub fn mixed(&self) -> bool {
        self.invalid_sequences > 0 && self.utf8_sequences >= 2 && self.utf8_sequences * 4 >= self.invalid_sequences
    }
}

/// Reads `path` once, hashing every byte and classifying bytes from `skip` on.
pub(crate) fn scan(path: &Path, skip: usize) -> Result<Scan, ImportError> {
    let mut hasher = Sha256::new();
    let mut counter = Utf8Counter::default();
    each_chunk(path, skip, |whole, classified| {
        hasher.update(whole);
        counter.feed(classified);
    })?;
    let checksum = hex(&hasher.finalize());
    let (utf8_sequences, invalid_sequences) = counter.finish();
    Ok(Scan { checksum, utf8_sequences, invalid_sequences })
}

/// The lower-case hex sha256 of `path` (a workbook's: its bytes are not text to classify).
pub(crate) fn checksum(path: &Path) -> Result<String, ImportError> {
    let mut hasher = Sha256::new();
    each_chunk(path, 0, |whole, _| hasher.update(whole))?;
    Ok(hex(&hasher.finalize()))
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// `chardetng`'s guess among legacy (non-UTF-8) encodings for the bytes of `path` from `skip`
/// on: a pass of its own, for files [`scan`] found not to be UTF-8.
pub(crate) fn legacy_guess(path: &Path, skip: usize) -> Result<&'static Encoding, ImportError> {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    each_chunk(path, skip, |_, classified| {
        // Pure-ASCII stretches tell the detector nothing it needs: only chunks with other bytes
        // are fed.
        if !classified.is_ascii() {
            detector.feed(classified, false);
        }
    })?;
    detector.feed(&[], true);
    Ok(detector.guess(None, Utf8Detection::Deny))
}

/// Calls `visit` with each chunk of `path` and its part from byte `skip` of the file on.
fn each_chunk(path: &Path, skip: usize, mut visit: impl FnMut(&[u8], &[u8])) -> Result<(), ImportError> {
    let mut file = File::open(path).map_err(|e| ImportError::io(path, e))?;
    let mut buf = vec![0u8; CHUNK_BYTES];
    let mut offset = 0usize;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ImportError::io(path, e)),
        };
        let chunk = &buf[..n];
        let from = skip.saturating_sub(offset).min(n);
        visit(chunk, &chunk[from..]);
        offset = offset.saturating_add(n);
    }
}

/// Counts valid multi-byte UTF-8 characters and invalid sequences across chunk boundaries.
#[derive(Default)]
struct Utf8Counter {
    /// Bytes of a character cut by the chunk boundary (at most 3).
    pending: Vec<u8>,
    valid: u64,
    invalid: u64,
}

impl Utf8Counter {
    fn feed(&mut self, chunk: &[u8]) {
        let joined;
        let mut rest: &[u8] = if self.pending.is_empty() {
            chunk
        } else {
            joined = [std::mem::take(&mut self.pending).as_slice(), chunk].concat();
            &joined
        };
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => {
                    self.valid += lead_bytes(text.as_bytes());
                    return;
                }
                Err(e) => {
                    self.valid += lead_bytes(&rest[..e.valid_up_to()]);
                    match e.error_len() {
                        Some(len) => {
                            self.invalid += 1;
                            rest = &rest[e.valid_up_to() + len..];
                        }
                        None => {
                            self.pending = rest[e.valid_up_to()..].to_vec();
                            return;
                        }
                    }
                }
            }
        }
    }

    /// (valid multi-byte characters, invalid sequences); a character cut by the end of the file
    /// is invalid.
    fn finish(self) -> (u64, u64) {
        (self.valid, self.invalid + u64::from(!self.pending.is_empty()))
    }
}

/// Multi-byte characters in valid UTF-8: one lead byte (`11xxxxxx`) each.
fn lead_bytes(valid: &[u8]) -> u64 {
    valid.iter().filter(|&&b| b >= 0xC0).count() as u64
}

#[cfg(test)]
mod tests {
    use super::Utf8Counter;

    #[test]
    fn characters_cut_by_chunk_boundaries_still_count_as_valid() {
        let text = "Paweł Żółć".as_bytes();
        for cut in 0..text.len() {
            let mut counter = Utf8Counter::default();
            counter.feed(&text[..cut]);
            counter.feed(&text[cut..]);
            assert_eq!(counter.finish(), (5, 0), "cut at {cut}");
        }
    }

    #[test]
    fn legacy_bytes_count_as_invalid() {
        let mut counter = Utf8Counter::default();
        counter.feed(b"Pawe\xb3 \xa3\xf3d\x9f");
        assert_eq!(counter.finish(), (0, 4));
    }
}
