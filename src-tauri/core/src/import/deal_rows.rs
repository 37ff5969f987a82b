//! Deal exports (opportunities): each row becomes a deal in the default pipeline — its stage
//! mapped onto the pipeline's stages, amount and currency and close date parsed — linked to its
//! company (found or created like any company) and its contact (found by email, or by name at
//! that company, else created). A deal with the same name at the same company is a duplicate.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    canonical::company::{domain_fits_company, is_free_mail, website_domain},
    canonical::names::split_full_name,
    import::{
        apply::{apply_row, ensure_company, ImportMode, RowOutcome},
        deal_values::{is_outcome, map_stage, parse_amount, parse_date},
        key_filter::KeyFilter,
        lookup::FilteredExisting,
        normalize::Cells,
        plan::{plan_company, plan_row},
        Field, LeadRow, Mapping, NormalizeOptions, RawRow, RowFailure,
    },
};
use crate::{
    crm::pipeline,
    crm::pipeline::StageKind,
    replica::{row, EntityKind},
    store::ctx::Tx,
    store::ids::DealId,
    Result,
};

/// A normalised deal row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DealRow {
    /// Deal name.
    pub title: String,
    /// Amount in major units.
    pub amount: Option<f64>,
    /// ISO 4217 currency (column, or the amount's symbol).
    pub currency: Option<String>,
    /// Stage as written in the file.
    pub stage: Option<String>,
    /// Close date, `YYYY-MM-DD`.
    pub close_date: Option<String>,
    /// Notes (description, next step, source…).
    pub notes: Option<String>,
    /// The company and contact to link, as a person row (company name, contact name and email).
    pub party: LeadRow,
    /// Other columns, by header.
    pub custom: BTreeMap<String, String>,
    /// What was left out or guessed.
    pub warnings: Vec<String>,
}

/// Normalises one row as a deal.
pub fn normalize_deal(
    mapping: &Mapping,
    headers: &[String],
    row: &RawRow,
    _opts: &NormalizeOptions,
) -> std::result::Result<DealRow, RowFailure> {
    let mut cells = Cells::read(mapping, headers, row)?;
    // A deals export names the deal in "Deal Name"; failing that its "Name" or "Title" column does.
    let title = cells
        .value(Field::DealName)
        .or_else(|| cells.value(Field::FullName))
        .or_else(|| cells.value(Field::Title))
        .ok_or_else(|| RowFailure { row: row.row, message: "row has no deal name".to_owned() })?;
    let mut deal = DealRow { title, ..DealRow::default() };
    if let Some((raw, header)) = cells.take(Field::Amount) {
        match parse_amount(&raw) {
            Some((value, _)) if value < 0.0 => {
                cells.warnings.push(format!("negative amount '{raw}' left out"));
                cells.keep(header, raw);
            }
            Some((value, currency)) => {
                deal.amount = Some(value);
                deal.currency = currency;
            }
            None => {
                cells.warnings.push(format!("amount '{raw}' is not a number; left out"));
                cells.keep(header, raw);
            }
        }
    }
    if let Some((raw, header)) = cells.take(Field::Currency) {
        let code = raw.trim().to_uppercase();
        if code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase()) {
            deal.currency = Some(code);
        } else {
            cells.warnings.push(format!("currency '{raw}' is not a three-letter code; left out"));
            cells.keep(header, raw);
        }
    }
    // A status saying won or lost outranks the stage the deal was last in, which is kept.
    deal.stage = match (cells.take(Field::DealStage), cells.take(Field::Status)) {
        (Some((stage, header)), Some((status, _))) if is_outcome(&status) => {
            cells.keep(header, stage);
            Some(status)
        }
        (Some((stage, _)), Some((status, header))) => {
            cells.keep(header, status);
            Some(stage)
        }
        (stage, status) => stage.or(status).map(|(value, _)| value),
    };
    if let Some((raw, header)) = cells.take(Field::CloseDate) {
        deal.close_date = parse_date(&raw);
        if deal.close_date.is_none() {
            cells.warnings.push(format!("close date '{raw}' is not a date; left out"));
            cells.keep(header, raw);
        }
    }
    let notes: Vec<String> = [Field::Notes, Field::LeadSource]
        .into_iter()
        .filter_map(|f| cells.take(f).map(|(v, h)| if f == Field::Notes { v } else { format!("{h}: {v}") }))
        .collect();
    deal.notes = (!notes.is_empty()).then(|| notes.join("\n"));
    let mut party = LeadRow { email: cells.email(), company: cells.value(Field::Company), ..LeadRow::default() };
    party.first_name = cells.value(Field::FirstName);
    party.last_name = cells.value(Field::LastName);
    if party.first_name.is_none() && party.last_name.is_none() {
        if let Some(name) = cells.value(Field::FullName) {
            (party.first_name, party.last_name) = split_full_name(&name);
        }
    }
    party.website_domain = cells.value(Field::Website).as_deref().and_then(website_domain);
    party.email_domain =
        party.email.as_deref().and_then(|e| e.rsplit_once('@')).map(|(_, d)| d.to_owned()).filter(|d| !is_free_mail(d));
    let supported = match (&party.email_domain, &party.company) {
        (Some(domain), Some(company)) if domain_fits_company(domain, company) => Some(domain.clone()),
        _ => None,
    };
    party.company_domain = party.website_domain.clone().or(supported);
    // A deal export that names its company only by domain (HubSpot's "Associated Company
    // Domain") is still the company's deal: the domain names it until someone renames it.
    if party.company.is_none() {
        party.company.clone_from(&party.website_domain);
    }
    deal.party = party;
    cells.drain_into(&mut deal.custom);
    deal.warnings = cells.warnings;
    Ok(deal)
}

