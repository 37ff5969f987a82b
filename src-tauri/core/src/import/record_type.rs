//! What kind of records a file holds, told from its columns: people (a contact or lead list),
//! companies (an accounts or organizations export) or deals (an opportunities or deals export).
//! A file that is none of these is refused before any row is touched.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    canonical::text::compact_key,
    import::{Field, Mapping, Target},
};

/// The kind of record each row of a file becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ImportRecordType")]
pub enum RecordType {
    /// People: contacts or leads.
    Contacts,
    /// Companies (accounts, organizations).
    Companies,
    /// Deals (opportunities).
    Deals,
}

impl RecordType {
    /// Stable name (`contacts`, `companies`, `deals`).
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Contacts => "contacts",
            RecordType::Companies => "companies",
            RecordType::Deals => "deals",
        }
    }

    /// The singular stored with each row's outcome (`contact`, `company`, `deal`).
    pub fn record(self) -> &'static str {
        match self {
            RecordType::Contacts => "contact",
            RecordType::Companies => "company",
            RecordType::Deals => "deal",
        }
    }

    /// Parses `contacts`, `companies` or `deals` (singular, `people`, `accounts`,
    /// `opportunities` too).
    pub fn parse(text: &str) -> Option<RecordType> {
        match compact_key(text).as_str() {
            "contacts" | "contact" | "people" | "persons" | "person" | "leads" | "lead" => Some(RecordType::Contacts),
            "companies" | "company" | "accounts" | "account" | "organizations" | "organisations" | "organization" => {
                Some(RecordType::Companies)
            }
            "deals" | "deal" | "opportunities" | "opportunity" => Some(RecordType::Deals),
            _ => None,
        }
    }
}

/// Headers that, mapped to the full name, may as well name a company or a product: on their own
/// they do not make a file a list of people.
fn is_bare_name(header: &str) -> bool {
    matches!(compact_key(header).as_str(), "name" | "nom" | "nombre" | "nome" | "nazwa" | "title")
}

/// Tells the record type from the mapping; `None` when the columns describe nothing importable.
///
/// - deals: a deal name, or two of amount / stage / close date;
/// - companies: a company (or bare "Name") column and nothing that only people have (first or
///   last name, job title, email, mobile, LinkedIn, home address, opt-outs);
/// - contacts: anything that identifies a person (a name, an email or a phone).
///
/// `trusted` mappings (chosen by the user) count a full-name column as a person's whatever its
/// header says.
pub fn detect(headers: &[String], mapping: &Mapping, trusted: bool) -> Option<RecordType> {
    let header_of = |field: Field| mapping.column_of(field).and_then(|i| headers.get(i));
    let has = |field: Field| mapping.column_of(field).is_some();
    let deal_signals = [Field::Amount, Field::DealStage, Field::CloseDate].iter().filter(|f| has(**f)).count();
    if has(Field::DealName) || deal_signals >= 2 {
        return Some(RecordType::Deals);
    }
    // A bare "Name" next to a company column is a person's name: a company list has one name column.
    let full_name_is_personal =
        header_of(Field::FullName).is_some_and(|h| trusted || !is_bare_name(h) || has(Field::Company));
    let company_attributes = [Field::Website, Field::Industry, Field::Employees].iter().any(|f| has(*f));
    // A LinkedIn URL next to a bare name, a website and an industry is the company's page.
    let personal = full_name_is_personal
        || (has(Field::LinkedIn) && !company_attributes)
        || [
            Field::FirstName,
            Field::LastName,
            Field::Title,
            Field::Email,
            Field::Mobile,
            Field::HomeCity,
            Field::HomeAddress,
            Field::HomeCountry,
            Field::EmailOptOut,
            Field::EmailConsent,
            Field::SmsOptOut,
            Field::DoNotCall,
        ]
        .iter()
        .any(|f| has(*f));
    let named_company = has(Field::Company) || (has(Field::FullName) && company_attributes);
    if !personal && named_company {
        return Some(RecordType::Companies);
    }
    if personal || has(Field::Phone) {
        return Some(RecordType::Contacts);
    }
    None
}

/// A mapping fitted to companies: a bare "Name" column names the company.
pub fn for_companies(mut mapping: Mapping) -> Mapping {
    if mapping.column_of(Field::Company).is_none() {
        if let Some(i) = mapping.column_of(Field::FullName) {
            mapping.columns[i] = Target::Field(Field::Company);
        }
    }
    mapping
}

#[cfg(test)]
mod tests {
    use super::{detect, RecordType};
    use crate::import::auto_map;

    fn kind(headers: &[&str]) -> Option<RecordType> {
        let headers: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
        detect(&headers, &auto_map(&headers), false)
    }

    #[test]
    fn record_type_is_told_from_the_headers() {
        assert_eq!(kind(&["First Name", "Last Name", "Email", "Company"]), Some(RecordType::Contacts));
        assert_eq!(kind(&["Name", "Domain", "Industry", "Employees", "City"]), Some(RecordType::Companies));
        assert_eq!(kind(&["Account Name", "Phone", "Billing City"]), Some(RecordType::Companies));
        assert_eq!(kind(&["Opportunity Name", "Account Name", "Amount", "Stage"]), Some(RecordType::Deals));
        assert_eq!(kind(&["Name", "Stage", "Amount", "Close Date"]), Some(RecordType::Deals));
        assert_eq!(kind(&["Name", "Phone"]), Some(RecordType::Contacts));
        assert_eq!(kind(&["Name", "LinkedIn", "Email"]), Some(RecordType::Contacts));
        assert_eq!(kind(&["Name", "LinkedIn"]), Some(RecordType::Contacts));
        assert_eq!(kind(&["Name", "Phone", "Company"]), Some(RecordType::Contacts));
        assert_eq!(kind(&["Lead Status", "Email"]), Some(RecordType::Contacts));
        assert_eq!(kind(&["name", "sku", "quantity", "price"]), None);
        assert_eq!(kind(&["column1", "column2", "column3"]), None);
    }

    #[test]
    fn a_company_list_with_its_linkedin_page_is_companies_not_people() {
        let atomic_crm = ["name", "sector", "size", "linkedin_url", "website", "phone_number", "city", "country"];
        assert_eq!(kind(&atomic_crm), Some(RecordType::Companies));
        assert_eq!(kind(&["Date", "Description", "Amount"]), None);
    }
}
