//! Turning a mapped [`RawRow`] into a clean [`LeadRow`] candidate, or a [`RowFailure`] saying
//! why the row cannot be imported.
//!
//! Rules: values are trimmed and empty ones dropped; emails lower-cased and validated; phones
//! also given in E.164 when they parse; a full name is split when first/last are missing;
//! websites reduced to their domain; the company domain inferred from a business email. Cells
//! starting with `=`, `+`, `-` or `@` are kept verbatim: export neutralises them
//! ([`neutralise_for_export`]).

use std::{borrow::Cow, collections::BTreeMap};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    company::{is_free_mail, website_domain},
    contact_info::{clean_email, phone_to_e164, region_of},
    names::split_full_name,
    Field, Mapping, RawRow, RowIssue, Target,
};

/// Options for [`normalize_row`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NormalizeOptions {
    /// ISO 3166 region used to read national phone numbers when the row has no usable country.
    pub default_region: String,
}

impl Default for NormalizeOptions {
    fn default() -> Self {
        NormalizeOptions { default_region: "GB".to_string() }
    }
}

/// Why a row cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("row {row}: {message}")]
#[ts(export)]
pub struct RowFailure {
    /// 1-based data row number.
    #[ts(type = "number")]
    pub row: u64,
    /// What is wrong with it.
    pub message: String,
}

/// A normalised lead candidate: what dedupe and insert work with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LeadRow {
    /// Given name.
    pub first_name: Option<String>,
    /// Family name.
    pub last_name: Option<String>,
    /// Lower-cased, validated email.
    pub email: Option<String>,
    /// Phone as given (the mobile when there is no phone column).
    pub phone: Option<String>,
    /// The phone in E.164, when it parses as a valid number.
    pub phone_e164: Option<String>,
    /// Job title.
    pub title: Option<String>,
    /// Employer's name as given.
    pub company: Option<String>,
    /// Company domain: the website's, else a business (non free-mail) email's.
    pub company_domain: Option<String>,
    /// Bare domain of the website column.
    pub website_domain: Option<String>,
    /// Industry.
    pub industry: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Country as given.
    pub country: Option<String>,
    /// Free-form location.
    pub location: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Where the lead came from.
    pub lead_source: Option<String>,
    /// Lead status.
    pub status: Option<String>,
    /// LinkedIn profile URL.
    pub linkedin: Option<String>,
    /// Custom columns (and values that did not fit a field), keyed by original header.
    pub custom: BTreeMap<String, String>,
}

