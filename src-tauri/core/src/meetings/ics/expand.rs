//! Recurrence expansion (pure): which occurrences one UID's events define within a window.
//!
//! Rules are expanded by `rrule` in the event's wall-clock time (so a 09:00 weekly meeting stays
//! at 09:00 across daylight-saving changes) and each occurrence is then placed in its zone. An
//! `UNTIL` given in UTC is converted to the event's wall-clock time first. DTSTART always counts
//! as the first occurrence (RFC 5545 §3.8.5.3), RDATEs are added and EXDATEs removed. A date-only
//! EXDATE or RECURRENCE-ID matches the occurrence on that day, and an all-day series matches a
//! zoned one by its date (Exchange writes those). An occurrence both deleted (EXDATE) and
//! overridden stays deleted; an override of an occurrence after the series ended is left out. An
//! override with `RANGE=THISANDFUTURE` also moves (by the same shift) and changes every later
//! occurrence that has no override of its own.
//! Words in an RRULE that are not `KEY=value` parts are ignored. At most [`MAX_OCCURRENCES`] per series are kept; the first one left
//! out is reported.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};

use super::{
    parse_calendar, stamp, zones::as_rrule_time, CalendarEvent, CalendarWarning, CalendarWindow, Moment, Recurrence,
    SkipReason, SkippedEvent, MAX_OCCURRENCES,
};
use crate::Result;

/// The occurrence key of one occurrence of series `uid` originally starting at `at`.
pub(super) fn occurrence_key(uid: &str, at: DateTime<Utc>) -> String {
    format!("{uid}#{}", at.format("%Y%m%dT%H%M%SZ"))
}

/// One UID's events: the newest master (no RECURRENCE-ID) and the newest override per
/// RECURRENCE-ID.
pub(super) type Grouped<'e> = BTreeMap<&'e str, (Option<&'e CalendarEvent>, Vec<&'e CalendarEvent>)>;

fn version(event: &CalendarEvent) -> (i64, Option<DateTime<Utc>>) {
    (event.sequence, event.stamp)
}

/// Groups events by UID.
pub(super) fn group(events: &[CalendarEvent]) -> Grouped<'_> {
    let mut by_uid: Grouped<'_> = BTreeMap::new();
    for event in events {
        let entry = by_uid.entry(event.uid.as_str()).or_default();
        match event.recurrence_id {
            Some(rid) => match entry.1.iter_mut().find(|o| o.recurrence_id.is_some_and(|r| r.utc == rid.utc)) {
                Some(seen) if version(seen) < version(event) => *seen = event,
                Some(_) => {}
                None => entry.1.push(event),
            },
            None if entry.0.is_none_or(|m| version(m) < version(event)) => entry.0 = Some(event),
            None => {}
        }
    }
    by_uid
}

/// One occurrence as the file defines it: its key, the event that says what it is (the series or
/// an override), and its start.
#[derive(Debug, Clone)]
pub(super) struct Slot<'e> {
    pub key: String,
    pub event: &'e CalendarEvent,
    pub start: DateTime<Utc>,
}

/// The occurrences of one UID.
#[derive(Debug, Default)]
pub(super) struct SeriesExpansion<'e> {
    pub slots: Vec<Slot<'e>>,
    /// A series (meetings outside the window are left alone).
    pub series: bool,
    /// The first occurrence left out by [`MAX_OCCURRENCES`].
    pub limit: Option<DateTime<Utc>>,
}

/// The parts of an RRULE (RFC 5545 §3.3.10).
const RULE_PARTS: &[&str] = &[
    "FREQ",
    "UNTIL",
    "COUNT",
    "INTERVAL",
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
];

/// The last day of an all-day series whose UNTIL is a UTC time. RFC 5545 wants a date there, but
/// exporters write a time in the owner's zone, converted to UTC: Exchange and Outlook the midnight
/// starting the last day (`20210701T220000Z` for a series ending on Friday 2 July in Berlin,
/// `20210702T040000Z` in New York), others the last second of it (`20210702T215959Z`). Zones run
/// from UTC-10 (Hawaii) to UTC+14, so a midnight is at most 14 hours before the last day's UTC
/// midnight, and a last second at most 10 hours after its UTC end.
fn all_day_until(utc: NaiveDateTime) -> NaiveDateTime {
    use chrono::Timelike;
    let last_second = utc.minute() == 59 && utc.second() == 59;
    let day = if last_second {
        (utc + Duration::seconds(1) - Duration::hours(10)).date()
    } else {
        (utc + Duration::hours(14) - Duration::seconds(1)).date()
    };
    day.and_time(chrono::NaiveTime::MIN)
}

