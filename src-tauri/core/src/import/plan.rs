//! Pure planning: given one normalised lead and what the store already holds, decide what to do
//! with it. No I/O happens here — [`Existing`] answers the questions — so the de-duplication rules
//! are testable in isolation and every replica applying them decides the same.
//!
//! Duplicate rules (checked in this order):
//! - contacts: same email; else same phone (E.164) **if the names agree** — two different people
//!   sharing a number are sharing a switchboard, which belongs to their company and never merges
//!   them; else same first + last name at the same company; else, for a person with neither email
//!   nor company, the same name with the same (or no) phone and likewise no email nor company;
//! - companies: the row's own company name wins — a website column's domain, else the same
//!   normalised name with the same (or an unknown) location, else the domain of a business email
//!   when the name supports it (`Acme Ltd` ↔ `acme.com`). Only a row with no company column is
//!   filed under the company its business email's domain belongs to, and only if that company
//!   already exists.

use crate::store::ids::{CompanyId, ContactId};
use crate::{canonical::names::name_key, import::LeadRow};

/// A contact as far as de-duplication needs to know it.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownContact {
    /// Id.
    pub id: ContactId,
    /// Lower-cased "first last".
    pub name_key: Option<String>,
    /// Company.
    pub company_id: Option<CompanyId>,
    /// LinkedIn profile URL, if any.
    pub linkedin: Option<String>,
}

/// The questions planning asks of the store.
pub trait Existing {
    /// Error type of the store.
    type Error;
    /// The contact with this email.
    fn contact_by_email(&mut self, email: &str) -> Result<Option<KnownContact>, Self::Error>;
    /// Contacts with this E.164 phone.
    fn contacts_by_phone(&mut self, e164: &str) -> Result<Vec<KnownContact>, Self::Error>;
    /// The contact with this name key at this company.
    fn contact_by_name_company(
        &mut self,
        name_key: &str,
        company: CompanyId,
    ) -> Result<Option<KnownContact>, Self::Error>;
    /// The company with this domain.
    fn company_by_domain(&mut self, domain: &str) -> Result<Option<CompanyId>, Self::Error>;
    /// Whether this E.164 number is known to be a company switchboard.
    fn is_switchboard(&mut self, e164: &str) -> Result<bool, Self::Error>;
    /// The company with this normalised name whose location matches (or either is unknown).
    fn company_by_name(&mut self, name_key: &str, location: Option<&str>) -> Result<Option<CompanyId>, Self::Error>;
    /// A contact with this name key, no email and no company, whose phone and city are this
    /// lead's (or unknown on either side).
    fn contact_by_bare_name(
        &mut self,
        name_key: &str,
        e164: Option<&str>,
        city: Option<&str>,
    ) -> Result<Option<KnownContact>, Self::Error>;
}

/// Which company a lead belongs to.
#[derive(Debug, Clone, PartialEq)]
pub enum CompanyPlan {
    /// The lead names no company.
    None,
    /// An existing company matched.
    Existing(CompanyId),
    /// A new company is created with this normalised name key and domain.
    Create {
        /// Normalised name.
        name_key: String,
        /// Domain, if known.
        domain: Option<String>,
    },
}

/// Why a lead matched an existing contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchRule {
    /// Same email.
    Email,
    /// Same phone, compatible names.
    Phone,
    /// Same name at the same company.
    NameAndCompany,
    /// Same name, and neither has an email or a company (nor a different phone).
    SameNameAlone,
}

impl MatchRule {
    /// Human explanation.
    pub fn describe(self) -> &'static str {
        match self {
            MatchRule::Email => "same email",
            MatchRule::Phone => "same phone",
            MatchRule::NameAndCompany => "same name at the same company",
            MatchRule::SameNameAlone => "same name, no email or company",
        }
    }
}

/// What to do with one lead.
#[derive(Debug, Clone, PartialEq)]
pub enum RowPlan {
    /// Create a new contact (and maybe a company). `switchboard` is set when the lead's phone
    /// turned out to be shared with a different person: it is stored on the company instead.
    Create {
        /// The company to link.
        company: CompanyPlan,
        /// Phone shared with another person at the company: a switchboard number.
        switchboard: bool,
    },
    /// The lead duplicates an existing contact.
    Duplicate {
        /// The existing contact.
        id: ContactId,
        /// Which rule matched.
        rule: MatchRule,
        /// The company to link (used when updating).
        company: CompanyPlan,
    },
}

