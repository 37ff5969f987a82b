//! Applying a calendar import: read the file, plan against the meetings imported before, and write
//! the plan in one transaction through the meetings API.

use std::path::Path;

use chrono::Duration;
use rusqlite::{params, Connection, OptionalExtension};

use super::{
    expand, parse_calendar, plan_calendar_import, stamp, CalendarChange, CalendarImport, CalendarImportRequest,
    CalendarWindow, ExistingMeeting, Person, PlannedMeeting,
};
use crate::{
    meetings::{self, attendees, CalendarKey, MeetingRecord},
    store::audit,
    store::ctx::Tx,
    store::ids::{CompanyId, DealId, MeetingId},
    store::settings,
    store::validate,
    Ctx, Error, Result,
};

/// The meetings imported earlier from `uid`.
fn existing_of(conn: &Connection, uid: &str) -> Result<Vec<ExistingMeeting>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, status, external_uid, calendar_sequence, calendar_stamp, title, starts_at, ends_at, all_day,
             location, description FROM meetings WHERE calendar_uid = ?1 AND external_uid IS NOT NULL",
    )?;
    let rows = stmt.query_map([uid], |r| {
        Ok(ExistingMeeting {
            id: r.get(0)?,
            status: r.get(1)?,
            current: PlannedMeeting {
                external_uid: r.get(2)?,
                uid: uid.to_owned(),
                sequence: r.get::<_, Option<i64>>(3)?.unwrap_or(0),
                stamp: r.get(4)?,
                title: r.get(5)?,
                starts_at: r.get(6)?,
                ends_at: r.get(7)?,
                all_day: r.get(8)?,
                location: r.get(9)?,
                description: r.get(10)?,
                attendees: Vec::new(),
            },
        })
    })?;
    let mut list = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut people = conn.prepare_cached("SELECT email, name FROM meeting_attendees WHERE meeting_id = ?1")?;
    for meeting in &mut list {
        meeting.current.attendees = people
            .query_map([meeting.id], |r| Ok(Person { email: r.get(0)?, name: r.get(1)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
    }
    Ok(list)
}

/// The company (and its only open deal) of the first external attendee, for a new meeting.
fn infer_links(tx: &Tx<'_>, people: &[Person]) -> Result<(Option<CompanyId>, Option<DealId>)> {
    let domains = settings::internal_domains(&tx.sql)?;
    for person in people.iter().filter(|p| !attendees::is_internal(&p.email, &domains)) {
        let domain = person.email.rsplit('@').next().unwrap_or_default();
        let company: Option<CompanyId> = tx
            .sql
            .query_row(
                "SELECT coalesce((SELECT company_id FROM contacts WHERE email = ?1 AND company_id IS NOT NULL LIMIT 1),
                                 (SELECT id FROM companies WHERE domain = ?2 ORDER BY created_at LIMIT 1))",
                params![person.email, domain],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        if let Some(company) = company {
            let mut stmt = tx.sql.prepare_cached(
                "SELECT d.id FROM deals d JOIN stages s ON s.id = d.stage_id WHERE d.company_id = ?1 AND s.kind = 'open'
                 LIMIT 2",
            )?;
            let deals = stmt.query_map([company], |r| r.get(0))?.collect::<rusqlite::Result<Vec<DealId>>>()?;
            return Ok((Some(company), if deals.len() == 1 { deals.first().copied() } else { None }));
        }
    }
    Ok((None, None))
}

fn record_of(meeting: &PlannedMeeting, status: &str) -> MeetingRecord {
    MeetingRecord {
        title: meeting.title.clone(),
        starts_at: meeting.starts_at.clone(),
        ends_at: meeting.ends_at.clone(),
        all_day: meeting.all_day,
        location: meeting.location.clone(),
        description: meeting.description.clone(),
        status: status.to_owned(),
        company_id: None,
        deal_id: None,
        calendar: Some(CalendarKey {
            external_uid: meeting.external_uid.clone(),
            uid: meeting.uid.clone(),
            sequence: meeting.sequence,
            stamp: meeting.stamp.clone(),
        }),
        attendees: meeting.attendees.iter().map(|p| (p.email.clone(), p.name.clone())).collect(),
    }
}

fn change(action: &str, id: MeetingId, meeting: &PlannedMeeting) -> CalendarChange {
    CalendarChange {
        action: action.to_owned(),
        meeting_id: id,
        external_uid: meeting.external_uid.clone(),
        title: meeting.title.clone(),
        starts_at: meeting.starts_at.clone(),
    }
}

/// Imports the calendar in `text` (named `file` in the report and audit log).
pub fn import_text(ctx: &Ctx, file: &str, text: &str, req: &CalendarImportRequest) -> Result<CalendarImport> {
    let (floating, days_back, days_ahead) = ctx.read(|conn| {
        let zone = req.timezone.clone().or(settings::read(conn, "timezone")?);
        let floating = match zone.as_deref().map(str::trim).filter(|z| !z.is_empty()) {
            Some(name) => name.parse::<chrono_tz::Tz>().map_err(|_| {
                Error::invalid("timezone", format!("'{name}' is not an IANA time zone (e.g. Europe/London)"))
            })?,
            None => chrono_tz::UTC,
        };
        let back = match req.days_back {
            Some(days) => days,
            None => settings::days(conn, "calendar_days_back", settings::DEFAULT_DAYS_BACK)?,
        };
        let ahead = match req.days_ahead {
            Some(days) => days,
            None => settings::days(conn, "calendar_days_ahead", settings::DEFAULT_DAYS_AHEAD)?,
        };
        Ok((floating, back, ahead))
    })?;
    let parsed = parse_calendar(text, floating).map_err(|e| match e {
        Error::Invalid { message, .. } => Error::invalid("file", format!("{file} {message}; nothing was imported")),
        other => other,
    })?;
    let events = &parsed.events;
    let now = ctx.now();
    let day = |field: &str, value: &Option<String>| -> Result<Option<chrono::DateTime<chrono::Utc>>> {
        Ok(validate::date(field, value.clone())?.map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc()))
    };
    let window = CalendarWindow {
        from: day("from", &req.from)?.unwrap_or(now - Duration::days(i64::from(days_back))),
        to: day("to", &req.to)?
            .map(|end| end + Duration::days(1) - Duration::seconds(1))
            .unwrap_or(now + Duration::days(i64::from(days_ahead))),
    };
    if window.to < window.from {
        return Err(Error::invalid("to", "is before the start of the window; check --from and --to"));
    }
    ctx.write(|tx| {
        let mut existing = Vec::new();
        let mut uids: Vec<&str> = events.iter().map(|e| e.uid.as_str()).collect();
        uids.sort_unstable();
        uids.dedup();
        for uid in uids {
            existing.extend(existing_of(&tx.sql, uid)?);
        }
        let mut plan = plan_calendar_import(events, &existing, window)?;
        let unreadable = parsed
            .unreadable
            .iter()
            .map(|u| expand::unreadable_skip(u.uid.as_deref(), u.title.as_deref(), u.line, u.reason.clone()));
        plan.skipped.splice(0..0, unreadable);
        let mut changes = Vec::new();
        for planned in &plan.creates {
            let mut record = record_of(planned, "scheduled");
            (record.company_id, record.deal_id) = infer_links(tx, &planned.attendees)?;
            let meeting = meetings::insert(tx, record)?;
            changes.push(change("created", meeting.id, planned));
        }
        for (id, planned) in &plan.updates {
            meetings::replace(tx, *id, record_of(planned, "scheduled"), crate::replica::Action::Update)?;
            changes.push(change("updated", *id, planned));
        }
        for (id, planned) in &plan.cancels {
            meetings::replace(tx, *id, record_of(planned, "cancelled"), crate::replica::Action::Cancel)?;
            changes.push(change("cancelled", *id, planned));
        }
        let count =
            |action: &str| u32::try_from(changes.iter().filter(|c| c.action == action).count()).unwrap_or(u32::MAX);
        let report = CalendarImport {
            file: file.to_owned(),
            events: u32::try_from(events.len() + parsed.unreadable.len()).unwrap_or(u32::MAX),
            created: count("created"),
            updated: count("updated"),
            cancelled: count("cancelled"),
            unchanged: plan.unchanged,
            skipped: plan.skipped.clone(),
            warnings: parsed.warnings.clone(),
            changes: changes.clone(),
            window_from: stamp(window.from),
            window_to: stamp(window.to),
        };
        audit::record(
            tx,
            "import",
            "calendar",
            &file,
            &serde_json::json!({
                "events": report.events, "created": report.created, "updated": report.updated,
                "cancelled": report.cancelled, "unchanged": report.unchanged, "skipped": report.skipped.len(),
            }),
        )?;
        Ok(report)
    })
}

/// Reads an `.ics` file and imports it (see the module docs).
pub fn import_file(ctx: &Ctx, req: CalendarImportRequest) -> Result<CalendarImport> {
    let path: &Path = &req.path;
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let bytes = std::fs::read(path).map_err(|e| {
        Error::invalid("path", format!("cannot read {}: {e}; check the path and permissions", path.display()))
    })?;
    import_text(ctx, &name, &super::encoding::decode(&bytes), &req)
}
