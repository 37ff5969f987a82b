//! Calendar import: meetings from iCalendar (`.ics`) files, by `outpost meetings import FILE.ics`
//! or by dropping the file into a watched folder.
//!
//! Three steps, the first two pure:
//!
//! 1. [`parse_calendar`] reads the stream (one or several `VCALENDAR` objects; the syntax is
//!    [`syntax`], which keeps line numbers) into [`CalendarEvent`]s with every time as a UTC
//!    instant: `TZID` times through IANA zones (`chrono-tz`), the file's own `VTIMEZONE`
//!    definitions or Windows zone names (CLDR windowsZones, ids and display names); `Z` times as
//!    UTC; floating times in the calendar's `X-WR-TIMEZONE`, else the `timezone` setting (default
//!    UTC); all-day dates as midnight UTC; a zone nobody knows as the calendar's own, warned. An
//!    event it cannot read (no UID or DTSTART, a broken VTIMEZONE, a broken line) is reported
//!    with its UID, line and reason and the rest of the file is imported; only a file that is not
//!    iCalendar at all is refused. A `METHOD:CANCEL` calendar cancels its events; a
//!    `METHOD:REPLY` one is an attendee's answer and changes no meeting.
//! 2. [`plan_calendar_import`] compares the events with the meetings already imported from the same
//!    UIDs and decides what to create, update and cancel. Recurring events are expanded
//!    ([`expand`]) in the event's wall-clock time within a window (default 90 days back to 180
//!    days ahead, settings `calendar-days-back` / `calendar-days-ahead`), one meeting per
//!    occurrence keyed `UID#<start>`; a `RECURRENCE-ID` override replaces its occurrence; a series
//!    with more than [`MAX_OCCURRENCES`] occurrences in the window is cut there and reported. A
//!    rule that cannot be expanded skips that series only, reported with the RRULE's line.
//!    `STATUS:CANCELLED` cancels the event (or the one occurrence). A version (SEQUENCE, then
//!    DTSTAMP) older than the one imported is ignored; a newer one updates the meetings in place.
//!    Solo blocks — no attendee besides the organiser, rooms and resources not counting — are not
//!    meetings and are reported as skipped.
//! 3. [`import_file`] applies the plan in one transaction through the meetings API (each meeting
//!    row, its sync record and audit row), plus one audit row for the import.

mod apply;
mod encoding;
mod expand;
mod parse;
mod people;
mod plan;
mod syntax;
mod windows_zones;
mod zones;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use apply::{import_file, import_text};
pub use encoding::decode as decode_ics;
pub use expand::{expand_calendar, Expansion, Occurrence};
pub use parse::{parse_calendar, ParsedCalendar};
pub use plan::plan_calendar_import;

use crate::store::ids::MeetingId;

/// Most meetings one recurring series yields within the window.
pub const MAX_OCCURRENCES: u16 = 1000;

/// A person on an invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Person {
    /// Email (lower-cased).
    pub email: String,
    /// Display name (`CN`).
    pub name: Option<String>,
}

/// An instant as a calendar wrote it: a date (`VALUE=DATE`) or a date-time. A date matches any
/// occurrence on that day, so a date-only EXDATE removes a timed occurrence and a zoned
/// RECURRENCE-ID moves an all-day one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// The instant (midnight UTC for a date).
    pub utc: DateTime<Utc>,
    /// Its date in the zone it was written in.
    pub local_date: NaiveDate,
    /// Written as a date.
    pub is_date: bool,
}

/// How a recurring event repeats, in its own wall-clock time.
#[derive(Debug, Clone, PartialEq)]
pub struct Recurrence {
    /// RRULE values, with their line.
    pub(crate) rules: Vec<(String, u32)>,
    pub(crate) local_start: NaiveDateTime,
    pub(crate) zone: zones::Zone,
    /// The series is all-day.
    pub(crate) all_day: bool,
    pub(crate) exdates: Vec<Moment>,
    pub(crate) rdates: Vec<DateTime<Utc>>,
}