/// Stores one deal row.
pub(crate) fn apply_deal(
    tx: &Tx<'_>,
    deal: &DealRow,
    mode: ImportMode,
    source: &str,
    keys: &mut KeyFilter,
) -> Result<(RowOutcome, Vec<String>)> {
    let mut warnings = Vec::new();
    // Checked before anything is written for the row (its company or contact).
    let checked = row::check_fields(
        EntityKind::Deal,
        &[
            ("title", Some(&deal.title)),
            ("currency", deal.currency.as_deref()),
            ("expected_close", deal.close_date.as_deref()),
            ("notes", deal.notes.as_deref()),
        ],
    )
    .and_then(|()| {
        row::check_fields(
            EntityKind::Company,
            &[("name", deal.party.company.as_deref()), ("domain", deal.party.company_domain.as_deref())],
        )
    })
    .and_then(|()| {
        row::check_fields(
            EntityKind::Contact,
            &[
                ("first_name", deal.party.first_name.as_deref()),
                ("last_name", deal.party.last_name.as_deref()),
                ("email", deal.party.email.as_deref()),
            ],
        )
    });
    if let Err(refused) = checked {
        return Ok((RowOutcome::failed(refused.to_string()), warnings));
    }
    let company_plan = plan_company(&deal.party, &mut FilteredExisting::new(&tx.sql, keys))?;
    let company_id = ensure_company(tx, &deal.party, &company_plan, keys)?;
    let has_person = deal.party.email.is_some() || deal.party.first_name.is_some() || deal.party.last_name.is_some();
    let contact_id = if has_person {
        let plan = plan_row(&deal.party, &mut FilteredExisting::new(&tx.sql, keys))?;
        apply_row(tx, &deal.party, &plan, ImportMode::Skip, source, keys)?.record_id
    } else {
        None
    };
    let (pipeline_id, _) = pipeline::default_pipeline(&tx.sql)?;
    let stages = pipeline::stages_of(&tx.sql, pipeline_id)?;
    let Some(first) = stages.iter().find(|s| s.kind == StageKind::Open).or(stages.first()) else {
        return Ok((RowOutcome::failed("the pipeline has no stages; add one first".to_owned()), warnings));
    };
    let stage = match deal.stage.as_deref() {
        Some(raw) => map_stage(raw, &stages).unwrap_or_else(|| {
            warnings.push(format!("stage '{raw}' is not like any pipeline stage; filed under '{}'", first.name));
            first
        }),
        None => first,
    };
    let currency = match &deal.currency {
        Some(code) => code.clone(),
        None => tx
            .sql
            .query_row("SELECT value FROM settings WHERE key = 'default_currency'", [], |r| r.get(0))
            .optional()?
            .unwrap_or_else(|| crate::crm::deals::FALLBACK_CURRENCY.to_owned()),
    };
    let value_minor = match deal.amount.map(|a| crate::store::validate::money("amount", a)).transpose() {
        Ok(value) => value.unwrap_or(0),
        Err(error) => {
            warnings.push(format!("amount left out: {error}"));
            0
        }
    };
    let existing: Option<String> = tx
        .sql
        .query_row(
            // Without a company, deals of the same name are told apart by their contact.
            "SELECT id FROM deals WHERE title = ?1 COLLATE NOCASE AND company_id IS ?2
                 AND (?2 IS NOT NULL OR contact_id IS ?3) LIMIT 1",
            params![deal.title, company_id, contact_id],
            |r| r.get(0),
        )
        .optional()?;
    let closed_at = (stage.kind != StageKind::Open)
        .then(|| deal.close_date.as_ref().map_or_else(|| tx.stamp(), |d| format!("{d}T00:00:00.000Z")));
    if let Some(id) = existing {
        if mode == ImportMode::Skip {
            return Ok((
                RowOutcome::skipped(id.clone(), format!("duplicate of deal {id} (same name and company or contact)")),
                warnings,
            ));
        }
        tx.sql.execute(
            "UPDATE deals SET value_minor = ?2, currency = ?3, stage_id = ?4, expected_close = coalesce(?5, expected_close),
                 contact_id = coalesce(?6, contact_id), notes = coalesce(?7, notes), closed_at = ?8, updated_at = ?9
             WHERE id = ?1",
            params![id, value_minor, currency, stage.id, deal.close_date, contact_id, deal.notes, closed_at, tx.stamp()],
        )?;
        crate::replica::mark_changed(tx, EntityKind::Deal, &id)?;
        return Ok((RowOutcome::updated(id), warnings));
    }
    let id = DealId::new();
    tx.sql.execute(
        "INSERT INTO deals (id, title, value_minor, currency, pipeline_id, stage_id, stage_entered_at, expected_close,
             owner, contact_id, company_id, notes, closed_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?7, ?7)",
        params![
            id,
            deal.title,
            value_minor,
            currency,
            pipeline_id,
            stage.id,
            tx.stamp(),
            deal.close_date,
            tx.actor,
            contact_id,
            company_id,
            deal.notes,
            closed_at
        ],
    )?;
    crate::replica::mark_changed(tx, EntityKind::Deal, &id)?;
    Ok((RowOutcome::imported(id.to_string()), warnings))
}

#[cfg(test)]
mod tests {
    use super::normalize_deal;
    use crate::import::{auto_map, NormalizeOptions, RawRow};

    #[test]
    fn a_won_status_outranks_the_stage_the_deal_was_last_in() {
        let headers: Vec<String> =
            ["Deal - Title", "Deal - Value", "Deal - Stage", "Deal - Status"].iter().map(|h| (*h).to_owned()).collect();
        let deal = |stage: &str, status: &str| {
            let row = RawRow {
                row: 1,
                fields: vec!["Renewal".into(), "1200".into(), stage.into(), status.into()],
                issue: None,
            };
            normalize_deal(&auto_map(&headers), &headers, &row, &NormalizeOptions::default()).expect("a deal")
        };
        let won = deal("Negotiations Started", "won");
        assert_eq!(won.stage.as_deref(), Some("won"));
        assert_eq!(won.custom.get("Deal - Stage").map(String::as_str), Some("Negotiations Started"), "kept");
        let open = deal("Negotiations Started", "open");
        assert_eq!(open.stage.as_deref(), Some("Negotiations Started"));
        assert_eq!(open.custom.get("Deal - Status").map(String::as_str), Some("open"));
    }
}
