//! Time zones of calendar times: IANA names (`chrono-tz`), zones defined in the file's own
//! `VTIMEZONE` blocks (Outlook's "GMT Standard Time" and the like), Windows zone names without a
//! `VTIMEZONE` (through CLDR's windowsZones table, [`super::windows_zones`]), and UTC.
//!
//! A `VTIMEZONE` is evaluated as RFC 5545 describes it: each STANDARD / DAYLIGHT observance starts
//! at its DTSTART and repeats by its RRULE / RDATEs (expanded with `rrule`); the offset in force at
//! a wall-clock time is the `TZOFFSETTO` of the observance that started most recently.

use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// One STANDARD or DAYLIGHT observance of a `VTIMEZONE`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Observance {
    /// First onset (wall-clock time before the change).
    pub start: NaiveDateTime,
    /// Offset from UTC before the onset, in seconds.
    pub offset_from: i32,
    /// Offset from UTC from the onset on, in seconds.
    pub offset_to: i32,
    /// RRULE values repeating the onset.
    pub rules: Vec<String>,
    /// Further onsets.
    pub rdates: Vec<NaiveDateTime>,
}

/// A zone defined by a `VTIMEZONE` block.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DefinedZone {
    /// Its TZID.
    pub tzid: String,
    /// Its observances.
    pub observances: Vec<Observance>,
}

/// The zone a wall-clock time is in.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Zone {
    /// UTC (times ending in `Z`, all-day dates).
    Utc,
    /// An IANA zone.
    Iana(chrono_tz::Tz),
    /// A zone defined in the file.
    Defined(Arc<DefinedZone>),
    /// A fixed offset from UTC in seconds (`TZID=UTC+01`, as Exchange writes).
    Fixed(i32),
}

/// A wall-clock time as an instant in the rrule crate's UTC, used to expand rules in local time.
pub(crate) fn as_rrule_time(local: NaiveDateTime) -> DateTime<rrule::Tz> {
    rrule::Tz::UTC.from_utc_datetime(&local)
}

/// Most onsets of one observance rule looked at for one time conversion.
const ONSETS_SEARCHED: u16 = 2000;

/// The most recent onset of `observance` at or before `local`.
fn last_onset(observance: &Observance, local: NaiveDateTime) -> Option<NaiveDateTime> {
    if observance.start > local {
        return None;
    }
    let mut best = observance.start;
    for text in &observance.rules {
        let Ok(rule) = text.parse::<rrule::RRule<rrule::Unvalidated>>() else { continue };
        // Observances usually start centuries ago (Outlook: 1601); a rule without COUNT repeats
        // the same way from any year, so expansion starts at the beginning of the previous year
        // (a week back for a rule repeating more often than monthly, which no real zone has, so a
        // hostile file cannot make every time conversion expand thousands of onsets).
        let yearly = matches!(rule.get_freq(), rrule::Frequency::Yearly | rrule::Frequency::Monthly);
        let recent = if yearly {
            NaiveDate::from_ymd_opt(local.year() - 1, 1, 1).map(|day| day.and_time(observance.start.time()))
        } else {
            Some(local - Duration::days(7))
        };
        let from = match recent {
            Some(recent) if rule.get_count().is_none() && recent > observance.start => recent,
            _ => observance.start,
        };
        let Ok(set) = rule.build(as_rrule_time(from)) else { continue };
        let found = set.before(as_rrule_time(local)).all(ONSETS_SEARCHED).dates;
        if let Some(last) = found.iter().rev().map(DateTime::naive_utc).find(|t| from == observance.start || *t != from)
        {
            best = best.max(last);
        }
    }
    for date in observance.rdates.iter().filter(|d| **d <= local) {
        best = best.max(*date);
    }
    Some(best)
}

impl DefinedZone {
    /// Offset from UTC (seconds) in force at wall-clock time `local`.
    fn offset_at(&self, local: NaiveDateTime) -> i32 {
        let latest = self
            .observances
            .iter()
            .filter_map(|o| last_onset(o, local).map(|onset| (onset, o.offset_to)))
            .max_by_key(|(onset, _)| *onset);
        match latest {
            Some((_, offset)) => offset,
            None => self.observances.iter().min_by_key(|o| o.start).map_or(0, |o| o.offset_from),
        }
    }
}

