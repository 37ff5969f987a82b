//! People on an invitation (`ORGANIZER`, `ATTENDEE`): the address and a display name that is a
//! name. Exporters put other things in `CN`: the address again, sometimes in quotes
//! (`'someone@mail.com'`), and Lotus Notes its canonical names (`CN=Jane Doe/OU=Sales/O=Acme`);
//! those are reduced to the person's name, or to no name.

use super::{syntax::Property, Person};

/// Quotes and brackets exporters wrap names and addresses in.
const WRAPPERS: &[char] = &['"', '\'', '<', '>', '`', '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}'];

/// Whether `text` is an address rather than a name.
fn is_address(text: &str) -> bool {
    let text = text.trim_matches(WRAPPERS);
    let text = text.get(..7).filter(|p| p.eq_ignore_ascii_case("mailto:")).map_or(text, |_| &text[7..]);
    text.contains('@') && !text.contains(char::is_whitespace)
}

/// `text` without the addresses exporters append to a name in brackets or parentheses
/// (`Page, Larry <l.page@google.com> (l.page@google.com)` → `Page, Larry`).
fn without_bracketed_addresses(text: &str) -> String {
    let mut out = text.to_owned();
    for (open, close) in [('<', '>'), ('(', ')'), ('[', ']')] {
        while let Some((start, end)) = out.find(open).and_then(|s| out[s..].find(close).map(|e| (s, s + e))) {
            if !is_address(&out[start + 1..end]) {
                break;
            }
            out.replace_range(start..=end, " ");
        }
    }
    out
}

/// The name in a `CN` value, or `None` when it holds no name.
pub(crate) fn display_name(raw: &str) -> Option<String> {
    let cleaned = without_bracketed_addresses(raw);
    let mut name = cleaned.trim().trim_matches(WRAPPERS).trim();
    // Lotus Notes canonical (`CN=Jane Doe/OU=Sales/O=Acme`) and abbreviated (`Jane Doe/Sales/Acme`)
    // hierarchical names: the common name is the first part.
    if let Some(rest) = name.get(..3).filter(|p| p.eq_ignore_ascii_case("CN=")).map(|_| &name[3..]) {
        name = rest;
    }
    if name.contains('/') && !is_address(name) {
        name = name.split('/').next().unwrap_or(name);
    }
    let name = name.trim().trim_matches(WRAPPERS).trim();
    if name.is_empty() || is_address(name) {
        return None;
    }
    Some(name.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `value` as an email address (`mailto:` and wrappers removed, lower-cased), if it is one.
fn address(value: &str) -> Option<String> {
    let value = value.trim().trim_matches(WRAPPERS);
    let address = value.get(..7).filter(|p| p.eq_ignore_ascii_case("mailto:")).map_or(value, |_| &value[7..]);
    let email = address.trim().trim_matches(WRAPPERS).to_lowercase();
    let (local, domain) = email.split_once('@')?;
    (!local.is_empty() && domain.contains('.') && !email.contains(char::is_whitespace)).then_some(email)
}

/// Whether `email` is a calendar rather than a person: Google lists the calendar an event is on
/// (`…@group.calendar.google.com`), its rooms (`…@resource.calendar.google.com`) and imported
/// calendars (`…@import.calendar.google.com`) as attendees and organisers.
pub(crate) fn is_calendar_address(email: &str) -> bool {
    email
        .rsplit_once('@')
        .is_some_and(|(_, domain)| domain == "calendar.google.com" || domain.ends_with(".calendar.google.com"))
}

/// The person of an `ORGANIZER` / `ATTENDEE` property: its value when that is an email address,
/// else its `EMAIL` parameter (RFC 7986; Apple writes `urn:uuid:` values with one).
pub(crate) fn person(property: &Property) -> Option<Person> {
    let email = address(&property.value).or_else(|| property.param("EMAIL").and_then(address))?;
    let name = property.param_joined("CN").as_deref().and_then(display_name);
    Some(Person { email, name })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attendee_names_are_names_not_addresses_bracketed_addresses_or_lotus_canonical_names() {
        for (raw, want) in [
            ("'someone@mail.com'", None),
            ("\"someone@mail.com\"", None),
            ("mailto:someone@mail.com", None),
            ("'Jane Doe'", Some("Jane Doe")),
            ("CN=Jane Doe/OU=Sales/O=Acme", Some("Jane Doe")),
            ("cn=Jan  de Vries/O=Initech", Some("Jan de Vries")),
            ("Jane Doe/Sales/Acme", Some("Jane Doe")),
            ("Doe, Jane", Some("Doe, Jane")),
            ("Page, Larry <l.page@google.com> (l.page@google.com)", Some("Page, Larry")),
            ("Jane Doe (jane@acme.com)", Some("Jane Doe")),
            ("<jane@acme.com>", None),
            ("Jane Doe (Sales)", Some("Jane Doe (Sales)")),
            ("  ", None),
        ] {
            assert_eq!(display_name(raw).as_deref(), want, "{raw}");
        }
    }

    #[test]
    fn an_attendee_without_a_mailto_value_is_found_by_its_email_parameter() {
        let calendars = super::super::syntax::read(
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nATTENDEE;CN=Jane Doe;EMAIL=Jane@Example.com:urn:uuid:1234\n\
             ATTENDEE;CN=Room 4:invalid:nomail\nEND:VEVENT\nEND:VCALENDAR\n",
        )
        .expect("read");
        let people: Vec<Option<Person>> = calendars[0].children[0].all("ATTENDEE").map(person).collect();
        assert_eq!(people, [Some(Person { email: "jane@example.com".into(), name: Some("Jane Doe".into()) }), None]);
    }

    #[test]
    fn google_calendar_addresses_are_not_people() {
        assert!(is_calendar_address("hst9ma4s2h5hf2iafmrqffki9o@group.calendar.google.com"));
        assert!(is_calendar_address("c_1888@resource.calendar.google.com"));
        assert!(!is_calendar_address("jane@google.com"));
        assert!(!is_calendar_address("jane@notcalendar.google.com.evil.io"));
    }
}
