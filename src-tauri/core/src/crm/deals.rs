//! Deals: opportunities moving through the pipeline.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::replica::{Action, EntityKind};
use crate::{
    crm::activities::{self, ActivityKind, NewActivity},
    crm::companies::Deleted,
    crm::contacts,
    crm::pipeline::{self, StageKind},
    memories::{self, MemoryCategory},
    store::audit,
    store::ctx::Tx,
    store::ids::{CompanyId, ContactId, DealId, PipelineId, StageId},
    store::search::{like_pattern, ListQuery},
    store::validate::{self, MAX_LONG, MAX_SHORT},
    Ctx, Error, Result,
};

/// Currency used when a deal names none and no default is configured.
pub const FALLBACK_CURRENCY: &str = "USD";

/// A deal with its stage, contact and company names for display.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Deal {
    /// Id.
    pub id: DealId,
    /// Title.
    pub title: String,
    /// Value in major units (e.g. 12000.50).
    pub value: f64,
    /// ISO currency code.
    pub currency: String,
    /// Pipeline.
    pub pipeline_id: PipelineId,
    /// Stage id.
    pub stage_id: StageId,
    /// Stage name.
    pub stage: String,
    /// Open, won or lost.
    pub stage_kind: StageKind,
    /// When the deal entered its current stage (RFC 3339).
    pub stage_entered_at: String,
    /// Expected close date (YYYY-MM-DD).
    pub expected_close: Option<String>,
    /// Owner (rep).
    pub owner: Option<String>,
    /// Main contact.
    pub contact_id: Option<ContactId>,
    /// Main contact's display name.
    pub contact_name: Option<String>,
    /// Company.
    pub company_id: Option<CompanyId>,
    /// Company name.
    pub company_name: Option<String>,
    /// Agreed next step.
    pub next_step: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// When it was won or lost (RFC 3339).
    pub closed_at: Option<String>,
    /// BANT qualification of the deal.
    #[serde(flatten)]
    pub bant: Bant,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

/// BANT qualification: what is known about the buyer's budget, authority, need and timeline.
/// Free text, `None` while unknown (an unknown field becomes a question in the meeting brief).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export, optional_fields = nullable)]
pub struct Bant {
    /// Budget, e.g. "40k approved for Q1".
    #[serde(default)]
    pub budget: Option<String>,
    /// Who decides and signs, e.g. "CFO Grace Hopper signs".
    #[serde(default)]
    pub authority: Option<String>,
    /// The problem being solved.
    #[serde(default)]
    pub need: Option<String>,
    /// When they want to buy or go live.
    #[serde(default)]
    pub timeline: Option<String>,
}

impl Bant {
    /// Validates and cleans each field (blank clears it).
    fn cleaned(self) -> Result<Self> {
        Ok(Bant {
            budget: validate::text("budget", self.budget, MAX_SHORT)?,
            authority: validate::text("authority", self.authority, MAX_SHORT)?,
            need: validate::text("need", self.need, MAX_SHORT)?,
            timeline: validate::text("timeline", self.timeline, MAX_SHORT)?,
        })
    }

    /// Applies the fields present in `change` (an empty string clears one).
    fn merged(&self, change: Bant) -> Result<Self> {
        let pick = |field: &str, new: Option<String>, old: &Option<String>| match new {
            Some(v) => validate::text(field, Some(v), MAX_SHORT),
            None => Ok(old.clone()),
        };
        Ok(Bant {
            budget: pick("budget", change.budget, &self.budget)?,
            authority: pick("authority", change.authority, &self.authority)?,
            need: pick("need", change.need, &self.need)?,
            timeline: pick("timeline", change.timeline, &self.timeline)?,
        })
    }
}

/// Input for creating a deal.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct NewDeal {
    /// Title (required).
    pub title: String,
    /// Value in major units (default 0; never negative).
    #[serde(default)]
    pub value: Option<f64>,
    /// Currency code (default from settings, else USD).
    #[serde(default)]
    pub currency: Option<String>,
    /// Stage name (default: the pipeline's first stage).
    #[serde(default)]
    pub stage: Option<String>,
    /// Main contact.
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    /// Company by id.
    #[serde(default)]
    pub company_id: Option<CompanyId>,
    /// Company by name (linked or created).
    #[serde(default)]
    pub company: Option<String>,
    /// Expected close date (YYYY-MM-DD).
    #[serde(default)]
    pub expected_close: Option<String>,
    /// Owner (default: the local user).
    #[serde(default)]
    pub owner: Option<String>,
    /// Next step.
    #[serde(default)]
    pub next_step: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// BANT qualification.
    #[serde(default, flatten)]
    pub bant: Bant,
}