impl Zone {
    /// The instant of wall-clock time `local` in this zone. A time skipped by a DST change is
    /// read as the same time an hour later; a repeated time as its first occurrence.
    pub(crate) fn to_utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        match self {
            Zone::Utc => local.and_utc(),
            Zone::Iana(tz) => {
                let mut probe = local;
                for _ in 0..4 {
                    if let Some(t) = tz.from_local_datetime(&probe).earliest() {
                        return t.with_timezone(&Utc);
                    }
                    probe += Duration::hours(1);
                }
                local.and_utc()
            }
            Zone::Defined(zone) => (local - Duration::seconds(i64::from(zone.offset_at(local)))).and_utc(),
            Zone::Fixed(offset) => (local - Duration::seconds(i64::from(*offset))).and_utc(),
        }
    }

    /// The zone's name, as a person reads it.
    pub(crate) fn name(&self) -> String {
        match self {
            Zone::Utc => "UTC".to_owned(),
            Zone::Iana(tz) => tz.name().to_owned(),
            Zone::Defined(zone) => zone.tzid.clone(),
            Zone::Fixed(offset) => {
                let sign = if *offset < 0 { '-' } else { '+' };
                format!("UTC{sign}{:02}:{:02}", offset.abs() / 3600, offset.abs() % 3600 / 60)
            }
        }
    }

    /// The wall-clock time of `instant` in this zone.
    pub(crate) fn to_local(&self, instant: DateTime<Utc>) -> NaiveDateTime {
        match self {
            Zone::Utc => instant.naive_utc(),
            Zone::Iana(tz) => instant.with_timezone(tz).naive_local(),
            Zone::Defined(zone) => {
                let guess = instant.naive_utc();
                let offset = zone.offset_at(guess + Duration::seconds(i64::from(zone.offset_at(guess))));
                guess + Duration::seconds(i64::from(offset))
            }
            Zone::Fixed(offset) => instant.naive_utc() + Duration::seconds(i64::from(*offset)),
        }
    }
}

/// Resolves a TZID: an IANA name, a zone defined in the file, a Windows zone id or display name
/// (`Eastern Standard Time`, `(UTC-05:00) Eastern Time (US & Canada)`, mapped through CLDR's
/// windowsZones), or an IANA name at the end of a vendor path (`/mozilla.org/20050126_1/Europe/London`).
pub(crate) fn resolve(tzid: &str, defined: &[Arc<DefinedZone>]) -> Option<Zone> {
    let tzid = tzid.trim().trim_matches('"').trim();
    if let Ok(tz) = tzid.parse::<chrono_tz::Tz>() {
        return Some(Zone::Iana(tz));
    }
    if let Some(zone) = defined.iter().find(|z| z.tzid == tzid) {
        return Some(Zone::Defined(zone.clone()));
    }
    if let Some(offset) = fixed_offset(tzid) {
        return Some(Zone::Fixed(offset));
    }
    if let Some(tz) = windows_zone(tzid) {
        return Some(Zone::Iana(tz));
    }
    // Vendor paths: `/mozilla.org/20050126_1/Europe/London`, Exchange's
    // `tzone://Microsoft/Olson/Europe/Paris` and `tzone://Microsoft/Utc`.
    let parts: Vec<&str> = tzid.split('/').filter(|p| !p.is_empty()).collect();
    let iana = (1..parts.len()).find_map(|skip| parts[skip..].join("/").parse::<chrono_tz::Tz>().ok());
    iana.map(Zone::Iana).or_else(|| {
        let last = parts.last().filter(|_| parts.len() > 1)?;
        match fixed_offset(last)? {
            0 => Some(Zone::Utc),
            offset => Some(Zone::Fixed(offset)),
        }
    })
}

