//! `outpost tasks …`: to-dos linked to a contact, company, deal or meeting — add, list, done.

use clap::Subcommand;
use outpost_core::{
    crm::tasks::{self, NewTask, Priority, TaskQuery},
    store::ids::{MeetingId, TaskId},
    Ctx, Error, Result,
};

use crate::{args::LinkArgs, render, stdout::emit};

/// `outpost tasks …`
#[derive(Debug, Subcommand)]
pub enum TasksCmd {
    /// Add a task.
    Add {
        /// What to do.
        #[arg(long)]
        title: String,
        /// Due date (YYYY-MM-DD).
        #[arg(long, alias = "due")]
        due_date: Option<String>,
        /// low, normal or high.
        #[arg(long)]
        priority: Option<String>,
        /// Details.
        #[arg(long)]
        notes: Option<String>,
        /// Linked record.
        #[command(flatten)]
        link: LinkArgs,
        /// Meeting id.
        #[arg(long, alias = "meeting-id")]
        meeting: Option<MeetingId>,
    },
    /// List open tasks, soonest due first.
    List {
        /// Include completed tasks.
        #[arg(long)]
        all: bool,
        /// Only tasks linked to this record id.
        #[arg(long, value_name = "ID")]
        entity: Option<String>,
        /// Maximum rows.
        #[arg(long)]
        limit: Option<u32>,
    },
    /// Mark a task done.
    Done {
        /// Task id.
        id: TaskId,
    },
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

/// Runs one `outpost tasks …` command.
pub(crate) fn run(ctx: &Ctx, json: bool, cmd: TasksCmd) -> Result<()> {
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
            emit(json, &tasks::add(ctx, req)?, render::task)
        }
        TasksCmd::List { all, entity, limit } => {
            let query = TaskQuery { include_done: Some(all), entity_id: entity, limit };
            emit(json, tasks::list(ctx, query)?.as_slice(), render::tasks)
        }
        TasksCmd::Done { id } => emit(json, &tasks::complete(ctx, id)?, render::task),
    }
}
