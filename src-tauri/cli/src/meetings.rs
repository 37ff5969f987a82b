//! `outpost meetings …`: meetings — add, update, list, show, .ics import, notes, follow-ups
//! and contacts from the suggested attendees.

use std::path::PathBuf;

use clap::Subcommand;
use outpost_core::{
    meetings::{
        self,
        ics::{self, CalendarImport, CalendarImportRequest},
        CreateContacts, FollowUps, MeetingNotes, MeetingUpdate, NewMeeting,
    },
    store::ids::{CompanyId, DealId, MeetingId},
    Ctx, Error, Result,
};

use crate::{args::ListArgs, render, stdout::emit};

/// `outpost meetings …`
#[derive(Debug, Subcommand)]
pub enum MeetingsCmd {
    /// Add a meeting.
    Add {
        /// Title.
        #[arg(long)]
        title: String,
        /// Start: RFC 3339 or "YYYY-MM-DD HH:MM" (UTC).
        #[arg(long, alias = "start")]
        starts_at: String,
        /// End, same formats.
        #[arg(long, alias = "end")]
        ends_at: Option<String>,
        /// Where.
        #[arg(long)]
        location: Option<String>,
        /// Agenda.
        #[arg(long)]
        description: Option<String>,
        /// Attendee as email or "Name <email>"; repeat for several.
        #[arg(long = "attendee", alias = "attendees")]
        attendees: Vec<String>,
        /// Company id.
        #[arg(long, alias = "company")]
        company_id: Option<CompanyId>,
        /// Deal id.
        #[arg(long, alias = "deal")]
        deal_id: Option<DealId>,
    },
    /// Change a meeting; --attendee (repeatable) replaces the attendee list.
    Update {
        /// Meeting id.
        id: MeetingId,
        /// Title.
        #[arg(long)]
        title: Option<String>,
        /// Start: RFC 3339 or "YYYY-MM-DD HH:MM" (UTC).
        #[arg(long, alias = "start")]
        starts_at: Option<String>,
        /// End, same formats; empty clears it.
        #[arg(long, alias = "end")]
        ends_at: Option<String>,
        /// Where; empty clears it.
        #[arg(long)]
        location: Option<String>,
        /// Agenda; empty clears it.
        #[arg(long)]
        description: Option<String>,
        /// The new attendee list: email or "Name <email>"; repeat for several.
        #[arg(long = "attendee", alias = "attendees")]
        attendees: Vec<String>,
        /// Company id.
        #[arg(long, alias = "company")]
        company_id: Option<CompanyId>,
        /// Deal id.
        #[arg(long, alias = "deal")]
        deal_id: Option<DealId>,
    },
    /// List meetings in start order.
    List(ListArgs),
    /// Show one meeting with attendees (internal/external) and suggested new contacts.
    Show {
        /// Meeting id.
        id: MeetingId,
    },
    /// Import meetings from an iCalendar (.ics) file; importing it again updates them.
    Import {
        /// The .ics file.
        file: PathBuf,
        /// Expand recurring events from this many days ago [default: setting calendar-days-back, else 90].
        #[arg(long, value_name = "DAYS")]
        days_back: Option<u32>,
        /// … to this many days ahead [default: setting calendar-days-ahead, else 180].
        #[arg(long, value_name = "DAYS")]
        days_ahead: Option<u32>,
        /// Expand recurring events from this date (YYYY-MM-DD) instead.
        #[arg(long, value_name = "DATE", conflicts_with = "days_back")]
        from: Option<String>,
        /// … up to this date (YYYY-MM-DD) instead.
        #[arg(long, value_name = "DATE", conflicts_with = "days_ahead")]
        to: Option<String>,
        /// IANA zone of times given without one, in calendars without X-WR-TIMEZONE [default: setting
        /// timezone, else UTC].
        #[arg(long, value_name = "ZONE")]
        timezone: Option<String>,
    },
    /// Set a meeting's notes from --text or a --file.
    Notes {
        /// Meeting id.
        id: MeetingId,
        /// The notes.
        #[arg(long, conflicts_with = "file")]
        text: Option<String>,
        /// Read the notes from this text file.
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// Turn the notes' action lines into tasks and log the meeting on its contacts and deal.
    FollowUps {
        /// Meeting id.
        id: MeetingId,
    },
    /// Create contacts from the meeting's suggested (external, unknown) attendees.
    AddContacts {
        /// Meeting id.
        id: MeetingId,
        /// Only this suggested email; repeat for several [default: all suggestions].
        #[arg(long = "email")]
        emails: Vec<String>,
    },
}

fn import_summary(r: &CalendarImport) -> String {
    let mut lines = vec![format!(
        "{}: {} events; {} meetings created, {} updated, {} cancelled, {} unchanged, {} skipped \
         (recurring events expanded {} to {})",
        r.file,
        r.events,
        r.created,
        r.updated,
        r.cancelled,
        r.unchanged,
        r.skipped.len(),
        r.window_from,
        r.window_to
    )];
    lines.extend(r.changes.iter().map(|c| format!("  {:<9} {}  {}  {}", c.action, c.meeting_id, c.starts_at, c.title)));
    lines.extend(r.skipped.iter().map(|s| {
        let line = s.line.map(|l| format!(" (line {l})")).unwrap_or_default();
        let detail = s.detail.as_deref().map(|d| format!(": {d}")).unwrap_or_default();
        format!("  skipped   {:?}{line}: {}  {} [{}]{detail}", s.reason, s.starts_at, s.title, s.uid)
    }));
    lines.extend(r.warnings.iter().map(|w| format!("  warning   line {} [{}]: {}", w.line, w.uid, w.message)));
    lines.join("\n")
}

fn follow_ups_summary(f: &FollowUps) -> String {
    let mut lines = vec![format!(
        "{} action items: {} tasks created, {} created before; {} meeting activities logged",
        f.actions.len(),
        f.tasks_created.len(),
        f.already_created,
        f.activities_logged.len()
    )];
    lines.extend(f.tasks_created.iter().map(|t| {
        let due = t.due_date.as_deref().map(|d| format!(" (due {d})")).unwrap_or_default();
        format!("  task {}  {}{due}", t.id, t.title)
    }));
    lines.join("\n")
}

/// Runs one `outpost meetings …` command.
pub(crate) fn run(ctx: &Ctx, json: bool, cmd: MeetingsCmd) -> Result<()> {
    match cmd {
        MeetingsCmd::Add { title, starts_at, ends_at, location, description, attendees, company_id, deal_id } => {
            let req = NewMeeting { title, starts_at, ends_at, location, description, company_id, deal_id, attendees };
            emit(json, &meetings::add(ctx, req)?, render::meeting)
        }
        MeetingsCmd::Update {
            id,
            title,
            starts_at,
            ends_at,
            location,
            description,
            attendees,
            company_id,
            deal_id,
        } => {
            let attendees = (!attendees.is_empty()).then_some(attendees);
            let req =
                MeetingUpdate { id, title, starts_at, ends_at, location, description, company_id, deal_id, attendees };
            emit(json, &meetings::update(ctx, req)?, render::meeting)
        }
        MeetingsCmd::List(args) => emit(json, meetings::list(ctx, args.into())?.as_slice(), render::meetings),
        MeetingsCmd::Show { id } => emit(json, &meetings::get(ctx, id)?, render::meeting),
        MeetingsCmd::Import { file, days_back, days_ahead, from, to, timezone } => {
            let req = CalendarImportRequest { path: file, days_back, days_ahead, from, to, timezone };
            emit(json, &ics::import_file(ctx, req)?, import_summary)
        }
        MeetingsCmd::Notes { id, text, file } => {
            let notes = match (text, file) {
                (Some(text), None) => text,
                (None, Some(path)) => read_notes(&path)?,
                _ => return Err(Error::invalid("notes", "give the notes with either --text or --file")),
            };
            emit(json, &meetings::set_notes(ctx, MeetingNotes { meeting_id: id, notes: Some(notes) })?, render::meeting)
        }
        MeetingsCmd::FollowUps { id } => emit(json, &meetings::follow_ups(ctx, id)?, follow_ups_summary),
        MeetingsCmd::AddContacts { id, emails } => {
            let created = meetings::create_contacts(ctx, CreateContacts { meeting_id: id, emails })?;
            emit(json, created.as_slice(), render::contacts)
        }
    }
}

fn read_notes(path: &PathBuf) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        Error::invalid("file", format!("cannot read notes from {}: {e}; give a UTF-8 text file", path.display()))
    })
}