/// A fixed-offset TZID: `UTC`, `GMT`, `UTC+01`, `UTC-05:00`, `GMT+0530` → seconds east of UTC.
fn fixed_offset(tzid: &str) -> Option<i32> {
    let prefix = tzid.get(..3).filter(|p| p.eq_ignore_ascii_case("UTC") || p.eq_ignore_ascii_case("GMT"))?;
    let rest = tzid[prefix.len()..].trim();
    if rest.is_empty() {
        return Some(0);
    }
    let sign = match rest.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = rest[1..].chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes) = if digits.len() <= 2 { (&digits[..], "0") } else { digits.split_at(digits.len() - 2) };
    let (hours, minutes): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
    (hours <= 14 && minutes < 60).then_some(sign * (hours * 3600 + minutes * 60))
}

/// A display name split into its UTC offset in minutes (when it has one) and its place names,
/// normalised: `(GMT+10:00) Canberra, Melbourne, Sydney` → (600, "canberra, melbourne, sydney").
fn display_parts(name: &str) -> (Option<i32>, String) {
    let name = name.trim();
    let (offset, rest) = match name.strip_prefix('(').and_then(|n| n.split_once(')')) {
        Some((inside, rest)) => {
            let inside = inside.trim();
            let sign_at = inside.find(['+', '-']);
            let prefix = sign_at.map_or(inside, |i| &inside[..i]);
            if !(prefix.eq_ignore_ascii_case("UTC") || prefix.eq_ignore_ascii_case("GMT")) {
                (None, name)
            } else {
                let minutes = match sign_at {
                    None => Some(0),
                    Some(i) => {
                        let sign = if inside[i..].starts_with('-') { -1 } else { 1 };
                        let (h, m) = inside[i + 1..].split_once(':').unwrap_or((&inside[i + 1..], "0"));
                        h.trim().parse::<i32>().ok().zip(m.trim().parse::<i32>().ok()).map(|(h, m)| sign * (h * 60 + m))
                    }
                };
                (minutes, rest)
            }
        }
        None => (None, name),
    };
    let normal = rest.replace('&', " and ").to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
    (offset, normal)
}

/// The place names of a normalised display name.
fn places(normal: &str) -> Vec<&str> {
    normal.split([',', ':', ';']).flat_map(|p| p.split(" and ")).map(str::trim).filter(|p| !p.is_empty()).collect()
}

/// The IANA zone of a Windows zone id or display name, through CLDR's windowsZones. Display names
/// match exactly (ignoring case, `&` vs `and`, `UTC` vs `GMT`), else by the same offset and the
/// most shared place names (older Windows versions listed the places differently).
pub(crate) fn windows_zone(tzid: &str) -> Option<chrono_tz::Tz> {
    use super::windows_zones::{DISPLAY_NAMES, WINDOWS_IDS};
    let iana_of =
        |id: &str| WINDOWS_IDS.iter().find(|(w, _)| w.eq_ignore_ascii_case(id)).and_then(|(_, iana)| iana.parse().ok());
    if let Some(tz) = iana_of(tzid.trim()) {
        return Some(tz);
    }
    let (offset, normal) = display_parts(tzid);
    if normal.is_empty() {
        return None;
    }
    let known = DISPLAY_NAMES.iter().map(|(name, id)| (display_parts(name), *id));
    let exact = known.clone().find(|((o, n), _)| *n == normal && (offset.is_none() || *o == offset));
    if let Some((_, id)) = exact {
        return iana_of(id);
    }
    let wanted = places(&normal);
    let best = known
        .filter(|((o, _), _)| offset.is_none() || *o == offset)
        .map(|((_, n), id)| (places(&n).iter().filter(|p| wanted.contains(p)).count(), id))
        .filter(|(shared, _)| *shared > 0)
        .max_by_key(|(shared, _)| *shared);
    best.and_then(|(_, id)| iana_of(id))
}

