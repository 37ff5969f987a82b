//! One streaming pass over the whole raw file: sha256 checksum and "is this all valid UTF-8?".
//!
//! Deciding UTF-8 vs windows-1252 on the whole file (not just the sniffed sample) means a
//! stray "Müller" written by Excel in row 90 000 still decodes correctly. Memory stays bounded:
//! the file is read in fixed-size chunks.

use std::{fs::File, io::Read, path::Path};

use sha2::{Digest, Sha256};

use super::ImportError;

/// Result of [`scan`].
pub(crate) struct Scan {
    /// Lower-case hex sha256 of the raw bytes.
    pub checksum: String,
    /// Whether every byte after `skip` forms valid UTF-8.
    pub valid_utf8: bool,
}

/// Reads `path` once, hashing every byte and validating UTF-8 from byte `skip` on.
pub(crate) fn scan(path: &Path, skip: usize) -> Result<Scan, ImportError> {
    let mut file = File::open(path).map_err(|e| ImportError::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut validator = Utf8Stream::default();
    let mut offset = 0usize;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ImportError::io(path, e)),
        };
        let chunk = &buf[..n];
        hasher.update(chunk);
        let from = skip.saturating_sub(offset).min(n);
        validator.feed(&chunk[from..]);
        offset = offset.saturating_add(n);
    }
    let checksum = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok(Scan { checksum, valid_utf8: validator.finish() })
}

/// Incremental UTF-8 validation across chunk boundaries.
#[derive(Default)]
struct Utf8Stream {
    /// Bytes of a character cut by the chunk boundary (at most 3).
    pending: Vec<u8>,
    invalid: bool,
}

impl Utf8Stream {
    fn feed(&mut self, chunk: &[u8]) {
        if self.invalid || chunk.is_empty() {
            return;
        }
        let mut rest = chunk;
        if !self.pending.is_empty() {
            // Complete the cut character with up to 3 bytes of the new chunk.
            let take = rest.len().min(4usize.saturating_sub(self.pending.len()));
            self.pending.extend_from_slice(&rest[..take]);
            match std::str::from_utf8(&self.pending) {
                Ok(_) => rest = &rest[take..],
                Err(e) if e.valid_up_to() > 0 => {
                    let used = e.valid_up_to() - (self.pending.len() - take);
                    rest = &rest[used..];
                }
                Err(e) if e.error_len().is_none() => {
                    // Still incomplete: the chunk was tiny; keep waiting.
                    rest = &rest[take..];
                    if rest.is_empty() {
                        return;
                    }
                    self.invalid = true;
                    return;
                }
                Err(_) => {
                    self.invalid = true;
                    return;
                }
            }
            self.pending.clear();
        }
        match std::str::from_utf8(rest) {
            Ok(_) => {}
            Err(e) if e.error_len().is_none() => self.pending.extend_from_slice(&rest[e.valid_up_to()..]),
            Err(_) => self.invalid = true,
        }
    }

    fn finish(self) -> bool {
        !self.invalid && self.pending.is_empty()
    }
}