/// One `VEVENT` of a calendar file: a single event, a recurring series, or one changed occurrence
/// of a series (`recurrence_id`).
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarEvent {
    /// UID.
    pub uid: String,
    /// Line of its `BEGIN:VEVENT`.
    pub line: u32,
    /// The original start of the occurrence this event replaces (`RECURRENCE-ID`).
    pub recurrence_id: Option<Moment>,
    /// `RECURRENCE-ID;RANGE=THISANDFUTURE`: the change applies to every later occurrence too.
    pub this_and_future: bool,
    /// SEQUENCE (default 0).
    pub sequence: i64,
    /// DTSTAMP (or LAST-MODIFIED).
    pub stamp: Option<DateTime<Utc>>,
    /// SUMMARY (`(no title)` when missing).
    pub title: String,
    /// Start.
    pub start: DateTime<Utc>,
    /// End (DTEND, or DTSTART + DURATION; the next day for an all-day event without either).
    pub end: Option<DateTime<Utc>>,
    /// A date rather than a time.
    pub all_day: bool,
    /// LOCATION.
    pub location: Option<String>,
    /// DESCRIPTION.
    pub description: Option<String>,
    /// `STATUS:CANCELLED`, or sent in a `METHOD:CANCEL` calendar (a cancellation).
    pub cancelled: bool,
    /// Sent in a `METHOD:REPLY` (or `COUNTER`, `REFRESH`, `DECLINECOUNTER`) calendar: an
    /// attendee's answer to an invitation, carrying only that attendee and often a title such as
    /// `Accepted: …`, not the meeting itself.
    pub reply: bool,
    /// ORGANIZER.
    pub organizer: Option<Person>,
    /// ATTENDEEs that are people (rooms and resources left out).
    pub attendees: Vec<Person>,
    /// RRULE / RDATE / EXDATE, when the event repeats.
    pub recurrence: Option<Recurrence>,
}

/// The span recurring events are expanded within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarWindow {
    /// Earliest occurrence start.
    pub from: DateTime<Utc>,
    /// Latest occurrence start.
    pub to: DateTime<Utc>,
}

/// A meeting as a calendar event says it should be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PlannedMeeting {
    /// Occurrence key: the UID, or `UID#YYYYMMDDTHHMMSSZ` for an occurrence of a series.
    pub external_uid: String,
    /// The event's UID.
    pub uid: String,
    /// SEQUENCE of the version.
    #[ts(type = "number")]
    pub sequence: i64,
    /// DTSTAMP of the version (RFC 3339).
    pub stamp: Option<String>,
    /// Title.
    pub title: String,
    /// Start (RFC 3339 UTC).
    pub starts_at: String,
    /// End (RFC 3339 UTC).
    pub ends_at: Option<String>,
    /// All-day.
    pub all_day: bool,
    /// Where.
    pub location: Option<String>,
    /// Invite text.
    pub description: Option<String>,
    /// Organiser first, then the other people invited.
    pub attendees: Vec<Person>,
}

impl PlannedMeeting {
    /// Whether the meeting-visible fields equal `other`'s (versions aside).
    pub fn same_content(&self, other: &PlannedMeeting) -> bool {
        let mut a = self.attendees.iter().map(|p| (&p.email, &p.name)).collect::<Vec<_>>();
        let mut b = other.attendees.iter().map(|p| (&p.email, &p.name)).collect::<Vec<_>>();
        a.sort();
        b.sort();
        (&self.title, &self.starts_at, &self.ends_at, self.all_day, &self.location, &self.description, a)
            == (&other.title, &other.starts_at, &other.ends_at, other.all_day, &other.location, &other.description, b)
    }

    /// (SEQUENCE, DTSTAMP): the larger is the newer version.
    pub fn version(&self) -> (i64, Option<&str>) {
        (self.sequence, self.stamp.as_deref())
    }
}

/// A meeting imported earlier from one of the file's UIDs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingMeeting {
    /// Its id.
    pub id: MeetingId,
    /// `scheduled` or `cancelled`.
    pub status: String,
    /// Its current fields and version, as a planned meeting.
    pub current: PlannedMeeting,
}

