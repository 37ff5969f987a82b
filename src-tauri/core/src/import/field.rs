//! The lead fields a CSV column can be mapped to.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::text::compact_key;

/// A lead field a column can fill.
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
    /// Email address.
    Email,
    /// Phone number.
    Phone,
    /// Mobile number (used as the phone when there is no phone column).
    Mobile,
    /// Job title.
    Title,
    /// Employer's name.
    Company,
    /// Company website (reduced to its domain).
    Website,
    /// Industry.
    Industry,
    /// City.
    City,
    /// Country.
    Country,
    /// Free-form location ("Berlin, Germany").
    Location,
    /// Notes.
    Notes,
    /// Where the lead came from.
    LeadSource,
    /// Lead status.
    Status,
    /// LinkedIn profile URL.
    #[serde(rename = "linkedin")]
    LinkedIn,
}

impl Field {
    /// Every field, in the order UI dropdowns list them.
    pub const ALL: [Field; 17] = [
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
        Field::City,
        Field::Country,
        Field::Location,
        Field::Notes,
        Field::LeadSource,
        Field::Status,
        Field::LinkedIn,
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
            Field::City => "City",
            Field::Country => "Country",
            Field::Location => "Location",
            Field::Notes => "Notes",
            Field::LeadSource => "Lead source",
            Field::Status => "Status",
            Field::LinkedIn => "LinkedIn",
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
            Field::City => "city",
            Field::Country => "country",
            Field::Location => "location",
            Field::Notes => "notes",
            Field::LeadSource => "lead_source",
            Field::Status => "status",
            Field::LinkedIn => "linkedin",
        }
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
