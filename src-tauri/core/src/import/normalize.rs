//! Turning a mapped [`RawRow`] into a clean [`LeadRow`] candidate, or a [`RowFailure`] saying
//! why the row cannot be imported.
//!
//! Rules: values are trimmed, a spreadsheet's text-marking apostrophe dropped and empty values
//! skipped; the first valid email of the cell is kept (an invalid one is left out with a row
//! warning, the person is still imported); phones also given in E.164 when they parse, numbers a
//! spreadsheet wrote in scientific notation expanded when no digit was lost and left out with a
//! warning when some were; a full name is split when first/last are missing; websites reduced to
//! their domain; consent columns read into the opt-out flags; a home address (column or Google
//! address type) kept on the person and never used as the company's location. Cells starting
//! with `=`, `+`, `-` or `@` are kept verbatim: export neutralises them
//! ([`neutralise_for_export`]).

use std::{borrow::Cow, collections::BTreeMap};

use outpost_sync::entity::rules;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    canonical::company::{domain_fits_company, is_free_mail, website_domain},
    canonical::contact_info::{clean_email, phone_to_e164, region_of},
    canonical::names::split_full_name,
    import::{
        consent::{self, Flag},
        mapping::header_field,
        spreadsheet::{scientific, strip_text_marker, values_in_cell, Scientific},
        Field, Mapping, RawRow, RowIssue, Target,
    },
};

/// Options for [`normalize_row`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NormalizeOptions {
    /// ISO 3166 region used to read national phone numbers when the row has no usable country
    /// (the region inferred for the file, or the one given).
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

/// A normalised person candidate: what dedupe and insert work with.
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
    /// Domain to give the employer: the website's, else a business email's when the company
    /// name supports it.
    pub company_domain: Option<String>,
    /// Bare domain of the website column.
    pub website_domain: Option<String>,
    /// Domain of a business (not free-mail) email, whatever the company column says.
    pub email_domain: Option<String>,
    /// Industry.
    pub industry: Option<String>,
    /// Company size.
    pub employees: Option<String>,
    /// City (a business or unqualified address).
    pub city: Option<String>,
    /// State, province or region of that address.
    pub region: Option<String>,
    /// Country as given.
    pub country: Option<String>,
    /// Free-form location.
    pub location: Option<String>,
    /// Home address parts: the person's, never the company's location.
    pub home_city: Option<String>,
    /// Home state or region.
    pub home_region: Option<String>,
    /// Home country.
    pub home_country: Option<String>,
    /// Free-form home address.
    pub home_address: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Where the lead came from.
    pub lead_source: Option<String>,
    /// Lead status.
    pub status: Option<String>,
    /// LinkedIn profile URL (`https://www.linkedin.com/in/<profile>`).
    pub linkedin: Option<String>,
    /// IANA time zone (`Europe/Berlin`).
    pub time_zone: Option<String>,
    /// Must not be emailed.
    pub email_opt_out: bool,
    /// Must not be texted.
    pub sms_opt_out: bool,
    /// Must not be called.
    pub do_not_call: bool,
    /// Outpost's own id of the record (an Outpost export being re-imported).
    pub record_id: Option<String>,
    /// Outpost's own creation time of the record (RFC 3339).
    pub created_at: Option<String>,
    /// Custom columns (and values that did not fit a field), keyed by original header.
    pub custom: BTreeMap<String, String>,
    /// What was left out or guessed in this row, for the import report.
    pub warnings: Vec<String>,
}

