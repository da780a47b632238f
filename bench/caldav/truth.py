#!/usr/bin/env python3
"""The true answer to a CalDAV calendar-query with a VEVENT time-range, computed without any
of the servers' code: python3-icalendar parses each event file, python3-recurring-ical-events
expands its recurrences (RRULE, EXDATE, RECURRENCE-ID overrides), and the RFC 4791 §9.9 test is
applied here to each instance. Date values and floating times are taken in UTC (no
calendar-timezone is set on the benchmark collections).

Usage: truth.py EVENTS_DIR START END      (START/END as 20250602T000000Z)
Prints JSON: {"count": n, "matches": ["evt-….ics", …], "instances": m}
Exits 3 if the Python modules are missing (the bench then falls back to ical.js).
"""
import datetime as dt
import json
import os
import sys

try:
    import icalendar
    import recurring_ical_events
except ImportError as err:  # pragma: no cover
    print(f"missing Python module: {err.name}", file=sys.stderr)
    sys.exit(3)

UTC = dt.timezone.utc


def parse_utc(text):
    return dt.datetime.strptime(text, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)


def as_utc(value):
    """A DATE or DATE-TIME as an aware UTC datetime (dates and floating times in UTC)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return dt.datetime(value.year, value.month, value.day, tzinfo=UTC)


def overlaps(event, start, end):
    """RFC 4791 §9.9, VEVENT, for one instance (as recurring_ical_events returns it)."""
    s_raw = event["DTSTART"].dt
    s = as_utc(s_raw)
    if "DTEND" in event:
        e = as_utc(event["DTEND"].dt)
    elif "DURATION" in event:
        e = s + event["DURATION"].dt
    elif not isinstance(s_raw, dt.datetime):
        e = s + dt.timedelta(days=1)
    else:
        e = s
    if e > s:
        return start < e and end > s
    return start <= s and end > s


def main():
    events_dir, start_text, end_text = sys.argv[1:4]
    start, end = parse_utc(start_text), parse_utc(end_text)
    # Expand over a padded window (long events, zones up to ±14 h), then test exactly.
    pad = dt.timedelta(days=4)
    matches, instances = [], 0
    for name in sorted(os.listdir(events_dir)):
        if not name.endswith(".ics"):
            continue
        with open(os.path.join(events_dir, name), "rb") as fh:
            cal = icalendar.Calendar.from_ical(fh.read())
        hit = False
        for ev in recurring_ical_events.of(cal).between(start - pad, end + pad):
            if overlaps(ev, start, end):
                instances += 1
                hit = True
        if hit:
            matches.append(name)
    json.dump({"count": len(matches), "matches": matches, "instances": instances}, sys.stdout)


if __name__ == "__main__":
    main()
