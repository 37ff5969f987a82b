//! Dispatches parsed commands to the core API and prints the results.

use serde::Serialize;

use super::{
    args::{
        ActivitiesCmd, Cli, Command, CompaniesCmd, CompanyFields, ContactFields, ContactsCmd, DealFields, DealsCmd,
        LinkArgs, ListArgs, TasksCmd,
    },
    import_cmd, render,
};
use crate::{
    activities::{self, ActivityKind, ActivityQuery, NewActivity},
    audit,
    clock::ManualClock,
    companies,
    companies::{CompanyUpdate, NewCompany},
    contacts,
    contacts::{ContactUpdate, NewContact},
    deals,
    deals::{Bant, DealQuery, DealUpdate, MoveDeal, NewDeal},
    pipeline,
    search::ListQuery,
    tasks::{self, NewTask, Priority, TaskQuery},
    Ctx, Error, Result,
};

/// Prints `value` as JSON or through its human renderer.
pub(super) fn emit<T: Serialize + ?Sized>(json: bool, value: &T, human: impl FnOnce(&T) -> String) -> Result<()> {
    if json {
        super::stdout::line(format_args!("{}", serde_json::to_string_pretty(value)?));
    } else {
        super::stdout::line(format_args!("{}", human(value)));
    }
    Ok(())
}

fn list_query(args: ListArgs) -> ListQuery {
    ListQuery { search: args.search, limit: args.limit }
}

/// Runs one parsed command line.
pub async fn run(cli: Cli) -> Result<()> {
    let dir = super::data_dir(cli.data_dir)?;
    let ctx = match cli.now.as_deref() {
        Some(now) => {
            let at = chrono::DateTime::parse_from_rfc3339(now.trim()).map_err(|_| {
                Error::invalid("now", format!("'{now}' is not an RFC 3339 instant (e.g. 2026-11-24T09:00:00Z)"))
            })?;
            Ctx::open_with_clock(&dir, std::sync::Arc::new(ManualClock::new(at.with_timezone(&chrono::Utc))))?
        }
        None => Ctx::open(&dir)?,
    };
    let json = cli.json;
    match cli.command {
        Command::Contacts(cmd) => contacts_cmd(&ctx, json, cmd).await,
        Command::Companies(cmd) => companies_cmd(&ctx, json, cmd).await,
        Command::Deals(cmd) => deals_cmd(&ctx, json, cmd).await,
        Command::Tasks(cmd) => tasks_cmd(&ctx, json, cmd).await,
        Command::Activities(cmd) => activities_cmd(&ctx, json, cmd).await,
        Command::Meetings(cmd) => super::meetings_cmd::meetings(&ctx, json, cmd).await,
        Command::Settings(cmd) => super::meetings_cmd::settings(&ctx, json, cmd).await,
        Command::Pipeline => emit(json, &pipeline::board(&ctx).await?, render::board),
        Command::Import(args) => import_cmd::import(&ctx, json, args).await,
        Command::Imports(cmd) => import_cmd::imports(&ctx, json, cmd).await,
        Command::Merges(cmd) => import_cmd::merges(&ctx, json, cmd).await,
        Command::Watch(cmd) => super::watch_cmd::watch(&ctx, json, cmd).await,
        Command::Sync(cmd) => super::sync_cmd::sync(&ctx, json, cmd).await,
        Command::Memories(cmd) => super::memories_cmd::memories(&ctx, json, cmd).await,
        Command::Copilot(cmd) => super::copilot_cmd::copilot(&ctx, json, cmd).await,
        Command::Calendar(cmd) => super::calendar_cmd::calendar(&ctx, json, cmd).await,
        Command::Connections(cmd) => super::connections_cmd::connections(&ctx, json, cmd).await,
        Command::Outbound(cmd) => super::outbound_cmd::outbound(&ctx, json, cmd).await,
        Command::Brief(args) => super::brief_cmd::brief(&ctx, json, args).await,
        Command::Briefs(cmd) => super::brief_cmd::briefs(&ctx, json, cmd).await,
        Command::Scores(cmd) => super::agent_cmd::scores(&ctx, json, cmd).await,
        Command::Agent(cmd) => super::agent_cmd::agent(&ctx, json, cmd).await,
        Command::Alerts(cmd) => super::agent_cmd::alerts(&ctx, json, cmd).await,
        Command::Digest { markdown: _ } => super::agent_cmd::digest(&ctx, json).await,
        Command::Team(cmd) => super::agent_cmd::team(&ctx, json, cmd).await,
        Command::Audit { entity, limit } => {
            emit(json, audit::list(&ctx, entity, limit).await?.as_slice(), render::audit)
        }
    }
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

async fn contacts_cmd(ctx: &Ctx, json: bool, cmd: ContactsCmd) -> Result<()> {
    match cmd {
        ContactsCmd::Add(fields) => emit(json, &contacts::add(ctx, new_contact(fields)).await?, render::contact),
        ContactsCmd::List(args) => {
            emit(json, contacts::list(ctx, list_query(args)).await?.as_slice(), render::contacts)
        }
        ContactsCmd::Show { id } => {
            let contact = contacts::get(ctx, id).await?;
            if json {
                return emit(json, &contact, render::contact);
            }
            let deals = deals::list(ctx, DealQuery { contact_id: Some(id), ..Default::default() }).await?;
            let timeline =
                activities::list(ctx, ActivityQuery { contact_id: Some(id), limit: Some(20), ..Default::default() })
                    .await?;
            super::stdout::line(format_args!("{}", render::contact(&contact)));
            super::stdout::line(format_args!("\nDeals\n{}", render::deals(&deals)));
            super::stdout::line(format_args!("\nTimeline\n{}", render::activities(&timeline)));
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
            emit(json, &contacts::update(ctx, update).await?, render::contact)
        }
        ContactsCmd::Delete { id } => emit(json, &contacts::delete(ctx, id).await?, render::deleted),
        ContactsCmd::Erase { id } => emit(json, &crate::erasure::erase_contact(ctx, id).await?, render::erased),
        ContactsCmd::Export { csv } => import_cmd::export_contacts(ctx, json, &csv).await,
    }
}

async fn companies_cmd(ctx: &Ctx, json: bool, cmd: CompaniesCmd) -> Result<()> {
    match cmd {
        CompaniesCmd::Add(CompanyFields { name, domain, industry, location, size }) => {
            let name = name.ok_or_else(|| Error::invalid("name", "is required (--name)"))?;
            let req = NewCompany { name, domain, industry, location, size };
            emit(json, &companies::add(ctx, req).await?, render::company)
        }
        CompaniesCmd::List(args) => {
            emit(json, companies::list(ctx, list_query(args)).await?.as_slice(), render::companies)
        }
        CompaniesCmd::Show { id } => emit(json, &companies::get(ctx, id).await?, render::company),
        CompaniesCmd::Update { id, fields } => {
            let CompanyFields { name, domain, industry, location, size } = fields;
            let req = CompanyUpdate { id, name, domain, industry, location, size };
            emit(json, &companies::update(ctx, req).await?, render::company)
        }
        CompaniesCmd::Delete { id } => emit(json, &companies::delete(ctx, id).await?, render::deleted),
        CompaniesCmd::Export { csv } => import_cmd::export_companies(ctx, json, &csv).await,
    }
}

async fn deals_cmd(ctx: &Ctx, json: bool, cmd: DealsCmd) -> Result<()> {
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
            emit(json, &deals::add(ctx, req).await?, render::deal)
        }
        DealsCmd::List { search, stage, contact, company_id, limit } => {
            let query = DealQuery { search, stage, contact_id: contact, company_id, limit };
            emit(json, deals::list(ctx, query).await?.as_slice(), render::deals)
        }
        DealsCmd::Show { id } => {
            let deal = deals::get(ctx, id).await?;
            if json {
                return emit(json, &deal, render::deal);
            }
            let timeline =
                activities::list(ctx, ActivityQuery { deal_id: Some(id), limit: Some(20), ..Default::default() })
                    .await?;
            super::stdout::line(format_args!("{}\n\nTimeline\n{}", render::deal(&deal), render::activities(&timeline)));
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
            emit(json, &deals::update(ctx, req).await?, render::deal)
        }
        DealsCmd::Move { id, stage } => {
            emit(json, &deals::move_stage(ctx, MoveDeal { id, stage }).await?, render::deal)
        }
        DealsCmd::Delete { id } => emit(json, &deals::delete(ctx, id).await?, render::deleted),
    }
}

