//! Input validation shared by every entity API. Each check returns the cleaned value or an
//! [`Error::Invalid`] naming the field and saying what is accepted.
//!
//! The rules themselves live in [`outpost_sync::entity::rules`], next to the replicated entities'
//! definitions, so the sync server and every device refuse exactly what the CLI refuses.

use chrono::NaiveDate;
use outpost_sync::entity::rules;

use crate::{Error, Result};

pub use rules::{clean, MAX_LONG, MAX_SHORT};

fn named<T>(field: &str, outcome: std::result::Result<T, rules::Refusal>) -> Result<T> {
    outcome.map_err(|reason| Error::invalid(field, reason))
}

/// Trims and checks length; blank becomes `None`.
pub fn text(field: &str, value: Option<String>, max: usize) -> Result<Option<String>> {
    named(field, rules::text(value, max))
}

/// A required single-line value.
pub fn required(field: &str, value: Option<String>) -> Result<String> {
    text(field, value, MAX_SHORT)?.ok_or_else(|| Error::invalid(field, "is required and cannot be blank"))
}

/// Trimmed, lower-cased email address with a plausible `local@domain.tld` shape.
pub fn email(field: &str, value: Option<String>) -> Result<Option<String>> {
    named(field, rules::email(value))
}

/// A phone number as entered (trimmed), checked to be dialable: digits with the usual separators,
/// 5 to 15 digits, optionally led by `+`.
pub fn phone(field: &str, value: Option<String>) -> Result<Option<String>> {
    named(field, rules::phone(value))
}

/// Money in major units → minor units (cents). Rejects negative, non-finite and absurd values.
pub fn money(field: &str, value: f64) -> Result<i64> {
    named(field, rules::money(value))
}

/// Minor units back to major units.
#[allow(clippy::cast_precision_loss)]
pub fn major(minor: i64) -> f64 {
    minor as f64 / 100.0
}

/// ISO 4217-shaped currency code, upper-cased.
pub fn currency(field: &str, value: Option<String>) -> Result<Option<String>> {
    named(field, rules::currency(value))
}

/// A LinkedIn profile URL, stored as `https://www.linkedin.com/in/<profile>`.
pub fn linkedin_url(field: &str, value: Option<String>) -> Result<Option<String>> {
    named(field, rules::linkedin_url(value))
}

/// An IANA time-zone name (`Europe/Berlin`), in its canonical spelling.
pub fn time_zone(field: &str, value: Option<String>) -> Result<Option<String>> {
    named(field, rules::time_zone(value))
}

/// A calendar date in `YYYY-MM-DD` form.
pub fn date(field: &str, value: Option<String>) -> Result<Option<NaiveDate>> {
    named(field, rules::date(value))
}

/// An instant as RFC 3339 (any offset) or a bare `YYYY-MM-DD` (midnight UTC), normalised to
/// RFC 3339 UTC with milliseconds.
pub fn timestamp(field: &str, value: Option<String>) -> Result<Option<String>> {
    named(field, rules::timestamp(value))
}

/// A website or domain reduced to its bare, lower-cased host (`https://www.Acme.com/about` →
/// `acme.com`).
pub fn domain(field: &str, value: Option<String>) -> Result<Option<String>> {
    named(field, rules::domain(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_trimmed_lowercased_and_checked() {
        assert_eq!(email("email", Some(" Ada@Engines.IO ".into())).ok().flatten().as_deref(), Some("ada@engines.io"));
        for bad in
            ["ada", "ada@", "@engines.io", "ada@engines", "ada@@engines.io", "a da@engines.io", "ada@engines..io"]
        {
            let err = email("email", Some(bad.into())).expect_err(bad);
            assert!(err.to_string().contains("not a valid email"), "{bad}: {err}");
        }
        assert_eq!(email("email", Some("  ".into())).ok().flatten(), None);
    }

    #[test]
    fn phone_accepts_common_formats_and_rejects_junk() {
        for ok in ["+44 20 7946 0000", "(555) 010-0199", "020 7946 0000", "+49 30/1234567"] {
            assert!(phone("phone", Some(ok.into())).is_ok(), "{ok}");
        }
        for bad in ["call me", "12", "+44 20 7946 0000 ext. 5", "1234567890123456", "44+20"] {
            assert!(phone("phone", Some(bad.into())).is_err(), "{bad}");
        }
    }

    #[test]
    fn money_rejects_negative_and_rounds_to_cents() {
        assert_eq!(money("value", 12000.0).ok(), Some(1_200_000));
        assert_eq!(money("value", 0.015).ok(), Some(2));
        assert!(money("value", -1.0).expect_err("negative").to_string().contains("negative"));
        assert!(money("value", f64::NAN).is_err());
        assert!(money("value", 1e14).is_err());
    }

    #[test]
    fn domain_strips_scheme_www_and_path() {
        assert_eq!(
            domain("domain", Some("https://www.Acme.com/about?x=1".into())).ok().flatten().as_deref(),
            Some("acme.com")
        );
        assert_eq!(domain("domain", Some("engines.io".into())).ok().flatten().as_deref(), Some("engines.io"));
        assert!(domain("domain", Some("not a domain".into())).is_err());
        assert!(domain("domain", Some("localhost".into())).is_err());
    }

    #[test]
    fn currency_and_date_formats() {
        assert_eq!(currency("currency", Some("gbp".into())).ok().flatten().as_deref(), Some("GBP"));
        assert!(currency("currency", Some("pounds".into())).is_err());
        assert!(date("expected_close", Some("2026-02-30".into())).is_err());
        assert!(date("expected_close", Some("2026-12-31".into())).is_ok());
        assert_eq!(
            timestamp("at", Some("2026-11-24T15:30:00+01:00".into())).ok().flatten().as_deref(),
            Some("2026-11-24T14:30:00.000Z")
        );
        assert_eq!(
            timestamp("at", Some("2026-11-24".into())).ok().flatten().as_deref(),
            Some("2026-11-24T00:00:00.000Z")
        );
        assert!(timestamp("at", Some("tomorrow".into())).is_err());
    }
}
