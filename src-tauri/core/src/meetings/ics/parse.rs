//! Reading an iCalendar stream into [`CalendarEvent`]s (pure). The syntax is [`super::syntax`];
//! this module gives the properties their meaning: times and zones (`TZID`, the file's
//! `VTIMEZONE`s, Windows zone names, `X-WR-TIMEZONE`), durations, people, recurrence and status.
//!
//! One odd event never costs the rest of the file: an event that cannot be read is returned as
//! an [`Unreadable`] with its UID, line and reason, and a value that can be done without (an end
//! before the start, an unreadable EXDATE) is dropped with a [`CalendarWarning`].

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use super::{
    people,
    syntax::{self, Component, Property},
    zones::{self, DefinedZone, Observance, Zone},
    CalendarEvent, CalendarWarning, Moment, Recurrence, Unreadable,
};
use crate::{
    store::validate::{MAX_LONG, MAX_SHORT},
    Error, Result,
};

/// What a stream holds: the events read, the events that could not be, and the values dropped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedCalendar {
    /// The `VEVENT`s read.
    pub events: Vec<CalendarEvent>,
    /// The `VEVENT`s that could not be read.
    pub unreadable: Vec<Unreadable>,
    /// Values left out of events that were read.
    pub warnings: Vec<CalendarWarning>,
}

fn text(component: &Component, name: &str, max: usize) -> Option<String> {
    component.get(name).map(|p| p.text().trim().chars().take(max).collect::<String>()).filter(|t| !t.is_empty())
}

/// A time value: the instant, its wall-clock reading and zone, and whether it is a date.
struct When {
    utc: DateTime<Utc>,
    local: NaiveDateTime,
    zone: Zone,
    all_day: bool,
}

impl When {
    fn moment(&self) -> Moment {
        Moment { utc: self.utc, local_date: self.local.date(), is_date: self.all_day }
    }
}

