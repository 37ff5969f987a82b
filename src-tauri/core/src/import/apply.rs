//! Effects: carries out a [`RowPlan`] inside the import batch's transaction.

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::replica::EntityKind;
use crate::{
    canonical::names::name_key,
    import::{
        key_filter::{Key, KeyFilter},
        plan::{CompanyPlan, RowPlan},
        LeadRow,
    },
};
use crate::{
    crm::activities::{self, ActivityKind, NewActivity},
    crm::contacts::{self, Contact},
    replica::row::Write,
    store::ctx::Tx,
    store::ids::{CompanyId, ContactId},
    Result,
};

/// What to do with a lead that duplicates an existing contact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportMode {
    /// Keep the existing contact untouched (default).
    #[default]
    Skip,
    /// Fill and overwrite the existing contact's fields; the change is logged on its timeline.
    Update,
}

impl ImportMode {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportMode::Skip => "skip",
            ImportMode::Update => "update",
        }
    }
}

/// Outcome of one data row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Outcome {
    /// A new contact was created.
    Imported,
    /// An existing contact was updated.
    Updated,
    /// A duplicate was left alone.
    Skipped,
    /// The row was rejected.
    Failed,
}

impl Outcome {
    /// Stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Imported => "imported",
            Outcome::Updated => "updated",
            Outcome::Skipped => "skipped",
            Outcome::Failed => "failed",
        }
    }
}

/// What happened to one row, with the record it created or touched.
#[derive(Debug, Clone, PartialEq)]
pub struct RowOutcome {
    /// Outcome.
    pub outcome: Outcome,
    /// The record (contact, company or deal) created, updated or matched.
    pub record_id: Option<String>,
    /// Why (for skips and failures).
    pub message: Option<String>,
}

/// The company's location from the row's (business or unqualified) address; a home address is
/// the person's and never used.
fn company_location(lead: &LeadRow) -> Option<String> {
    super::company_rows::join_location(
        lead.location.clone(),
        [lead.city.as_deref(), lead.region.as_deref(), lead.country.as_deref()],
    )
}

/// A natural id (see [`crate::replica`]) unless it is taken, else `new()` (a fresh id is only
/// made when it is used); the filter spares the probe for ids certainly unused.
pub(crate) fn natural_or_new<T: From<uuid::Uuid>>(
    tx: &Tx<'_>,
    keys: &KeyFilter,
    table: &str,
    natural: Option<uuid::Uuid>,
    new: impl FnOnce() -> T,
) -> Result<T> {
    match natural {
        Some(id) => {
            let text = id.to_string();
            let taken = keys.may_contain(Key::Id, &[&text]) && crate::replica::id_taken(&tx.sql, table, &text)?;
            Ok(if taken { new() } else { T::from(id) })
        }
        None => Ok(new()),
    }
}

