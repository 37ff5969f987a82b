//! Cell clean-up for what spreadsheets do to exported values: the leading apostrophe Excel users
//! (and Outpost's own export) put before `+44…`, `0049…` or `=…` so the cell stays text, numbers
//! rewritten in scientific notation (`4.4207E+11`), and several values packed into one cell
//! (Google's `a@x.com ::: b@y.com`, JSON lists such as `[{"label": "work", "value": "…"}]`).

/// Drops the text-marking apostrophe in front of a value that starts with a digit or with a
/// character a spreadsheet would read as a formula (`= + - @`, tab, CR): the inverse of
/// [`super::neutralise_for_export`]. Other apostrophes (`'t Hooft`, `O'Brien`) stay.
pub(crate) fn strip_text_marker(value: &str) -> &str {
    match value.strip_prefix(['\'', '’']) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit() || "=+-@\t\r(".contains(c)) => rest,
        _ => value,
    }
}

/// A number a spreadsheet showed in scientific notation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scientific {
    /// Every digit survived: the number written out (`4.42079460958E+11` → `442079460958`).
    Whole(String),
    /// Digits were lost (`4.4207E+11` is `442070000000` only to 5 digits): unusable.
    Truncated,
}

/// Reads `value` as scientific notation (`4.4207E+11`, `1,5E+06`), or `None` when it is not.
pub(crate) fn scientific(value: &str) -> Option<Scientific> {
    let v = value.trim().trim_start_matches('+');
    let (mantissa, exponent) = v.split_once(['e', 'E'])?;
    let exponent: usize = exponent.trim_start_matches('+').parse().ok()?;
    let (whole, fraction) = mantissa.split_once(['.', ',']).unwrap_or((mantissa, ""));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !fraction.chars().all(|c| c.is_ascii_digit())
        || exponent > 30
    {
        return None;
    }
    let fraction = fraction.trim_end_matches('0');
    if fraction.len() > exponent {
        return None;
    }
    // A spreadsheet shows at most ~15 significant digits and rounds the rest away; a short
    // mantissa padded with many zeros is what is left of a longer number.
    if exponent - fraction.len() >= 3 {
        return Some(Scientific::Truncated);
    }
    let mut digits = format!("{whole}{fraction}");
    digits.extend(std::iter::repeat_n('0', exponent - fraction.len()));
    Some(Scientific::Whole(digits))
}

/// The values packed into one cell: the `value`s of a JSON list, the parts of Google's ` ::: `
/// separated cells, else the cell itself.
pub(crate) fn values_in_cell(cell: &str) -> Vec<String> {
    let trimmed = cell.trim();
    if trimmed.starts_with(['[', '{']) {
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(trimmed) {
            let mut out = Vec::new();
            collect_json_values(&json, &mut out);
            if !out.is_empty() {
                return out;
            }
        }
    }
    trimmed.split(":::").map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect()
}

fn collect_json_values(json: &serde_json::Value, out: &mut Vec<String>) {
    match json {
        serde_json::Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_owned()),
        serde_json::Value::Number(n) => out.push(n.to_string()),
        serde_json::Value::Array(items) => items.iter().for_each(|item| collect_json_values(item, out)),
        serde_json::Value::Object(map) => {
            if let Some(value) = map.get("value").or_else(|| map.get("email")).or_else(|| map.get("number")) {
                collect_json_values(value, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_apostrophes_are_dropped_only_where_a_spreadsheet_put_them() {
        assert_eq!(strip_text_marker("'+44 20 7946 0958"), "+44 20 7946 0958");
        assert_eq!(strip_text_marker("'0049 30 1234"), "0049 30 1234");
        assert_eq!(strip_text_marker("'=cmd"), "=cmd");
        assert_eq!(strip_text_marker("'t Hooft"), "'t Hooft");
        assert_eq!(strip_text_marker("O'Brien"), "O'Brien");
    }

    #[test]
    fn scientific_notation_is_expanded_only_when_no_digit_was_lost() {
        assert_eq!(scientific("4.42079460958E+11"), Some(Scientific::Whole("442079460958".into())));
        assert_eq!(scientific("4.4207E+11"), Some(Scientific::Truncated));
        assert_eq!(scientific("1,5E+06"), Some(Scientific::Truncated));
        assert_eq!(scientific("+44 20 7946"), None);
        assert_eq!(scientific("E+11"), None);
        assert_eq!(scientific("12e3x"), None);
    }

    #[test]
    fn packed_cells_yield_each_value() {
        assert_eq!(values_in_cell("a@x.com ::: b@y.com"), vec!["a@x.com", "b@y.com"]);
        assert_eq!(
            values_in_cell(
                r#"[{"label": "work", "value": "contact@wilson.com"}, {"label": "home", "value": "h@w.com"}]"#
            ),
            vec!["contact@wilson.com", "h@w.com"]
        );
        assert_eq!(values_in_cell("plain"), vec!["plain"]);
    }
}
