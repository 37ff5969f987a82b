//! Planning a calendar import (pure): events + meetings already imported → what to write.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::{
    expand, stamp, CalendarEvent, CalendarPlan, CalendarWindow, ExistingMeeting, PlannedMeeting, SkipReason,
    SkippedEvent,
};
use crate::Result;

/// The occurrence key of one occurrence of series `uid` originally starting at `at`.
fn occurrence_key(uid: &str, at: DateTime<Utc>) -> String {
    format!("{uid}#{}", at.format("%Y%m%dT%H%M%SZ"))
}

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
    SkippedEvent { uid: event.uid.clone(), title: event.title.clone(), starts_at: stamp(start), reason }
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
) -> Result<Desired<'e>> {
    let mut out = Desired { occurrences: BTreeMap::new(), withdrawn: None, series: false };
    let override_of = |at: DateTime<Utc>| overrides.iter().copied().find(|o| o.recurrence_id == Some(at));
    let add = |occurrences: &mut BTreeMap<_, _>, key: String, event: &'e CalendarEvent, start: DateTime<Utc>| {
        let meeting = (!event.cancelled && !is_solo(event)).then(|| planned(event, key.clone(), start));
        occurrences.insert(key, (meeting, event));
    };
    if let Some(master) = master {
        if master.cancelled || is_solo(master) {
            let reason = if master.cancelled { SkipReason::Cancelled } else { SkipReason::Solo };
            return Ok(Desired { withdrawn: Some((master, reason)), ..out });
        }
        if master.recurrence.is_some() {
            let starts = expand::occurrences(master, window)?;
            if starts.is_empty() && overrides.is_empty() {
                skipped.push(skip(master, master.start, SkipReason::OutsideWindow));
            }
            for at in starts {
                let key = occurrence_key(&master.uid, at);
                match override_of(at) {
                    Some(changed) => add(&mut out.occurrences, key, changed, changed.start),
                    None => add(&mut out.occurrences, key, master, at),
                }
            }
            for changed in overrides {
                let Some(at) = changed.recurrence_id else { continue };
                let key = occurrence_key(&master.uid, at);
                let in_window = changed.start >= window.from && changed.start <= window.to;
                if !out.occurrences.contains_key(&key) && (in_window || changed.cancelled) {
                    add(&mut out.occurrences, key, changed, changed.start);
                }
            }
            out.series = true;
            return Ok(out);
        }
        add(&mut out.occurrences, master.uid.clone(), master, master.start);
        return Ok(out);
    }
    // Only changed occurrences of a series this file does not define (an update sent alone).
    for changed in overrides {
        if let Some(at) = changed.recurrence_id {
            add(&mut out.occurrences, occurrence_key(&changed.uid, at), changed, changed.start);
        }
    }
    out.series = true;
    Ok(out)
}

/// Decides what importing `events` does, given the meetings imported earlier from the same UIDs.
pub fn plan_calendar_import(
    events: &[CalendarEvent],
    existing: &[ExistingMeeting],
    window: CalendarWindow,
) -> Result<CalendarPlan> {
    let mut plan = CalendarPlan::default();
    let mut by_uid: BTreeMap<&str, (Option<&CalendarEvent>, Vec<&CalendarEvent>)> = BTreeMap::new();
    for event in events {
        let entry = by_uid.entry(event.uid.as_str()).or_default();
        if event.recurrence_id.is_some() {
            entry.1.push(event);
        } else if entry.0.is_none_or(|m| (m.sequence, m.stamp) < (event.sequence, event.stamp)) {
            entry.0 = Some(event);
        }
    }
    for (uid, (master, overrides)) in by_uid {
        let mut desired = desired(master, &overrides, window, &mut plan.skipped)?;
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
