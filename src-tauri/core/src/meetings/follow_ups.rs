//! After the meeting: the rep's notes, and "create follow-ups", which turns the notes' action lines
//! ([`super::action_items`]) into tasks and logs the meeting on the timeline of everyone it involved.
//!
//! Each action becomes one task, linked to (first match wins): the attendee contact named as its
//! owner (`@jane` matches a contact attendee whose first name or email name is `jane`); the
//! meeting's deal; the only external contact attendee; otherwise the meeting itself. The task's
//! notes say which meeting and line it came from. Actions already turned into tasks (by
//! [`super::action_items::ActionItem::key`]) are never created again, so running it twice is harmless.
//!
//! One `meeting` activity is logged per contact attendee (with the meeting's deal and company), or
//! once on the deal/company when no attendee is a contact, each only once per meeting; logging it
//! moves the contacts' last-contacted date to the meeting's start (or now, if it is still ahead).

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{action_items, fetch, Meeting};
use crate::replica::{Action, EntityKind};
use crate::{
    crm::activities::{self, Activity, ActivityKind, NewActivity},
    crm::tasks::{self, NewTask, Task},
    store::audit,
    store::ids::{ContactId, MeetingId},
    store::validate::{self, MAX_LONG},
    Ctx, Error, Result,
};

/// Input for changing a meeting's notes.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct MeetingNotes {
    /// The meeting.
    pub meeting_id: MeetingId,
    /// The notes (long text); empty clears them.
    #[serde(default)]
    pub notes: Option<String>,
}

/// What "create follow-ups" did.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct FollowUps {
    /// The meeting.
    pub meeting_id: MeetingId,
    /// Every action line found in the notes.
    pub actions: Vec<action_items::ActionItem>,
    /// Tasks created by this run.
    pub tasks_created: Vec<Task>,
    /// Actions that had already become tasks in an earlier run.
    pub already_created: u32,
    /// Meeting activities logged by this run.
    pub activities_logged: Vec<Activity>,
    /// Contacts whose last-contacted date this run moved.
    pub contacts_updated: Vec<ContactId>,
}

/// Sets (or clears) a meeting's notes.
pub fn set_notes(ctx: &Ctx, req: MeetingNotes) -> Result<Meeting> {
    let notes = validate::text("notes", req.notes, MAX_LONG)?;
    ctx.write(|tx| {
        let old = fetch(&tx.sql, req.meeting_id)?;
        tx.sql.execute(
            "UPDATE meetings SET notes = ?2, updated_at = ?3 WHERE id = ?1",
            params![req.meeting_id, notes, tx.stamp()],
        )?;
        let new = fetch(&tx.sql, req.meeting_id)?;
        tx.changed(EntityKind::Meeting, &req.meeting_id, Action::Update, &audit::diff(&old, &new)?)?;
        Ok(new)
    })
}

/// Which record an action's task is linked to (see the module docs).
fn task_link(meeting: &Meeting, owner: Option<&str>) -> NewTask {
    let contacts: Vec<(&str, ContactId, bool)> =
        meeting.attendees.iter().filter_map(|a| a.contact_id.map(|id| (a.email.as_str(), id, a.is_internal))).collect();
    let names = |email: &str, id: ContactId| -> bool {
        let Some(owner) = owner.map(str::to_lowercase) else { return false };
        let local = email.split('@').next().unwrap_or_default();
        let first = meeting
            .attendees
            .iter()
            .find(|a| a.contact_id == Some(id))
            .and_then(|a| a.name.as_deref())
            .and_then(|n| n.split_whitespace().next())
            .map(str::to_lowercase);
        local == owner
            || local.split(['.', '_', '-']).next() == Some(owner.as_str())
            || first.as_deref() == Some(&owner)
    };
    let mut task = NewTask::default();
    if let Some((_, id, _)) = contacts.iter().find(|(email, id, _)| names(email, *id)) {
        task.contact_id = Some(*id);
    } else if let Some(deal) = meeting.deal_id {
        task.deal_id = Some(deal);
    } else if let [(_, id, _)] = contacts.iter().filter(|(_, _, internal)| !internal).collect::<Vec<_>>()[..] {
        task.contact_id = Some(*id);
    } else {
        task.meeting_id = Some(meeting.id);
    }
    task
}

