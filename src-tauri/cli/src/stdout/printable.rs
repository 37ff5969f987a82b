//! Record text made harmless for a terminal. Names, notes and subjects reach the CLI from files,
//! peers and other apps; printed raw, an escape sequence in a contact's name could recolour the
//! terminal, retitle its window or hide the rest of a line, and a bidirectional override could
//! show text in another order than it is stored. The layout's own newlines and tabs stay; every
//! other control character is shown, never obeyed.

use std::borrow::Cow;

/// True for the characters a terminal may act on rather than show: C0 controls (ESC, BEL, CR,
/// backspace…) other than newline and tab, DEL, C1 controls (U+0080–U+009F, which some terminals
/// read as CSI/OSC) and the bidirectional embeddings, overrides and isolates.
fn acts_on_terminal(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The visible stand-in for such a character. C0 controls (never raw in JSON: serde escapes
/// them) become their Unicode control pictures (`␛` for ESC). DEL, C1 and the bidirectional
/// controls, which JSON output may hold raw inside a string, become a JSON escape (`\u202e`):
/// the document a program parses is unchanged, and a person reads which character it was.
fn shown(c: char, out: &mut String) {
    match c {
        '\0'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')),
        _ => out.push_str(&format!("\\u{:04x}", c as u32)),
    }
}

/// Any output line, human or JSON: newlines and tabs kept (they are the layout, or JSON's own
/// whitespace), every other control shown instead of obeyed.
pub(crate) fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if acts_on_terminal(c) {
            shown(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One table cell: as [`terminal_safe`], and a newline or tab inside a value becomes a space, so
/// a value can neither break the column alignment nor forge a row of its own.
pub(crate) fn cell(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| acts_on_terminal(c) || c == '\n' || c == '\t') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(' '),
            c if acts_on_terminal(c) => shown(c, &mut out),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "Eve\u{1b}[2J\u{1b}]0;owned\u{7}\r\u{8}\u{7f}\u{9b}31m\u{202e}cba";

    #[test]
    fn an_escape_sequence_in_a_value_is_shown_not_obeyed() {
        let out = terminal_safe(HOSTILE);
        assert!(!out.chars().any(acts_on_terminal), "{out:?}");
        assert_eq!(out, "Eve␛[2J␛]0;owned␇␍␈\\u007f\\u009b31m\\u202ecba");
    }

    #[test]
    fn layout_newlines_and_tabs_stay_in_a_line_but_not_in_a_cell() {
        assert!(matches!(terminal_safe("a\n\tb"), Cow::Borrowed("a\n\tb")));
        assert_eq!(cell("Ann\nFake\trow"), "Ann Fake row");
        assert!(matches!(cell("Ann Archer"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_made_terminal_safe_parses_back_to_the_stored_text() -> serde_json::Result<()> {
        for stored in [
            serde_json::to_string(&serde_json::json!({ "name": HOSTILE }))?,
            serde_json::to_string_pretty(&serde_json::json!([{ "name": HOSTILE }]))?,
        ] {
            let printed = terminal_safe(&stored);
            assert!(!printed.chars().any(|c| acts_on_terminal(c) || c == '\r'), "{printed}");
            let back: serde_json::Value = serde_json::from_str(&printed)?;
            assert_eq!(back, serde_json::from_str::<serde_json::Value>(&stored)?);
        }
        Ok(())
    }

    #[test]
    fn ordinary_text_in_any_script_passes_through_untouched() {
        for text in ["Zoë Ångström", "محمد", "שלום", "李小龍", "emoji 🎉", ""] {
            assert!(matches!(terminal_safe(text), Cow::Borrowed(_)), "{text}");
            assert!(matches!(cell(text), Cow::Borrowed(_)), "{text}");
        }
    }
}