/// Splits `UNTIL=…` off a rule, returning the rest and the until time in the event's wall clock.
fn split_until(rule: &str, recurrence: &Recurrence) -> std::result::Result<(String, Option<NaiveDateTime>), String> {
    let zone = &recurrence.zone;
    let mut rest = Vec::new();
    let mut until = None;
    let rule = rule.trim();
    let rule = rule.get(..6).filter(|p| p.eq_ignore_ascii_case("RRULE:")).map_or(rule, |_| &rule[6..]);
    // Words that are not `KEY=value` parts (junk some exporters leave in) are left out; a part
    // with a key RFC 5545 does not define (`UNTL=…`, `RSCALE=…`) could change the meaning, so the
    // rule is refused.
    let known = |key: &str| RULE_PARTS.iter().any(|k| k.eq_ignore_ascii_case(key.trim()));
    for part in rule.split(';').filter(|p| p.contains('=')) {
        if let Some((key, _)) = part.split_once('=').filter(|(key, _)| !known(key)) {
            return Err(format!("RRULE '{rule}' has a part '{}' that is not an RFC 5545 rule part", key.trim()));
        }
        match part.split_once('=') {
            Some((key, value)) if key.trim().eq_ignore_ascii_case("UNTIL") => {
                let value = value.trim();
                let local = if let Some(utc) = value.strip_suffix(['Z', 'z']).filter(|v| v.len() > 8) {
                    let utc = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S").ok();
                    if recurrence.all_day {
                        utc.map(all_day_until)
                    } else {
                        utc.map(|t| zone.to_local(t.and_utc()))
                    }
                } else if value.trim_end_matches(['Z', 'z']).len() == 8 {
                    // A date: the start of that day in the series' wall clock (as RFC 5545 compares a
                    // DATE with DATE-TIMEs, and as other readers take it).
                    NaiveDate::parse_from_str(&value[..8], "%Y%m%d").ok().map(|d| d.and_time(chrono::NaiveTime::MIN))
                } else {
                    NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").ok()
                };
                until = Some(local.ok_or_else(|| format!("UNTIL '{value}' is not a date or time"))?);
            }
            _ => rest.push(part.trim()),
        }
    }
    Ok((rest.join(";"), until))
}