/// Reads the times of one `VCALENDAR`.
struct Reader {
    defined: Vec<Arc<DefinedZone>>,
    /// VTIMEZONEs that could not be read: (TZID, why). Only an event that uses one fails.
    broken: Vec<(String, String)>,
    /// Zone of floating times: `X-WR-TIMEZONE`, else the import's `timezone`.
    floating: Zone,
    /// Zone UTC times are expanded in: `X-WR-TIMEZONE` (Google), else UTC.
    utc_zone: Zone,
    /// Zone of times whose TZID nobody knows (Office 365's `Customized Time Zone`, defined
    /// nowhere): the calendar's own zone ([`own_zone`]), with a note saying so.
    fallback: (Zone, &'static str),
    /// (line, what) of each time read in the fallback zone, taken by the event being read.
    notes: std::cell::RefCell<Vec<(u32, String)>>,
}

fn naive(value: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S")
        .or_else(|_| NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M"))
        .ok()
}

fn date(value: &str) -> Option<NaiveDate> {
    (value.len() == 8).then(|| NaiveDate::parse_from_str(value, "%Y%m%d").ok()).flatten()
}

impl Reader {
    /// One date or date-time `value` of `property`. The value's shape decides (a `VALUE=DATE`
    /// holding a time, as some exporters write, is read as the time).
    fn when(&self, property: &Property, value: &str) -> std::result::Result<When, String> {
        self.when_in(property, value, None)
    }

    /// As [`Reader::when`], with a floating time read in `floating` when given (the zone of the
    /// event's other times) instead of the calendar's.
    fn when_in(&self, property: &Property, value: &str, floating: Option<&Zone>) -> std::result::Result<When, String> {
        let name = &property.name;
        let value = value.trim();
        let bad = || format!("{name} '{value}' is not a date (YYYYMMDD) or time (YYYYMMDDTHHMMSS)");
        let bare = value.strip_suffix(['Z', 'z']);
        if let Some(day) = date(bare.unwrap_or(value)) {
            let local = day.and_time(NaiveTime::MIN);
            return Ok(When { utc: local.and_utc(), local, zone: Zone::Utc, all_day: true });
        }
        if let Some(utc) = bare {
            let utc = naive(utc).ok_or_else(bad)?.and_utc();
            let zone = self.utc_zone.clone();
            return Ok(When { utc, local: zone.to_local(utc), zone, all_day: false });
        }
        let local = naive(value).ok_or_else(bad)?;
        let zone = match property.param("TZID").map(str::trim).filter(|t| !t.is_empty()) {
            Some(tzid) => self.zone(tzid, property.line).map_err(|why| format!("{name}: {why}"))?,
            None => floating.unwrap_or(&self.floating).clone(),
        };
        Ok(When { utc: zone.to_utc(local), local, zone, all_day: false })
    }

    /// The zone named `tzid`; a name nobody knows is read as the calendar's own zone, noted.
    fn zone(&self, tzid: &str, line: u32) -> std::result::Result<Zone, String> {
        if let Some(zone) = zones::resolve(tzid, &self.defined) {
            return Ok(zone);
        }
        if let Some((_, why)) = self.broken.iter().find(|(t, _)| t == tzid.trim_matches('"')) {
            return Err(format!("its time zone {why}"));
        }
        let (zone, whose) = &self.fallback;
        self.notes.borrow_mut().push((
            line,
            format!(
                "time zone '{tzid}' is neither an IANA zone, a Windows zone, nor defined by a VTIMEZONE in the file; \
                 the time was read in {} ({whose}) — check it, or export the calendar again with time zones included",
                zone.name()
            ),
        ));
        Ok(zone.clone())
    }

    /// Whether `property` has a TZID nobody knows (neither IANA, Windows nor in the file).
    fn unknown_zone(&self, property: &Property) -> bool {
        property.param("TZID").map(str::trim).filter(|t| !t.is_empty()).is_some_and(|tzid| {
            zones::resolve(tzid, &self.defined).is_none()
                && !self.broken.iter().any(|(t, _)| t == tzid.trim_matches('"'))
        })
    }

    /// Every value of every `name` property (EXDATE, RDATE); a PERIOD's start counts. Unreadable
    /// values are left out, each with a warning. With `by_date`, a value in a zone nobody knows
    /// names its whole day (an EXDATE so still deletes its occurrence).
    fn moments(
        &self,
        component: &Component,
        name: &str,
        by_date: bool,
        floating: Option<&Zone>,
        dropped: &mut Vec<(u32, String)>,
    ) -> Vec<When> {
        let mut out = Vec::new();
        for property in component.all(name) {
            let day_only = by_date && self.unknown_zone(property);
            for value in property.value.split(',').map(str::trim).filter(|v| !v.is_empty()) {
                let start = value.split('/').next().unwrap_or(value);
                if let Some(day) = start.get(..8).and_then(date).filter(|_| day_only) {
                    let local = day.and_time(NaiveTime::MIN);
                    out.push(When { utc: local.and_utc(), local, zone: Zone::Utc, all_day: true });
                    continue;
                }
                match self.when_in(property, start, floating) {
                    Ok(when) => out.push(when),
                    Err(why) => dropped.push((property.line, format!("{why}; the value was left out"))),
                }
            }
        }
        out
    }
}

/// An ISO 8601 / RFC 5545 duration (`PT1H30M`, `P1D`, `P2W`) as its nominal days (weeks and
/// days, which follow the wall clock) and its exact part (hours, minutes, seconds); negative
/// durations are refused.
fn duration_parts(value: &str) -> Option<(i64, Duration)> {
    let value = value.trim().strip_prefix('+').unwrap_or(value.trim());
    let body = value.strip_prefix('P')?;
    let (mut days, mut exact, mut number, mut in_time) = (0i64, Duration::zero(), String::new(), false);
    for c in body.chars() {
        match c {
            'T' => in_time = true,
            '0'..='9' => number.push(c),
            unit => {
                let n: i64 = number.parse().ok()?;
                number.clear();
                match (unit, in_time) {
                    // `PT1W` (weeks after the T, as Synology writes) is still weeks.
                    ('W', _) => days = days.checked_add(n.checked_mul(7)?)?,
                    ('D', false) => days = days.checked_add(n)?,
                    ('H', true) => exact = exact.checked_add(&Duration::try_hours(n)?)?,
                    ('M', true) => exact = exact.checked_add(&Duration::try_minutes(n)?)?,
                    ('S', true) => exact = exact.checked_add(&Duration::try_seconds(n)?)?,
                    _ => return None,
                }
            }
        }
    }
    (number.is_empty() && Duration::try_days(days).is_some()).then_some((days, exact))
}

/// A duration's total length (days counted as 24 hours).
#[cfg(test)]
fn duration(value: &str) -> Option<Duration> {
    duration_parts(value).and_then(|(days, exact)| Duration::try_days(days)?.checked_add(&exact))
}

/// The end of an event starting at `start` and lasting `value` (RFC 5545 §3.3.6): days and weeks
/// are wall-clock days in the start's zone (`P1D` from 10:00 ends at 10:00 the next day, across a
/// daylight-saving change too), hours and minutes are exact.
fn end_after(start: &When, value: &str) -> Option<DateTime<Utc>> {
    let (days, exact) = duration_parts(value)?;
    let local = start.local.checked_add_signed(Duration::try_days(days)?)?;
    start.zone.to_utc(local).checked_add_signed(exact)
}

fn observance(component: &Component) -> std::result::Result<Observance, String> {
    let start = component.get("DTSTART").and_then(|p| naive(p.value.trim())).ok_or("has an unreadable DTSTART")?;
    let offset = |name: &str| {
        component.get(name).and_then(|p| zones::parse_offset(&p.value)).ok_or_else(|| format!("has no readable {name}"))
    };
    Ok(Observance {
        start,
        offset_from: offset("TZOFFSETFROM")?,
        offset_to: offset("TZOFFSETTO")?,
        rules: component.all("RRULE").map(|p| p.value.trim().to_owned()).collect(),
        rdates: component.all("RDATE").flat_map(|p| p.value.split(',').filter_map(naive).collect::<Vec<_>>()).collect(),
    })
}

fn defined_zone(component: &Component) -> std::result::Result<Arc<DefinedZone>, (String, String)> {
    let tzid = component.get("TZID").map(|p| p.value.trim().trim_matches('"').to_owned()).unwrap_or_default();
    let fail = |why: String| (tzid.clone(), format!("{tzid} (VTIMEZONE at line {}) {why}", component.line));
    let observances = component
        .children
        .iter()
        .filter(|c| c.name == "STANDARD" || c.name == "DAYLIGHT")
        .map(|c| observance(c).map_err(|why| fail(format!("has a {} that {why}", c.name))))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    if observances.is_empty() {
        return Err(fail("has no STANDARD or DAYLIGHT definition".into()));
    }
    Ok(Arc::new(DefinedZone { tzid: tzid.clone(), observances }))
}

/// Reads one `VEVENT`; `Err` names the line and why it cannot be used.
fn event(
    component: &Component,
    reader: &Reader,
    method: Method,
    warnings: &mut Vec<CalendarWarning>,
) -> std::result::Result<CalendarEvent, (u32, String)> {
    reader.notes.borrow_mut().clear();
    if let Some((line, why)) = component.problems.first() {
        return Err((*line, why.clone()));
    }
    let uid = text(component, "UID", MAX_SHORT).ok_or_else(|| {
        (component.line, "it has no UID, so it could not be matched when the calendar is imported again".to_owned())
    })?;
    let start_prop = component.get("DTSTART").ok_or((component.line, "it has no DTSTART".to_owned()))?;
    // An event mixing zoned and floating times (DTSTART;TZID=… with a bare DTEND or EXDATE, as
    // some web exporters and ownCloud write) means one zone: the floating ones are read in it.
    let zone_of = |p: &Property| p.param("TZID").and_then(|tzid| zones::resolve(tzid, &reader.defined));
    let start_floating =
        if start_prop.param("TZID").is_none() { component.get("DTEND").and_then(zone_of) } else { None };
    let start =
        reader.when_in(start_prop, &start_prop.value, start_floating.as_ref()).map_err(|why| (start_prop.line, why))?;
    let zoned = !start.all_day && (start_floating.is_some() || start_prop.param("TZID").is_some());
    let floating = zoned.then(|| start.zone.clone());
    let floating = floating.as_ref();
    let mut dropped: Vec<(u32, String)> = component.notes.clone();
    let end = match (component.get("DTEND"), component.get("DURATION")) {
        (Some(p), _) => match reader.when_in(p, &p.value, floating) {
            Ok(end) => Some((end.utc, p.line)),
            Err(why) => {
                dropped.push((p.line, format!("{why}; the end was left out")));
                None
            }
        },
        (None, Some(p)) => match end_after(&start, &p.value) {
            Some(end) => Some((end, p.line)),
            None => {
                dropped.push((
                    p.line,
                    format!("DURATION '{}' is not a duration like PT1H; the end was left out", p.value),
                ));
                None
            }
        },
        (None, None) if start.all_day => Some((start.utc + Duration::days(1), component.line)),
        (None, None) => None,
    };
    // An end before the start: the two were swapped by the exporter (as other readers take it).
    let (start, end) = match end {
        Some((end, line)) if end < start.utc => {
            dropped.push((line, "it ends before it starts; its start and end were swapped".into()));
            let swapped =
                When { utc: end, local: start.zone.to_local(end), zone: start.zone.clone(), all_day: start.all_day };
            (swapped, Some(start.utc))
        }
        // An all-day event ending on the day it starts (Calendar Labs writes DTEND = DTSTART) is
        // that one day: RFC 5545's end date is exclusive.
        Some((end, _)) if start.all_day && end == start.utc => (start, Some(end + Duration::days(1))),
        other => (start, other.map(|(end, _)| end)),
    };
    let sequence = component.get("SEQUENCE").and_then(|p| p.value.trim().parse().ok()).unwrap_or(0);
    let stamp = component
        .get("DTSTAMP")
        .or_else(|| component.get("LAST-MODIFIED"))
        .and_then(|p| reader.when(p, &p.value).ok())
        .map(|w| w.utc);
    // A RECURRENCE-ID in a zone nobody knows still names its day.
    let recurrence_id = match component.get("RECURRENCE-ID") {
        Some(p) if reader.unknown_zone(p) => {
            let day = p
                .value
                .trim()
                .get(..8)
                .and_then(date)
                .ok_or((p.line, format!("RECURRENCE-ID '{}' is not a date or time", p.value.trim())))?;
            dropped.push((
                p.line,
                format!(
                    "RECURRENCE-ID: time zone '{}' is unknown; it is matched by its date, {day}",
                    p.param("TZID").unwrap_or_default()
                ),
            ));
            Some(Moment { utc: day.and_time(NaiveTime::MIN).and_utc(), local_date: day, is_date: true })
        }
        Some(p) => match reader.when_in(p, &p.value, floating) {
            Ok(when) => Some(when.moment()),
            Err(why) => {
                let day = p.value.trim().get(..8).and_then(date).ok_or((p.line, why.clone()))?;
                dropped.push((p.line, format!("{why}; it is matched by its date, {day}")));
                Some(Moment { utc: day.and_time(NaiveTime::MIN).and_utc(), local_date: day, is_date: true })
            }
        },
        None => None,
    };
    let rules: Vec<(String, u32)> = component
        .all("RRULE")
        .filter(|p| !p.value.trim().is_empty())
        .map(|p| (p.value.trim().to_owned(), p.line))
        .collect();
    let rdates: Vec<DateTime<Utc>> =
        reader.moments(component, "RDATE", false, floating, &mut dropped).iter().map(|w| w.utc).collect();
    let recurrence = (recurrence_id.is_none() && (!rules.is_empty() || !rdates.is_empty())).then(|| Recurrence {
        rules,
        local_start: start.local,
        zone: start.zone.clone(),
        all_day: start.all_day,
        exdates: reader.moments(component, "EXDATE", true, floating, &mut dropped).iter().map(When::moment).collect(),
        rdates,
    });
    let is_resource = |p: &&Property| {
        p.param("CUTYPE").is_some_and(|t| t.eq_ignore_ascii_case("ROOM") || t.eq_ignore_ascii_case("RESOURCE"))
    };
    dropped.extend(reader.notes.borrow_mut().drain(..));
    warnings.extend(dropped.into_iter().map(|(line, message)| CalendarWarning { uid: uid.clone(), line, message }));
    let this_and_future = component
        .get("RECURRENCE-ID")
        .and_then(|p| p.param("RANGE"))
        .is_some_and(|r| r.eq_ignore_ascii_case("THISANDFUTURE"));
    Ok(CalendarEvent {
        uid,
        line: component.line,
        recurrence_id,
        this_and_future,
        sequence,
        stamp,
        title: text(component, "SUMMARY", MAX_SHORT).unwrap_or_else(|| "(no title)".into()),
        start: start.utc,
        end,
        all_day: start.all_day,
        location: text(component, "LOCATION", MAX_SHORT),
        description: text(component, "DESCRIPTION", MAX_LONG),
        cancelled: method == Method::Cancel
            || text(component, "STATUS", MAX_SHORT).is_some_and(|s| s.eq_ignore_ascii_case("CANCELLED")),
        reply: method == Method::Reply,
        organizer: component.get("ORGANIZER").and_then(people::person),
        attendees: component
            .all("ATTENDEE")
            .filter(|p| !is_resource(p))
            .filter_map(people::person)
            .filter(|person| !people::is_calendar_address(&person.email))
            .collect(),
        recurrence,
    })
}

/// What a calendar object is, by its `METHOD` (RFC 5546): a cancellation, an attendee's answer,
/// or anything else (a published calendar or an invitation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Cancel,
    Reply,
    Other,
}

fn method(calendar: &Component) -> Method {
    match calendar.get("METHOD").map(|p| p.value.trim().to_ascii_uppercase()).as_deref() {
        Some("CANCEL") => Method::Cancel,
        Some("REPLY" | "COUNTER" | "REFRESH" | "DECLINECOUNTER") => Method::Reply,
        _ => Method::Other,
    }
}

/// The zone a calendar object's times are in when their TZID is unknown, and whose it is: the
/// calendar's `X-WR-TIMEZONE`; else the one zone its `VTIMEZONE`s define besides UTC (Exchange
/// lists the zones its events use, and an owner's calendar is in the owner's zone); else the
/// import's zone.
fn own_zone(calendar: &Component, defined: &[Arc<DefinedZone>], import_zone: &Zone) -> (Zone, &'static str) {
    if let Some(zone) = calendar.get("X-WR-TIMEZONE").and_then(|p| zones::resolve(&p.text(), defined)) {
        return (zone, "the calendar's X-WR-TIMEZONE");
    }
    let mut local = defined.iter().filter(|z| z.observances.iter().any(|o| o.offset_to != 0 || o.offset_from != 0));
    if let (Some(only), None) = (local.next(), local.next()) {
        return (Zone::Defined(only.clone()), "the only time zone the file defines");
    }
    (import_zone.clone(), "the import's time zone")
}

/// Reads the events of one `VCALENDAR` object into `out`.
fn calendar_object(calendar: &Component, floating: &Zone, out: &mut ParsedCalendar) {
    let mut defined = Vec::new();
    let mut broken = Vec::new();
    for zone in calendar.children_named("VTIMEZONE") {
        match defined_zone(zone) {
            Ok(zone) => defined.push(zone),
            Err(failure) => broken.push(failure),
        }
    }
    let declared = calendar.get("X-WR-TIMEZONE").and_then(|p| zones::resolve(&p.text(), &defined));
    let reader = Reader {
        floating: declared.clone().unwrap_or_else(|| floating.clone()),
        utc_zone: declared.unwrap_or(Zone::Utc),
        fallback: own_zone(calendar, &defined, floating),
        notes: std::cell::RefCell::default(),
        defined,
        broken,
    };
    // A broken line outside any event costs nothing but is said.
    out.warnings.extend(calendar.problems.iter().map(|(line, why)| CalendarWarning {
        uid: String::new(),
        line: *line,
        message: format!("{why}; the line was ignored"),
    }));
    out.warnings.extend(calendar.notes.iter().map(|(line, how)| CalendarWarning {
        uid: String::new(),
        line: *line,
        message: how.clone(),
    }));
    for component in calendar.children_named("VEVENT") {
        match event(component, &reader, method(calendar), &mut out.warnings) {
            Ok(event) => out.events.push(event),
            Err((line, reason)) => out.unreadable.push(Unreadable {
                uid: text(component, "UID", MAX_SHORT),
                title: text(component, "SUMMARY", MAX_SHORT),
                line,
                reason,
            }),
        }
    }
}

/// Reads an iCalendar stream (one or more `VCALENDAR` objects). Floating times (no zone) are read
/// in the calendar's `X-WR-TIMEZONE`, else in `floating`. Fails only when the text is not
/// iCalendar at all; each event that cannot be read is returned as unreadable instead.
pub fn parse_calendar(text: &str, floating: chrono_tz::Tz) -> Result<ParsedCalendar> {
    let objects = syntax::read(text).map_err(|why| Error::invalid("file", why))?;
    let floating = if floating == chrono_tz::UTC { Zone::Utc } else { Zone::Iana(floating) };
    let mut out = ParsedCalendar::default();
    for object in &objects {
        if object.name == "VCALENDAR" {
            calendar_object(object, &floating, &mut out);
        }
    }
    warn_reused_uids(&mut out);
    Ok(out)
}

/// Events sharing a UID are versions of one event and the newest is imported; events sharing a
/// UID *and* a version (SEQUENCE, DTSTAMP) but starting at different times are different events
/// whose exporter reused the UID, and only the first can be imported — each other one is said.
fn warn_reused_uids(parsed: &mut ParsedCalendar) {
    let masters: Vec<&CalendarEvent> = parsed.events.iter().filter(|e| e.recurrence_id.is_none()).collect();
    for (i, event) in masters.iter().enumerate() {
        let first = masters[..i].iter().find(|m| {
            m.uid == event.uid && (m.sequence, m.stamp) == (event.sequence, event.stamp) && m.start != event.start
        });
        if let Some(first) = first {
            parsed.warnings.push(CalendarWarning {
                uid: event.uid.clone(),
                line: event.line,
                message: format!(
                    "the event at line {} has the same UID and version but starts at another time; the exporter \
                     reused the UID, so only that one was read (give each event its own UID)",
                    first.line
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> ParsedCalendar {
        parse_calendar(text, chrono_tz::UTC).expect("iCalendar")
    }

    const W_EUROPE: &str = "BEGIN:VTIMEZONE\nTZID:W. Europe Standard Time\nBEGIN:STANDARD\nDTSTART:16010101T030000\n\
        TZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\nEND:STANDARD\nBEGIN:DAYLIGHT\n\
        DTSTART:16010101T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\n\
        END:DAYLIGHT\nEND:VTIMEZONE\nBEGIN:VTIMEZONE\nTZID:UTC\nBEGIN:STANDARD\nDTSTART:16010101T000000\n\
        TZOFFSETFROM:+0000\nTZOFFSETTO:+0000\nEND:STANDARD\nEND:VTIMEZONE\n";

    #[test]
    fn an_unknown_tzid_is_read_in_the_calendars_own_zone_with_a_warning() {
        // Office 365 writes `Customized Time Zone` and defines only the zones it did not customise.
        let text = format!(
            "BEGIN:VCALENDAR\n{W_EUROPE}BEGIN:VEVENT\nUID:1\nDTSTART;TZID=Customized Time Zone:20240426T140000\n\
             DTEND;TZID=Customized Time Zone:20240426T150000\nEND:VEVENT\nBEGIN:VEVENT\nUID:2\n\
             DTSTART;TZID=Customized Time Zone:20240429T090000\nRRULE:FREQ=DAILY;COUNT=3\n\
             EXDATE;TZID=Customized Time Zone:20240430T090000\nEND:VEVENT\nBEGIN:VEVENT\nUID:2\n\
             RECURRENCE-ID;TZID=Customized Time Zone:20240501T090000\nDTSTART:20240501T100000Z\nEND:VEVENT\n\
             END:VCALENDAR\n"
        );
        let parsed = read(&text);
        assert!(parsed.unreadable.is_empty(), "{:?}", parsed.unreadable);
        let first = &parsed.events[0];
        assert_eq!(
            (first.start.to_rfc3339(), first.end.map(|e| e.to_rfc3339())),
            ("2024-04-26T12:00:00+00:00".into(), Some("2024-04-26T13:00:00+00:00".into())),
            "14:00 CEST"
        );
        let warned: Vec<u32> = parsed.warnings.iter().filter(|w| w.uid == "1").map(|w| w.line).collect();
        assert_eq!(warned.len(), 2, "{:?}", parsed.warnings);
        assert!(parsed.warnings[0].message.contains("W. Europe Standard Time"), "{}", parsed.warnings[0].message);
        // The EXDATE and RECURRENCE-ID still name their occurrences, by date.
        let exdates = &parsed.events[1].recurrence.as_ref().expect("series").exdates;
        assert_eq!((exdates[0].is_date, exdates[0].local_date.to_string()), (true, "2024-04-30".into()));
        let moved = parsed.events[2].recurrence_id.expect("override");
        assert_eq!((moved.is_date, moved.local_date.to_string()), (true, "2024-05-01".into()));
        // Without a zone of its own, the calendar is read in the import's zone.
        let bare = read(
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nDTSTART;TZID=Mars/Base:20240426T140000\nEND:VEVENT\nEND:VCALENDAR\n",
        );
        assert_eq!(bare.events[0].start.to_rfc3339(), "2024-04-26T14:00:00+00:00");
        assert!(bare.warnings[0].message.contains("the import's time zone"), "{}", bare.warnings[0].message);
    }

    #[test]
    fn a_method_cancel_calendar_cancels_its_events_and_a_reply_is_marked_as_an_answer() {
        let event = "BEGIN:VEVENT\nUID:1\nDTSTART:20240426T140000Z\nSUMMARY:Accepted: Demo\nEND:VEVENT\n";
        for (method, cancelled, reply) in
            [("CANCEL", true, false), ("REPLY", false, true), ("counter", false, true), ("REQUEST", false, false)]
        {
            let parsed = read(&format!("BEGIN:VCALENDAR\nMETHOD:{method}\n{event}END:VCALENDAR\n"));
            assert_eq!((parsed.events[0].cancelled, parsed.events[0].reply), (cancelled, reply), "METHOD:{method}");
        }
    }

    #[test]
    fn floating_times_beside_a_zoned_one_are_read_in_its_zone() {
        let parsed = read(
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nDTSTART;TZID=America/New_York:20260105T100000\n\
             DTEND:20260105T110000\nRRULE:FREQ=DAILY;COUNT=3\nEXDATE:20260106T100000\nEND:VEVENT\n\
             BEGIN:VEVENT\nUID:2\nDTSTART:20150530T120000\nDTEND;TZID=Europe/Berlin:20150530T160000\nEND:VEVENT\n\
             END:VCALENDAR\n",
        );
        assert!(parsed.warnings.is_empty(), "no end before its start: {:?}", parsed.warnings);
        let series = &parsed.events[0];
        assert_eq!(series.end.map(|e| e.to_rfc3339()).as_deref(), Some("2026-01-05T16:00:00+00:00"));
        let exdate = series.recurrence.as_ref().expect("series").exdates[0];
        assert_eq!(exdate.utc.to_rfc3339(), "2026-01-06T15:00:00+00:00", "names the 10:00 New York occurrence");
        assert_eq!(parsed.events[1].start.to_rfc3339(), "2015-05-30T10:00:00+00:00", "12:00 in Berlin, as its end");
    }

    #[test]
    fn an_all_day_event_ending_on_its_start_date_lasts_that_day() {
        let parsed = read(
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nDTSTART;VALUE=DATE:20251208\nDTEND;VALUE=DATE:20251208\n\
             END:VEVENT\nEND:VCALENDAR\n",
        );
        let event = &parsed.events[0];
        assert_eq!(event.end.map(|e| e.to_rfc3339()).as_deref(), Some("2025-12-09T00:00:00+00:00"));
    }

    #[test]
    fn events_that_reuse_a_uid_are_reported() {
        let parsed = read(
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nDTSTAMP:20250101T000000Z\nDTSTART:20251208T100000Z\nEND:VEVENT\n\
             BEGIN:VEVENT\nUID:1\nDTSTAMP:20250101T000000Z\nDTSTART:20251209T100000Z\nEND:VEVENT\n\
             BEGIN:VEVENT\nUID:2\nDTSTAMP:20250101T000000Z\nDTSTART:20251208T100000Z\nEND:VEVENT\n\
             BEGIN:VEVENT\nUID:2\nDTSTAMP:20250102T000000Z\nDTSTART:20251209T100000Z\nEND:VEVENT\nEND:VCALENDAR\n",
        );
        let warned: Vec<(&str, u32)> = parsed.warnings.iter().map(|w| (w.uid.as_str(), w.line)).collect();
        assert_eq!(warned, [("1", 7)], "a newer version of UID 2 is an update, not a reuse");
    }

    #[test]
    fn durations_read_as_rfc_5545_says() {
        assert_eq!(duration("PT1H30M"), Some(Duration::minutes(90)));
        assert_eq!(duration("P1DT2H"), Some(Duration::hours(26)));
        assert_eq!(duration("P2W"), Some(Duration::weeks(2)));
        assert_eq!(duration("PT1W"), Some(Duration::weeks(1)), "Synology's form");
        assert_eq!(duration("-PT1H"), None);
        assert_eq!(duration("1H"), None);
        assert_eq!(duration("P99999999999999W"), None, "out of range, not a panic");
    }

    #[test]
    fn a_duration_in_days_ends_at_the_same_wall_clock_time_across_a_dst_change() {
        let parsed = read(
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nDTSTART;TZID=Europe/Berlin:20261024T100000\nDURATION:P1DT1H\n\
             END:VEVENT\nBEGIN:VEVENT\nUID:2\nDTSTART;TZID=Europe/Berlin:20261024T100000\nDURATION:PT25H\nEND:VEVENT\n\
             END:VCALENDAR\n",
        );
        let ends: Vec<String> = parsed.events.iter().filter_map(|e| e.end).map(|e| e.to_rfc3339()).collect();
        // 25 October 11:00 CET is 10:00 UTC; 25 exact hours after 08:00 UTC is 09:00 UTC.
        assert_eq!(ends, ["2026-10-25T10:00:00+00:00", "2026-10-25T09:00:00+00:00"]);
    }
}