/// The mapped cells of one row: field values (first non-empty column wins) and custom values.
pub(crate) struct Cells<'h> {
    values: BTreeMap<Field, (String, &'h str)>,
    /// Consent flag values, every column of them.
    flags: Vec<(Field, String, &'h str)>,
    /// Custom columns, keyed by header.
    pub(crate) custom: BTreeMap<String, String>,
    /// Row warnings collected so far.
    pub(crate) warnings: Vec<String>,
}

impl<'h> Cells<'h> {
    /// Reads a row through a mapping. Fails rows with extra fields (no silent data loss).
    pub(crate) fn read(mapping: &Mapping, headers: &'h [String], row: &RawRow) -> Result<Self, RowFailure> {
        if let Some(RowIssue::ExtraFields { expected, found, extra }) = &row.issue {
            let values: Vec<String> = extra.iter().map(|v| format!("'{}'", v.trim())).collect();
            return Err(RowFailure {
                row: row.row,
                message: format!(
                    "row has {found} fields, header has {expected}: extra values {}; quote values that contain the delimiter",
                    values.join(", ")
                ),
            });
        }
        let mut cells =
            Cells { values: BTreeMap::new(), flags: Vec::new(), custom: BTreeMap::new(), warnings: Vec::new() };
        for ((target, header), raw) in mapping.columns.iter().zip(headers).zip(&row.fields) {
            let cleaned = outpost_sync::entity::rules::plain_text(raw);
            let value = strip_text_marker(cleaned.trim()).trim();
            if value.is_empty() {
                continue;
            }
            match target {
                Target::Field(field) if field.is_flag() => {
                    cells.flags.push((*field, value.to_string(), header.as_str()))
                }
                Target::Field(field) => {
                    cells.values.entry(*field).or_insert_with(|| (value.to_string(), header.as_str()));
                }
                Target::Custom(name) => {
                    cells.custom.insert(name.clone(), value.to_string());
                }
                Target::Ignore => {}
            }
        }
        Ok(cells)
    }

    /// Takes a field's value and its header.
    pub(crate) fn take(&mut self, field: Field) -> Option<(String, &'h str)> {
        self.values.remove(&field)
    }

    /// Takes a field's value.
    pub(crate) fn value(&mut self, field: Field) -> Option<String> {
        self.take(field).map(|(v, _)| v)
    }

    /// Whether a field has a value (without taking it).
    pub(crate) fn has(&self, field: Field) -> bool {
        self.values.contains_key(&field) || self.flags.iter().any(|(f, ..)| *f == field)
    }

    /// A row whose own email (or phone) column is empty takes the first later column of the same
    /// kind that holds a usable value (`email_work` empty, `email_other` filled; `Phone 1 - Value`
    /// empty, `Phone 2 - Value` filled): several email or phone columns are one person's, in
    /// order of preference. The value leaves the custom fields it would otherwise sit in.
    pub(crate) fn fallback(
        &mut self,
        mapping: &Mapping,
        headers: &[String],
        fields: &[Field],
        usable: impl Fn(&str) -> Option<String>,
    ) -> Option<String> {
        for (target, header) in mapping.columns.iter().zip(headers) {
            let Target::Custom(name) = target else { continue };
            if !header_field(header).is_some_and(|f| fields.contains(&f)) {
                continue;
            }
            if let Some(value) = self.custom.get(name).and_then(|v| usable(v)) {
                self.custom.remove(name);
                return Some(value);
            }
        }
        None
    }

    /// Takes a name cell; an email address there is not a name (a row shifted by a missing
    /// value, a list that put addresses in every column) and is kept as a custom field with a
    /// warning.
    pub(crate) fn name(&mut self, field: Field) -> Option<String> {
        let (value, header) = self.take(field)?;
        let what = if field == Field::FirstName { "first name" } else { "last name" };
        self.not_an_email(value, header, what).map(|(v, _)| v)
    }

    /// `value` unless it is an email address, which is kept under `header` with a warning.
    pub(crate) fn not_an_email(&mut self, value: String, header: &'h str, what: &str) -> Option<(String, &'h str)> {
        if !value.contains(char::is_whitespace) && clean_email(&value).is_some() {
            self.warnings.push(format!(
                "{what} '{value}' is an email address, not a name: left out (kept as custom field '{header}')"
            ));
            self.keep(header, value);
            return None;
        }
        Some((value, header))
    }

    /// Keeps a value as a custom field under its header.
    pub(crate) fn keep(&mut self, header: &str, value: String) {
        self.custom.insert(header.to_owned(), value);
    }

    /// Reads a cell a rule of the entity definitions cleans (a LinkedIn URL, a time zone): the
    /// cleaned value, or — when the rule refuses it — a warning and the raw value kept as a
    /// custom field under its header.
    pub(crate) fn checked(
        &mut self,
        field: Field,
        what: &str,
        rule: fn(Option<String>) -> Result<Option<String>, String>,
    ) -> Option<String> {
        let (raw, header) = self.take(field)?;
        match rule(Some(raw.clone())) {
            Ok(value) => value,
            Err(_) => {
                self.warnings.push(format!("invalid {what} '{raw}' left out (kept as custom field '{header}')"));
                self.keep(header, raw);
                None
            }
        }
    }

    /// Reads the email cell: the first valid address of the cell (others kept as a custom field);
    /// none valid → a warning and the raw value kept.
    pub(crate) fn email(&mut self) -> Option<String> {
        let (raw, header) = self.take(Field::Email)?;
        let mut found: Vec<String> = Vec::new();
        for part in values_in_cell(&raw) {
            for token in part.split(|c: char| c.is_whitespace() || ",;|\"<>()[]{}".contains(c)) {
                if let Some(email) = clean_email(token).filter(|e| !found.contains(e)) {
                    found.push(email);
                }
            }
        }
        if found.is_empty() {
            self.warnings.push(format!("invalid email '{raw}' left out (kept as custom field '{header}')"));
            self.keep(header, raw);
            return None;
        }
        let first = found.remove(0);
        if !found.is_empty() {
            self.custom.insert(format!("{header} (more)"), found.join(", "));
        }
        Some(first)
    }

    /// Reads a phone cell: the first value of a packed cell, scientific notation expanded when
    /// whole and left out (with a warning) when digits were lost.
    pub(crate) fn phone(&mut self, field: Field) -> Option<String> {
        let (raw, header) = self.take(field)?;
        let mut parts = values_in_cell(&raw);
        if parts.is_empty() {
            return None;
        }
        let mut first = parts.remove(0);
        if !parts.is_empty() {
            self.custom.insert(format!("{header} (more)"), parts.join(", "));
        }
        // Meta lead-ad exports write `p:+14155550123`.
        if let Some(rest) = first.strip_prefix("p:").filter(|r| r.starts_with(|c: char| c == '+' || c.is_ascii_digit()))
        {
            first = rest.to_owned();
        }
        match scientific(&first) {
            Some(Scientific::Whole(digits)) => {
                self.warnings.push(format!(
                    "phone '{first}' was in scientific notation (a spreadsheet's doing); read as {digits}"
                ));
                Some(digits)
            }
            Some(Scientific::Truncated) => {
                self.warnings.push(format!(
                    "phone '{first}' lost digits to scientific notation in a spreadsheet; left out (kept as custom \
                     field '{header}'): format the column as text and export again"
                ));
                self.keep(header, raw);
                None
            }
            None => Some(first),
        }
    }

    /// Reads the consent columns of one kind into `flag`, warning (and keeping the value) when
    /// one is unreadable; any column saying yes counts.
    fn consent(&mut self, field: Field, read: fn(&str) -> Flag, unknown_means: bool, flag: &mut bool) {
        let (mine, rest): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.flags).into_iter().partition(|(f, ..)| *f == field);
        self.flags = rest;
        for (_, raw, header) in mine {
            match read(&raw) {
                Flag::Yes => *flag = true,
                Flag::No => {}
                Flag::Unknown => {
                    *flag |= unknown_means;
                    let effect = if unknown_means { "treated as an opt-out" } else { "no consent recorded" };
                    self.warnings.push(format!("consent column '{header}' has unreadable value '{raw}': {effect}"));
                    self.keep(header, raw);
                }
            }
        }
    }
}