fn rule_starts(
    recurrence: &Recurrence,
    rule: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> std::result::Result<Vec<NaiveDateTime>, String> {
    let (rule, until) = split_until(rule, recurrence)?;
    let mut parsed: rrule::RRule<rrule::Unvalidated> =
        rule.parse().map_err(|e| format!("RRULE '{rule}' cannot be read: {e}"))?;
    if let Some(until) = until {
        if until < recurrence.local_start {
            return Ok(Vec::new());
        }
        parsed = parsed.until(as_rrule_time(until));
    }
    let set = parsed
        .build(as_rrule_time(recurrence.local_start))
        .map_err(|e| format!("RRULE '{rule}' cannot be used: {e}"))?;
    let found = set.after(as_rrule_time(from)).before(as_rrule_time(to)).all(MAX_OCCURRENCES + 1);
    Ok(found.dates.iter().map(DateTime::naive_utc).collect())
}

/// The date of instant `at` in the series' wall clock.
fn local_date(recurrence: &Recurrence, at: DateTime<Utc>) -> NaiveDate {
    recurrence.zone.to_local(at).date()
}

/// Whether `moment` (an EXDATE or RECURRENCE-ID) names the occurrence starting at `at`.
fn names(recurrence: &Recurrence, moment: &Moment, at: DateTime<Utc>) -> bool {
    moment.utc == at || ((moment.is_date || recurrence.all_day) && moment.local_date == local_date(recurrence, at))
}

fn excluded(recurrence: &Recurrence, at: DateTime<Utc>) -> bool {
    recurrence.exdates.iter().any(|m| names(recurrence, m, at))
}

/// Whether the series ended before `rid` (an override's RECURRENCE-ID): every rule is finite
/// (UNTIL or COUNT) and its last occurrence, like every RDATE, comes before it. Such an override
/// belongs to a part of the series that was cut off (clients move UNTIL earlier when a series is
/// split) and is left out; an override between occurrences of a running series is an added
/// instance and kept.
fn ended_before(master: &CalendarEvent, recurrence: &Recurrence, rid: &Moment) -> bool {
    let mut last = master.start;
    for (rule, _) in &recurrence.rules {
        let Ok((rest, until)) = split_until(rule, recurrence) else { return false };
        let Ok(mut parsed) = rest.parse::<rrule::RRule<rrule::Unvalidated>>() else { return false };
        match until {
            Some(until) => parsed = parsed.until(as_rrule_time(until)),
            None if parsed.get_count().is_none() => return false,
            None => {}
        }
        if let Ok(set) = parsed.build(as_rrule_time(recurrence.local_start)) {
            if let Some(end) = set.all(u16::MAX).dates.last() {
                last = last.max(recurrence.zone.to_utc(end.naive_utc()));
            }
        }
    }
    for at in &recurrence.rdates {
        last = last.max(*at);
    }
    if rid.is_date || recurrence.all_day {
        local_date(recurrence, last) < rid.local_date
    } else {
        last < rid.utc
    }
}

/// Occurrence starts within the window, and the first one left out by the limit.
type SeriesStarts = (Vec<DateTime<Utc>>, Option<DateTime<Utc>>);

/// The occurrence starts of a series within `window`, and the first one left out by the limit.
fn series_starts(
    master: &CalendarEvent,
    recurrence: &Recurrence,
    window: CalendarWindow,
) -> std::result::Result<SeriesStarts, (u32, String)> {
    // Wall-clock bounds with a day's margin for any zone offset; exact bounds are applied in UTC.
    let from = window.from.naive_utc() - Duration::days(1);
    let to = window.to.naive_utc() + Duration::days(1);
    // DTSTART is the first occurrence, unless a rule ended before it (an UNTIL before DTSTART:
    // the series was ended, as Apple and Google write it).
    let ended = recurrence.rules.iter().any(|(rule, _)| {
        split_until(rule, recurrence).is_ok_and(|(_, until)| until.is_some_and(|u| u < recurrence.local_start))
    });
    let mut starts = if ended { Vec::new() } else { vec![master.start] };
    for (rule, line) in &recurrence.rules {
        let local = rule_starts(recurrence, rule, from, to).map_err(|why| (*line, why))?;
        starts.extend(local.into_iter().map(|t| recurrence.zone.to_utc(t)));
    }
    starts.extend(recurrence.rdates.iter().copied());
    starts.retain(|t| *t >= window.from && *t <= window.to && !excluded(recurrence, *t));
    starts.sort();
    starts.dedup();
    let limit = starts.get(usize::from(MAX_OCCURRENCES)).copied();
    starts.truncate(usize::from(MAX_OCCURRENCES));
    Ok((starts, limit))
}

fn in_window(at: DateTime<Utc>, window: CalendarWindow) -> bool {
    at >= window.from && at <= window.to
}

/// The occurrences one UID's events define: a single event (whatever the window), or a series'
/// occurrences in the window with their overrides (an override moved out of the window, or
/// cancelled, is kept so that a meeting imported earlier follows it). `Err` is a rule that cannot
/// be expanded: (line, why).
pub(super) fn expand_uid<'e>(
    master: Option<&'e CalendarEvent>,
    overrides: &[&'e CalendarEvent],
    window: CalendarWindow,
) -> std::result::Result<SeriesExpansion<'e>, (u32, String)> {
    let mut out = SeriesExpansion::default();
    let Some(master) = master else {
        for changed in overrides {
            if let Some(rid) = changed.recurrence_id {
                out.slots.push(Slot {
                    key: occurrence_key(&changed.uid, rid.utc),
                    event: changed,
                    start: changed.start,
                });
            }
        }
        out.series = true;
        return Ok(out);
    };
    let Some(recurrence) = &master.recurrence else {
        let replaced = overrides.iter().find(|o| o.recurrence_id.is_some_and(|r| r.utc == master.start));
        let event = replaced.copied().unwrap_or(master);
        out.slots.push(Slot { key: master.uid.clone(), event, start: event.start });
        return Ok(out);
    };
    out.series = true;
    let (starts, limit) = series_starts(master, recurrence, window)?;
    out.limit = limit;
    let mut used = vec![false; overrides.len()];
    for at in starts {
        let key = occurrence_key(&master.uid, at);
        let changed = overrides.iter().position(|o| o.recurrence_id.is_some_and(|r| names(recurrence, &r, at)));
        match changed {
            Some(i) => {
                used[i] = true;
                out.slots.push(Slot { key, event: overrides[i], start: overrides[i].start });
            }
            None => {
                // The latest RANGE=THISANDFUTURE change before this occurrence moves it by as much as
                // it moved its own, and gives it its content.
                let from_range = overrides
                    .iter()
                    .filter_map(|o| o.recurrence_id.filter(|r| o.this_and_future && r.utc <= at).map(|r| (r.utc, *o)))
                    .max_by_key(|(rid, _)| *rid);
                match from_range {
                    Some((rid, changed)) => {
                        out.slots.push(Slot { key, event: changed, start: at + (changed.start - rid) });
                    }
                    None => out.slots.push(Slot { key, event: master, start: at }),
                }
            }
        }
    }
    for (changed, _) in overrides.iter().zip(used).filter(|(_, used)| !used) {
        let Some(rid) = changed.recurrence_id else { continue };
        let deleted = |m: &Moment| {
            names(recurrence, m, rid.utc)
                || ((m.is_date || rid.is_date || recurrence.all_day) && m.local_date == rid.local_date)
        };
        if recurrence.exdates.iter().any(deleted) || ended_before(master, recurrence, &rid) {
            continue;
        }
        if in_window(changed.start, window) || changed.cancelled {
            out.slots.push(Slot { key: occurrence_key(&master.uid, rid.utc), event: changed, start: changed.start });
        }
    }
    Ok(out)
}

