//! Value rules shared by every boundary: the core's entity APIs (via `outpost_core::store::validate`),
//! the checks of replicated fields ([`super::validate_field`]) on the server and on every device.
//! One rule, one place, so a value the CLI refuses is refused from a peer too.
//!
//! Each rule returns the cleaned value, or the reason it is refused as a sentence fragment that
//! follows the field's name ("is too long (…; at most 500)"); callers add the field.

use chrono::NaiveDate;

/// Longest free-text value accepted in a single-line field (names, titles, …).
pub const MAX_SHORT: usize = 500;
/// Longest free-text value accepted in a notes/body field.
pub const MAX_LONG: usize = 100_000;
/// Largest deal value in minor units (10,000,000,000,000 major units).
pub const MAX_VALUE_MINOR: i64 = 1_000_000_000_000_000;

/// Why a value is refused: a fragment following the field's name.
pub type Refusal = String;

/// Trims and makes [`plain_text`] of it; an empty or all-blank value becomes `None`.
pub fn clean(value: Option<String>) -> Option<String> {
    value.map(|v| plain_text(v.trim()).trim().to_owned()).filter(|v| !v.is_empty())
}

/// Text as every write path and importer stores it: hidden control characters dropped
/// ([`without_controls`]) and Unicode composed (NFC). macOS exports and some web forms write
/// "é" as "e" plus a combining accent (NFD); composed, "Café Müller" from a Mac CSV is the same
/// company, name and search key as the one typed on Windows. Borrowed when nothing changes.
pub fn plain_text(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    let kept = without_controls(text);
    if is_nfc_quick(kept.chars()) == IsNormalized::Yes {
        return kept;
    }
    std::borrow::Cow::Owned(kept.nfc().collect())
}

