//! Company lists (accounts, organizations exports): each row becomes a company — name, domain,
//! industry, size, location (the business address) and switchboard phone — de-duplicated like the
//! companies people are filed under: by domain, else by name at the same (or an unknown) location.

use std::collections::BTreeMap;

use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    canonical::company::{is_free_mail, normalized_company_name, website_domain},
    canonical::contact_info::{phone_to_e164, region_of},
    canonical::text::words,
    import::{
        apply::{natural_or_new, ImportMode, Outcome, RowOutcome},
        key_filter::{Key, KeyFilter},
        lookup::FilteredExisting,
        normalize::{own_record_fields, Cells},
        plan::Existing,
        Field, Mapping, NormalizeOptions, RawRow, RowFailure,
    },
};
use crate::{
    replica::{row, EntityKind},
    store::ctx::Tx,
    store::ids::CompanyId,
    Result,
};

/// A normalised company row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CompanyRow {
    /// Name as given.
    pub name: String,
    /// Bare domain (website column, else the domain of the company's own non-free-mail email).
    pub domain: Option<String>,
    /// Industry.
    pub industry: Option<String>,
    /// Size.
    pub size: Option<String>,
    /// Location: the address columns joined (`city, region, country`) or the free-form one.
    pub location: Option<String>,
    /// Main phone as given.
    pub phone: Option<String>,
    /// Main phone in E.164.
    pub phone_e164: Option<String>,
    /// Outpost's own id (re-importing an Outpost export).
    pub record_id: Option<String>,
    /// Other columns, by header.
    pub custom: BTreeMap<String, String>,
    /// What was left out or guessed.
    pub warnings: Vec<String>,
}

/// The free-form location (a street address) followed by the `city, region, country` parts it
/// does not already name: `1 Main Street, New York, NY, USA`, while a formatted address that
/// holds its city stays as it is. A street line alone never drops the city beside it.
pub(crate) fn join_location(location: Option<String>, parts: [Option<&str>; 3]) -> Option<String> {
    let mut pieces: Vec<&str> = location.as_deref().map(str::trim).filter(|l| !l.is_empty()).into_iter().collect();
    for part in parts.into_iter().flatten().map(str::trim).filter(|p| !p.is_empty()) {
        let part_words = format!(" {} ", words(part));
        let named = pieces.iter().any(|piece| format!(" {} ", words(piece)).contains(&part_words));
        if !named {
            pieces.push(part);
        }
    }
    (!pieces.is_empty()).then(|| pieces.join(", "))
}

/// Normalises one row as a company.
pub fn normalize_company(
    mapping: &Mapping,
    headers: &[String],
    row: &RawRow,
    opts: &NormalizeOptions,
) -> std::result::Result<CompanyRow, RowFailure> {
    let mut cells = Cells::read(mapping, headers, row)?;
    let Some(name) = cells.value(Field::Company).or_else(|| cells.value(Field::FullName)) else {
        return Err(RowFailure { row: row.row, message: "row has no company name".to_owned() });
    };
    let mut company = CompanyRow { name, ..CompanyRow::default() };
    if let Some((website, header)) = cells.take(Field::Website) {
        company.domain = website_domain(&website);
        if company.domain.is_none() {
            cells.keep(header, website);
        }
    }
    if let Some(email) = cells.email() {
        let domain = email.rsplit_once('@').map(|(_, d)| d.to_owned()).filter(|d| !is_free_mail(d));
        company.domain = company.domain.or(domain);
        cells.custom.insert("email".to_owned(), email);
    }
    company.industry = cells.value(Field::Industry);
    company.size = cells.value(Field::Employees);
    let (city, region, country) = (cells.value(Field::City), cells.value(Field::Region), cells.value(Field::Country));
    company.location =
        join_location(cells.value(Field::Location), [city.as_deref(), region.as_deref(), country.as_deref()]);
    if let Some(phone) = cells.phone(Field::Phone).or_else(|| cells.phone(Field::Mobile)) {
        let region = country.as_deref().and_then(region_of).or_else(|| region_of(&opts.default_region));
        company.phone_e164 = phone_to_e164(&phone, region);
        company.phone = Some(phone);
    }
    let mut created_at = None;
    own_record_fields(&mut cells, &mut company.record_id, &mut created_at);
    cells.drain_into(&mut company.custom);
    company.warnings = cells.warnings;
    Ok(company)
}

/// Finds an existing company for the row: same domain, else same name at the same location.
fn existing(company: &CompanyRow, found: &mut FilteredExisting<'_>) -> rusqlite::Result<Option<CompanyId>> {
    if let Some(domain) = company.domain.as_deref() {
        if let Some(id) = found.company_by_domain(domain)? {
            return Ok(Some(id));
        }
    }
    found.company_by_name(&normalized_company_name(&company.name), company.location.as_deref())
}

