//! Consent columns: opt-outs (`Email Opt Out`, `Unsubscribed`, `Do Not Call`, Salesforce's
//! `HasOptedOutOfEmail`, `DoNotCall`…) and positive consents (`GDPR consent`, `Subscribed`,
//! Shopify's `Accepts Email Marketing`, Mailchimp's subscription status) read into the contact's
//! real `email_opt_out`, `sms_opt_out` and `do_not_call` flags, never left as custom fields.
//!
//! A value that cannot be read is never taken lightly: in an opt-out column it counts as an
//! opt-out (someone wrote something there), in a consent column it grants nothing; either way
//! the row gets a warning and the raw value is kept as a custom field.

/// Whether the column says "yes" to its own question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flag {
    /// Yes (opted out / consented).
    Yes,
    /// No.
    No,
    /// Not readable.
    Unknown,
}

/// Words meaning yes in any consent column.
const YES: &[&str] = &[
    "true",
    "yes",
    "y",
    "1",
    "x",
    "t",
    "on",
    "checked",
    "ja",
    "j",
    "oui",
    "si",
    "sí",
    "tak",
    "ano",
    "wahr",
    "vrai",
    "verdadero",
    "✓",
    "✔",
    "☑",
];
/// Words meaning no in any consent column.
const NO: &[&str] = &[
    "false",
    "no",
    "n",
    "0",
    "f",
    "off",
    "unchecked",
    "nein",
    "non",
    "nie",
    "ne",
    "falsch",
    "faux",
    "falso",
    "-",
    "☐",
];
/// Values that say "opted out" whatever the column's question.
const OPTED_OUT: &[&str] = &[
    "unsubscribed",
    "opted out",
    "optedout",
    "opt out",
    "optout",
    "cleaned",
    "bounced",
    "denied",
    "withdrawn",
    "revoked",
    "declined",
    "not subscribed",
    "no consent",
    "non subscribed",
    "never subscribed",
    "do not contact",
    "abgemeldet",
    "desabonne",
];
/// Values that say "consented / subscribed".
const OPTED_IN: &[&str] = &[
    "subscribed",
    "opted in",
    "optedin",
    "opt in",
    "optin",
    "granted",
    "given",
    "consented",
    "accepted",
    "confirmed",
    "double opt in",
    "single opt in",
    "angemeldet",
    "abonne",
];

/// Statuses that, in a list's plain "Status" column, say the person left the mailing list
/// (newsletter and audience exports: Mailchimp, TinyNews, Sendy write `Unsubscribed`, `Cleaned`).
const LEFT_THE_LIST: &[&str] = &[
    "unsubscribed",
    "cleaned",
    "bounced",
    "hard bounced",
    "opted out",
    "optedout",
    "opt out",
    "optout",
    "abgemeldet",
    "desabonne",
    "desinscrit",
];

/// Whether a status value says the person is not to be emailed; `Some(true)` when they are not
/// to be contacted at all (`Do not contact`).
pub(crate) fn status_opts_out(status: &str) -> Option<bool> {
    let key = crate::canonical::text::words(status);
    if matches!(key.as_str(), "do not contact" | "dont contact" | "nicht kontaktieren" | "ne pas contacter") {
        return Some(true);
    }
    LEFT_THE_LIST.contains(&key.as_str()).then_some(false)
}

/// Reads an opt-out column's value: `Yes` means the person opted out.
pub(crate) fn opt_out(value: &str) -> Flag {
    let key = crate::canonical::text::words(value);
    if OPTED_OUT.contains(&key.as_str()) {
        return Flag::Yes;
    }
    if OPTED_IN.contains(&key.as_str()) {
        return Flag::No;
    }
    yes_no(value, &key).unwrap_or_else(|| if looks_like_a_date(value) { Flag::Yes } else { Flag::Unknown })
}

/// Reads a consent column's value: `Yes` means the person consented to email.
pub(crate) fn consent(value: &str) -> Flag {
    let key = crate::canonical::text::words(value);
    if OPTED_IN.contains(&key.as_str()) {
        return Flag::Yes;
    }
    if OPTED_OUT.contains(&key.as_str()) || key == "pending" || key == "transactional" {
        return Flag::No;
    }
    yes_no(value, &key).unwrap_or_else(|| if looks_like_a_date(value) { Flag::Yes } else { Flag::Unknown })
}

fn yes_no(raw: &str, key: &str) -> Option<Flag> {
    let raw = raw.trim().to_lowercase();
    if YES.contains(&key) || YES.contains(&raw.as_str()) {
        Some(Flag::Yes)
    } else if NO.contains(&key) || NO.contains(&raw.as_str()) {
        Some(Flag::No)
    } else {
        None
    }
}

/// A date or timestamp (when someone opted out or consented), e.g. `2023-04-01 10:00:00`, also
/// with a zone name after it (`2024-03-13 11:33:53 UTC`, as beehiiv and Substack write them).
fn looks_like_a_date(value: &str) -> bool {
    let v = value.trim();
    let v = match v.rsplit_once(' ') {
        Some((stamp, zone)) if (2..=5).contains(&zone.len()) && zone.chars().all(|c| c.is_ascii_uppercase()) => stamp,
        _ => v,
    };
    let digits = v.chars().filter(char::is_ascii_digit).count();
    digits >= 6 && v.chars().all(|c| c.is_ascii_digit() || " -/.:TZ+".contains(c))
}

#[cfg(test)]
mod tests {
    use super::{consent, opt_out, status_opts_out, Flag};

    #[test]
    fn consent_columns_read_every_common_spelling() {
        for yes in [
            "TRUE",
            "Yes",
            "1",
            "x",
            "Unsubscribed",
            "opted out",
            "2023-04-01 10:00:00",
            "Ja",
            "2024-03-13 11:33:53 UTC",
        ] {
            assert_eq!(opt_out(yes), Flag::Yes, "{yes}");
        }
        for no in ["false", "No", "0", "", "subscribed", "N"] {
            assert_ne!(opt_out(no), Flag::Yes, "{no}");
        }
        for yes in ["Granted", "yes", "subscribed", "TRUE", "opted in"] {
            assert_eq!(consent(yes), Flag::Yes, "{yes}");
        }
        for no in ["unsubscribed", "No", "pending", "false", "cleaned", "No consent"] {
            assert_eq!(consent(no), Flag::No, "{no}");
        }
        assert_eq!(opt_out("maybe later"), Flag::Unknown);
        assert_eq!(opt_out("2024 NOT"), Flag::Unknown, "a zone name needs a timestamp before it");
    }

    #[test]
    fn an_unsubscribed_status_is_an_opt_out() {
        assert_eq!(status_opts_out("Unsubscribed"), Some(false));
        assert_eq!(status_opts_out("cleaned"), Some(false));
        assert_eq!(status_opts_out("Do Not Contact"), Some(true));
        for kept in ["Subscribed", "New", "Qualified", "inactive", "pending", "Declined"] {
            assert_eq!(status_opts_out(kept), None, "{kept}");
        }
        assert_eq!(consent("legitimate interest"), Flag::Unknown);
    }
}
