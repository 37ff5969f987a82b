//! A bound on how much of a workbook's XML may pass without markup. The XML reader holds one whole
//! text node in memory (and the string reader copies it twice more), so a 1.5 MB xlsx whose
//! shared-strings part inflates to one 1.5 GB string took 4.6 GB of memory to refuse. No workbook
//! Excel, LibreOffice or Google Sheets writes needs more than a fraction of [`MAX_RUN`] between two
//! tags: a cell holds at most 32,767 characters, about 200 KB even with every character escaped.

use std::io::{self, Read};

/// Longest stretch of bytes accepted between two `<`/`>` (4 MiB).
pub(crate) const MAX_RUN: usize = 4 << 20;

/// Reads `inner`, failing once more than [`MAX_RUN`] bytes pass without a `<` or `>`.
pub(crate) struct MarkupRuns<R> {
    inner: R,
    /// Bytes since the last `<` or `>`.
    run: usize,
}

impl<R> MarkupRuns<R> {
    pub(crate) fn new(inner: R) -> Self {
        MarkupRuns { inner, run: 0 }
    }
}

fn is_markup(byte: &u8) -> bool {
    *byte == b'<' || *byte == b'>'
}

impl<R: Read> Read for MarkupRuns<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let chunk = &buf[..n];
        let (first, last) = (chunk.iter().position(is_markup), chunk.iter().rposition(is_markup));
        let longest = match (first, last) {
            (Some(first), Some(last)) => {
                // Inside the chunk, between its first and last markup.
                let inner = chunk[first..=last].split(is_markup).map(<[u8]>::len).max().unwrap_or(0);
                let before = self.run + first;
                self.run = n - last - 1;
                before.max(inner)
            }
            _ => {
                self.run += n;
                self.run
            }
        };
        if longest.max(self.run) > MAX_RUN {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "more than {} MiB of text with no markup: no spreadsheet application writes that (a cell holds \
                     at most 32,767 characters); the file may be built to exhaust memory",
                    MAX_RUN >> 20
                ),
            ));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads everything through a [`MarkupRuns`] in chunks of `chunk` bytes.
    fn read_all(data: &[u8], chunk: usize) -> io::Result<usize> {
        let mut reader = MarkupRuns::new(data);
        let mut buf = vec![0; chunk];
        let mut total = 0;
        loop {
            match reader.read(&mut buf)? {
                0 => return Ok(total),
                n => total += n,
            }
        }
    }

    #[test]
    fn a_text_node_longer_than_the_bound_is_refused_whatever_the_chunking() {
        let mut bomb = b"<sst><si><t>".to_vec();
        bomb.extend(std::iter::repeat_n(b'a', MAX_RUN + 1));
        bomb.extend(b"</t></si></sst>");
        for chunk in [7, 4096, 65536, 1 << 20, MAX_RUN + 64] {
            let error = read_all(&bomb, chunk).expect_err("refused");
            assert_eq!(error.kind(), io::ErrorKind::InvalidData, "chunk {chunk}");
            assert!(error.to_string().contains("32,767"), "{error}");
        }
    }

    #[test]
    fn the_longest_cell_excel_allows_fully_escaped_and_many_cells_pass() {
        let cell = "&quot;".repeat(32_767);
        let mut xml = String::from("<sheetData>");
        for _ in 0..40 {
            xml.push_str(&format!("<c><is><t>{cell}</t></is></c>\n"));
        }
        xml.push_str("</sheetData>");
        for chunk in [7, 65536, 1 << 20] {
            assert_eq!(read_all(xml.as_bytes(), chunk).ok(), Some(xml.len()), "chunk {chunk}");
        }
    }
}