/// Changes to a deal; absent fields stay, an empty string clears a text field.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct DealUpdate {
    /// Which deal.
    pub id: DealId,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Value.
    #[serde(default)]
    pub value: Option<f64>,
    /// Currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// Main contact.
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    /// Company by id.
    #[serde(default)]
    pub company_id: Option<CompanyId>,
    /// Company by name; empty string unlinks.
    #[serde(default)]
    pub company: Option<String>,
    /// Expected close date.
    #[serde(default)]
    pub expected_close: Option<String>,
    /// Owner.
    #[serde(default)]
    pub owner: Option<String>,
    /// Next step.
    #[serde(default)]
    pub next_step: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// BANT fields to change (absent stay, "" clears).
    #[serde(default, flatten)]
    pub bant: Bant,
}

/// Moves a deal to another stage of its pipeline.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct MoveDeal {
    /// Which deal.
    pub id: DealId,
    /// Target stage name (case-insensitive).
    pub stage: String,
}

/// Filters for listing deals.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct DealQuery {
    /// Text matched against title, contact and company names.
    #[serde(default)]
    pub search: Option<String>,
    /// Only deals in this stage (name).
    #[serde(default)]
    pub stage: Option<String>,
    /// Only deals of this contact.
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    /// Only deals of this company.
    #[serde(default)]
    pub company_id: Option<CompanyId>,
    /// Maximum rows.
    #[serde(default)]
    pub limit: Option<u32>,
}

const SELECT: &str = "SELECT d.id, d.title, iif(typeof(d.value_minor) = 'integer', d.value_minor, 0), d.currency, d.pipeline_id, d.stage_id, s.name, s.kind,
        d.stage_entered_at, d.expected_close, d.owner, d.contact_id,
        nullif(trim(coalesce(ct.first_name, '') || ' ' || coalesce(ct.last_name, '')), ''),
        d.company_id, co.name, d.next_step, d.notes, d.closed_at, d.created_at, d.updated_at,
        d.budget, d.authority, d.need, d.timeline
    FROM deals d
    JOIN stages s ON s.id = d.stage_id
    LEFT JOIN contacts ct ON ct.id = d.contact_id
    LEFT JOIN companies co ON co.id = d.company_id";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Deal> {
    Ok(Deal {
        id: row.get(0)?,
        title: row.get(1)?,
        value: validate::major(row.get(2)?),
        currency: row.get(3)?,
        pipeline_id: row.get(4)?,
        stage_id: row.get(5)?,
        stage: row.get(6)?,
        stage_kind: row.get(7)?,
        stage_entered_at: row.get(8)?,
        expected_close: row.get(9)?,
        owner: row.get(10)?,
        contact_id: row.get(11)?,
        contact_name: row.get(12)?,
        company_id: row.get(13)?,
        company_name: row.get(14)?,
        next_step: row.get(15)?,
        notes: row.get(16)?,
        closed_at: row.get(17)?,
        bant: Bant { budget: row.get(20)?, authority: row.get(21)?, need: row.get(22)?, timeline: row.get(23)? },
        created_at: row.get(18)?,
        updated_at: row.get(19)?,
    })
}

