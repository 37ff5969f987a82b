"""Reference expansion of iCalendar files for Outpost's calendar corpus test.

An independent reader: Python `icalendar` + `recurring_ical_events` (pinned in the Makefile), which
also applies X-WR-TIMEZONE the way the `x-wr-timezone` package does. Reads a JSON list of jobs
({"path", "from", "to"}, RFC 3339 UTC bounds) on stdin and prints, for each path, either
{"occurrences": [{"uid", "start", "all_day", "cancelled"}]} — every VEVENT occurrence starting
within [from, to], start in UTC (floating times read as UTC, dates as midnight UTC) — or
{"error": "..."} when the reference cannot read the file.
"""

import datetime as dt
import json
import sys

import icalendar
import recurring_ical_events

UTC = dt.timezone.utc
# A file with more occurrences than this in its window is reported as an error, not expanded on.
MOST = 100_000


def as_utc(value):
    if isinstance(value, dt.datetime):
        return (value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)), False
    return dt.datetime.combine(value, dt.time(), UTC), True


def expand(path, start, end):
    # icalendar keeps every VTIMEZONE it has read in one process-wide cache keyed by TZID, so a
    # file defining "Customized Time Zone" would change how the next file's zone of that name
    # reads; each file starts with an empty cache, as when read alone.
    icalendar.timezone.tzp.use_default()
    with open(path, "rb") as handle:
        calendars = icalendar.Calendar.from_ical(handle.read(), multiple=True)
    found = []
    for calendar in calendars:
        query = recurring_ical_events.of(calendar, components=["VEVENT"], skip_bad_series=True)
        for event in query.between(start - dt.timedelta(days=2), end + dt.timedelta(days=1)):
            at, all_day = as_utc(event["DTSTART"].dt)
            if start <= at <= end:
                found.append(
                    {
                        "uid": str(event.get("UID", "")),
                        "start": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "all_day": all_day,
                        "cancelled": str(event.get("STATUS", "")).upper() == "CANCELLED",
                    }
                )
            if len(found) > MOST:
                raise ValueError(f"more than {MOST} occurrences")
    return found


def main():
    out = {}
    for job in json.load(sys.stdin):
        start = dt.datetime.fromisoformat(job["from"].replace("Z", "+00:00"))
        end = dt.datetime.fromisoformat(job["to"].replace("Z", "+00:00"))
        try:
            out[job["path"]] = {"occurrences": expand(job["path"], start, end)}
        except Exception as error:  # the reference cannot read it: reported, never fatal
            out[job["path"]] = {"error": f"{type(error).__name__}: {error}"}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