/// Turns the meeting's action lines into tasks and logs the meeting on its contacts and deal.
pub fn follow_ups(ctx: &Ctx, id: MeetingId) -> Result<FollowUps> {
    ctx.write(|tx| {
        let meeting = fetch(&tx.sql, id)?;
        let Some(notes) = meeting.notes.as_deref().filter(|n| !n.trim().is_empty()) else {
            return Err(Error::invalid(
                "notes",
                "the meeting has no notes yet; add them (`outpost meetings notes ID --text …`) and try again",
            ));
        };
        let items = action_items::extract(notes);
        let mut report = FollowUps {
            meeting_id: id,
            actions: items.clone(),
            tasks_created: Vec::new(),
            already_created: 0,
            activities_logged: Vec::new(),
            contacts_updated: Vec::new(),
        };
        for item in &items {
            let done: Option<i64> = tx
                .sql
                .query_row(
                    "SELECT 1 FROM meeting_follow_ups WHERE meeting_id = ?1 AND line_key = ?2",
                    params![id, item.key],
                    |r| r.get(0),
                )
                .optional()?;
            if done.is_some() {
                report.already_created += 1;
                continue;
            }
            let owner = item.owner.as_deref().map(|o| format!(" Owner: @{o}.")).unwrap_or_default();
            let task = tasks::insert(
                tx,
                NewTask {
                    title: item.text.chars().take(validate::MAX_SHORT).collect(),
                    notes: Some(format!(
                        "From the notes of meeting \"{}\" ({}), line {}.{owner}",
                        meeting.title, meeting.starts_at, item.line
                    )),
                    due_date: item.due_date.clone(),
                    ..task_link(&meeting, item.owner.as_deref())
                },
            )?;
            tx.sql.execute(
                "INSERT INTO meeting_follow_ups (meeting_id, line_key, task_id, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![id, item.key, task.id, tx.stamp()],
            )?;
            report.tasks_created.push(task);
        }
        let now = tx.stamp();
        let occurred_at = if meeting.starts_at < now { meeting.starts_at.clone() } else { now };
        let summary = match items.len() {
            0 => "No action items.".to_owned(),
            _ => format!(
                "Action items:\n{}",
                items.iter().map(|i| format!("- {}", i.text)).collect::<Vec<_>>().join("\n")
            ),
        };
        let activity = |contact_id: Option<ContactId>| NewActivity {
            kind: ActivityKind::Meeting,
            subject: format!("Meeting: {}", meeting.title).chars().take(validate::MAX_SHORT).collect(),
            body: Some(summary.clone()),
            occurred_at: Some(occurred_at.clone()),
            contact_id,
            company_id: meeting.company_id,
            deal_id: meeting.deal_id,
            meeting_id: Some(id),
            direction: None,
        };
        let mut contacts: Vec<ContactId> = meeting.attendees.iter().filter_map(|a| a.contact_id).collect();
        contacts.dedup();
        for contact in &contacts {
            let logged: Option<i64> = tx
                .sql
                .query_row(
                    "SELECT 1 FROM activities WHERE meeting_id = ?1 AND contact_id = ?2 AND kind = 'meeting'",
                    params![id, contact],
                    |r| r.get(0),
                )
                .optional()?;
            if logged.is_some() {
                continue;
            }
            let before: Option<String> =
                tx.sql.query_row("SELECT last_contacted_at FROM contacts WHERE id = ?1", [contact], |r| r.get(0))?;
            report.activities_logged.push(activities::insert(tx, activity(Some(*contact)))?);
            let after: Option<String> =
                tx.sql.query_row("SELECT last_contacted_at FROM contacts WHERE id = ?1", [contact], |r| r.get(0))?;
            if before != after {
                report.contacts_updated.push(*contact);
            }
        }
        if contacts.is_empty() && (meeting.deal_id.is_some() || meeting.company_id.is_some()) {
            let logged: Option<i64> = tx
                .sql
                .query_row(
                    "SELECT 1 FROM activities WHERE meeting_id = ?1 AND contact_id IS NULL AND kind = 'meeting'",
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            if logged.is_none() {
                report.activities_logged.push(activities::insert(tx, activity(None))?);
            }
        }
        let created: Vec<String> = report.tasks_created.iter().map(|t| t.id.to_string()).collect();
        tx.changed(EntityKind::Meeting, &id, Action::FollowUps, &serde_json::json!({ "tasks": created }))?;
        Ok(report)
    })
}
