//! The bytes of an `.ics` file as text: UTF-8 (RFC 5545's charset), UTF-16 with a byte-order
//! mark, or — for old exporters writing their code page — windows-1252.
//!
//! RFC 5545 folds lines at 75 octets and says a fold SHOULD NOT split a multi-octet character, but
//! exporters that count bytes (Outlook, many web apps) do split them: the bytes of one `é` end up
//! either side of `CRLF SPACE`. Such a file is UTF-8 once unfolded, yet not valid UTF-8 as it
//! stands, and read as windows-1252 every non-ASCII letter in it would be garbled. The
//! continuation bytes are moved back before the line break, so the line count is unchanged (the
//! reader reports problems by line) and unfolding gives the text the exporter meant.

/// Whether `byte` continues a multi-byte UTF-8 character.
fn is_continuation(byte: u8) -> bool {
    byte & 0b1100_0000 == 0b1000_0000
}

/// `bytes` with every fold (`CRLF`, `LF` or `CR`, then a space or tab) that splits a UTF-8
/// character moved after the character's last byte; `None` when no fold splits one.
fn mend_split_characters(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut mended = false;
    let mut i = 0;
    while i < bytes.len() {
        let break_len = match (bytes[i], bytes.get(i + 1)) {
            (b'\r', Some(b'\n')) => 2,
            (b'\r' | b'\n', _) => 1,
            _ => 0,
        };
        let after = i + break_len;
        let folds = break_len > 0 && matches!(bytes.get(after), Some(b' ' | b'\t'));
        if folds && out.last().is_some_and(|b: &u8| *b >= 0x80) {
            let moved = bytes[after + 1..].iter().take_while(|b| is_continuation(**b)).count();
            if moved > 0 {
                out.extend_from_slice(&bytes[after + 1..after + 1 + moved]);
                out.extend_from_slice(&bytes[i..=after]);
                i = after + 1 + moved;
                mended = true;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    mended.then_some(out)
}

/// The text of an `.ics` file. Whether it is iCalendar at all is decided by the reader.
pub fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_with_bom_removal(bytes).0.into_owned();
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_owned();
    }
    if let Some(text) = mend_split_characters(bytes).and_then(|mended| String::from_utf8(mended).ok()) {
        return text;
    }
    encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fold_that_splits_a_utf8_character_does_not_garble_the_file() {
        // "Café Zürich" folded by a byte-counting exporter inside the 'é' (C3 A9) and the 'ü'
        // (C3 BC), with CRLF and LF-only line ends.
        let mut bytes = b"BEGIN:VCALENDAR\r\nSUMMARY:Caf\xC3\r\n \xA9 Z\xC3\n\t\xBCrich\r\nEND:VCALENDAR\r\n".to_vec();
        let text = decode(&bytes);
        assert_eq!(text, "BEGIN:VCALENDAR\r\nSUMMARY:Café\r\n  Zü\n\trich\r\nEND:VCALENDAR\r\n");
        assert_eq!(text.lines().count(), 5, "the line count is kept, so reported lines stay right");
        // A file that really is windows-1252 is still read as such.
        bytes = b"BEGIN:VCALENDAR\r\nSUMMARY:Caf\xE9\r\nEND:VCALENDAR\r\n".to_vec();
        assert_eq!(decode(&bytes), "BEGIN:VCALENDAR\r\nSUMMARY:Café\r\nEND:VCALENDAR\r\n");
        // A split character whose bytes cannot be mended into UTF-8 falls back to windows-1252.
        bytes = b"SUMMARY:\xC3\r\n \x41\xE9".to_vec();
        assert_eq!(decode(&bytes), "SUMMARY:Ã\r\n Aé");
    }
}
