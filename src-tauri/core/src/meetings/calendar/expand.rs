//! Recurrence expansion (pure): the starts of a series' occurrences within a window.
//!
//! Rules are expanded by `rrule` in the event's wall-clock time (so a 09:00 weekly meeting stays
//! at 09:00 across daylight-saving changes) and each occurrence is then placed in its zone. An
//! `UNTIL` given in UTC is converted to the event's wall-clock time first. RDATEs are added and
//! EXDATEs removed by instant.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};

use super::{
    zones::{as_rrule_time, Zone},
    CalendarEvent, CalendarWindow, Recurrence, MAX_OCCURRENCES,
};
use crate::{Error, Result};

/// Splits `UNTIL=…` off a rule, returning the rest and the until time in the event's wall clock.
fn split_until(rule: &str, zone: &Zone) -> Result<(String, Option<NaiveDateTime>)> {
    let mut rest = Vec::new();
    let mut until = None;
    for part in rule.split(';').filter(|p| !p.trim().is_empty()) {
        match part.split_once('=') {
            Some((key, value)) if key.trim().eq_ignore_ascii_case("UNTIL") => {
                let value = value.trim();
                let local = if let Some(utc) = value.strip_suffix(['Z', 'z']) {
                    NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S").ok().map(|t| zone.to_local(t.and_utc()))
                } else if value.len() == 8 {
                    NaiveDate::parse_from_str(value, "%Y%m%d").ok().and_then(|d| d.and_hms_opt(23, 59, 59))
                } else {
                    NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").ok()
                };
                until = Some(
                    local.ok_or_else(|| Error::invalid("file", format!("UNTIL '{value}' is not a date or time")))?,
                );
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
) -> Result<Vec<NaiveDateTime>> {
    let (rule, until) = split_until(rule, &recurrence.zone)?;
    let mut parsed: rrule::RRule<rrule::Unvalidated> =
        rule.parse().map_err(|e| Error::invalid("file", format!("RRULE '{rule}' cannot be read: {e}")))?;
    if let Some(until) = until {
        parsed = parsed.until(as_rrule_time(until));
    }
    let set = parsed
        .build(as_rrule_time(recurrence.local_start))
        .map_err(|e| Error::invalid("file", format!("RRULE '{rule}' cannot be used: {e}")))?;
    let found = set.after(as_rrule_time(from)).before(as_rrule_time(to)).all(MAX_OCCURRENCES);
    Ok(found.dates.iter().map(DateTime::naive_utc).collect())
}

/// The occurrence starts of `event` within `window`, in order. Empty for an event that does not
/// repeat.
pub(super) fn occurrences(event: &CalendarEvent, window: CalendarWindow) -> Result<Vec<DateTime<Utc>>> {
    let Some(recurrence) = &event.recurrence else { return Ok(Vec::new()) };
    // Wall-clock bounds with a day's margin for any zone offset; exact bounds are applied in UTC.
    let from = window.from.naive_utc() - Duration::days(1);
    let to = window.to.naive_utc() + Duration::days(1);
    let mut starts: Vec<DateTime<Utc>> = Vec::new();
    if recurrence.rules.is_empty() {
        starts.push(event.start);
    }
    for rule in &recurrence.rules {
        let local = rule_starts(recurrence, rule, from, to).map_err(|e| {
            Error::invalid("file", format!("event {}: {}", event.uid, e.to_string().trim_start_matches("file: ")))
        })?;
        starts.extend(local.into_iter().map(|t| recurrence.zone.to_utc(t)));
    }
    starts.extend(recurrence.rdates.iter().copied());
    starts.retain(|t| *t >= window.from && *t <= window.to && !recurrence.exdates.contains(t));
    starts.sort();
    starts.dedup();
    starts.truncate(usize::from(MAX_OCCURRENCES));
    Ok(starts)
}