/// Why an event did not become a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SkipReason {
    /// No attendee besides the organiser: a block in someone's own calendar.
    Solo,
    /// Cancelled, and never imported before.
    Cancelled,
    /// An older version of an event already imported in a newer version.
    Stale,
    /// An attendee's answer to an invitation (`METHOD:REPLY`, `COUNTER`, …), not the meeting:
    /// import the invitation instead.
    Reply,
    /// A recurring event with no occurrence inside the window.
    OutsideWindow,
    /// An event the file does not let us read (see `detail`); the rest of the file is imported.
    Unreadable,
    /// A series with more occurrences in the window than are imported (`MAX_OCCURRENCES`):
    /// `starts_at` is the first one left out.
    OccurrenceLimit,
}

/// A `VEVENT` that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Unreadable {
    /// UID, when it has one.
    pub uid: Option<String>,
    /// SUMMARY, when it has one.
    pub title: Option<String>,
    /// Line (1-based) of the problem.
    pub line: u32,
    /// Why.
    pub reason: String,
}

/// A value left out of an event that was imported (an end before the start, an unreadable
/// EXDATE).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CalendarWarning {
    /// The event's UID.
    pub uid: String,
    /// Line (1-based) of the value.
    pub line: u32,
    /// What was left out and why.
    pub message: String,
}

/// An event (or occurrence) the import left alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SkippedEvent {
    /// UID.
    pub uid: String,
    /// Title.
    pub title: String,
    /// Start of the event or occurrence (RFC 3339 UTC); empty when it could not be read.
    pub starts_at: String,
    /// Why.
    pub reason: SkipReason,
    /// Line of the event (or of its problem) in the file.
    pub line: Option<u32>,
    /// What exactly, for `unreadable` and `occurrence_limit`.
    pub detail: Option<String>,
}

/// What to do with the file's events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarPlan {
    /// New meetings.
    pub creates: Vec<PlannedMeeting>,
    /// Meetings to rewrite (a newer version, or a cancelled occurrence that is back).
    pub updates: Vec<(MeetingId, PlannedMeeting)>,
    /// Meetings to mark cancelled, with the version that cancels them.
    pub cancels: Vec<(MeetingId, PlannedMeeting)>,
    /// Meetings already as the file says.
    pub unchanged: u32,
    /// Events left alone.
    pub skipped: Vec<SkippedEvent>,
}

/// Options of one calendar import.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[ts(export, optional_fields)]
pub struct CalendarImportRequest {
    /// The `.ics` file.
    #[ts(type = "string")]
    pub path: std::path::PathBuf,
    /// Expand recurring events from this many days before today (default: setting, else 90).
    #[serde(default)]
    pub days_back: Option<u32>,
    /// … to this many days after today (default: setting, else 180).
    #[serde(default)]
    pub days_ahead: Option<u32>,
    /// Expand from this date (YYYY-MM-DD) instead of `days_back` before today.
    #[serde(default)]
    pub from: Option<String>,
    /// Expand up to the end of this date (YYYY-MM-DD) instead of `days_ahead` after today.
    #[serde(default)]
    pub to: Option<String>,
    /// IANA zone of floating times in calendars without an `X-WR-TIMEZONE` (default: the `timezone`
    /// setting, else UTC).
    #[serde(default)]
    pub timezone: Option<String>,
}

/// One meeting the import wrote.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CalendarChange {
    /// `created`, `updated` or `cancelled`.
    pub action: String,
    /// The meeting.
    pub meeting_id: MeetingId,
    /// Its occurrence key.
    pub external_uid: String,
    /// Title.
    pub title: String,
    /// Start (RFC 3339 UTC).
    pub starts_at: String,
}

/// What a calendar import did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CalendarImport {
    /// The file (name).
    pub file: String,
    /// `VEVENT`s read.
    pub events: u32,
    /// Meetings created.
    pub created: u32,
    /// Meetings updated.
    pub updated: u32,
    /// Meetings cancelled.
    pub cancelled: u32,
    /// Meetings already up to date.
    pub unchanged: u32,
    /// Each meeting written.
    pub changes: Vec<CalendarChange>,
    /// Events left alone, with the reason.
    pub skipped: Vec<SkippedEvent>,
    /// Values left out of imported events.
    pub warnings: Vec<CalendarWarning>,
    /// Window start (RFC 3339).
    pub window_from: String,
    /// Window end (RFC 3339).
    pub window_to: String,
}

/// RFC 3339 UTC with milliseconds, as meetings store times.
pub(crate) fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
