//! Whether an Excel number format shows a date, a duration or a plain number: an xlsx stores a
//! date as a serial number and only its cell format says it is one. The rules are calamine's
//! (`formats.rs`, MIT), which are openpyxl's: a `d m y h s` outside quotes, escapes and brackets
//! makes a date; `[h]`, `[mm]`, `[ss]` make a duration; only the first section counts.

/// How a number format presents a number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum DateKind {
    /// A plain number.
    #[default]
    Number,
    /// A date and/or a time of day.
    DateTime,
    /// Elapsed time (`[h]:mm:ss`).
    Duration,
}

impl DateKind {
    /// The kind of built-in format `id` (ECMA-376 18.8.30; 27–36 and 50–58 are East Asian dates).
    pub(crate) fn builtin(id: u32) -> DateKind {
        match id {
            14..=22 | 27..=36 | 45 | 47 | 50..=58 => DateKind::DateTime,
            46 => DateKind::Duration,
            _ => DateKind::Number,
        }
    }

    /// The kind of a custom format code.
    pub(crate) fn of_code(code: &str) -> DateKind {
        let (mut escaped, mut quoted, mut brackets) = (false, false, 0_u8);
        let (mut prev, mut hms, mut am_pm) = (' ', false, false);
        for c in code.chars() {
            match c {
                _ if escaped => escaped = false,
                // `\` escapes, `_` skips a width, `*` fills: the next character is a literal.
                '_' | '\\' | '*' => escaped = true,
                '"' if quoted => quoted = false,
                _ if quoted => {}
                '"' => quoted = true,
                ';' => return DateKind::Number,
                '[' => brackets = brackets.saturating_add(1),
                ']' if brackets == 1 && hms => return DateKind::Duration,
                ']' => brackets = brackets.saturating_sub(1),
                'a' | 'A' if !am_pm && brackets == 0 => am_pm = true,
                'p' | 'm' | '/' | 'P' | 'M' if am_pm && brackets == 0 => return DateKind::DateTime,
                'd' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S' if !am_pm && brackets == 0 => {
                    return DateKind::DateTime
                }
                _ => {
                    if !(hms && c.eq_ignore_ascii_case(&prev)) {
                        hms = prev == '[' && matches!(c, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                    }
                }
            }
            prev = c;
        }
        DateKind::Number
    }
}

#[cfg(test)]
mod tests {
    use super::DateKind;

    #[test]
    fn dates_durations_and_numbers_are_told_apart_by_their_format_code() {
        for code in ["DD/MM/YY", "H:MM:SS;@", "yyyy-mm-dd", "[$-409]mmmm d, yyyy", "h:mm AM/PM", "m/d/yy h:mm"] {
            assert_eq!(DateKind::of_code(code), DateKind::DateTime, "{code}");
        }
        for code in ["[h]:mm:ss", "[mm]:ss", "[hh]:mm"] {
            assert_eq!(DateKind::of_code(code), DateKind::Duration, "{code}");
        }
        for code in
            ["0.00", "#,##0\\ [$\\u20bd-46D]", "\"Days\" 0", "[Red]0.00", "00000", "General", "0_ ;[Red]\\-0\\ "]
        {
            assert_eq!(DateKind::of_code(code), DateKind::Number, "{code}");
        }
        assert_eq!(DateKind::builtin(14), DateKind::DateTime);
        assert_eq!(DateKind::builtin(46), DateKind::Duration);
        assert_eq!(DateKind::builtin(2), DateKind::Number);
    }
}