/// Parses a UTC offset such as `+0100`, `-0530` or `+013000` into seconds.
pub(crate) fn parse_offset(text: &str) -> Option<i32> {
    let text = text.trim();
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => (1, text),
    };
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits[0..2].parse().ok()?;
    let minutes: i32 = digits[2..4].parse().ok()?;
    let seconds: i32 = if digits.len() == 6 { digits[4..6].parse().ok()? } else { 0 };
    Some(sign * (hours * 3600 + minutes * 60 + seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S").expect("test time")
    }

    #[test]
    fn a_defined_zone_follows_its_daylight_rules() {
        let zone = Zone::Defined(Arc::new(DefinedZone {
            tzid: "W. Europe Standard Time".into(),
            observances: vec![
                Observance {
                    start: local("16010101T030000"),
                    offset_from: 7200,
                    offset_to: 3600,
                    rules: vec!["FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10".into()],
                    rdates: vec![],
                },
                Observance {
                    start: local("16010101T020000"),
                    offset_from: 3600,
                    offset_to: 7200,
                    rules: vec!["FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3".into()],
                    rdates: vec![],
                },
            ],
        }));
        assert_eq!(zone.to_utc(local("20260115T100000")).to_rfc3339(), "2026-01-15T09:00:00+00:00");
        assert_eq!(zone.to_utc(local("20260715T100000")).to_rfc3339(), "2026-07-15T08:00:00+00:00");
        assert_eq!(zone.to_local(local("20260715T080000").and_utc()), local("20260715T100000"));
        // Either side of the last Sunday of October 2026 (the 25th).
        assert_eq!(zone.to_utc(local("20261024T100000")).to_rfc3339(), "2026-10-24T08:00:00+00:00");
        assert_eq!(zone.to_utc(local("20261026T100000")).to_rfc3339(), "2026-10-26T09:00:00+00:00");
    }

    #[test]
    fn vendor_prefixed_names_and_exchange_tzone_uris_resolve() {
        assert_eq!(resolve("/mozilla.org/20050126_1/Europe/London", &[]), Some(Zone::Iana(chrono_tz::Europe::London)));
        assert_eq!(resolve("Nowhere Standard Time", &[]), None);
        assert_eq!(resolve("tzone://Microsoft/Utc", &[]), Some(Zone::Utc));
        assert_eq!(resolve("tzone://Microsoft/Olson/Europe/Paris", &[]), Some(Zone::Iana(chrono_tz::Europe::Paris)));
        assert_eq!(resolve("tzone://Microsoft/Custom", &[]), None);
        assert_eq!(parse_offset("-0530"), Some(-19800));
    }

    #[test]
    fn windows_zone_names_without_a_vtimezone_map_through_cldr() {
        use chrono_tz::{America, Australia, Europe};
        for (tzid, iana) in [
            ("Eastern Standard Time", America::New_York),
            ("(UTC-05:00) Eastern Time (US and Canada)", America::New_York),
            ("(UTC-05:00) Eastern Time (US & Canada)", America::New_York),
            ("(GMT+10:00) Canberra, Melbourne, Sydney", Australia::Sydney),
            ("(GMT) Greenwich Mean Time : Dublin, Edinburgh, Lisbon, London", Europe::London),
            ("(GMT+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", Europe::Berlin),
            ("W. Europe Standard Time", Europe::Berlin),
            ("Pacific Time (US & Canada)", America::Los_Angeles),
        ] {
            assert_eq!(resolve(tzid, &[]), Some(Zone::Iana(iana)), "{tzid}");
        }
        assert_eq!(resolve("(UTC+13:37) Atlantis", &[]), None);
        assert_eq!(resolve("UTC+01", &[]), Some(Zone::Fixed(3600)));
        assert_eq!(resolve("GMT-05:30", &[]), Some(Zone::Fixed(-19800)));
    }

    #[test]
    fn every_windows_zone_in_the_table_is_a_known_iana_zone() {
        for (id, iana) in super::super::windows_zones::WINDOWS_IDS {
            assert!(iana.parse::<chrono_tz::Tz>().is_ok(), "{id} -> {iana}");
        }
        for (name, id) in super::super::windows_zones::DISPLAY_NAMES {
            assert!(windows_zone(name).is_some(), "{name} ({id})");
        }
    }
}
