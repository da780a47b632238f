"""Reads a feed on stdin with Debian's python3-icalendar and prints what it understood as JSON."""
import json
import sys

import icalendar

cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
events = [c for c in cal.walk('VEVENT')]
print(json.dumps({
    'calname': str(cal.get('X-WR-CALNAME')),
    'method': str(cal.get('METHOD')),
    'version': str(cal.get('VERSION')),
    'timezones': sorted(str(tz.get('TZID')) for tz in cal.walk('VTIMEZONE')),
    'events': len(events),
    'uids': sorted({str(e.get('UID')) for e in events}),
    'summaries': sorted(str(e.get('SUMMARY')) for e in events),
    'starts': sorted(e.decoded('DTSTART').isoformat() for e in events),
}))
