//! `outpost contacts …`: people — add, list, show (with deals and timeline), update, delete,
//! GDPR erase and CSV export.

use std::path::PathBuf;

use clap::{builder::BoolishValueParser, Args, Subcommand};
use outpost_core::{
    crm::activities::{self, ActivityQuery},
    crm::contacts::{self, ContactUpdate, NewContact},
    crm::deals::{self, DealQuery},
    import::export,
    store::ids::{CompanyId, ContactId},
    Ctx, Result,
};

use crate::{
    args::ListArgs,
    render,
    stdout::{self, emit},
};

/// Contact fields shared by `add` and `update`.
#[derive(Debug, Args)]
pub struct ContactFields {
    /// Given name.
    #[arg(long)]
    pub first_name: Option<String>,
    /// Family name.
    #[arg(long)]
    pub last_name: Option<String>,
    /// Email address.
    #[arg(long)]
    pub email: Option<String>,
    /// Phone number.
    #[arg(long)]
    pub phone: Option<String>,
    /// Job title.
    #[arg(long)]
    pub title: Option<String>,
    /// Company name: linked if it exists, created otherwise ("" unlinks on update).
    #[arg(long)]
    pub company: Option<String>,
    /// Company by id.
    #[arg(long)]
    pub company_id: Option<CompanyId>,
    /// Opted out of email (true/false).
    #[arg(long, value_parser = BoolishValueParser::new(), value_name = "BOOL")]
    pub email_opt_out: Option<bool>,
    /// Opted out of SMS (true/false).
    #[arg(long, value_parser = BoolishValueParser::new(), value_name = "BOOL")]
    pub sms_opt_out: Option<bool>,
    /// Do not call (true/false).
    #[arg(long, alias = "call-opt-out", value_parser = BoolishValueParser::new(), value_name = "BOOL")]
    pub do_not_call: Option<bool>,
    /// Where the lead came from.
    #[arg(long)]
    pub lead_source: Option<String>,
    /// LinkedIn profile URL (https://www.linkedin.com/in/…; "" clears on update).
    #[arg(long, value_name = "URL")]
    pub linkedin: Option<String>,
    /// IANA time zone, e.g. Europe/Berlin ("" clears on update).
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// Notes.
    #[arg(long)]
    pub notes: Option<String>,
}

/// `outpost contacts …`
#[derive(Debug, Subcommand)]
pub enum ContactsCmd {
    /// Add a contact (needs a name, email or phone).
    Add(ContactFields),
    /// List contacts, alphabetically.
    List(ListArgs),
    /// Show one contact with their deals and timeline.
    Show {
        /// Contact id.
        id: ContactId,
    },
    /// Change fields of a contact ("" clears a text field).
    Update {
        /// Contact id.
        id: ContactId,
        /// Fields to change.
        #[command(flatten)]
        fields: ContactFields,
    },
    /// Delete a contact.
    Delete {
        /// Contact id.
        id: ContactId,
    },
    /// GDPR erase: remove the person and their personal data everywhere (this device, the sync
    /// server and, after they sync, every other device). Linked activities and tasks are erased,
    /// deals are kept but unlinked. Cannot be undone.
    Erase {
        /// Contact id.
        id: ContactId,
    },
    /// Write every contact to a CSV file that spreadsheets open safely.
    Export {
        /// Destination file.
        #[arg(long, value_name = "FILE")]
        csv: PathBuf,
    },
}

fn new_contact(f: ContactFields) -> NewContact {
    NewContact {
        first_name: f.first_name,
        last_name: f.last_name,
        email: f.email,
        phone: f.phone,
        title: f.title,
        company_id: f.company_id,
        company: f.company,
        email_opt_out: f.email_opt_out,
        sms_opt_out: f.sms_opt_out,
        do_not_call: f.do_not_call,
        lead_source: f.lead_source,
        linkedin_url: f.linkedin,
        time_zone: f.time_zone,
        notes: f.notes,
    }
}

/// Runs one `outpost contacts …` command.
pub(crate) fn run(ctx: &Ctx, json: bool, cmd: ContactsCmd) -> Result<()> {
    match cmd {
        ContactsCmd::Add(fields) => emit(json, &contacts::add(ctx, new_contact(fields))?, render::contact),
        ContactsCmd::List(args) => emit(json, contacts::list(ctx, args.into())?.as_slice(), render::contacts),
        ContactsCmd::Show { id } => {
            let contact = contacts::get(ctx, id)?;
            if json {
                return emit(json, &contact, render::contact);
            }
            let deals = deals::list(ctx, DealQuery { contact_id: Some(id), ..Default::default() })?;
            let timeline =
                activities::list(ctx, ActivityQuery { contact_id: Some(id), limit: Some(20), ..Default::default() })?;
            stdout::line(format_args!("{}", render::contact(&contact)));
            stdout::line(format_args!("\nDeals\n{}", render::deals(&deals)));
            stdout::line(format_args!("\nTimeline\n{}", render::activities(&timeline)));
            Ok(())
        }
        ContactsCmd::Update { id, fields } => {
            let new = new_contact(fields);
            let update = ContactUpdate {
                id,
                first_name: new.first_name,
                last_name: new.last_name,
                email: new.email,
                phone: new.phone,
                title: new.title,
                company_id: new.company_id,
                company: new.company,
                email_opt_out: new.email_opt_out,
                sms_opt_out: new.sms_opt_out,
                do_not_call: new.do_not_call,
                lead_source: new.lead_source,
                linkedin_url: new.linkedin_url,
                time_zone: new.time_zone,
                notes: new.notes,
            };
            emit(json, &contacts::update(ctx, update)?, render::contact)
        }
        ContactsCmd::Delete { id } => emit(json, &contacts::delete(ctx, id)?, render::deleted),
        ContactsCmd::Erase { id } => emit(json, &outpost_core::erasure::erase_contact(ctx, id)?, render::erased),
        ContactsCmd::Export { csv } => emit(json, &export::contacts_csv(ctx, &csv)?, render::exported),
    }
}
