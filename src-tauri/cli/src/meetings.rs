//! `outpost meetings …` and `outpost settings …`: meetings, calendar import, notes, follow-ups,
//! contact suggestions, and the organisation settings they use.

use std::path::PathBuf;

use clap::Subcommand;

use super::{args::MeetingsCmd, render, run::emit};
use crate::{
    meetings::{
        self,
        calendar::{self, CalendarImport, CalendarImportRequest},
        CreateContacts, FollowUps, MeetingNotes, MeetingUpdate, NewMeeting,
    },
    search::ListQuery,
    settings::{self, SetSetting, Setting},
    Ctx, Error, Result,
};

/// `outpost settings …`
#[derive(Debug, Subcommand)]
pub enum SettingsCmd {
    /// Every setting with its value.
    List,
    /// One setting.
    Get {
        /// Setting name, e.g. internal-domains.
        name: String,
    },
    /// Change a setting; an empty value resets it. E.g. `settings set internal-domains acme.com,acme.co.uk`.
    Set {
        /// Setting name: internal-domains, calendar-days-back, calendar-days-ahead, timezone.
        name: String,
        /// New value.
        value: String,
    },
}

fn setting_line(s: &Setting) -> String {
    format!("{:<20} {:<30} {}", s.name, s.value.as_deref().unwrap_or("(default)"), s.description)
}

/// Runs `outpost settings …`.
pub(super) async fn settings(ctx: &Ctx, json: bool, cmd: SettingsCmd) -> Result<()> {
    match cmd {
        SettingsCmd::List => emit(json, settings::list(ctx).await?.as_slice(), |list| {
            list.iter().map(setting_line).collect::<Vec<_>>().join("\n")
        }),
        SettingsCmd::Get { name } => emit(json, &settings::get(ctx, &name).await?, setting_line),
        SettingsCmd::Set { name, value } => {
            emit(json, &settings::set(ctx, SetSetting { name, value }).await?, setting_line)
        }
    }
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

/// Runs `outpost meetings …`.
pub(super) async fn meetings(ctx: &Ctx, json: bool, cmd: MeetingsCmd) -> Result<()> {
    match cmd {
        MeetingsCmd::Add { title, starts_at, ends_at, location, description, attendees, company_id, deal_id } => {
            let req = NewMeeting { title, starts_at, ends_at, location, description, company_id, deal_id, attendees };
            emit(json, &meetings::add(ctx, req).await?, render::meeting)
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
            emit(json, &meetings::update(ctx, req).await?, render::meeting)
        }
        MeetingsCmd::List(args) => {
            let query = ListQuery { search: args.search, limit: args.limit };
            emit(json, meetings::list(ctx, query).await?.as_slice(), render::meetings)
        }
        MeetingsCmd::Show { id } => emit(json, &meetings::get(ctx, id).await?, render::meeting),
        MeetingsCmd::Import { file, days_back, days_ahead, from, to, timezone } => {
            let req = CalendarImportRequest { path: file, days_back, days_ahead, from, to, timezone };
            emit(json, &calendar::import_file(ctx, req).await?, import_summary)
        }
        MeetingsCmd::Notes { id, text, file } => {
            let notes = match (text, file) {
                (Some(text), None) => text,
                (None, Some(path)) => read_notes(&path)?,
                _ => return Err(Error::invalid("notes", "give the notes with either --text or --file")),
            };
            emit(
                json,
                &meetings::set_notes(ctx, MeetingNotes { meeting_id: id, notes: Some(notes) }).await?,
                render::meeting,
            )
        }
        MeetingsCmd::FollowUps { id } => emit(json, &meetings::follow_ups(ctx, id).await?, follow_ups_summary),
        MeetingsCmd::AddContacts { id, emails } => {
            let created = meetings::create_contacts(ctx, CreateContacts { meeting_id: id, emails }).await?;
            emit(json, created.as_slice(), render::contacts)
        }
    }
}

fn read_notes(path: &PathBuf) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| {
        Error::invalid("file", format!("cannot read notes from {}: {e}; give a UTF-8 text file", path.display()))
    })
}