fn parse_priority(text: Option<String>) -> Result<Option<Priority>> {
    match text.as_deref().map(str::trim).map(str::to_lowercase).as_deref() {
        None => Ok(None),
        Some("low") => Ok(Some(Priority::Low)),
        Some("normal") => Ok(Some(Priority::Normal)),
        Some("high") => Ok(Some(Priority::High)),
        Some(other) => Err(Error::invalid("priority", format!("unknown priority '{other}'; use low, normal or high"))),
    }
}

async fn tasks_cmd(ctx: &Ctx, json: bool, cmd: TasksCmd) -> Result<()> {
    match cmd {
        TasksCmd::Add { title, due_date, priority, notes, link: LinkArgs { contact, company, deal }, meeting } => {
            let req = NewTask {
                title,
                notes,
                due_date,
                priority: parse_priority(priority)?,
                contact_id: contact,
                company_id: company,
                deal_id: deal,
                meeting_id: meeting,
            };
            emit(json, &tasks::add(ctx, req).await?, render::task)
        }
        TasksCmd::List { all, entity, limit } => {
            let query = TaskQuery { include_done: Some(all), entity_id: entity, limit };
            emit(json, tasks::list(ctx, query).await?.as_slice(), render::tasks)
        }
        TasksCmd::Done { id } => emit(json, &tasks::complete(ctx, id).await?, render::task),
    }
}

async fn activities_cmd(ctx: &Ctx, json: bool, cmd: ActivitiesCmd) -> Result<()> {
    match cmd {
        ActivitiesCmd::Log {
            kind,
            subject,
            body,
            occurred_at,
            direction,
            link: LinkArgs { contact, company, deal },
        } => {
            let req = NewActivity {
                kind: ActivityKind::parse(&kind)?,
                subject,
                body,
                occurred_at,
                contact_id: contact,
                company_id: company,
                deal_id: deal,
                meeting_id: None,
                direction,
            };
            emit(json, &activities::log(ctx, req).await?, render::activity)
        }
        ActivitiesCmd::List { link: LinkArgs { contact, company, deal }, limit } => {
            let query = ActivityQuery { contact_id: contact, company_id: company, deal_id: deal, limit };
            emit(json, activities::list(ctx, query).await?.as_slice(), render::activities)
        }
    }
}