/// A control character no one types or sees: C0 other than tab, line feed and carriage return
/// (which notes keep), DEL and C1. In a value they are noise from an export, a paste or a peer:
/// they make "Acme\u{7f}" a second company and can drive a terminal.
pub fn is_hidden_control(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// `text` without its hidden control characters (borrowed when it has none): how every local
/// write path and importer cleans text, as it trims it.
pub fn without_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(is_hidden_control) {
        std::borrow::Cow::Owned(text.chars().filter(|c| !is_hidden_control(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Trims and checks length; blank becomes `None`.
pub fn text(value: Option<String>, max: usize) -> Result<Option<String>, Refusal> {
    match clean(value) {
        Some(v) if v.chars().count() > max => {
            Err(format!("is too long ({} characters; at most {max})", v.chars().count()))
        }
        other => Ok(other),
    }
}

/// Trimmed, lower-cased email address with a plausible `local@domain.tld` shape.
pub fn email(value: Option<String>) -> Result<Option<String>, Refusal> {
    let Some(raw) = clean(value) else { return Ok(None) };
    let address = raw.to_lowercase();
    let bad = || format!("'{}' is not a valid email address (expected name@example.com)", preview(&raw));
    let (local, domain) = address.split_once('@').ok_or_else(bad)?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && local.chars().all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    if !(local_ok && domain_ok) || address.len() > 254 {
        return Err(bad());
    }
    Ok(Some(address))
}

/// A phone number as entered (trimmed), checked to be dialable: digits with the usual separators,
/// 5 to 15 digits, optionally led by `+`.
pub fn phone(value: Option<String>) -> Result<Option<String>, Refusal> {
    let Some(raw) = clean(value) else { return Ok(None) };
    let digits = raw.chars().filter(char::is_ascii_digit).count();
    let allowed =
        raw.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || " -().\u{a0}/".contains(c) || (c == '+' && i == 0));
    if !allowed || !(5..=15).contains(&digits) {
        return Err(format!(
            "'{}' is not a phone number (use digits, spaces, dashes or brackets, optionally starting with +country code)",
            preview(&raw)
        ));
    }
    Ok(Some(raw))
}

/// Money in major units → minor units (cents). Rejects negative, non-finite and absurd values.
pub fn money(value: f64) -> Result<i64, Refusal> {
    if !value.is_finite() {
        return Err("must be a number".into());
    }
    if value < 0.0 {
        return Err(format!("cannot be negative (got {value})"));
    }
    if value > 1e13 {
        return Err(format!("is implausibly large (got {value}; at most 10,000,000,000,000)"));
    }
    // The bound above keeps the product well inside i64.
    #[allow(clippy::cast_possible_truncation)]
    Ok((value * 100.0).round() as i64)
}

/// ISO 4217-shaped currency code, upper-cased.
pub fn currency(value: Option<String>) -> Result<Option<String>, Refusal> {
    let Some(raw) = clean(value) else { return Ok(None) };
    let code = raw.to_uppercase();
    if code.len() != 3 || !code.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(format!("'{}' is not a currency code (use three letters, e.g. USD, EUR, GBP)", preview(&raw)));
    }
    Ok(Some(code))
}

/// A calendar date in `YYYY-MM-DD` form.
pub fn date(value: Option<String>) -> Result<Option<NaiveDate>, Refusal> {
    let Some(raw) = clean(value) else { return Ok(None) };
    NaiveDate::parse_from_str(&raw, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("'{}' is not a date (use YYYY-MM-DD, e.g. 2026-12-31)", preview(&raw)))
}

/// An instant as RFC 3339 (any offset) or a bare `YYYY-MM-DD` (midnight UTC), normalised to
/// RFC 3339 UTC with milliseconds.
pub fn timestamp(value: Option<String>) -> Result<Option<String>, Refusal> {
    let Some(raw) = clean(value) else { return Ok(None) };
    let format = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&raw) {
        return Ok(Some(format(t.with_timezone(&chrono::Utc))));
    }
    if let Ok(t) = chrono::NaiveDateTime::parse_from_str(&raw, "%Y-%m-%d %H:%M") {
        return Ok(Some(format(t.and_utc())));
    }
    if let Ok(d) = NaiveDate::parse_from_str(&raw, "%Y-%m-%d") {
        return Ok(Some(format(d.and_time(chrono::NaiveTime::MIN).and_utc())));
    }
    Err(format!("'{}' is not a time (use 2026-11-24T14:30:00Z, '2026-11-24 14:30' (UTC) or 2026-11-24)", preview(&raw)))
}

/// A stored instant: RFC 3339 exactly (what every device writes), checked strictly.
pub fn rfc3339(value: &str) -> Result<(), Refusal> {
    chrono::DateTime::parse_from_rfc3339(value)
        .map(|_| ())
        .map_err(|_| format!("'{}' is not an RFC 3339 time (e.g. 2026-11-24T14:30:00.000Z)", preview(value)))
}

/// A website or domain reduced to its bare, lower-cased host (`https://www.Acme.com/about` →
/// `acme.com`).
pub fn domain(value: Option<String>) -> Result<Option<String>, Refusal> {
    let Some(raw) = clean(value) else { return Ok(None) };
    let lower = raw.to_lowercase();
    let without_scheme = lower.split_once("://").map_or(lower.as_str(), |(_, rest)| rest);
    let host = without_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .rsplit('@')
        .next()
        .unwrap_or_default()
        .split(':')
        .next()
        .unwrap_or_default();
    let host = host.strip_prefix("www.").unwrap_or(host);
    let ok = host.len() <= 253
        && host.contains('.')
        && !host.starts_with(['.', '-'])
        && !host.ends_with(['.', '-'])
        && !host.contains("..")
        && host.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    if !ok {
        return Err(format!("'{}' is not a domain or website (e.g. acme.com)", preview(&raw)));
    }
    Ok(Some(host.to_owned()))
}

/// Longest LinkedIn profile URL accepted, in characters.
pub const MAX_LINKEDIN_URL: usize = 300;

/// A LinkedIn profile URL in its one stored form, `https://www.linkedin.com/in/<profile>`: the
/// scheme may be left out (or be `http`), any `*.linkedin.com` host is accepted, and a query,
/// fragment or anything after the profile name is dropped. Other sites, company pages and
/// searches are refused.
pub fn linkedin_url(value: Option<String>) -> Result<Option<String>, Refusal> {
    let Some(raw) = clean(value) else { return Ok(None) };
    let bad = || {
        format!("'{}' is not a LinkedIn profile URL (expected https://www.linkedin.com/in/their-name)", preview(&raw))
    };
    let rest = match raw.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http") => rest,
        Some(_) => return Err(bad()),
        None => raw.as_str(),
    };
    let (host, path) = rest.split_once('/').ok_or_else(bad)?;
    let host = host.to_lowercase();
    if host != "linkedin.com" && !host.strip_suffix(".linkedin.com").is_some_and(is_label) {
        return Err(bad());
    }
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let mut segments = path.split('/');
    let (Some("in"), Some(profile)) = (segments.next(), segments.next()) else { return Err(bad()) };
    let profile_ok =
        !profile.is_empty() && profile.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '%' | '.'));
    if !profile_ok {
        return Err(bad());
    }
    let url = format!("https://www.linkedin.com/in/{profile}");
    if url.chars().count() > MAX_LINKEDIN_URL {
        return Err(format!("is too long ({} characters; at most {MAX_LINKEDIN_URL})", url.chars().count()));
    }
    Ok(Some(url))
}

