"""python3-caldav (Debian): search(start=, end=) with no component type, as a user writes it.

The library then puts the time-range directly in the VCALENDAR comp-filter.
argv: base URL, user, password, calendar path. Prints one JSON object on stdout.
"""
import json
import sys
from datetime import datetime, timezone

import caldav

base, user, password, cal_path = sys.argv[1:5]

client = caldav.DAVClient(url=base + "/dav/", username=user, password=password)
calendar = next(c for c in client.principal().calendars() if c.url.path == cal_path)
found = calendar.search(
    start=datetime(2031, 3, 1, tzinfo=timezone.utc), end=datetime(2031, 4, 1, tzinfo=timezone.utc))
print(json.dumps({"uids": sorted(str(o.icalendar_component["UID"]) for o in found)}))