/// One occurrence, as compared with other readers' expansions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Occurrence {
    /// UID.
    pub uid: String,
    /// Start (UTC).
    pub start: DateTime<Utc>,
    /// A date rather than a time.
    pub all_day: bool,
    /// `STATUS:CANCELLED`.
    pub cancelled: bool,
}

/// Every occurrence a calendar defines within a window, and what could not be read.
#[derive(Debug, Clone, Default)]
pub struct Expansion {
    /// Occurrences starting within the window, sorted.
    pub occurrences: Vec<Occurrence>,
    /// Unreadable events and series cut at [`MAX_OCCURRENCES`].
    pub skipped: Vec<SkippedEvent>,
    /// Values left out.
    pub warnings: Vec<CalendarWarning>,
}

/// An unreadable event as a skipped one.
pub(super) fn unreadable_skip(uid: Option<&str>, title: Option<&str>, line: u32, reason: String) -> SkippedEvent {
    SkippedEvent {
        uid: uid.unwrap_or_default().to_owned(),
        title: title.unwrap_or("(no title)").to_owned(),
        starts_at: String::new(),
        reason: SkipReason::Unreadable,
        line: Some(line),
        detail: Some(reason),
    }
}

/// A series cut at the limit as a skipped event.
pub(super) fn limit_skip(master: &CalendarEvent, first_left_out: DateTime<Utc>) -> SkippedEvent {
    SkippedEvent {
        uid: master.uid.clone(),
        title: master.title.clone(),
        starts_at: stamp(first_left_out),
        reason: SkipReason::OccurrenceLimit,
        line: Some(master.line),
        detail: Some(format!(
            "the series has more than {MAX_OCCURRENCES} occurrences in the window; the first {MAX_OCCURRENCES} were \
             imported, the rest from this one on were not (narrow the window with --from/--to)"
        )),
    }
}

/// Reads `text` and lists every occurrence starting within `window` (the reader the import plans
/// with, for comparing with other implementations). Fails only when the text is not iCalendar.
pub fn expand_calendar(text: &str, floating: chrono_tz::Tz, window: CalendarWindow) -> Result<Expansion> {
    let parsed = parse_calendar(text, floating)?;
    let mut out = Expansion { warnings: parsed.warnings, ..Expansion::default() };
    for bad in &parsed.unreadable {
        out.skipped.push(unreadable_skip(bad.uid.as_deref(), bad.title.as_deref(), bad.line, bad.reason.clone()));
    }
    for (_, (master, overrides)) in group(&parsed.events) {
        match expand_uid(master, &overrides, window) {
            Ok(expansion) => {
                if let (Some(master), Some(at)) = (master, expansion.limit) {
                    out.skipped.push(limit_skip(master, at));
                }
                out.occurrences.extend(expansion.slots.iter().filter(|s| in_window(s.start, window)).map(|s| {
                    Occurrence {
                        uid: s.event.uid.clone(),
                        start: s.start,
                        all_day: s.event.all_day,
                        cancelled: s.event.cancelled,
                    }
                }));
            }
            Err((line, why)) => {
                let event = master.or(overrides.first().copied());
                out.skipped.push(unreadable_skip(
                    event.map(|e| e.uid.as_str()),
                    event.map(|e| e.title.as_str()),
                    line,
                    why,
                ));
            }
        }
    }
    out.occurrences.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S").expect("test time")
    }

    #[test]
    fn an_all_day_series_with_a_utc_until_keeps_its_last_day() {
        for (until, last_day) in [
            ("20210701T220000", "20210702T000000"), // Exchange, Berlin (+02:00): midnight of 2 July
            ("20210702T040000", "20210702T000000"), // Exchange, New York (-04:00)
            ("20210702T000000", "20210702T000000"), // UTC midnight
            ("20210702T100000", "20210702T000000"), // Hawaii (-10:00)
            ("20210702T215959", "20210702T000000"), // the last second of 2 July in Berlin
            ("20210703T035959", "20210702T000000"), // … in New York
            ("20210702T235959", "20210702T000000"), // … in UTC
        ] {
            assert_eq!(all_day_until(utc(until)), utc(last_day), "UNTIL={until}Z");
        }
    }
}
