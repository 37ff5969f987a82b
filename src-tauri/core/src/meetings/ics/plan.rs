//! Planning a calendar import (pure): events + meetings already imported → what to write.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::{
    expand::{self, Slot},
    stamp, CalendarEvent, CalendarPlan, CalendarWindow, ExistingMeeting, PlannedMeeting, SkipReason, SkippedEvent,
};
use crate::Result;

/// The people of an event: organiser first, then attendees, once each.
fn people(event: &CalendarEvent) -> Vec<super::Person> {
    let mut list: Vec<super::Person> = event.organizer.iter().cloned().collect();
    for attendee in &event.attendees {
        if !list.iter().any(|p| p.email == attendee.email) {
            list.push(attendee.clone());
        }
    }
    list
}

/// Whether nobody besides the organiser is invited.
fn is_solo(event: &CalendarEvent) -> bool {
    let organizer = event.organizer.as_ref().map(|o| o.email.as_str());
    !event.attendees.iter().any(|a| Some(a.email.as_str()) != organizer)
}

fn planned(event: &CalendarEvent, external_uid: String, start: DateTime<Utc>) -> PlannedMeeting {
    let end = event.end.map(|end| start + (end - event.start));
    PlannedMeeting {
        external_uid,
        uid: event.uid.clone(),
        sequence: event.sequence,
        stamp: event.stamp.map(stamp),
        title: event.title.clone(),
        starts_at: stamp(start),
        ends_at: end.map(stamp),
        all_day: event.all_day,
        location: event.location.clone(),
        description: event.description.clone(),
        attendees: people(event),
    }
}

fn skip(event: &CalendarEvent, start: DateTime<Utc>, reason: SkipReason) -> SkippedEvent {
    SkippedEvent {
        uid: event.uid.clone(),
        title: event.title.clone(),
        starts_at: stamp(start),
        reason,
        line: Some(event.line),
        detail: None,
    }
}

/// What one UID's events say each of its occurrences should be: `Some(meeting)` to hold,
/// `None` for an occurrence that is cancelled (or no longer a meeting).
struct Desired<'e> {
    occurrences: BTreeMap<String, (Option<PlannedMeeting>, &'e CalendarEvent)>,
    /// The whole event is cancelled or solo: every meeting of the UID goes.
    withdrawn: Option<(&'e CalendarEvent, SkipReason)>,
    /// A series: meetings outside the window are left alone.
    series: bool,
}

fn desired<'e>(
    master: Option<&'e CalendarEvent>,
    overrides: &[&'e CalendarEvent],
    window: CalendarWindow,
    skipped: &mut Vec<SkippedEvent>,
) -> Option<Desired<'e>> {
    let mut out = Desired { occurrences: BTreeMap::new(), withdrawn: None, series: false };
    if let Some(master) = master.filter(|m| m.cancelled || is_solo(m)) {
        let reason = if master.cancelled { SkipReason::Cancelled } else { SkipReason::Solo };
        return Some(Desired { withdrawn: Some((master, reason)), ..out });
    }
    let expansion = match expand::expand_uid(master, overrides, window) {
        Ok(expansion) => expansion,
        Err((line, why)) => {
            let event = master.or(overrides.first().copied())?;
            skipped.push(expand::unreadable_skip(Some(&event.uid), Some(&event.title), line, why));
            return None;
        }
    };
    if let (Some(master), Some(at)) = (master, expansion.limit) {
        skipped.push(expand::limit_skip(master, at));
    }
    if let Some(master) = master.filter(|m| m.recurrence.is_some()) {
        if expansion.slots.is_empty() {
            skipped.push(skip(master, master.start, SkipReason::OutsideWindow));
        }
    }
    out.series = expansion.series;
    for Slot { key, event, start } in expansion.slots {
        let meeting = (!event.cancelled && !is_solo(event)).then(|| planned(event, key.clone(), start));
        out.occurrences.insert(key, (meeting, event));
    }
    Some(out)
}

