//! Reading an iCalendar file into [`CalendarEvent`]s (pure). The syntax (line unfolding, property
//! parameters, text unescaping) is `icalendar`'s parser; this module gives the properties their
//! meaning: times and zones, durations, people, recurrence and status.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use icalendar::parser::{self, Component, Property};

use super::{
    zones::{self, DefinedZone, Observance, Zone},
    CalendarEvent, Person, Recurrence,
};
use crate::{
    validate::{MAX_LONG, MAX_SHORT},
    Error, Result,
};

fn invalid(message: String) -> Error {
    Error::invalid("file", message)
}

fn props<'c>(component: &'c Component<'_>, name: &str) -> impl Iterator<Item = &'c Property<'c>> + 'c {
    let name = name.to_owned();
    component.properties.iter().filter(move |p| p.name.as_str().eq_ignore_ascii_case(&name))
}

fn prop<'c>(component: &'c Component<'_>, name: &str) -> Option<&'c Property<'c>> {
    props(component, name).next()
}

fn param<'p>(property: &'p Property<'_>, key: &str) -> Option<&'p str> {
    property
        .params
        .iter()
        .find(|p| p.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|p| p.val.as_ref())
        .map(|v| v.as_str().trim_matches('"'))
}

fn text(component: &Component<'_>, name: &str, max: usize) -> Option<String> {
    prop(component, name).map(|p| p.val.as_str().trim().chars().take(max).collect::<String>()).filter(|t| !t.is_empty())
}

/// A time value: the instant, its wall-clock reading and zone, and whether it is a date.
struct When {
    utc: DateTime<Utc>,
    local: NaiveDateTime,
    zone: Zone,
    all_day: bool,
}

/// Reads calendar times.
struct Reader<'z> {
    defined: &'z [Arc<DefinedZone>],
    floating: Zone,
}

fn naive(value: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").ok()
}

impl Reader<'_> {
    /// One date or date-time `value` of `property`.
    fn when(&self, property: &Property<'_>, value: &str, uid: &str) -> Result<When> {
        let name = property.name.as_str().to_uppercase();
        let value = value.trim();
        let bad =
            || invalid(format!("event {uid}: {name} '{value}' is not a date (YYYYMMDD) or time (YYYYMMDDTHHMMSS)"));
        let is_date = param(property, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE")) || value.len() == 8;
        if is_date {
            let date = NaiveDate::parse_from_str(value, "%Y%m%d").map_err(|_| bad())?;
            let local = date.and_time(chrono::NaiveTime::MIN);
            return Ok(When { utc: local.and_utc(), local, zone: Zone::Utc, all_day: true });
        }
        if let Some(utc) = value.strip_suffix(['Z', 'z']) {
            let local = naive(utc).ok_or_else(bad)?;
            return Ok(When { utc: local.and_utc(), local, zone: Zone::Utc, all_day: false });
        }
        let local = naive(value).ok_or_else(bad)?;
        let zone = match param(property, "TZID") {
            Some(tzid) => zones::resolve(tzid, self.defined).ok_or_else(|| {
                invalid(format!(
                    "event {uid}: {name} uses time zone '{tzid}', which is neither an IANA zone nor defined by a \
                     VTIMEZONE in the file; export the calendar again with time zones included"
                ))
            })?,
            None => self.floating.clone(),
        };
        Ok(When { utc: zone.to_utc(local), local, zone, all_day: false })
    }

    /// Every value of every `name` property (EXDATE, RDATE), as instants. A PERIOD's start counts.
    fn instants(&self, component: &Component<'_>, name: &str, uid: &str) -> Result<Vec<DateTime<Utc>>> {
        let mut out = Vec::new();
        for property in props(component, name) {
            for value in property.val.as_str().split(',').filter(|v| !v.trim().is_empty()) {
                let start = value.split('/').next().unwrap_or(value);
                out.push(self.when(property, start, uid)?.utc);
            }
        }
        Ok(out)
    }
}