fn is_label(label: &str) -> bool {
    !label.is_empty() && label.len() <= 63 && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// An IANA time-zone name (`Europe/Berlin`, `America/New_York`, `UTC`), in its canonical
/// spelling (letter case is forgiven). Abbreviations (`PST`, `CET`) and offsets (`GMT+1`) are
/// refused: they do not follow daylight saving.
pub fn time_zone(value: Option<String>) -> Result<Option<String>, Refusal> {
    let Some(raw) = clean(value) else { return Ok(None) };
    let zone = raw
        .parse::<chrono_tz::Tz>()
        .ok()
        .or_else(|| chrono_tz::TZ_VARIANTS.iter().copied().find(|tz| tz.name().eq_ignore_ascii_case(&raw)));
    match zone {
        Some(tz) if !is_abbreviation(tz.name()) => Ok(Some(tz.name().to_owned())),
        _ => Err(format!(
            "'{}' is not an IANA time zone (use a name like Europe/London, America/New_York or UTC)",
            preview(&raw)
        )),
    }
}

/// Legacy zone names of the database that are abbreviations or fixed offsets, not places.
fn is_abbreviation(name: &str) -> bool {
    let abbreviation =
        name != "UTC" && !name.contains('/') && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    abbreviation || (name.starts_with("Etc/GMT") && name.len() > "Etc/GMT".len())
}

/// At most 60 characters of `value`, for quoting it in an error without echoing a megabyte.
pub fn preview(value: &str) -> String {
    const MAX: usize = 60;
    if value.chars().count() <= MAX {
        return value.to_string();
    }
    let head: String = value.chars().take(MAX).collect();
    format!("{head}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_control_characters_are_cleaned_like_whitespace_but_line_breaks_and_tabs_stay() {
        assert_eq!(clean(Some(" Acme\u{7f}\u{1b}[2J ".into())).as_deref(), Some("Acme[2J"));
        assert_eq!(clean(Some("\u{0}\u{9b}".into())), None);
        assert_eq!(clean(Some("line one\r\nline\ttwo".into())).as_deref(), Some("line one\r\nline\ttwo"));
        assert_eq!(text(Some("Zoë\u{8}".into()), 3), Ok(Some("Zoë".into())));
        assert_eq!(email(Some("ada@engines.io\u{0}".into())), Ok(Some("ada@engines.io".into())));
        assert!(matches!(without_controls("محمد 李小龍"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn decomposed_accents_from_a_mac_export_are_stored_composed() {
        let decomposed = "Cafe\u{301} Mu\u{308}ller";
        assert_eq!(clean(Some(decomposed.into())).as_deref(), Some("Café Müller"));
        assert_eq!(plain_text(decomposed), "Café Müller");
        assert!(matches!(plain_text("Café Müller, 李小龍, محمد"), std::borrow::Cow::Borrowed(_)));
        // Hangul jamo compose too: one syllable, as a Korean keyboard types it.
        assert_eq!(plain_text("\u{1100}\u{1161}"), "\u{ac00}");
    }

    #[test]
    fn email_is_trimmed_lowercased_and_checked() {
        assert_eq!(email(Some(" Ada@Engines.IO ".into())).ok().flatten().as_deref(), Some("ada@engines.io"));
        for bad in
            ["ada", "ada@", "@engines.io", "ada@engines", "ada@@engines.io", "a da@engines.io", "ada@engines..io"]
        {
            let err = email(Some(bad.into())).expect_err(bad);
            assert!(err.contains("not a valid email"), "{bad}: {err}");
        }
        assert_eq!(email(Some("  ".into())).ok().flatten(), None);
    }

    #[test]
    fn phone_accepts_common_formats_and_rejects_junk() {
        for ok in ["+44 20 7946 0000", "(555) 010-0199", "020 7946 0000", "+49 30/1234567"] {
            assert!(phone(Some(ok.into())).is_ok(), "{ok}");
        }
        for bad in ["call me", "12", "+44 20 7946 0000 ext. 5", "1234567890123456", "44+20"] {
            assert!(phone(Some(bad.into())).is_err(), "{bad}");
        }
    }

    #[test]
    fn money_rejects_negative_and_rounds_to_cents() {
        assert_eq!(money(12000.0).ok(), Some(1_200_000));
        assert_eq!(money(0.015).ok(), Some(2));
        assert!(money(-1.0).expect_err("negative").contains("negative"));
        assert!(money(f64::NAN).is_err());
        assert!(money(1e14).is_err());
        assert!(money(1e13).is_ok_and(|v| v <= MAX_VALUE_MINOR));
    }

    #[test]
    fn domain_strips_scheme_www_and_path() {
        assert_eq!(domain(Some("https://www.Acme.com/about?x=1".into())).ok().flatten().as_deref(), Some("acme.com"));
        assert_eq!(domain(Some("engines.io".into())).ok().flatten().as_deref(), Some("engines.io"));
        assert!(domain(Some("not a domain".into())).is_err());
        assert!(domain(Some("localhost".into())).is_err());
    }

    #[test]
    fn currency_date_and_time_formats() {
        assert_eq!(currency(Some("gbp".into())).ok().flatten().as_deref(), Some("GBP"));
        assert!(currency(Some("pounds".into())).is_err());
        assert!(date(Some("2026-02-30".into())).is_err());
        assert!(date(Some("2026-12-31".into())).is_ok());
        assert_eq!(
            timestamp(Some("2026-11-24T15:30:00+01:00".into())).ok().flatten().as_deref(),
            Some("2026-11-24T14:30:00.000Z")
        );
        assert_eq!(timestamp(Some("2026-11-24".into())).ok().flatten().as_deref(), Some("2026-11-24T00:00:00.000Z"));
        assert!(timestamp(Some("tomorrow".into())).is_err());
        assert!(rfc3339("2026-11-24T14:30:00.000Z").is_ok());
        assert!(rfc3339("2026-11-24").is_err());
    }

    #[test]
    fn linkedin_profile_urls_are_stored_in_one_https_form() {
        for (given, stored) in [
            ("https://www.linkedin.com/in/ada-lovelace", "https://www.linkedin.com/in/ada-lovelace"),
            ("linkedin.com/in/ada-lovelace/", "https://www.linkedin.com/in/ada-lovelace"),
            ("http://uk.linkedin.com/in/ada_l?trk=public", "https://www.linkedin.com/in/ada_l"),
            (" HTTPS://WWW.LinkedIn.com/in/Ada/details/experience/ ", "https://www.linkedin.com/in/Ada"),
        ] {
            assert_eq!(linkedin_url(Some(given.into())).ok().flatten().as_deref(), Some(stored), "{given}");
        }
        for bad in [
            "https://www.linkedin.com/company/acme",
            "https://linkedin.com.evil.io/in/ada",
            "https://evil.io/linkedin.com/in/ada",
            "ftp://www.linkedin.com/in/ada",
            "https://www.linkedin.com/in/",
            "https://www.linkedin.com/in/ada lovelace",
            "ada lovelace",
            "javascript:alert(1)//www.linkedin.com/in/ada",
        ] {
            assert!(linkedin_url(Some(bad.into())).expect_err(bad).contains("LinkedIn profile"), "{bad}");
        }
        assert_eq!(linkedin_url(Some("  ".into())).ok().flatten(), None);
    }

    #[test]
    fn time_zones_are_iana_names_not_abbreviations_or_offsets() {
        for (given, stored) in
            [("Europe/Berlin", "Europe/Berlin"), ("america/new_york", "America/New_York"), ("UTC", "UTC")]
        {
            assert_eq!(time_zone(Some(given.into())).ok().flatten().as_deref(), Some(stored), "{given}");
        }
        for bad in ["PST", "CET", "EST5EDT", "GMT+1", "Etc/GMT-2", "Mars/Olympus_Mons", "Europe/Berlin "] {
            let outcome = time_zone(Some(bad.into()));
            if bad == "Europe/Berlin " {
                assert!(outcome.is_ok(), "surrounding blanks are trimmed");
                continue;
            }
            assert!(outcome.expect_err(bad).contains("IANA time zone"), "{bad}");
        }
    }

    #[test]
    fn refusals_quote_at_most_a_preview_of_the_value() {
        let huge = "x".repeat(1_000_000);
        let err = email(Some(huge)).expect_err("not an email");
        assert!(err.len() < 200, "{}", err.len());
    }
}
