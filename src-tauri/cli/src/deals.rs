//! `outpost deals …`: opportunities — add, list, show (with timeline), update, move between
//! stages, delete.

use clap::{Args, Subcommand};
use outpost_core::{
    crm::activities::{self, ActivityQuery},
    crm::deals::{self, Bant, DealQuery, DealUpdate, MoveDeal, NewDeal},
    store::ids::{CompanyId, ContactId, DealId},
    Ctx, Error, Result,
};

use crate::{
    render,
    stdout::{self, emit},
};

/// Deal fields shared by `add` and `update`.
#[derive(Debug, Args)]
pub struct DealFields {
    /// Title.
    #[arg(long)]
    pub title: Option<String>,
    /// Value in major units (e.g. 12000); never negative.
    #[arg(long, allow_hyphen_values = true)]
    pub value: Option<f64>,
    /// Currency code (e.g. GBP).
    #[arg(long)]
    pub currency: Option<String>,
    /// Main contact id.
    #[arg(long, alias = "contact-id")]
    pub contact: Option<ContactId>,
    /// Company name (linked or created).
    #[arg(long)]
    pub company: Option<String>,
    /// Company id.
    #[arg(long)]
    pub company_id: Option<CompanyId>,
    /// Expected close date (YYYY-MM-DD).
    #[arg(long)]
    pub expected_close: Option<String>,
    /// Owner.
    #[arg(long)]
    pub owner: Option<String>,
    /// Next step.
    #[arg(long)]
    pub next_step: Option<String>,
    /// Notes.
    #[arg(long)]
    pub notes: Option<String>,
    /// BANT: budget, e.g. "40k approved" ("" clears on update).
    #[arg(long)]
    pub budget: Option<String>,
    /// BANT: who decides, e.g. "CFO signs".
    #[arg(long)]
    pub authority: Option<String>,
    /// BANT: the need or pain.
    #[arg(long)]
    pub need: Option<String>,
    /// BANT: the buying timeline.
    #[arg(long)]
    pub timeline: Option<String>,
}

/// `outpost deals …`
#[derive(Debug, Subcommand)]
pub enum DealsCmd {
    /// Add a deal.
    Add {
        /// Deal fields.
        #[command(flatten)]
        fields: DealFields,
        /// Stage name (default: the first stage, Lead).
        #[arg(long)]
        stage: Option<String>,
    },
    /// List deals, most recently updated first.
    List {
        /// Text to match in title, contact or company.
        #[arg(long)]
        search: Option<String>,
        /// Only this stage.
        #[arg(long)]
        stage: Option<String>,
        /// Only this contact's deals.
        #[arg(long, alias = "contact-id")]
        contact: Option<ContactId>,
        /// Only this company's deals.
        #[arg(long)]
        company_id: Option<CompanyId>,
        /// Maximum rows.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Show one deal with its timeline.
    Show {
        /// Deal id.
        id: DealId,
    },
    /// Change fields of a deal.
    Update {
        /// Deal id.
        id: DealId,
        /// Fields to change.
        #[command(flatten)]
        fields: DealFields,
    },
    /// Move a deal to another stage.
    Move {
        /// Deal id.
        id: DealId,
        /// Target stage name.
        #[arg(long)]
        stage: String,
    },
    /// Delete a deal.
    Delete {
        /// Deal id.
        id: DealId,
    },
}

/// Runs one `outpost deals …` command.
pub(crate) fn run(ctx: &Ctx, json: bool, cmd: DealsCmd) -> Result<()> {
    match cmd {
        DealsCmd::Add { fields, stage } => {
            let DealFields {
                title,
                value,
                currency,
                contact,
                company,
                company_id,
                expected_close,
                owner,
                next_step,
                notes,
                budget,
                authority,
                need,
                timeline,
            } = fields;
            let title = title.ok_or_else(|| Error::invalid("title", "is required (--title)"))?;
            let req = NewDeal {
                title,
                value,
                currency,
                stage,
                contact_id: contact,
                company_id,
                company,
                expected_close,
                owner,
                next_step,
                notes,
                bant: Bant { budget, authority, need, timeline },
            };
            emit(json, &deals::add(ctx, req)?, render::deal)
        }
        DealsCmd::List { search, stage, contact, company_id, limit } => {
            let query = DealQuery { search, stage, contact_id: contact, company_id, limit };
            emit(json, deals::list(ctx, query)?.as_slice(), render::deals)
        }
        DealsCmd::Show { id } => {
            let deal = deals::get(ctx, id)?;
            if json {
                return emit(json, &deal, render::deal);
            }
            let timeline =
                activities::list(ctx, ActivityQuery { deal_id: Some(id), limit: Some(20), ..Default::default() })?;
            stdout::line(format_args!("{}\n\nTimeline\n{}", render::deal(&deal), render::activities(&timeline)));
            Ok(())
        }
        DealsCmd::Update { id, fields } => {
            let DealFields {
                title,
                value,
                currency,
                contact,
                company,
                company_id,
                expected_close,
                owner,
                next_step,
                notes,
                budget,
                authority,
                need,
                timeline,
            } = fields;
            let req = DealUpdate {
                id,
                title,
                value,
                currency,
                contact_id: contact,
                company_id,
                company,
                expected_close,
                owner,
                next_step,
                notes,
                bant: Bant { budget, authority, need, timeline },
            };
            emit(json, &deals::update(ctx, req)?, render::deal)
        }
        DealsCmd::Move { id, stage } => emit(json, &deals::move_stage(ctx, MoveDeal { id, stage })?, render::deal),
        DealsCmd::Delete { id } => emit(json, &deals::delete(ctx, id)?, render::deleted),
    }
}
