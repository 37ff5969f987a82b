//! Showing a number the way its cell's number format shows it, for the formats lead lists use:
//! zero-padded codes (`00000` for a postcode, `0000000000` for a phone), fixed decimals (`0.00`),
//! thousands separators (`#,##0`), percentages and digit templates with literals
//! (`(000) 000-0000`, `00000-0000`).
//!
//! Anything else (scientific, fractions, conditions, scaling commas, date codes) is reported as
//! unsupported and the caller shows the number in Excel's "General" way instead, so a value is
//! never mangled by a half-understood format.

/// One piece of a parsed integer or decimal part.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// `0`: a digit, zero when missing.
    Zero,
    /// `#`: a digit, nothing when missing.
    Hash,
    /// `?`: a digit, a space when missing.
    Space,
    /// Literal text.
    Literal(String),
}

/// A number format this module can apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NumberFormat {
    prefix: String,
    integer: Vec<Token>,
    grouping: bool,
    decimals: Vec<Token>,
    percent: bool,
    suffix: String,
    /// Format for negative numbers (second section), shown without a minus sign.
    negative: Option<Box<NumberFormat>>,
}

/// Splits a format code into sections at `;` outside quotes and escapes.
fn sections(code: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = code.chars();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                quoted = !quoted;
                if let Some(s) = out.last_mut() {
                    s.push(c);
                }
            }
            '\\' if !quoted => {
                let last = out.last_mut();
                if let (Some(s), Some(next)) = (last, chars.next()) {
                    s.push('\\');
                    s.push(next);
                }
            }
            ';' if !quoted => out.push(String::new()),
            _ => {
                if let Some(s) = out.last_mut() {
                    s.push(c);
                }
            }
        }
    }
    out
}

impl NumberFormat {
    /// Parses a format code; `None` when it is `General`, text (`@`), a date/time or anything
    /// this module does not render exactly.
    pub(crate) fn parse(code: &str) -> Option<NumberFormat> {
        let parts = sections(code);
        let mut first = Self::parse_section(parts.first()?)?;
        if let Some(second) = parts.get(1).filter(|s| !s.is_empty()) {
            first.negative = Some(Box::new(Self::parse_section(second)?));
        }
        Some(first)
    }

    fn parse_section(section: &str) -> Option<NumberFormat> {
        if section.trim().eq_ignore_ascii_case("general") || section.is_empty() {
            return None;
        }
        let mut format = NumberFormat {
            prefix: String::new(),
            integer: Vec::new(),
            grouping: false,
            decimals: Vec::new(),
            percent: false,
            suffix: String::new(),
            negative: None,
        };
        let mut in_decimals = false;
        let mut seen_digit = false;
        let mut literal = String::new();
        let mut chars = section.chars().peekable();
        let flush = |literal: &mut String, format: &mut NumberFormat, seen_digit: bool, in_decimals: bool| {
            if literal.is_empty() {
                return;
            }
            let text = std::mem::take(literal);
            if !seen_digit {
                format.prefix.push_str(&text);
            } else if in_decimals {
                format.decimals.push(Token::Literal(text));
            } else {
                format.integer.push(Token::Literal(text));
            }
        };
        while let Some(c) = chars.next() {
            match c {
                '"' => {
                    for q in chars.by_ref() {
                        if q == '"' {
                            break;
                        }
                        literal.push(q);
                    }
                }
                '\\' => literal.push(chars.next()?),
                '[' => {
                    let inner: String = chars.by_ref().take_while(|&b| b != ']').collect();
                    if let Some(currency) = inner.strip_prefix('$') {
                        literal.push_str(currency.split('-').next().unwrap_or_default());
                    } else if inner.starts_with(['<', '>', '='])
                        || inner.eq_ignore_ascii_case("h")
                        || inner.eq_ignore_ascii_case("m")
                        || inner.eq_ignore_ascii_case("s")
                    {
                        return None;
                    }
                    // Colours ([Red]) change nothing in the text.
                }
                '_' => {
                    chars.next();
                    literal.push(' ');
                }
                '*' => {
                    chars.next();
                }
                '0' | '#' | '?' => {
                    flush(&mut literal, &mut format, seen_digit, in_decimals);
                    seen_digit = true;
                    let token = match c {
                        '0' => Token::Zero,
                        '#' => Token::Hash,
                        _ => Token::Space,
                    };
                    if in_decimals {
                        format.decimals.push(token);
                    } else {
                        format.integer.push(token);
                    }
                }
                '.' if !in_decimals => {
                    flush(&mut literal, &mut format, seen_digit, in_decimals);
                    in_decimals = true;
                    seen_digit = true;
                }
                ',' if seen_digit && !in_decimals => {
                    // A comma after the last digit placeholder scales by 1000: not supported.
                    if !matches!(chars.peek(), Some('0' | '#' | '?')) {
                        return None;
                    }
                    format.grouping = true;
                }
                '%' => {
                    format.percent = true;
                    literal.push('%');
                }
                '@' | 'E' | 'e' | '/' => return None,
                c if c.is_ascii_alphabetic() => return None,
                c => literal.push(c),
            }
        }
        if !seen_digit {
            return None;
        }
        format.suffix = literal;
        // Literals right after the last placeholder of the number are its suffix.
        let tail = if format.decimals.is_empty() { &mut format.integer } else { &mut format.decimals };
        while let Some(Token::Literal(_)) = tail.last() {
            if let Some(Token::Literal(text)) = tail.pop() {
                format.suffix.insert_str(0, &text);
            }
        }
        if format.grouping && format.integer.iter().any(|t| matches!(t, Token::Literal(_))) {
            return None;
        }
        Some(format)
    }

