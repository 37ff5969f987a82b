//! `outpost companies …`: accounts — add, list, show, update, delete and CSV export.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use outpost_core::{
    crm::companies::{self, CompanyUpdate, NewCompany},
    import::export,
    store::ids::CompanyId,
    Ctx, Error, Result,
};

use crate::{args::ListArgs, render, stdout::emit};

/// Company fields shared by `add` and `update`.
#[derive(Debug, Args)]
pub struct CompanyFields {
    /// Name.
    #[arg(long)]
    pub name: Option<String>,
    /// Website or domain (stored as the bare domain).
    #[arg(long, alias = "website")]
    pub domain: Option<String>,
    /// Industry.
    #[arg(long)]
    pub industry: Option<String>,
    /// City / region / country.
    #[arg(long)]
    pub location: Option<String>,
    /// Head-count band, e.g. 51-200.
    #[arg(long)]
    pub size: Option<String>,
}

/// `outpost companies …`
#[derive(Debug, Subcommand)]
pub enum CompaniesCmd {
    /// Add a company.
    Add(CompanyFields),
    /// List companies.
    List(ListArgs),
    /// Show one company.
    Show {
        /// Company id.
        id: CompanyId,
    },
    /// Change fields of a company.
    Update {
        /// Company id.
        id: CompanyId,
        /// Fields to change.
        #[command(flatten)]
        fields: CompanyFields,
    },
    /// Delete a company (its contacts and deals stay, unlinked).
    Delete {
        /// Company id.
        id: CompanyId,
    },
    /// Write every company to a CSV file that spreadsheets open safely.
    Export {
        /// Destination file.
        #[arg(long, value_name = "FILE")]
        csv: PathBuf,
    },
}

/// Runs one `outpost companies …` command.
pub(crate) fn run(ctx: &Ctx, json: bool, cmd: CompaniesCmd) -> Result<()> {
    match cmd {
        CompaniesCmd::Add(CompanyFields { name, domain, industry, location, size }) => {
            let name = name.ok_or_else(|| Error::invalid("name", "is required (--name)"))?;
            let req = NewCompany { name, domain, industry, location, size };
            emit(json, &companies::add(ctx, req)?, render::company)
        }
        CompaniesCmd::List(args) => emit(json, companies::list(ctx, args.into())?.as_slice(), render::companies),
        CompaniesCmd::Show { id } => emit(json, &companies::get(ctx, id)?, render::company),
        CompaniesCmd::Update { id, fields } => {
            let CompanyFields { name, domain, industry, location, size } = fields;
            let req = CompanyUpdate { id, name, domain, industry, location, size };
            emit(json, &companies::update(ctx, req)?, render::company)
        }
        CompaniesCmd::Delete { id } => emit(json, &companies::delete(ctx, id)?, render::deleted),
        CompaniesCmd::Export { csv } => emit(json, &export::companies_csv(ctx, &csv)?, render::exported),
    }
}
