//! One normalised row of any record type, so the reader thread, the writer and the preview
//! handle people, companies and deals alike.

use serde::Serialize;
use ts_rs::TS;

use crate::import::{
    company_rows::{normalize_company, CompanyRow},
    deal_rows::{normalize_deal, DealRow},
    normalize_row,
    record_type::RecordType,
    LeadRow, Mapping, NormalizeOptions, RawRow, RowFailure,
};

/// A row normalised as the file's record type.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ImportRecord")]
pub enum Record {
    /// A person.
    Contact(LeadRow),
    /// A company.
    Company(CompanyRow),
    /// A deal.
    Deal(DealRow),
}

impl Record {
    /// What was left out or guessed in the row.
    pub fn warnings(&self) -> &[String] {
        match self {
            Record::Contact(lead) => &lead.warnings,
            Record::Company(company) => &company.warnings,
            Record::Deal(deal) => &deal.warnings,
        }
    }
}

/// Normalises one row as `kind`.
pub fn normalize_record(
    kind: RecordType,
    mapping: &Mapping,
    headers: &[String],
    row: &RawRow,
    opts: &NormalizeOptions,
) -> Result<Record, RowFailure> {
    match kind {
        RecordType::Contacts => normalize_row(mapping, headers, row, opts).map(Record::Contact),
        RecordType::Companies => normalize_company(mapping, headers, row, opts).map(Record::Company),
        RecordType::Deals => normalize_deal(mapping, headers, row, opts).map(Record::Deal),
    }
}