/// Stores one company row: creates it, or (mode update) fills in an existing one.
pub(crate) fn apply_company(
    tx: &Tx<'_>,
    company: &CompanyRow,
    mode: ImportMode,
    keys: &mut KeyFilter,
) -> Result<RowOutcome> {
    let name_key = normalized_company_name(&company.name);
    if name_key.is_empty() {
        return Ok(RowOutcome::failed(format!("company name '{}' has no letters or digits", company.name)));
    }
    let custom = serde_json::to_string(&company.custom)?;
    let checked = row::check_fields(
        EntityKind::Company,
        &[
            ("name", Some(&company.name)),
            ("domain", company.domain.as_deref()),
            ("industry", company.industry.as_deref()),
            ("size", company.size.as_deref()),
            ("location", company.location.as_deref()),
            ("custom_fields", Some(&custom)),
        ],
    );
    if let Err(refused) = checked {
        return Ok(RowOutcome::failed(refused.to_string()));
    }
    let found = existing(company, &mut FilteredExisting::new(&tx.sql, keys))?;
    if let Some(id) = found {
        if mode == ImportMode::Skip {
            return Ok(RowOutcome::skipped(id.to_string(), format!("duplicate of company {id}")));
        }
        tx.sql.execute(
            "UPDATE companies SET domain = coalesce(domain, ?2), industry = coalesce(?3, industry),
                 size = coalesce(?4, size), location = coalesce(location, ?5), phone_e164 = coalesce(phone_e164, ?6),
                 custom_fields = json_patch(custom_fields, ?7), updated_at = ?8
             WHERE id = ?1",
            params![
                id,
                company.domain,
                company.industry,
                company.size,
                company.location,
                company.phone_e164,
                custom,
                tx.stamp()
            ],
        )?;
        crate::replica::mark_changed(tx, EntityKind::Company, &id)?;
        return Ok(RowOutcome::updated(id.to_string()));
    }
    let preferred = company.record_id.as_deref().and_then(|id| uuid::Uuid::parse_str(id).ok());
    let natural = preferred.or_else(|| crate::replica::natural_company_id(company.domain.as_deref(), &company.name));
    let id = natural_or_new(tx, keys, "companies", natural, CompanyId::new)?;
    tx.sql.execute(
        "INSERT INTO companies (id, name, domain, industry, location, size, phone_e164, custom_fields, name_key,
             created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
        params![
            id,
            company.name,
            company.domain,
            company.industry,
            company.location,
            company.size,
            company.phone_e164,
            custom,
            name_key,
            tx.stamp()
        ],
    )?;
    crate::replica::mark_changed(tx, EntityKind::Company, &id)?;
    keys.insert(Key::Id, &[&id.to_string()]);
    keys.insert(Key::CompanyName, &[&name_key]);
    if let Some(domain) = &company.domain {
        keys.insert(Key::Domain, &[domain]);
    }
    if let Some(phone) = &company.phone_e164 {
        keys.insert(Key::Switchboard, &[phone]);
    }
    Ok(RowOutcome::imported(id.to_string()))
}

impl RowOutcome {
    /// A failed row.
    pub(crate) fn failed(message: String) -> Self {
        RowOutcome { outcome: Outcome::Failed, record_id: None, message: Some(message) }
    }

    /// A duplicate left alone.
    pub(crate) fn skipped(id: String, message: String) -> Self {
        RowOutcome { outcome: Outcome::Skipped, record_id: Some(id), message: Some(message) }
    }

    /// A record updated.
    pub(crate) fn updated(id: String) -> Self {
        RowOutcome { outcome: Outcome::Updated, record_id: Some(id), message: None }
    }

    /// A record created.
    pub(crate) fn imported(id: String) -> Self {
        RowOutcome { outcome: Outcome::Imported, record_id: Some(id), message: None }
    }
}

#[cfg(test)]
mod tests {
    use super::join_location;

    #[test]
    fn a_street_address_keeps_the_city_region_and_country_beside_it() {
        let street = Some("1 Main Street".to_owned());
        let joined = join_location(street, [Some("New York"), Some("NY"), Some("USA")]);
        assert_eq!(joined.as_deref(), Some("1 Main Street, New York, NY, USA"));
        let formatted = Some("10 Downing St, London, UK".to_owned());
        assert_eq!(
            join_location(formatted, [Some("London"), None, Some("UK")]).as_deref(),
            Some("10 Downing St, London, UK")
        );
        assert_eq!(
            join_location(None, [Some("Hyderabad"), Some("Telangana"), None]).as_deref(),
            Some("Hyderabad, Telangana")
        );
        assert_eq!(join_location(None, [None, None, None]), None);
        let indiana = join_location(Some("1 Main Street".to_owned()), [Some("Romney"), Some("IN"), None]);
        assert_eq!(indiana.as_deref(), Some("1 Main Street, Romney, IN"), "'IN' is not the 'in' of 'Main'");
    }
}