pub(crate) fn fetch(conn: &Connection, id: DealId) -> Result<Deal> {
    conn.prepare_cached(&format!("{SELECT} WHERE d.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::NotFound { entity: "deal", id: id.to_string() })
}

/// Deals in one stage, most recently moved first.
pub(crate) fn in_stage(conn: &Connection, stage: StageId) -> Result<Vec<Deal>> {
    let mut stmt = conn.prepare(&format!("{SELECT} WHERE d.stage_id = ?1 ORDER BY d.stage_entered_at DESC"))?;
    let rows = stmt.query_map([stage], from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn default_currency(conn: &Connection) -> Result<String> {
    let configured: Option<String> =
        conn.query_row("SELECT value FROM settings WHERE key = 'default_currency'", [], |r| r.get(0)).optional()?;
    Ok(configured.unwrap_or_else(|| FALLBACK_CURRENCY.to_owned()))
}

fn write_row(tx: &Tx<'_>, deal: &Deal, insert: bool) -> Result<()> {
    let sql = if insert {
        "INSERT INTO deals (id, title, value_minor, currency, pipeline_id, stage_id, stage_entered_at,
             expected_close, owner, contact_id, company_id, next_step, notes, closed_at, created_at, updated_at,
             budget, authority, need, timeline)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"
    } else {
        "UPDATE deals SET title = ?2, value_minor = ?3, currency = ?4, pipeline_id = ?5, stage_id = ?6,
             stage_entered_at = ?7, expected_close = ?8, owner = ?9, contact_id = ?10, company_id = ?11,
             next_step = ?12, notes = ?13, closed_at = ?14, updated_at = ?16,
             budget = ?17, authority = ?18, need = ?19, timeline = ?20
         WHERE id = ?1"
    };
    tx.sql.prepare_cached(sql)?.execute(params![
        deal.id,
        deal.title,
        validate::money("value", deal.value)?,
        deal.currency,
        deal.pipeline_id,
        deal.stage_id,
        deal.stage_entered_at,
        deal.expected_close,
        deal.owner,
        deal.contact_id,
        deal.company_id,
        deal.next_step,
        deal.notes,
        deal.closed_at,
        deal.created_at,
        deal.updated_at,
        deal.bant.budget,
        deal.bant.authority,
        deal.bant.need,
        deal.bant.timeline
    ])?;
    Ok(())
}

fn check_money(field: &str, value: f64) -> Result<f64> {
    validate::money(field, value).map(validate::major)
}

/// Creates a deal.
pub fn add(ctx: &Ctx, req: NewDeal) -> Result<Deal> {
    ctx.write(|tx| {
        let title = validate::required("title", Some(req.title))?;
        let value = check_money("value", req.value.unwrap_or(0.0))?;
        let currency = match validate::currency("currency", req.currency)? {
            Some(code) => code,
            None => default_currency(&tx.sql)?,
        };
        let (pipeline_id, _) = pipeline::default_pipeline(&tx.sql)?;
        let stage = match req.stage.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(name) => pipeline::stage_by_name(&tx.sql, pipeline_id, name)?,
            None => pipeline::stages_of(&tx.sql, pipeline_id)?
                .into_iter()
                .next()
                .ok_or_else(|| Error::invalid("stage", "the pipeline has no stages; add one first"))?,
        };
        if let Some(contact) = req.contact_id {
            contacts::fetch(&tx.sql, contact)?;
        }
        let company_id = contacts::resolve_company(tx, req.company_id, req.company)?.flatten();
        let closed = stage.kind != StageKind::Open;
        let deal = Deal {
            id: DealId::new(),
            title,
            value,
            currency,
            pipeline_id,
            stage_id: stage.id,
            stage: stage.name,
            stage_kind: stage.kind,
            stage_entered_at: tx.stamp(),
            expected_close: validate::date("expected_close", req.expected_close)?.map(|d| d.to_string()),
            owner: validate::text("owner", req.owner, MAX_SHORT)?.or_else(|| Some(tx.actor.to_owned())),
            contact_id: req.contact_id,
            contact_name: None,
            company_id,
            company_name: None,
            next_step: validate::text("next_step", req.next_step, MAX_SHORT)?,
            notes: validate::text("notes", req.notes, MAX_LONG)?,
            closed_at: closed.then(|| tx.stamp()),
            bant: req.bant.cleaned()?,
            created_at: tx.stamp(),
            updated_at: tx.stamp(),
        };
        write_row(tx, &deal, true)?;
        let deal = fetch(&tx.sql, deal.id)?;
        tx.changed(EntityKind::Deal, &deal.id, Action::Create, &deal)?;
        Ok(deal)
    })
}

/// One deal by id.
pub fn get(ctx: &Ctx, id: DealId) -> Result<Deal> {
    ctx.read(|conn| fetch(conn, id))
}

/// Deals, most recently updated first, filtered by text, stage, contact or company.
pub fn list(ctx: &Ctx, query: DealQuery) -> Result<Vec<Deal>> {
    let limit = ListQuery { search: None, limit: query.limit }.limit()?;
    ctx.read(|conn| {
        let stage_id = match query.stage.as_deref() {
            Some(name) => {
                let (pipeline, _) = pipeline::default_pipeline(conn)?;
                Some(pipeline::stage_by_name(conn, pipeline, name)?.id)
            }
            None => None,
        };
        let pattern = query.search.as_deref().filter(|s| !s.trim().is_empty()).map(like_pattern);
        let mut stmt = conn.prepare(&format!(
            "{SELECT} WHERE (?1 IS NULL OR d.title LIKE ?1 ESCAPE '\\' OR co.name LIKE ?1 ESCAPE '\\'
                 OR (coalesce(ct.first_name, '') || ' ' || coalesce(ct.last_name, '')) LIKE ?1 ESCAPE '\\')
               AND (?2 IS NULL OR d.stage_id = ?2)
               AND (?3 IS NULL OR d.contact_id = ?3)
               AND (?4 IS NULL OR d.company_id = ?4)
             ORDER BY d.updated_at DESC LIMIT ?5"
        ))?;
        let rows = stmt.query_map(params![pattern, stage_id, query.contact_id, query.company_id, limit], from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })
}

/// Applies a partial update (use [`move_stage`] to change the stage).
pub fn update(ctx: &Ctx, req: DealUpdate) -> Result<Deal> {
    ctx.write(|tx| {
        let old = fetch(&tx.sql, req.id)?;
        let mut new = old.clone();
        if let Some(v) = req.title {
            new.title = validate::required("title", Some(v))?;
        }
        if let Some(v) = req.value {
            new.value = check_money("value", v)?;
        }
        if let Some(v) = req.currency {
            new.currency = validate::currency("currency", Some(v))?
                .ok_or_else(|| Error::invalid("currency", "cannot be blank"))?;
        }
        if let Some(contact) = req.contact_id {
            contacts::fetch(&tx.sql, contact)?;
            new.contact_id = Some(contact);
        }
        if let Some(company) = contacts::resolve_company(tx, req.company_id, req.company)? {
            new.company_id = company;
        }
        if let Some(v) = req.expected_close {
            new.expected_close = validate::date("expected_close", Some(v))?.map(|d| d.to_string());
        }
        if let Some(v) = req.owner {
            new.owner = validate::text("owner", Some(v), MAX_SHORT)?;
        }
        if let Some(v) = req.next_step {
            new.next_step = validate::text("next_step", Some(v), MAX_SHORT)?;
        }
        if let Some(v) = req.notes {
            new.notes = validate::text("notes", Some(v), MAX_LONG)?;
        }
        new.bant = old.bant.merged(req.bant)?;
        new.updated_at = tx.stamp();
        write_row(tx, &new, false)?;
        if new.value != old.value {
            memories::record_event(
                tx,
                MemoryCategory::Deal,
                format!(
                    "Deal \"{}\" value changed from {:.2} {} to {:.2} {} on {}",
                    new.title,
                    old.value,
                    old.currency,
                    new.value,
                    new.currency,
                    memories::day(tx)
                ),
                &deal_links(&new),
            )?;
        }
        let new = fetch(&tx.sql, new.id)?;
        tx.changed(EntityKind::Deal, &new.id, Action::Update, &audit::diff(&old, &new)?)?;
        Ok(new)
    })
}

/// The records an event memory about `deal` is linked to.
fn deal_links(deal: &Deal) -> [Option<memories::EntityRef>; 3] {
    [
        memories::link("deal", Some(deal.id)),
        memories::link("contact", deal.contact_id),
        memories::link("company", deal.company_id),
    ]
}

/// Moves a deal to another stage: records when it entered, closes or reopens it, logs a
/// `stage_change` activity on its timeline, an event memory and an audit row. Moving to the current stage is a
/// no-op.
pub fn move_stage(ctx: &Ctx, req: MoveDeal) -> Result<Deal> {
    ctx.write(|tx| {
        let old = fetch(&tx.sql, req.id)?;
        let target = pipeline::stage_by_name(&tx.sql, old.pipeline_id, &req.stage)?;
        if target.id == old.stage_id {
            return Ok(old);
        }
        let mut new = old.clone();
        new.stage_id = target.id;
        new.stage_entered_at = tx.stamp();
        new.closed_at = match target.kind {
            StageKind::Open => None,
            StageKind::Won | StageKind::Lost => Some(tx.stamp()),
        };
        new.updated_at = tx.stamp();
        write_row(tx, &new, false)?;
        activities::insert(
            tx,
            NewActivity {
                kind: ActivityKind::StageChange,
                subject: format!("Moved from {} to {}", old.stage, target.name),
                deal_id: Some(new.id),
                contact_id: new.contact_id,
                company_id: new.company_id,
                ..Default::default()
            },
        )?;
        memories::record_event(
            tx,
            MemoryCategory::Deal,
            format!("Deal \"{}\" moved from {} to {} on {}", new.title, old.stage, target.name, memories::day(tx)),
            &deal_links(&new),
        )?;
        let new = fetch(&tx.sql, new.id)?;
        tx.changed(EntityKind::Deal, &new.id, Action::Move, &serde_json::json!({ "stage": [old.stage, new.stage] }))?;
        Ok(new)
    })
}

/// Deletes a deal; its timeline entries stay on the contact and company.
pub fn delete(ctx: &Ctx, id: DealId) -> Result<Deleted> {
    ctx.write(|tx| {
        let old = fetch(&tx.sql, id)?;
        tx.sql.execute("DELETE FROM deals WHERE id = ?1", [id])?;
        tx.changed(EntityKind::Deal, &id, Action::Delete, &old)?;
        Ok(Deleted { entity: "deal".into(), id: id.to_string() })
    })
}