/// Normalises one row; see the [module docs](self).
///
/// Fails rows with extra fields (no silent data loss), an invalid email, or nothing to identify
/// the person by (no name, email or phone).
pub fn normalize_row(
    mapping: &Mapping,
    headers: &[String],
    row: &RawRow,
    opts: &NormalizeOptions,
) -> Result<LeadRow, RowFailure> {
    let fail = |message: String| RowFailure { row: row.row, message };
    if let Some(RowIssue::ExtraFields { expected, found, extra }) = &row.issue {
        let values: Vec<String> = extra.iter().map(|v| format!("'{}'", v.trim())).collect();
        return Err(fail(format!(
            "row has {found} fields, header has {expected}: extra values {}; quote values that contain the delimiter",
            values.join(", ")
        )));
    }
    let mut values: BTreeMap<Field, (String, &str)> = BTreeMap::new();
    let mut lead = LeadRow::default();
    for ((target, header), raw) in mapping.columns.iter().zip(headers).zip(&row.fields) {
        let value = raw.trim();
        if value.is_empty() {
            continue;
        }
        match target {
            Target::Field(field) => {
                values.entry(*field).or_insert_with(|| (value.to_string(), header.as_str()));
            }
            Target::Custom(name) => {
                lead.custom.insert(name.clone(), value.to_string());
            }
            Target::Ignore => {}
        }
    }
    let mut take = |field: Field| values.remove(&field);

    if let Some((raw, _)) = take(Field::Email) {
        lead.email = Some(clean_email(&raw).ok_or_else(|| fail(format!("invalid email '{raw}'")))?);
    }
    lead.first_name = take(Field::FirstName).map(|(v, _)| v);
    lead.last_name = take(Field::LastName).map(|(v, _)| v);
    if let Some((full, header)) = take(Field::FullName) {
        if lead.first_name.is_none() && lead.last_name.is_none() {
            (lead.first_name, lead.last_name) = split_full_name(&full);
        } else {
            lead.custom.insert(header.to_string(), full);
        }
    }
    lead.title = take(Field::Title).map(|(v, _)| v);
    lead.company = take(Field::Company).map(|(v, _)| v);
    lead.industry = take(Field::Industry).map(|(v, _)| v);
    lead.city = take(Field::City).map(|(v, _)| v);
    lead.country = take(Field::Country).map(|(v, _)| v);
    lead.location = take(Field::Location).map(|(v, _)| v);
    lead.notes = take(Field::Notes).map(|(v, _)| v);
    lead.lead_source = take(Field::LeadSource).map(|(v, _)| v);
    lead.status = take(Field::Status).map(|(v, _)| v);
    lead.linkedin = take(Field::LinkedIn).map(|(v, _)| v);

    let (phone, mobile) = (take(Field::Phone), take(Field::Mobile));
    let phone = match (phone, mobile) {
        (Some(phone), Some((mobile, header))) => {
            lead.custom.insert(header.to_string(), mobile);
            Some(phone.0)
        }
        (phone, mobile) => phone.or(mobile).map(|(v, _)| v),
    };
    if let Some(phone) = phone {
        let region = lead.country.as_deref().and_then(region_of).or_else(|| region_of(&opts.default_region));
        lead.phone_e164 = phone_to_e164(&phone, region);
        lead.phone = Some(phone);
    }

    if let Some((website, header)) = take(Field::Website) {
        lead.website_domain = website_domain(&website);
        if lead.website_domain.is_none() {
            // Not a domain ("see LinkedIn"): keep what the user had.
            lead.custom.insert(header.to_string(), website);
        }
    }
    lead.company_domain = lead.website_domain.clone().or_else(|| {
        let domain = lead.email.as_deref()?.rsplit_once('@')?.1;
        (!is_free_mail(domain)).then(|| domain.to_string())
    });

    if lead.first_name.is_none() && lead.last_name.is_none() && lead.email.is_none() && lead.phone.is_none() {
        return Err(fail("row has no name, email or phone".to_string()));
    }
    within_definitions(&lead).map_err(fail)?;
    Ok(lead)
}

/// Refuses a row whose values break the replicated entities' definitions
/// ([`outpost_sync::entity`]: e.g. a name over 500 characters): other devices would refuse them,
/// so the row is reported instead of imported.
fn within_definitions(lead: &LeadRow) -> Result<(), String> {
    let checks = [
        ("contact", "first_name", &lead.first_name),
        ("contact", "last_name", &lead.last_name),
        ("contact", "phone", &lead.phone),
        ("contact", "title", &lead.title),
        ("contact", "lead_source", &lead.lead_source),
        ("contact", "notes", &lead.notes),
        ("company", "name", &lead.company),
        ("company", "industry", &lead.industry),
        ("company", "location", &lead.location),
    ];
    if !lead.custom.is_empty() {
        let json = serde_json::to_string(&lead.custom).map_err(|e| format!("custom fields: {e}"))?;
        outpost_sync::entity::validate_field("contact", "custom_fields", &serde_json::Value::String(json))
            .map_err(|e| format!("the extra columns together {}", e.message))?;
    }
    for (kind, field, value) in checks {
        let Some(value) = value else { continue };
        outpost_sync::entity::validate_field(kind, field, &serde_json::Value::String(value.clone()))
            .map_err(|e| format!("{field} {}", e.message))?;
    }
    Ok(())
}

/// Makes a cell safe to open in a spreadsheet: values starting with `=`, `+`, `-`, `@`, tab or
/// carriage return (formula injection) get a leading `'`. Other values are returned as is.
pub fn neutralise_for_export(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}