/// Decides what importing `events` does, given the meetings imported earlier from the same UIDs.
pub fn plan_calendar_import(
    events: &[CalendarEvent],
    existing: &[ExistingMeeting],
    window: CalendarWindow,
) -> Result<CalendarPlan> {
    let mut plan = CalendarPlan::default();
    // An attendee's answer neither creates nor changes meetings (its attendee list is the one
    // attendee who answered); each is reported once.
    let (answers, events): (Vec<CalendarEvent>, Vec<CalendarEvent>) = events.iter().cloned().partition(|e| e.reply);
    let mut answered: Vec<&str> = Vec::new();
    for answer in &answers {
        if !answered.contains(&answer.uid.as_str()) {
            answered.push(&answer.uid);
            plan.skipped.push(SkippedEvent {
                detail: Some(
                    "an attendee's answer to an invitation (METHOD:REPLY), not the meeting; import the invitation itself"
                        .into(),
                ),
                ..skip(answer, answer.start, SkipReason::Reply)
            });
        }
    }
    for (uid, (master, overrides)) in expand::group(&events) {
        let Some(mut desired) = desired(master, &overrides, window, &mut plan.skipped) else { continue };
        let mine: Vec<&ExistingMeeting> = existing.iter().filter(|m| m.current.uid == uid).collect();
        if let Some((event, reason)) = desired.withdrawn {
            let withdrawing = planned(event, String::new(), event.start);
            let mut cancelled_any = false;
            for meeting in mine.iter().filter(|m| m.status != "cancelled") {
                if withdrawing.version() >= meeting.current.version() {
                    let mut cancel = meeting.current.clone();
                    (cancel.sequence, cancel.stamp) = (withdrawing.sequence, withdrawing.stamp.clone());
                    plan.cancels.push((meeting.id, cancel));
                    cancelled_any = true;
                }
            }
            if !cancelled_any {
                plan.skipped.push(skip(event, event.start, reason));
            }
            continue;
        }
        let mut stale = false;
        for meeting in &mine {
            let Some((wanted, event)) = desired.occurrences.remove(&meeting.current.external_uid) else {
                let at_risk = !desired.series
                    || (meeting.current.starts_at >= stamp(window.from)
                        && meeting.current.starts_at <= stamp(window.to));
                if at_risk && meeting.status != "cancelled" {
                    if let Some(newest) = master.filter(|m| {
                        (m.sequence, m.stamp.map(stamp)) >= (meeting.current.sequence, meeting.current.stamp.clone())
                    }) {
                        let mut cancel = meeting.current.clone();
                        (cancel.sequence, cancel.stamp) = (newest.sequence, newest.stamp.map(stamp));
                        plan.cancels.push((meeting.id, cancel));
                    }
                }
                continue;
            };
            let incoming = (event.sequence, event.stamp.map(stamp));
            if incoming < (meeting.current.sequence, meeting.current.stamp.clone()) {
                stale = true;
                continue;
            }
            match wanted {
                None if meeting.status == "cancelled" => plan.unchanged += 1,
                None => {
                    let mut cancel = meeting.current.clone();
                    (cancel.sequence, cancel.stamp) = incoming;
                    plan.cancels.push((meeting.id, cancel));
                }
                Some(wanted) if meeting.status == "cancelled" || !wanted.same_content(&meeting.current) => {
                    plan.updates.push((meeting.id, wanted));
                }
                Some(_) => plan.unchanged += 1,
            }
        }
        if stale {
            if let Some(event) = master.or(overrides.first().copied()) {
                plan.skipped.push(skip(event, event.start, SkipReason::Stale));
            }
        }
        for (_, (wanted, event)) in desired.occurrences {
            match wanted {
                Some(meeting) => plan.creates.push(meeting),
                None => {
                    let reason = if event.cancelled { SkipReason::Cancelled } else { SkipReason::Solo };
                    plan.skipped.push(skip(event, event.start, reason));
                }
            }
        }
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meetings::ics::parse_calendar;

    #[test]
    fn an_attendees_reply_neither_creates_nor_changes_a_meeting() {
        let invite = "BEGIN:VCALENDAR\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:demo\nDTSTAMP:20240401T000000Z\n\
                      DTSTART:20240426T140000Z\nSUMMARY:Demo\nORGANIZER:mailto:rep@acme.com\n\
                      ATTENDEE:mailto:ada@globex.com\nATTENDEE:mailto:alan@globex.com\nEND:VEVENT\nEND:VCALENDAR\n";
        let reply = "BEGIN:VCALENDAR\nMETHOD:REPLY\nBEGIN:VEVENT\nUID:demo\nDTSTAMP:20240402T000000Z\n\
                     DTSTART:20240426T140000Z\nSUMMARY:Declined: Demo\nORGANIZER:mailto:rep@acme.com\n\
                     ATTENDEE;PARTSTAT=DECLINED:mailto:alan@globex.com\nEND:VEVENT\nEND:VCALENDAR\n";
        let window = CalendarWindow {
            from: "2024-01-01T00:00:00Z".parse().expect("from"),
            to: "2025-01-01T00:00:00Z".parse().expect("to"),
        };
        let events = |text: &str| parse_calendar(text, chrono_tz::UTC).expect("read").events;
        let created = plan_calendar_import(&events(invite), &[], window).expect("plan");
        assert_eq!(created.creates.len(), 1);
        let existing = ExistingMeeting {
            id: crate::store::ids::MeetingId::new(),
            status: "scheduled".into(),
            current: created.creates[0].clone(),
        };
        let answered = plan_calendar_import(&events(reply), &[existing], window).expect("plan");
        assert!(answered.creates.is_empty() && answered.updates.is_empty() && answered.cancels.is_empty());
        assert_eq!(answered.skipped.len(), 1);
        assert_eq!(answered.skipped[0].reason, SkipReason::Reply);
        // In one stream with the invitation (a mailbox export), the reply does not override it.
        let both = plan_calendar_import(&events(&format!("{invite}{reply}")), &[], window).expect("plan");
        assert_eq!(both.creates.len(), 1);
        assert_eq!((both.creates[0].title.as_str(), both.creates[0].attendees.len()), ("Demo", 3));
    }
}
