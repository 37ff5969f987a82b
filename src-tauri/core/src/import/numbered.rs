//! Numbered multi-value columns, the way Google Contacts (and the tools that copy its layout)
//! spread one person's several emails, phones, addresses and employers over many columns:
//! `E-mail 1 - Type`, `E-mail 1 - Value`, `Phone 2 - Value`, `Organization 1 - Name`,
//! `Address 1 - City`, also written `E-mail 1 - Label`, `Email 2 Value` or `Address 1: City`.
//!
//! [`canonical`] turns such a header into what it holds, so the synonym table maps it like any
//! other column: `E-mail 1 - Value` → `e mail`, `Organization 1 - Title` → `job title`,
//! `Address 1 - Region` → `region`. The lowest-numbered column of a kind comes first in every
//! export, so it claims the field and the others stay custom fields (nothing is dropped).
//!
//! CRMs that export a record's collections as `Emails 1 Email`, `Phones 2 Phone` (OroCRM and
//! other Symfony/Doctrine exporters: collection, index, item) are the same class: the item is
//! what the column holds.

use crate::canonical::text::words;

/// What a numbered column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Numbered {
    /// A value to map like a column named this (`"e mail"`, `"city"`, `"job title"`).
    Like(String),
    /// The type of address number N (`Home`, `Work`): says whose address it is.
    AddressKind,
    /// The type or label of another numbered value (`Work` for `E-mail 1`): kept, not mapped.
    Label,
}

/// Attribute words that can follow the number.
const ATTRIBUTES: &[&str] = &[
    "value",
    "type",
    "label",
    "name",
    "title",
    "department",
    "formatted",
    "street",
    "city",
    "region",
    "postal code",
    "country",
    "po box",
    "extended address",
    "neighborhood",
    "location",
    "job description",
    "symbol",
    "phonetic name",
    "yomi name",
];

/// Reads a numbered header: `(base, number, attribute)`, all as folded words.
fn split(header: &str) -> Option<(String, u32, String)> {
    let folded = words(header);
    let tokens: Vec<&str> = folded.split(' ').collect();
    let at = tokens.iter().position(|t| t.chars().all(|c| c.is_ascii_digit()))?;
    if at == 0 || at + 1 >= tokens.len() {
        return None;
    }
    let number = tokens[at].parse().ok()?;
    let base = tokens[..at].join(" ");
    let attribute = tokens[at + 1..].join(" ");
    (ATTRIBUTES.contains(&attribute.as_str()) || is_item_of(&base, &attribute)).then_some((base, number, attribute))
}

/// Whether `item` is one element of the collection `base` (`emails` → `email`, `phones` →
/// `phone`, `addresses` → `address`).
fn is_item_of(base: &str, item: &str) -> bool {
    base == item || base.strip_suffix('s').is_some_and(|b| b == item || b.strip_suffix('e') == Some(item))
}

/// What a numbered column holds, or `None` when `header` is not numbered that way.
pub(crate) fn canonical(header: &str) -> Option<Numbered> {
    let (base, _, attribute) = split(header)?;
    let is_address = matches!(base.as_str(), "address" | "adresse" | "direccion" | "indirizzo");
    let is_organization = matches!(base.as_str(), "organization" | "organisation" | "company");
    if is_item_of(&base, &attribute) {
        return Some(Numbered::Like(attribute));
    }
    Some(match attribute.as_str() {
        "type" | "label" if is_address => Numbered::AddressKind,
        "type" | "label" => Numbered::Label,
        "value" => Numbered::Like(base),
        "name" if is_organization => Numbered::Like("company".to_owned()),
        "title" if is_organization => Numbered::Like("job title".to_owned()),
        "formatted" if is_address => Numbered::Like("address".to_owned()),
        other if is_address => Numbered::Like(other.to_owned()),
        // Department, phonetic names, symbols…: kept as custom fields under their header.
        _ => Numbered::Label,
    })
}

#[cfg(test)]
mod tests {
    use super::{canonical, Numbered};

    #[test]
    fn google_contacts_numbered_columns_say_what_they_hold() {
        let like = |s: &str| Some(Numbered::Like(s.to_owned()));
        assert_eq!(canonical("E-mail 1 - Value"), like("e mail"));
        assert_eq!(canonical("E-mail 2 - Type"), Some(Numbered::Label));
        assert_eq!(canonical("Phone 1 - Value"), like("phone"));
        assert_eq!(canonical("Organization 1 - Name"), like("company"));
        assert_eq!(canonical("Organization 1 - Title"), like("job title"));
        assert_eq!(canonical("Address 1 - Type"), Some(Numbered::AddressKind));
        assert_eq!(canonical("Address 1 - Region"), like("region"));
        assert_eq!(canonical("Address 2 - Formatted"), like("address"));
        assert_eq!(canonical("Website 1 - Value"), like("website"));
        assert_eq!(canonical("Email 2 Value"), like("email"));
        assert_eq!(canonical("E-mail 2 Address"), None, "Outlook's form is a synonym, not a numbered group");
        assert_eq!(canonical("Phone 1"), None);
    }

    #[test]
    fn collection_item_columns_like_emails_1_email_say_what_they_hold() {
        let like = |s: &str| Some(Numbered::Like(s.to_owned()));
        assert_eq!(canonical("Emails 1 Email"), like("email"));
        assert_eq!(canonical("Phones 2 Phone"), like("phone"));
        assert_eq!(canonical("Addresses 1 Address"), like("address"));
        assert_eq!(canonical("Customer Business Customer Phones 1 Phone"), None, "another record's phone");
        assert_eq!(canonical("Emails 1 Phone"), None);
    }
}
