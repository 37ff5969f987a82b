//! The fields a CSV column can be mapped to: a person's, a company's or a deal's.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::canonical::text::compact_key;

/// A field a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ImportField")]
pub enum Field {
    /// Given name.
    FirstName,
    /// Family name.
    LastName,
    /// Whole name, split into first/last when those are not mapped.
    FullName,
    /// Email address (a cell holding several keeps the first; the rest stay as custom fields).
    Email,
    /// Phone number.
    Phone,
    /// Mobile number (used as the phone when there is no phone column).
    Mobile,
    /// Job title.
    Title,
    /// Employer's name (for a company list: the company's name).
    Company,
    /// Company website (reduced to its domain).
    Website,
    /// Industry.
    Industry,
    /// Company size: number of employees or a band ("51-200").
    Employees,
    /// City of the person's (or, in a company list, the company's) address.
    City,
    /// State, province or region of that address.
    Region,
    /// Country of that address.
    Country,
    /// Free-form location ("Berlin, Germany").
    Location,
    /// City of a home address: kept on the person, never the company's location.
    HomeCity,
    /// State or region of a home address.
    HomeRegion,
    /// Country of a home address.
    HomeCountry,
    /// Free-form home address.
    HomeAddress,
    /// Says whether the row's address is a home or a business one (Google's "Address 1 - Type").
    AddressKind,
    /// Notes.
    Notes,
    /// Where the lead came from.
    LeadSource,
    /// Lead status.
    Status,
    /// LinkedIn profile URL.
    #[serde(rename = "linkedin")]
    LinkedIn,
    /// The person's IANA time zone (`Europe/Berlin`).
    TimeZone,
    /// Yes when the person must not be emailed (opted out, unsubscribed, do not email).
    EmailOptOut,
    /// Yes when the person must not be texted.
    SmsOptOut,
    /// Yes when the person must not be called.
    DoNotCall,
    /// Yes when the person agreed to email (GDPR / marketing consent, subscribed): the opposite of an opt-out.
    EmailConsent,
    /// A deal's (opportunity's) name.
    DealName,
    /// A deal's value, with or without a currency sign.
    Amount,
    /// ISO 4217 currency of the amount.
    Currency,
    /// A deal's stage, mapped onto the pipeline's stages (for people: their status).
    DealStage,
    /// A deal's (expected) close date.
    CloseDate,
    /// Outpost's own record id (re-importing an Outpost export keeps it).
    RecordId,
    /// Outpost's own creation time (re-importing an Outpost export keeps it).
    CreatedAt,
    /// Outpost's own custom fields column, a JSON object.
    CustomFields,
}

impl Field {
    /// Every field, in the order UI dropdowns list them.
    pub const ALL: [Field; 37] = [
        Field::FirstName,
        Field::LastName,
        Field::FullName,
        Field::Email,
        Field::Phone,
        Field::Mobile,
        Field::Title,
        Field::Company,
        Field::Website,
        Field::Industry,
        Field::Employees,
        Field::City,
        Field::Region,
        Field::Country,
        Field::Location,
        Field::HomeCity,
        Field::HomeRegion,
        Field::HomeCountry,
        Field::HomeAddress,
        Field::AddressKind,
        Field::Notes,
        Field::LeadSource,
        Field::Status,
        Field::LinkedIn,
        Field::TimeZone,
        Field::EmailOptOut,
        Field::SmsOptOut,
        Field::DoNotCall,
        Field::EmailConsent,
        Field::DealName,
        Field::Amount,
        Field::Currency,
        Field::DealStage,
        Field::CloseDate,
        Field::RecordId,
        Field::CreatedAt,
        Field::CustomFields,
    ];

    /// Human label for UI dropdowns.
    pub fn label(self) -> &'static str {
        match self {
            Field::FirstName => "First name",
            Field::LastName => "Last name",
            Field::FullName => "Full name",
            Field::Email => "Email",
            Field::Phone => "Phone",
            Field::Mobile => "Mobile",
            Field::Title => "Job title",
            Field::Company => "Company",
            Field::Website => "Website",
            Field::Industry => "Industry",
            Field::Employees => "Company size",
            Field::City => "City",
            Field::Region => "State / region",
            Field::Country => "Country",
            Field::Location => "Location",
            Field::HomeCity => "Home city",
            Field::HomeRegion => "Home state / region",
            Field::HomeCountry => "Home country",
            Field::HomeAddress => "Home address",
            Field::AddressKind => "Address type",
            Field::Notes => "Notes",
            Field::LeadSource => "Lead source",
            Field::Status => "Status",
            Field::LinkedIn => "LinkedIn",
            Field::TimeZone => "Time zone",
            Field::EmailOptOut => "Email opt-out",
            Field::SmsOptOut => "SMS opt-out",
            Field::DoNotCall => "Do not call",
            Field::EmailConsent => "Email consent",
            Field::DealName => "Deal name",
            Field::Amount => "Deal amount",
            Field::Currency => "Currency",
            Field::DealStage => "Deal stage",
            Field::CloseDate => "Close date",
            Field::RecordId => "Outpost id",
            Field::CreatedAt => "Created at",
            Field::CustomFields => "Custom fields (JSON)",
        }
    }

    /// The snake_case name used in JSON (`first_name`, `linkedin`).
    pub fn key(self) -> &'static str {
        match self {
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::FullName => "full_name",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Mobile => "mobile",
            Field::Title => "title",
            Field::Company => "company",
            Field::Website => "website",
            Field::Industry => "industry",
            Field::Employees => "employees",
            Field::City => "city",
            Field::Region => "region",
            Field::Country => "country",
            Field::Location => "location",
            Field::HomeCity => "home_city",
            Field::HomeRegion => "home_region",
            Field::HomeCountry => "home_country",
            Field::HomeAddress => "home_address",
            Field::AddressKind => "address_kind",
            Field::Notes => "notes",
            Field::LeadSource => "lead_source",
            Field::Status => "status",
            Field::LinkedIn => "linkedin",
            Field::TimeZone => "time_zone",
            Field::EmailOptOut => "email_opt_out",
            Field::SmsOptOut => "sms_opt_out",
            Field::DoNotCall => "do_not_call",
            Field::EmailConsent => "email_consent",
            Field::DealName => "deal_name",
            Field::Amount => "amount",
            Field::Currency => "currency",
            Field::DealStage => "deal_stage",
            Field::CloseDate => "close_date",
            Field::RecordId => "record_id",
            Field::CreatedAt => "created_at",
            Field::CustomFields => "custom_fields",
        }
    }

    /// Consent flags: several columns may fill one (an export with both `HasOptedOutOfEmail` and
    /// `Unsubscribed`); any of them saying so counts.
    pub fn is_flag(self) -> bool {
        matches!(self, Field::EmailOptOut | Field::SmsOptOut | Field::DoNotCall | Field::EmailConsent)
    }

    /// Parses a field from its key or label, ignoring case, accents and punctuation
    /// (`"first_name"`, `"First name"`, `"FirstName"` all work).
    pub fn parse(name: &str) -> Option<Field> {
        let wanted = compact_key(name);
        Field::ALL.into_iter().find(|f| compact_key(f.key()) == wanted || compact_key(f.label()) == wanted)
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}
