//! An xlsx workbook's shared-strings table (`xl/sharedStrings.xml`: every distinct text of the
//! workbook, cells refer to it by index) kept compact, so a sheet of a million unique e-mails does
//! not push an import over the memory bound the CSV path keeps.
//!
//! calamine holds the table as one `String` per entry (24 bytes of header plus an allocation
//! each); here the texts sit end to end in one buffer with a `u32` end offset per entry. Once the
//! texts pass [`SPILL_BYTES`] they move to an anonymous temporary file (deleted by the OS even if
//! Outpost dies) and are read back with positioned reads through a small cache, so memory stays at
//! four bytes per distinct string whatever their length.

use std::{
    fs::File,
    io::{BufWriter, Write},
};

/// Text kept in memory before the table moves to a temporary file (16 MiB).
pub(crate) const SPILL_BYTES: usize = 16 << 20;

/// Slots of the cache of recently read strings once spilled (repeated values — cities,
/// countries, job titles — are read from memory).
const CACHE_SLOTS: usize = 4096;

/// Where the texts are.
enum Texts {
    /// In one buffer.
    Memory(String),
    /// In a temporary file: being written, then read.
    Spilling(BufWriter<File>),
    Spilled {
        file: File,
        cache: Vec<Option<(u32, String)>>,
    },
}

/// The shared-strings table of one workbook.
pub(crate) struct SharedStrings {
    texts: Texts,
    /// End offset of each entry in the texts (the start is the previous entry's end).
    ends: Vec<u32>,
    /// Bytes written so far.
    len: u64,
    /// Texts above this many bytes go to a temporary file.
    spill_at: usize,
}

/// Why the table could not be built or read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SharedStringsError {
    /// The temporary file failed.
    #[error("temporary file for the shared strings: {0}")]
    Io(#[from] std::io::Error),
    /// Over 4 GiB of distinct text.
    #[error("the shared-strings table is larger than 4 GiB")]
    TooLarge,
    /// A cell names an entry the table does not have.
    #[error("cell refers to shared string {index}, but the table has {count}")]
    Missing {
        /// The index asked for.
        index: usize,
        /// Entries in the table.
        count: usize,
    },
}

impl SharedStrings {
    /// An empty table that spills past `spill_at` bytes of text.
    pub(crate) fn new(spill_at: usize) -> Self {
        SharedStrings { texts: Texts::Memory(String::new()), ends: Vec::new(), len: 0, spill_at }
    }

    /// Room for `n` entries (the table's declared `uniqueCount`, capped so a lying file cannot
    /// reserve gigabytes).
    pub(crate) fn reserve(&mut self, n: usize) {
        self.ends.reserve(n.min(4 << 20));
    }

    /// Number of entries.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the texts have moved to a temporary file.
    #[cfg(test)]
    pub(crate) fn spilled(&self) -> bool {
        !matches!(self.texts, Texts::Memory(_))
    }

    /// Appends the next entry.
    pub(crate) fn push(&mut self, text: &str) -> Result<(), SharedStringsError> {
        let end = self.len + text.len() as u64;
        let end32 = u32::try_from(end).map_err(|_| SharedStringsError::TooLarge)?;
        match &mut self.texts {
            Texts::Memory(buffer) => {
                buffer.push_str(text);
                if buffer.len() > self.spill_at {
                    let mut writer = BufWriter::with_capacity(256 * 1024, tempfile::tempfile()?);
                    writer.write_all(buffer.as_bytes())?;
                    self.texts = Texts::Spilling(writer);
                }
            }
            Texts::Spilling(writer) => writer.write_all(text.as_bytes())?,
            Texts::Spilled { .. } => unreachable_push()?,
        }
        self.ends.push(end32);
        self.len = end;
        Ok(())
    }

    /// Ends writing: the table is read from now on.
    pub(crate) fn finish(&mut self) -> Result<(), SharedStringsError> {
        if let Texts::Spilling(_) = self.texts {
            let Texts::Spilling(writer) = std::mem::replace(&mut self.texts, Texts::Memory(String::new())) else {
                return Ok(());
            };
            let file = writer.into_inner().map_err(|e| e.into_error())?;
            self.texts = Texts::Spilled { file, cache: vec![None; CACHE_SLOTS] };
        }
        self.ends.shrink_to_fit();
        Ok(())
    }

    /// Entry `index`, appended to `out`.
    pub(crate) fn read_into(&mut self, index: usize, out: &mut String) -> Result<(), SharedStringsError> {
        let missing = || SharedStringsError::Missing { index, count: self.ends.len() };
        let end = *self.ends.get(index).ok_or_else(missing)? as usize;
        let start = if index == 0 { 0 } else { self.ends[index - 1] as usize };
        match &mut self.texts {
            Texts::Memory(buffer) => out.push_str(buffer.get(start..end).unwrap_or_default()),
            Texts::Spilling(_) => {
                return Err(SharedStringsError::Io(std::io::Error::other("table still being written")))
            }
            Texts::Spilled { file, cache } => {
                let slot = index % CACHE_SLOTS;
                if let Some((cached, text)) = &cache[slot] {
                    if *cached as usize == index {
                        out.push_str(text);
                        return Ok(());
                    }
                }
                let mut bytes = vec![0_u8; end - start];
                read_at(file, &mut bytes, start as u64)?;
                // Entries were written from `&str`s and split at their own boundaries.
                let text =
                    String::from_utf8(bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
                out.push_str(&text);
                cache[slot] = Some((index as u32, text));
            }
        }
        Ok(())
    }
}

fn unreachable_push() -> Result<(), SharedStringsError> {
    Err(SharedStringsError::Io(std::io::Error::other("the shared-strings table is already complete")))
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(spill_at: usize, texts: &[&str]) -> SharedStrings {
        let mut table = SharedStrings::new(spill_at);
        for text in texts {
            table.push(text).expect("push");
        }
        table.finish().expect("finish");
        table
    }

    fn get(table: &mut SharedStrings, index: usize) -> String {
        let mut out = String::new();
        table.read_into(index, &mut out).expect("read");
        out
    }

    #[test]
    fn entries_read_back_from_memory_and_from_the_spilled_file() {
        let texts = ["ada@example.com", "", "Jürgen Weiß", "+44 20 7946 0958", "日本語"];
        for spill_at in [usize::MAX, 0, 10] {
            let mut table = table(spill_at, &texts);
            assert_eq!(table.spilled(), spill_at != usize::MAX);
            assert_eq!(table.len(), texts.len());
            for (i, text) in texts.iter().enumerate().rev() {
                assert_eq!(get(&mut table, i), *text);
                assert_eq!(get(&mut table, i), *text, "cached");
            }
        }
    }

    #[test]
    fn a_cell_naming_an_entry_past_the_table_is_an_error() {
        let mut table = table(usize::MAX, &["a"]);
        let error = table.read_into(1, &mut String::new()).expect_err("missing");
        assert!(error.to_string().contains("shared string 1, but the table has 1"), "{error}");
    }
}