/// An ISO 8601 / RFC 5545 duration (`PT1H30M`, `P1D`, `P2W`); negative durations are refused.
fn duration(value: &str) -> Option<Duration> {
    let value = value.trim().strip_prefix('+').unwrap_or(value.trim());
    let body = value.strip_prefix('P')?;
    let (mut total, mut number, mut in_time) = (Duration::zero(), String::new(), false);
    for c in body.chars() {
        match c {
            'T' => in_time = true,
            '0'..='9' => number.push(c),
            unit => {
                let n: i64 = number.parse().ok()?;
                number.clear();
                total += match (unit, in_time) {
                    ('W', false) => Duration::weeks(n),
                    ('D', false) => Duration::days(n),
                    ('H', true) => Duration::hours(n),
                    ('M', true) => Duration::minutes(n),
                    ('S', true) => Duration::seconds(n),
                    _ => return None,
                };
            }
        }
    }
    number.is_empty().then_some(total)
}

fn person(property: &Property<'_>) -> Option<Person> {
    let value = property.val.as_str().trim();
    let address = value.get(..7).filter(|p| p.eq_ignore_ascii_case("mailto:")).map_or(value, |_| &value[7..]);
    let email = address.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    if local.is_empty() || !domain.contains('.') {
        return None;
    }
    let name = param(property, "CN").map(|n| n.trim().to_owned()).filter(|n| !n.is_empty() && *n != email);
    Some(Person { email, name })
}

fn observance(component: &Component<'_>, tzid: &str) -> Result<Observance> {
    let bad = |what: &str| invalid(format!("time zone {tzid}: {what}"));
    let start = prop(component, "DTSTART")
        .and_then(|p| naive(p.val.as_str().trim()))
        .ok_or_else(|| bad("DTSTART missing or unreadable"))?;
    let offset = |name: &str| {
        prop(component, name)
            .and_then(|p| zones::parse_offset(p.val.as_str()))
            .ok_or_else(|| bad(&format!("{name} missing or unreadable")))
    };
    Ok(Observance {
        start,
        offset_from: offset("TZOFFSETFROM")?,
        offset_to: offset("TZOFFSETTO")?,
        rules: props(component, "RRULE").map(|p| p.val.as_str().to_owned()).collect(),
        rdates: props(component, "RDATE")
            .flat_map(|p| p.val.as_str().split(',').filter_map(naive).collect::<Vec<_>>())
            .collect(),
    })
}

fn defined_zone(component: &Component<'_>) -> Result<Arc<DefinedZone>> {
    let tzid = prop(component, "TZID")
        .map(|p| p.val.as_str().trim().to_owned())
        .ok_or_else(|| invalid("a VTIMEZONE has no TZID".into()))?;
    let observances = component
        .components
        .iter()
        .filter(|c| {
            c.name.as_str().eq_ignore_ascii_case("STANDARD") || c.name.as_str().eq_ignore_ascii_case("DAYLIGHT")
        })
        .map(|c| observance(c, &tzid))
        .collect::<Result<Vec<_>>>()?;
    if observances.is_empty() {
        return Err(invalid(format!("time zone {tzid} has no STANDARD or DAYLIGHT definition")));
    }
    Ok(Arc::new(DefinedZone { tzid, observances }))
}