    /// The number as the format shows it, without the padding an accounting format puts at either
    /// end (`_(` and `_)` reserve a parenthesis' width, `\ ` and `* ` fill the cell): a cell shows
    /// ` € 20.51 ` aligned in its column, the imported value is `€ 20.51`.
    pub(crate) fn render(&self, value: f64) -> String {
        let shown = self.render_signed(value);
        let trimmed = shown.trim();
        if trimmed.len() == shown.len() {
            shown
        } else {
            trimmed.to_owned()
        }
    }

    fn render_signed(&self, value: f64) -> String {
        if value < 0.0 {
            if let Some(negative) = &self.negative {
                return negative.render_magnitude(-value);
            }
            let shown = self.render_magnitude(-value);
            let shown = shown.trim_start();
            // Rounded to zero: Excel shows no minus sign either.
            return if shown.chars().any(|c| c.is_ascii_digit() && c != '0') {
                format!("-{shown}")
            } else {
                shown.to_owned()
            };
        }
        self.render_magnitude(value)
    }

    fn render_magnitude(&self, value: f64) -> String {
        let value = if self.percent { value * 100.0 } else { value };
        let places = self.decimals.iter().filter(|t| !matches!(t, Token::Literal(_))).count();
        let fixed = fixed_as_excel(value, places);
        let (int_digits, frac_digits) = fixed.split_once('.').unwrap_or((fixed.as_str(), ""));
        let int_digits = int_digits.trim_start_matches('0');
        let mut out = self.prefix.clone();
        out.push_str(&self.render_integer(int_digits));
        if !self.decimals.is_empty() {
            let decimals = self.render_decimals(frac_digits);
            if !decimals.is_empty() {
                out.push('.');
                out.push_str(&decimals);
            }
        }
        out.push_str(&self.suffix);
        out
    }

    /// Fills the integer placeholders right to left; extra digits go before the first one.
    fn render_integer(&self, digits: &str) -> String {
        let slots = self.integer.iter().filter(|t| !matches!(t, Token::Literal(_))).count();
        let digits: Vec<char> = digits.chars().collect();
        if self.grouping {
            let zeros = self.integer.iter().filter(|t| **t == Token::Zero).count();
            let mut padded: Vec<char> = vec!['0'; zeros.saturating_sub(digits.len())];
            padded.extend(&digits);
            let mut out = String::new();
            for (i, c) in padded.iter().enumerate() {
                if i > 0 && (padded.len() - i) % 3 == 0 {
                    out.push(',');
                }
                out.push(*c);
            }
            return out;
        }
        let overflow = digits.len().saturating_sub(slots);
        let mut next = digits.len();
        let mut pieces: Vec<String> = Vec::with_capacity(self.integer.len());
        for token in self.integer.iter().rev() {
            let piece = match token {
                Token::Literal(text) => text.clone(),
                _ if next > overflow => {
                    next -= 1;
                    digits[next].to_string()
                }
                Token::Zero => "0".to_owned(),
                Token::Space => " ".to_owned(),
                Token::Hash => String::new(),
            };
            pieces.push(piece);
        }
        let mut out: String = digits[..overflow].iter().collect();
        out.extend(pieces.into_iter().rev());
        out
    }

    /// Decimal places: `0` always shown, `#` only when not a trailing zero.
    fn render_decimals(&self, digits: &str) -> String {
        let mut chars = digits.chars();
        let mut out = String::new();
        for token in &self.decimals {
            match token {
                Token::Literal(text) => out.push_str(text),
                Token::Zero => out.push(chars.next().unwrap_or('0')),
                Token::Hash | Token::Space => out.push(chars.next().unwrap_or('0')),
            }
        }
        // Trailing `#` digits that are zero are dropped.
        let optional = self.decimals.iter().rev().take_while(|t| matches!(t, Token::Hash | Token::Space)).count();
        for _ in 0..optional {
            if out.ends_with('0') {
                out.pop();
            } else {
                break;
            }
        }
        out
    }
}

