//! Reading a file that mixes UTF-8 with a legacy 8-bit encoding (rows pasted from an old
//! windows-1250 or windows-1252 spreadsheet into a UTF-8 export): valid UTF-8 passes through and
//! only the bytes that are not UTF-8 are decoded with the legacy encoding, so both halves come out
//! right. Streams with bounded memory like the other transcoding readers.

use std::io::{self, Read};

use encoding_rs::Encoding;

/// Decodes a byte slice the mixed way: UTF-8 where it is valid, `legacy` elsewhere. `at_end`
/// says whether a character cut at the end of `bytes` is final (decoded as legacy) or will be
/// completed by the next slice (then left undecoded; the count of bytes consumed says so).
pub(crate) fn decode_mixed(bytes: &[u8], legacy: &'static Encoding, at_end: bool, out: &mut String) -> usize {
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                out.push_str(text);
                return bytes.len();
            }
            Err(e) => {
                let (valid, tail) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                let bad = match e.error_len() {
                    Some(len) => len,
                    None if at_end => tail.len(),
                    None => return bytes.len() - tail.len(),
                };
                let (decoded, _) = legacy.decode_without_bom_handling(&tail[..bad]);
                out.push_str(&decoded);
                rest = &tail[bad..];
            }
        }
    }
}

/// A [`Read`] adapter applying [`decode_mixed`] to a byte stream.
pub(crate) struct MixedDecoder<R> {
    inner: R,
    legacy: &'static Encoding,
    /// Undecoded bytes (a character cut by a read boundary).
    carry: Vec<u8>,
    /// Decoded UTF-8 not yet handed out.
    decoded: Vec<u8>,
    position: usize,
    done: bool,
}

impl<R: Read> MixedDecoder<R> {
    /// Wraps `inner`, decoding non-UTF-8 bytes with `legacy`.
    pub(crate) fn new(inner: R, legacy: &'static Encoding) -> Self {
        Self { inner, legacy, carry: Vec::new(), decoded: Vec::new(), position: 0, done: false }
    }

    fn refill(&mut self) -> io::Result<()> {
        let mut buf = vec![0u8; 64 * 1024];
        let n = loop {
            match self.inner.read(&mut buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        self.done = n == 0;
        self.carry.extend_from_slice(&buf[..n]);
        let mut text = String::with_capacity(self.carry.len() + 16);
        let used = decode_mixed(&self.carry, self.legacy, self.done, &mut text);
        self.carry.drain(..used);
        self.decoded = text.into_bytes();
        self.position = 0;
        Ok(())
    }
}

impl<R: Read> Read for MixedDecoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.position == self.decoded.len() {
            if self.done {
                return Ok(0);
            }
            self.refill()?;
        }
        let n = buf.len().min(self.decoded.len() - self.position);
        buf[..n].copy_from_slice(&self.decoded[self.position..self.position + n]);
        self.position += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use encoding_rs::WINDOWS_1250;

    use super::MixedDecoder;

    /// A reader handing out one byte per call, to cut every character.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((byte, rest)), Some(slot)) => {
                    *slot = *byte;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn utf8_and_windows_1250_rows_both_decode_right() {
        let mut bytes = "Zoë Müller;zoe@example.com\n".as_bytes().to_vec();
        bytes.extend_from_slice(b"Pawe\xb3 \xa3\xf3d\x9f;pawel@example.pl\n");
        let mut text = String::new();
        MixedDecoder::new(Trickle(&bytes), WINDOWS_1250).read_to_string(&mut text).expect("decode");
        assert_eq!(text, "Zoë Müller;zoe@example.com\nPaweł Łódź;pawel@example.pl\n");
    }
}
