//! The phone region of a file: how its national numbers (`020 7946 0958`, `(415) 555-0132`) are
//! to be read when a row has no country of its own.
//!
//! A sample of rows votes: each row's country columns, and each phone written with a country code
//! (`+1 415…`, `0044 20…`). The region most votes name wins. With no such votes, the country-code
//! domains of the rows' email addresses vote (`.fr`, `.de`, `.co.uk`; generic-use ones such as
//! `.io`, `.co`, `.me` do not); with none of those either the default (GB) stays. The region the
//! user gives always wins. The choice and why are shown in the preview and the job report.

use phonenumber::country::Id;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    canonical::contact_info::region_of,
    import::{source::Source, spreadsheet::strip_text_marker, Field, Mapping},
};

/// Rows looked at.
const SAMPLE_ROWS: usize = 2_000;

/// The region chosen for a file's national phone numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PhoneRegion {
    /// ISO 3166 alpha-2 code (`US`, `GB`, `DE`).
    pub region: String,
    /// Why: given, inferred (with the votes) or the default.
    pub reason: String,
}

/// The region of the number's country code, for numbers written with one.
fn region_of_international(raw: &str) -> Option<Id> {
    let cleaned = strip_text_marker(raw.trim()).trim_start_matches('(');
    let international = cleaned.starts_with('+') || cleaned.starts_with("00");
    if !international {
        return None;
    }
    let normalised = cleaned.strip_prefix("00").map_or_else(|| cleaned.to_owned(), |rest| format!("+{rest}"));
    let number = phonenumber::parse(None, &normalised).ok()?;
    number.country().id()
}

/// Country-code top-level domains used worldwide as generic ones: they say nothing of a country.
const GENERIC_CCTLDS: &[&str] =
    &["io", "co", "me", "tv", "ai", "ly", "fm", "gg", "to", "cc", "ws", "nu", "la", "sh", "ac"];

/// The region an email address's country-code domain names (`anna@firma.de` → DE, `.uk` → GB).
fn region_of_email(raw: &str) -> Option<Id> {
    let email = crate::canonical::contact_info::clean_email(raw)?;
    let tld = email.rsplit('.').next()?;
    if tld.len() != 2 || GENERIC_CCTLDS.contains(&tld) {
        return None;
    }
    let code = if tld == "uk" { "GB".to_owned() } else { tld.to_uppercase() };
    region_of(&code)
}

/// Picks the phone region for a file; `given` (the user's choice) always wins.
pub fn infer(source: &Source, mapping: &Mapping, given: Option<&str>) -> PhoneRegion {
    if let Some(region) = given.map(str::trim).filter(|r| !r.is_empty()) {
        return PhoneRegion { region: region.to_uppercase(), reason: "given".to_owned() };
    }
    let countries: Vec<usize> =
        [Field::Country, Field::HomeCountry].iter().filter_map(|f| mapping.column_of(*f)).collect();
    let phones: Vec<usize> = [Field::Phone, Field::Mobile].iter().filter_map(|f| mapping.column_of(*f)).collect();
    let email = mapping.column_of(Field::Email);
    let mut votes: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    let mut email_votes: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    for row in source.sample_rows(SAMPLE_ROWS) {
        let cell = |i: usize| row.fields.get(i).map(String::as_str).unwrap_or_default();
        let from_country = countries.iter().find_map(|&i| region_of(cell(i)));
        let from_phone = phones.iter().find_map(|&i| region_of_international(cell(i)));
        if let Some(id) = from_country.or(from_phone) {
            *votes.entry(format!("{id:?}")).or_default() += 1;
        } else if let Some(id) = email.and_then(|i| region_of_email(cell(i))) {
            *email_votes.entry(format!("{id:?}")).or_default() += 1;
        }
    }
    if votes.is_empty() && !phones.is_empty() {
        let total: u64 = email_votes.values().sum();
        if let Some((region, n)) =
            email_votes.into_iter().max_by_key(|(region, n)| (*n, std::cmp::Reverse(region.clone())))
        {
            return PhoneRegion {
                reason: format!(
                    "inferred: no country column or international numbers; {n} of {total} sampled email addresses \
                     with a country domain say {region}"
                ),
                region,
            };
        }
    }
    let total: u64 = votes.values().sum();
    match votes.into_iter().max_by_key(|(region, n)| (*n, std::cmp::Reverse(region.clone()))) {
        Some((region, n)) => PhoneRegion {
            reason: format!(
                "inferred: {n} of {total} sampled rows with a country or an international number say {region}"
            ),
            region,
        },
        None => PhoneRegion {
            region: "GB".to_owned(),
            reason: "default: no country column or international numbers to go by".to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::region_of_email;

    #[test]
    fn an_email_country_domain_names_a_region_and_generic_ones_do_not() {
        let region = |e: &str| region_of_email(e).map(|id| format!("{id:?}"));
        assert_eq!(region("marie.dupont@exemple.fr").as_deref(), Some("FR"));
        assert_eq!(region("anna@firma.de").as_deref(), Some("DE"));
        assert_eq!(region("bob@advisers.co.uk").as_deref(), Some("GB"));
        for none in ["ann@startup.io", "x@brand.co", "a@b.com", "not an email", "a@b.me"] {
            assert_eq!(region(none), None, "{none}");
        }
    }
}