fn event(component: &Component<'_>, reader: &Reader<'_>, index: usize) -> Result<CalendarEvent> {
    let title = text(component, "SUMMARY", MAX_SHORT);
    let uid = text(component, "UID", MAX_SHORT).ok_or_else(|| {
        invalid(format!(
            "event #{index} ({}) has no UID, so it could not be matched when the calendar is imported again",
            title.as_deref().unwrap_or("no title")
        ))
    })?;
    let start_prop = prop(component, "DTSTART").ok_or_else(|| invalid(format!("event {uid} has no DTSTART")))?;
    let start = reader.when(start_prop, start_prop.val.as_str(), &uid)?;
    let end = match (prop(component, "DTEND"), prop(component, "DURATION")) {
        (Some(p), _) => Some(reader.when(p, p.val.as_str(), &uid)?.utc),
        (None, Some(p)) => {
            let span = duration(p.val.as_str()).ok_or_else(|| {
                invalid(format!("event {uid}: DURATION '{}' is not a duration like PT1H", p.val.as_str()))
            })?;
            Some(start.utc + span)
        }
        (None, None) if start.all_day => Some(start.utc + Duration::days(1)),
        (None, None) => None,
    };
    if end.is_some_and(|end| end < start.utc) {
        return Err(invalid(format!("event {uid} ends before it starts; check its DTEND")));
    }
    let sequence = match prop(component, "SEQUENCE") {
        Some(p) => {
            p.val.as_str().trim().parse().map_err(|_| invalid(format!("event {uid}: SEQUENCE is not a number")))?
        }
        None => 0,
    };
    let stamp = match prop(component, "DTSTAMP").or_else(|| prop(component, "LAST-MODIFIED")) {
        Some(p) => Some(reader.when(p, p.val.as_str(), &uid)?.utc),
        None => None,
    };
    let recurrence_id = match prop(component, "RECURRENCE-ID") {
        Some(p) => Some(reader.when(p, p.val.as_str(), &uid)?.utc),
        None => None,
    };
    let rules: Vec<String> = props(component, "RRULE").map(|p| p.val.as_str().trim().to_owned()).collect();
    let rdates = reader.instants(component, "RDATE", &uid)?;
    let recurrence = (recurrence_id.is_none() && (!rules.is_empty() || !rdates.is_empty())).then(|| Recurrence {
        rules,
        local_start: start.local,
        zone: start.zone.clone(),
        exdates: Vec::new(),
        rdates,
    });
    let recurrence = match recurrence {
        Some(mut r) => {
            r.exdates = reader.instants(component, "EXDATE", &uid)?;
            Some(r)
        }
        None => None,
    };
    let is_resource = |p: &&Property<'_>| {
        param(p, "CUTYPE").is_some_and(|t| t.eq_ignore_ascii_case("ROOM") || t.eq_ignore_ascii_case("RESOURCE"))
    };
    Ok(CalendarEvent {
        uid,
        recurrence_id,
        sequence,
        stamp,
        title: title.unwrap_or_else(|| "(no title)".into()),
        start: start.utc,
        end,
        all_day: start.all_day,
        location: text(component, "LOCATION", MAX_SHORT),
        description: text(component, "DESCRIPTION", MAX_LONG),
        cancelled: text(component, "STATUS", MAX_SHORT).is_some_and(|s| s.eq_ignore_ascii_case("CANCELLED")),
        organizer: prop(component, "ORGANIZER").and_then(person),
        attendees: props(component, "ATTENDEE").filter(|p| !is_resource(p)).filter_map(person).collect(),
        recurrence,
    })
}

/// Reads an iCalendar document. Floating times (no zone) are read in `floating`. Fails, naming
/// the event and property, when anything in the file cannot be read.
pub fn parse_calendar(text: &str, floating: chrono_tz::Tz) -> Result<Vec<CalendarEvent>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let head = text.trim_start();
    if !head.get(..15).is_some_and(|h| h.eq_ignore_ascii_case("BEGIN:VCALENDAR")) {
        return Err(invalid(
            "is not an iCalendar file (it does not start with BEGIN:VCALENDAR); export the calendar as .ics".into(),
        ));
    }
    if !text.to_uppercase().trim_end().ends_with("END:VCALENDAR") {
        return Err(invalid(
            "is incomplete: it does not end with END:VCALENDAR (was it cut off?); export it again".into(),
        ));
    }
    let unfolded = parser::unfold(text);
    let calendar = parser::read_calendar(&unfolded).map_err(|e| {
        let detail = e.lines().filter(|l| !l.trim().is_empty()).take(3).collect::<Vec<_>>().join(" ");
        invalid(format!("cannot be read as iCalendar ({detail}); check the file is a complete .ics export"))
    })?;
    let defined = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str().eq_ignore_ascii_case("VTIMEZONE"))
        .map(defined_zone)
        .collect::<Result<Vec<_>>>()?;
    let floating = if floating == chrono_tz::UTC { Zone::Utc } else { Zone::Iana(floating) };
    let reader = Reader { defined: &defined, floating };
    calendar
        .components
        .iter()
        .filter(|c| c.name.as_str().eq_ignore_ascii_case("VEVENT"))
        .enumerate()
        .map(|(i, c)| event(c, &reader, i + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_rfc_5545_says() {
        assert_eq!(duration("PT1H30M"), Some(Duration::minutes(90)));
        assert_eq!(duration("P1DT2H"), Some(Duration::hours(26)));
        assert_eq!(duration("P2W"), Some(Duration::weeks(2)));
        assert_eq!(duration("-PT1H"), None);
        assert_eq!(duration("1H"), None);
    }
}