pub(crate) fn ensure_company(
    tx: &Tx<'_>,
    lead: &LeadRow,
    plan: &CompanyPlan,
    keys: &mut KeyFilter,
) -> Result<Option<CompanyId>> {
    match plan {
        CompanyPlan::None => Ok(None),
        CompanyPlan::Existing(id) => Ok(Some(*id)),
        CompanyPlan::Create { name_key, domain } => {
            let name = lead.company.as_deref().unwrap_or(name_key);
            let natural = crate::replica::natural_company_id(domain.as_deref(), name);
            let id = natural_or_new(tx, keys, "companies", natural, CompanyId::new)?;
            let mut stmt = tx.sql.prepare_cached(
                "INSERT INTO companies (id, name, domain, industry, location, size, name_key, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            )?;
            stmt.execute(params![
                id,
                lead.company.as_deref().unwrap_or(name_key),
                domain,
                lead.industry,
                company_location(lead),
                lead.employees,
                name_key,
                tx.stamp()
            ])?;
            crate::replica::mark_changed(tx, EntityKind::Company, &id)?;
            keys.insert(Key::Id, &[&id.to_string()]);
            keys.insert(Key::CompanyName, &[name_key]);
            if let Some(domain) = domain {
                keys.insert(Key::Domain, &[domain]);
            }
            Ok(Some(id))
        }
    }
}

fn custom_fields(lead: &LeadRow) -> BTreeMap<String, String> {
    let mut custom = lead.custom.clone();
    for (key, value) in [
        ("status", &lead.status),
        ("city", &lead.city),
        ("region", &lead.region),
        ("country", &lead.country),
        ("location", &lead.location),
        ("home_city", &lead.home_city),
        ("home_region", &lead.home_region),
        ("home_country", &lead.home_country),
        ("home_address", &lead.home_address),
    ] {
        if let Some(value) = value {
            custom.entry(key.to_owned()).or_insert_with(|| value.clone());
        }
    }
    // Company facts with no company to hold them stay on the person.
    if lead.company.is_none() {
        let website = lead.website_domain.clone();
        for (key, value) in [("industry", &lead.industry), ("company_size", &lead.employees), ("website", &website)] {
            if let Some(value) = value {
                custom.entry(key.to_owned()).or_insert_with(|| value.clone());
            }
        }
    }
    custom
}

/// Records that `e164` is a company switchboard: stored on the company, and no longer used to
/// identify the people who share it.
fn mark_switchboard(tx: &Tx<'_>, e164: &str, company: Option<CompanyId>, keys: &mut KeyFilter) -> Result<()> {
    keys.insert(Key::Switchboard, &[e164]);
    if let Some(company) = company {
        tx.sql
            .prepare_cached("UPDATE companies SET phone_e164 = ?2 WHERE id = ?1 AND phone_e164 IS NULL")?
            .execute(params![company, e164])?;
    }
    tx.sql.prepare_cached("UPDATE contacts SET phone_e164 = NULL WHERE phone_e164 = ?1")?.execute([e164])?;
    Ok(())
}

/// Adds the keys a contact row now has to the filter.
fn remember(
    keys: &mut KeyFilter,
    id: ContactId,
    email: Option<&str>,
    e164: Option<&str>,
    name: Option<&str>,
    company: Option<CompanyId>,
) {
    keys.insert(Key::Id, &[&id.to_string()]);
    if let Some(email) = email {
        keys.insert(Key::Email, &[email]);
    }
    if let Some(e164) = e164 {
        keys.insert(Key::Phone, &[e164]);
    }
    if let (Some(name), Some(company)) = (name, company) {
        keys.insert(Key::NameAtCompany, &[name, &company.to_string()]);
    }
}

fn create(
    tx: &Tx<'_>,
    lead: &LeadRow,
    company: &CompanyPlan,
    switchboard: bool,
    keys: &mut KeyFilter,
) -> Result<RowOutcome> {
    // An Outpost export being re-imported keeps its ids; others get natural ones.
    let own = lead.record_id.as_deref().and_then(|id| uuid::Uuid::parse_str(id).ok());
    let natural = own.or_else(|| lead.email.as_deref().and_then(crate::replica::natural_contact_id));
    let id = natural_or_new(tx, keys, "contacts", natural, ContactId::new)?;
    let mut contact = Contact {
        id,
        first_name: lead.first_name.clone(),
        last_name: lead.last_name.clone(),
        email: lead.email.clone(),
        phone: lead.phone.clone(),
        title: lead.title.clone(),
        company_id: None,
        company_name: None,
        email_opt_out: lead.email_opt_out,
        sms_opt_out: lead.sms_opt_out,
        do_not_call: lead.do_not_call,
        lead_source: lead.lead_source.clone(),
        linkedin_url: lead.linkedin.clone(),
        time_zone: lead.time_zone.clone(),
        notes: lead.notes.clone(),
        custom_fields: serde_json::to_value(custom_fields(lead))?,
        last_contacted_at: None,
        created_at: lead.created_at.clone().unwrap_or_else(|| tx.stamp()),
        updated_at: tx.stamp(),
    };
    // Checked against the contact's definition before anything (its company) is written for it;
    // the checked values are what is stored.
    let mut checked = match crate::replica::row::check(EntityKind::Contact, &contact) {
        Ok(checked) => checked,
        Err(refused) => {
            return Ok(RowOutcome { outcome: Outcome::Failed, record_id: None, message: Some(refused.to_string()) })
        }
    };
    let company_id = ensure_company(tx, lead, company, keys)?;
    if let Some(company_id) = company_id {
        contact.company_id = Some(company_id);
        checked.set("company_id", serde_json::Value::String(company_id.to_string()))?;
    }
    let key = name_key(lead.first_name.as_deref(), lead.last_name.as_deref());
    if let (true, Some(e164)) = (switchboard, lead.phone_e164.as_deref()) {
        mark_switchboard(tx, e164, company_id, keys)?;
    }
    let e164 = if switchboard { None } else { lead.phone_e164.clone() };
    contacts::write_checked_row(tx, &contact, checked, Write::Insert, Some(e164))?;
    crate::replica::mark_changed(tx, EntityKind::Contact, &id)?;
    let e164 = if switchboard { None } else { lead.phone_e164.as_deref() };
    remember(keys, id, lead.email.as_deref(), e164, key.as_deref(), company_id);
    if company_id.is_none() && lead.email.is_none() {
        if let Some(name) = key.as_deref() {
            keys.insert(Key::BareName, &[name]);
        }
    }
    Ok(RowOutcome { outcome: Outcome::Imported, record_id: Some(id.to_string()), message: None })
}

type Fields = (Option<String>, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);

fn update(
    tx: &Tx<'_>,
    id: ContactId,
    lead: &LeadRow,
    company: &CompanyPlan,
    source: &str,
    keys: &mut KeyFilter,
) -> Result<RowOutcome> {
    let current: Option<(Fields, Option<CompanyId>, String)> = tx
        .sql
        .prepare_cached(
            "SELECT first_name, last_name, email, phone, title, lead_source, company_id, custom_fields
             FROM contacts WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?), r.get(6)?, r.get(7)?))
        })
        .optional()?;
    let Some((old, old_company, old_custom)) = current else {
        return Ok(RowOutcome {
            outcome: Outcome::Failed,
            record_id: Some(id.to_string()),
            message: Some("duplicate vanished".into()),
        });
    };
    let pick = |new: &Option<String>, old: &Option<String>| new.clone().or_else(|| old.clone());
    let new: Fields = (
        pick(&lead.first_name, &old.0),
        pick(&lead.last_name, &old.1),
        pick(&lead.email, &old.2),
        pick(&lead.phone, &old.3),
        pick(&lead.title, &old.4),
        pick(&lead.lead_source, &old.5),
    );
    let company_id = ensure_company(tx, lead, company, keys)?.or(old_company);
    let mut custom: BTreeMap<String, String> = serde_json::from_str(&old_custom).unwrap_or_default();
    let before_custom = custom.clone();
    custom.extend(custom_fields(lead));
    let labels = ["first_name", "last_name", "email", "phone", "title", "lead_source"];
    let olds = [&old.0, &old.1, &old.2, &old.3, &old.4, &old.5];
    let news = [&new.0, &new.1, &new.2, &new.3, &new.4, &new.5];
    let mut changes: Vec<String> = labels
        .iter()
        .zip(olds.iter().zip(news.iter()))
        .filter(|(_, (o, n))| o != n)
        .map(|(label, (o, n))| format!("{label}: {} → {}", o.as_deref().unwrap_or("—"), n.as_deref().unwrap_or("—")))
        .collect();
    if company_id != old_company {
        changes.push("company changed".into());
    }
    if custom != before_custom {
        changes.push("custom fields updated".into());
    }
    // Opt-outs only ever get stricter through an import.
    let opted_out: (bool, bool, bool) = tx
        .sql
        .prepare_cached("SELECT email_opt_out, sms_opt_out, do_not_call FROM contacts WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    let flags = (opted_out.0 || lead.email_opt_out, opted_out.1 || lead.sms_opt_out, opted_out.2 || lead.do_not_call);
    if flags != opted_out {
        changes.push("opt-outs updated".into());
    }
    let mut contact = contacts::fetch(&tx.sql, id)?;
    for (label, stored, given) in [
        ("linkedin_url", &mut contact.linkedin_url, &lead.linkedin),
        ("time_zone", &mut contact.time_zone, &lead.time_zone),
    ] {
        if given.is_some() && given != stored {
            changes.push(format!(
                "{label}: {} → {}",
                stored.as_deref().unwrap_or("—"),
                given.as_deref().unwrap_or("—")
            ));
            stored.clone_from(given);
        }
    }
    if changes.is_empty() {
        return Ok(RowOutcome {
            outcome: Outcome::Skipped,
            record_id: Some(id.to_string()),
            message: Some("duplicate with nothing new".into()),
        });
    }
    let stored_e164: Option<String> =
        tx.sql.prepare_cached("SELECT phone_e164 FROM contacts WHERE id = ?1")?.query_row([id], |r| r.get(0))?;
    (contact.first_name, contact.last_name, contact.email, contact.phone, contact.title, contact.lead_source) =
        new.clone();
    contact.company_id = company_id;
    contact.custom_fields = serde_json::to_value(&custom)?;
    (contact.email_opt_out, contact.sms_opt_out, contact.do_not_call) = flags;
    contact.updated_at = tx.stamp();
    match contacts::write_row(tx, &contact, Write::Update, Some(lead.phone_e164.clone().or(stored_e164))) {
        Err(refused @ crate::Error::Invalid { .. }) => {
            return Ok(RowOutcome {
                outcome: Outcome::Failed,
                record_id: Some(id.to_string()),
                message: Some(refused.to_string()),
            });
        }
        other => other?,
    }
    crate::replica::mark_changed(tx, EntityKind::Contact, &id)?;
    let name = name_key(new.0.as_deref(), new.1.as_deref());
    remember(keys, id, new.2.as_deref(), lead.phone_e164.as_deref(), name.as_deref(), company_id);
    activities::insert(
        tx,
        NewActivity {
            kind: ActivityKind::Note,
            subject: format!("Updated by import of {source}"),
            body: Some(changes.join("\n")),
            contact_id: Some(id),
            ..Default::default()
        },
    )?;
    Ok(RowOutcome { outcome: Outcome::Updated, record_id: Some(id.to_string()), message: None })
}

/// Carries out the plan for one lead; every key it writes is added to `keys`.
pub(crate) fn apply_row(
    tx: &Tx<'_>,
    lead: &LeadRow,
    plan: &RowPlan,
    mode: ImportMode,
    source: &str,
    keys: &mut KeyFilter,
) -> Result<RowOutcome> {
    match (plan, mode) {
        (RowPlan::Create { company, switchboard }, _) => create(tx, lead, company, *switchboard, keys),
        (RowPlan::Duplicate { id, rule, .. }, ImportMode::Skip) => Ok(RowOutcome {
            outcome: Outcome::Skipped,
            record_id: Some(id.to_string()),
            message: Some(format!("duplicate of contact {id} ({})", rule.describe())),
        }),
        (RowPlan::Duplicate { id, company, .. }, ImportMode::Update) => update(tx, *id, lead, company, source, keys),
    }
}