fn names_agree(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

/// Decides the company for a lead; see the [module docs](self).
pub fn plan_company<E: Existing>(lead: &LeadRow, existing: &mut E) -> Result<CompanyPlan, E::Error> {
    let Some(name) = lead.company.as_deref() else {
        // No company column: a business email identifies the employer only when a company with
        // that domain already exists; no company name is invented from a domain.
        let domain = lead.website_domain.as_deref().or(lead.email_domain.as_deref());
        if let Some(domain) = domain {
            if let Some(id) = existing.company_by_domain(domain)? {
                return Ok(CompanyPlan::Existing(id));
            }
        }
        return Ok(CompanyPlan::None);
    };
    let name_key = crate::canonical::company::normalized_company_name(name);
    if name_key.is_empty() {
        return Ok(CompanyPlan::None);
    }
    if let Some(domain) = lead.website_domain.as_deref() {
        if let Some(id) = existing.company_by_domain(domain)? {
            return Ok(CompanyPlan::Existing(id));
        }
    }
    let location = lead.location.as_deref().or(lead.city.as_deref());
    if let Some(id) = existing.company_by_name(&name_key, location)? {
        return Ok(CompanyPlan::Existing(id));
    }
    let domain = lead.company_domain.clone();
    if let Some(domain) = domain.as_deref().filter(|d| Some(*d) != lead.website_domain.as_deref()) {
        if let Some(id) = existing.company_by_domain(domain)? {
            return Ok(CompanyPlan::Existing(id));
        }
    }
    Ok(CompanyPlan::Create { name_key, domain })
}

/// Decides what to do with one normalised lead.
pub fn plan_row<E: Existing>(lead: &LeadRow, existing: &mut E) -> Result<RowPlan, E::Error> {
    let company = plan_company(lead, existing)?;
    let key = name_key(lead.first_name.as_deref(), lead.last_name.as_deref());
    if let Some(email) = lead.email.as_deref() {
        if let Some(found) = existing.contact_by_email(email)? {
            return Ok(RowPlan::Duplicate { id: found.id, rule: MatchRule::Email, company });
        }
    }
    let mut switchboard = false;
    if let Some(phone) = lead.phone_e164.as_deref() {
        if existing.is_switchboard(phone)? {
            return plan_by_name(key.as_deref(), lead.linkedin.as_deref(), company, true, existing);
        }
        let holders = existing.contacts_by_phone(phone)?;
        if let Some(found) = holders.iter().find(|c| names_agree(c.name_key.as_deref(), key.as_deref())) {
            // A lead without a name, or with the same name, is the same person.
            return Ok(RowPlan::Duplicate { id: found.id, rule: MatchRule::Phone, company });
        }
        switchboard = !holders.is_empty();
    }
    if let (Some(name), CompanyPlan::None, None) = (key.as_deref(), &company, lead.email.as_deref()) {
        let city = lead.city.as_deref().or(lead.home_city.as_deref());
        if let Some(found) = existing.contact_by_bare_name(name, lead.phone_e164.as_deref(), city)? {
            return Ok(RowPlan::Duplicate { id: found.id, rule: MatchRule::SameNameAlone, company });
        }
    }
    plan_by_name(key.as_deref(), lead.linkedin.as_deref(), company, switchboard, existing)
}

fn plan_by_name<E: Existing>(
    key: Option<&str>,
    linkedin: Option<&str>,
    company: CompanyPlan,
    switchboard: bool,
    existing: &mut E,
) -> Result<RowPlan, E::Error> {
    if let (Some(key), CompanyPlan::Existing(company_id)) = (key, &company) {
        if let Some(found) = existing.contact_by_name_company(key, *company_id)? {
            // Two different LinkedIn profiles are two people who share a name, not one person twice.
            let conflicting = matches!((linkedin, found.linkedin.as_deref()), (Some(a), Some(b)) if a != b);
            if !conflicting {
                return Ok(RowPlan::Duplicate { id: found.id, rule: MatchRule::NameAndCompany, company });
            }
        }
    }
    Ok(RowPlan::Create { company, switchboard })
}