/// Whether an address type says the address is a home one.
fn is_home_kind(kind: &str) -> bool {
    let key = crate::canonical::text::words(kind);
    ["home", "private", "privat", "personal", "residence", "residential", "domicile", "casa", "dom", "zuhause"]
        .iter()
        .any(|w| key.split(' ').any(|k| k == *w))
}

/// Normalises one row as a person; see the [module docs](self).
///
/// Fails rows with extra fields (no silent data loss) or nothing to identify the person by (no
/// name, valid email or phone).
pub fn normalize_row(
    mapping: &Mapping,
    headers: &[String],
    row: &RawRow,
    opts: &NormalizeOptions,
) -> Result<LeadRow, RowFailure> {
    let fail = |message: String| RowFailure { row: row.row, message };
    let mut cells = Cells::read(mapping, headers, row)?;
    let email = cells.email().or_else(|| cells.fallback(mapping, headers, &[Field::Email], clean_email));
    let mut lead = LeadRow { email, ..LeadRow::default() };
    lead.first_name = cells.name(Field::FirstName);
    lead.last_name = cells.name(Field::LastName);
    if let Some((full, header)) = cells.take(Field::FullName).and_then(|(v, h)| cells.not_an_email(v, h, "name")) {
        if lead.first_name.is_none() && lead.last_name.is_none() {
            (lead.first_name, lead.last_name) = split_full_name(&full);
        } else {
            cells.keep(header, full);
        }
    }
    lead.title = cells.value(Field::Title);
    lead.company = cells.value(Field::Company);
    lead.industry = cells.value(Field::Industry);
    lead.employees = cells.value(Field::Employees);
    lead.city = cells.value(Field::City);
    lead.region = cells.value(Field::Region);
    lead.country = cells.value(Field::Country);
    lead.location = cells.value(Field::Location);
    lead.home_city = cells.value(Field::HomeCity);
    lead.home_region = cells.value(Field::HomeRegion);
    lead.home_country = cells.value(Field::HomeCountry);
    lead.home_address = cells.value(Field::HomeAddress);
    if let Some(kind) = cells.value(Field::AddressKind) {
        if is_home_kind(&kind) {
            // Google's "Address 1 - Type: Home": the row's address is the person's home.
            lead.home_city = lead.home_city.or(lead.city.take());
            lead.home_region = lead.home_region.or(lead.region.take());
            lead.home_country = lead.home_country.or(lead.country.take());
            lead.home_address = lead.home_address.or(lead.location.take());
        }
    }
    lead.notes = cells.value(Field::Notes);
    lead.lead_source = cells.value(Field::LeadSource);
    lead.status = cells.value(Field::Status).or_else(|| cells.value(Field::DealStage));
    // A list's "Status: Unsubscribed" is the person's opt-out, whatever the column is called.
    if let Some(everything) = lead.status.as_deref().and_then(consent::status_opts_out) {
        lead.email_opt_out = true;
        lead.sms_opt_out |= everything;
        lead.do_not_call |= everything;
    }
    lead.linkedin = cells.checked(Field::LinkedIn, "LinkedIn profile URL", rules::linkedin_url);
    lead.time_zone = cells.checked(Field::TimeZone, "time zone", rules::time_zone);
    let mut consent_given = true;
    let mut email_consent = false;
    if cells.has(Field::EmailConsent) {
        cells.consent(Field::EmailConsent, consent::consent, false, &mut email_consent);
        consent_given = email_consent;
    }
    cells.consent(Field::EmailOptOut, consent::opt_out, true, &mut lead.email_opt_out);
    lead.email_opt_out |= !consent_given;
    cells.consent(Field::SmsOptOut, consent::opt_out, true, &mut lead.sms_opt_out);
    cells.consent(Field::DoNotCall, consent::opt_out, true, &mut lead.do_not_call);
    own_record_fields(&mut cells, &mut lead.record_id, &mut lead.created_at);

    let (mut phone, mobile) = (cells.phone(Field::Phone), cells.phone(Field::Mobile));
    if phone.is_none() && mobile.is_none() {
        phone = cells.fallback(mapping, headers, &[Field::Phone, Field::Mobile], |v| {
            (v.chars().filter(char::is_ascii_digit).count() >= 5).then(|| v.to_owned())
        });
    }
    let phone = match (phone, mobile) {
        (Some(phone), Some(mobile)) => {
            let header = mapping
                .column_of(Field::Mobile)
                .and_then(|i| headers.get(i))
                .map_or_else(|| "Mobile".to_owned(), Clone::clone);
            cells.keep(&header, mobile);
            Some(phone)
        }
        (phone, mobile) => phone.or(mobile),
    };
    if let Some(phone) = phone {
        let region = [lead.country.as_deref(), lead.home_country.as_deref()]
            .into_iter()
            .flatten()
            .find_map(region_of)
            .or_else(|| region_of(&opts.default_region));
        lead.phone_e164 = phone_to_e164(&phone, region);
        lead.phone = Some(phone);
    }

    if let Some((website, header)) = cells.take(Field::Website) {
        lead.website_domain = website_domain(&website);
        if lead.website_domain.is_none() {
            // Not a domain ("see LinkedIn"): keep what the user had.
            cells.keep(header, website);
        }
    }
    lead.email_domain = lead
        .email
        .as_deref()
        .and_then(|e| e.rsplit_once('@'))
        .map(|(_, domain)| domain.to_string())
        .filter(|domain| !is_free_mail(domain));
    // The row's own company wins: an email domain is the company's only when its name supports it
    // (checked only for a row without a website, which decides alone).
    let supported = || match (&lead.email_domain, &lead.company) {
        (Some(domain), Some(company)) if domain_fits_company(domain, company) => Some(domain.clone()),
        _ => None,
    };
    lead.company_domain = lead.website_domain.clone().or_else(supported);
    cells.drain_into(&mut lead.custom);
    lead.warnings = cells.warnings;

    if lead.first_name.is_none() && lead.last_name.is_none() && lead.email.is_none() && lead.phone.is_none() {
        let why = lead.warnings.first().map(|w| format!(" ({w})")).unwrap_or_default();
        return Err(fail(format!("row has no name, valid email or phone{why}")));
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

/// Reads Outpost's own `id`, `created_at` and `custom_fields` columns (an Outpost export being
/// re-imported); values from other tools' id or date columns stay custom fields.
pub(crate) fn own_record_fields(
    cells: &mut Cells<'_>,
    record_id: &mut Option<String>,
    created_at: &mut Option<String>,
) {
    if let Some((id, header)) = cells.take(Field::RecordId) {
        match uuid::Uuid::parse_str(&id) {
            Ok(uuid) => *record_id = Some(uuid.to_string()),
            Err(_) => cells.keep(header, id),
        }
    }
    if let Some((at, header)) = cells.take(Field::CreatedAt) {
        match chrono::DateTime::parse_from_rfc3339(&at) {
            Ok(_) => *created_at = Some(at),
            Err(_) => cells.keep(header, at),
        }
    }
    if let Some((json, header)) = cells.take(Field::CustomFields) {
        match serde_json::from_str::<BTreeMap<String, serde_json::Value>>(&json) {
            Ok(map) => {
                for (key, value) in map {
                    let text = match value {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    cells.custom.entry(key).or_insert(text);
                }
            }
            Err(_) => cells.keep(header, json),
        }
    }
}

impl Cells<'_> {
    /// Moves the values no field took (mapped twice over, or not read by this record type) and
    /// the custom columns into `custom`.
    pub(crate) fn drain_into(&mut self, custom: &mut BTreeMap<String, String>) {
        for (_, (value, header)) in std::mem::take(&mut self.values) {
            self.custom.entry(header.to_owned()).or_insert(value);
        }
        for (_, value, header) in std::mem::take(&mut self.flags) {
            self.custom.entry(header.to_owned()).or_insert(value);
        }
        custom.append(&mut self.custom);
    }
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