/// `value` (not negative) with `places` decimals as Excel shows it: from its 15 significant
/// digits, a half rounded away from zero (`0.005` as `0%` is `1%`, `0.125` as `0.00` is `0.13`,
/// `1.005` as `0.00` is `1.01`) where Rust's formatting rounds the binary value half to even.
fn fixed_as_excel(value: f64, places: usize) -> String {
    let scientific = format!("{value:.14e}");
    let Some((mantissa, exponent)) = scientific.split_once('e') else { return format!("{value:.places$}") };
    let Ok(exponent) = exponent.parse::<i64>() else { return format!("{value:.places$}") };
    if !value.is_finite() || exponent.abs() > 400 {
        return format!("{value:.places$}");
    }
    let mut digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect();
    // Digits before the decimal point: exponent + 1 (may be zero or negative for 0.00x).
    let mut int_len = exponent + 1;
    if int_len < 0 {
        let pad = usize::try_from(-int_len).unwrap_or(0);
        digits.splice(0..0, std::iter::repeat_n(0, pad));
        int_len = 0;
    }
    let int_len = usize::try_from(int_len).unwrap_or(0);
    let keep = int_len + places;
    if digits.len() < keep {
        digits.resize(keep, 0);
    }
    let round_up = digits.get(keep).is_some_and(|d| *d >= 5);
    digits.truncate(keep);
    let mut int_len = int_len;
    if round_up {
        let mut i = keep;
        loop {
            if i == 0 {
                digits.insert(0, 1);
                int_len += 1;
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let text = |ds: &[u8]| ds.iter().map(|d| char::from(b'0' + d)).collect::<String>();
    let int_part = if int_len == 0 { "0".to_owned() } else { text(&digits[..int_len]) };
    if places == 0 {
        int_part
    } else {
        format!("{int_part}.{}", text(&digits[int_len..]))
    }
}

#[cfg(test)]
mod tests {
    use super::NumberFormat;

    fn show(code: &str, value: f64) -> Option<String> {
        NumberFormat::parse(code).map(|f| f.render(value))
    }

    #[test]
    fn zero_padded_codes_keep_their_leading_zeros() {
        assert_eq!(show("00000", 6083.0).as_deref(), Some("06083"));
        assert_eq!(show("00000", 123_456.0).as_deref(), Some("123456"));
        assert_eq!(show("00000-0000", 21_235_678.0).as_deref(), Some("02123-5678"));
        assert_eq!(show("(000) 000-0000", 2_025_550_143.0).as_deref(), Some("(202) 555-0143"));
        assert_eq!(show("0000000000", 7_700_900_123.0).as_deref(), Some("7700900123"));
        assert_eq!(show("00000000000", 7_700_900_123.0).as_deref(), Some("07700900123"));
    }

    #[test]
    fn fixed_decimals_grouping_and_percentages() {
        assert_eq!(show("0.00", 12.5).as_deref(), Some("12.50"));
        assert_eq!(show("#,##0.00", 9.25).as_deref(), Some("9.25"));
        assert_eq!(show("#,##0", 1_234_567.4).as_deref(), Some("1,234,567"));
        assert_eq!(show("0%", 0.25).as_deref(), Some("25%"));
        assert_eq!(show("0.0#", 3.1).as_deref(), Some("3.1"));
        assert_eq!(show("0.0#", 2.75).as_deref(), Some("2.75"));
        assert_eq!(show("#,##0.00;(#,##0.00)", -5.0).as_deref(), Some("(5.00)"));
        assert_eq!(show("0.00", -0.001).as_deref(), Some("0.00"));
        assert_eq!(show("[$€-407] #,##0.00", 3.0).as_deref(), Some("€ 3.00"));
    }

    #[test]
    fn halves_round_away_from_zero_as_excel_shows_them() {
        // xlsx2csv's percentage.xlsx: 0.005 as 0% shows 1% in Excel.
        assert_eq!(show("0%", 0.005).as_deref(), Some("1%"));
        assert_eq!(show("0.00", 0.125).as_deref(), Some("0.13"));
        assert_eq!(show("0.00", 1.005).as_deref(), Some("1.01"));
        assert_eq!(show("0", 2.5).as_deref(), Some("3"));
        assert_eq!(show("#,##0.00", 999999.995).as_deref(), Some("1,000,000.00"));
        assert_eq!(show("0.00", 0.0).as_deref(), Some("0.00"));
        assert_eq!(show("0.00%", 0.01234).as_deref(), Some("1.23%"));
        assert_eq!(show("0", 0.4).as_deref(), Some("0"));
        assert_eq!(show("0.000", 0.0004).as_deref(), Some("0.000"));
        assert_eq!(show("0.000", 0.0005).as_deref(), Some("0.001"));
    }

    #[test]
    fn accounting_padding_does_not_reach_the_imported_text() {
        // Excel for Mac's euro accounting format (roo's currency-euro.xlsx).
        let euro = r#"_([$€-2]\ * #,##0.00_);_([$€-2]\ * \(#,##0.00\);_([$€-2]\ * "-"??_);_(@_)"#;
        assert_eq!(show(euro, 20.51).as_deref(), Some("€ 20.51"));
        assert_eq!(show(euro, -1234.5).as_deref(), Some("€ (1,234.50)"));
        assert_eq!(show("_(#,##0_)", -7.0).as_deref(), Some("-7"));
    }

    #[test]
    fn formats_not_rendered_exactly_are_declined() {
        for code in ["General", "@", "0.00E+00", "# ?/?", "[<=9999999]###-####;(###) ###-####", "#,##0,", "yyyy-mm-dd"]
        {
            assert_eq!(NumberFormat::parse(code), None, "{code}");
        }
    }
}
