"""python3-caldav (Debian): discovery, save_event and an expanded date_search.

argv: base URL, user, password, calendar path, path of an .ics file to save.
Prints one JSON object on stdout.
"""
import json
import sys
from datetime import datetime, timezone

import caldav
from caldav.objects import CalendarObjectResource

base, user, password, cal_path, ics_file = sys.argv[1:6]

# Count client-side expansions: the library expands itself only when the server did not.
client_expanded = []
_expand = CalendarObjectResource.expand_rrule
def _counting(self, *args, **kwargs):
    client_expanded.append(str(self.url))
    return _expand(self, *args, **kwargs)
CalendarObjectResource.expand_rrule = _counting

client = caldav.DAVClient(url=base + "/dav/", username=user, password=password)
principal = client.principal()
calendars = principal.calendars()
calendar = next(c for c in calendars if c.url.path == cal_path)

with open(ics_file, encoding="utf-8") as f:
    saved = calendar.save_event(f.read())


def instances(objects):
    out = []
    for o in objects:
        for comp in o.icalendar_instance.walk("VEVENT"):
            rid = comp.get("RECURRENCE-ID")
            out.append({
                "uid": str(comp.get("UID")),
                "summary": str(comp.get("SUMMARY")),
                "start": comp.decoded("DTSTART").astimezone(timezone.utc).isoformat(),
                "recurrence_id": rid.dt.astimezone(timezone.utc).isoformat() if rid else None,
                "rrule": "RRULE" in comp,
            })
    return sorted(out, key=lambda i: i["start"])


utc = lambda *a: datetime(*a, tzinfo=timezone.utc)
january = calendar.date_search(utc(2031, 1, 1), utc(2031, 2, 1), expand=True)
excluded_day = calendar.date_search(utc(2031, 1, 20), utc(2031, 1, 21), expand=True)
moved_day = calendar.date_search(utc(2031, 1, 28), utc(2031, 1, 29), expand=True)

print(json.dumps({
    "principal": principal.url.path,
    "calendars": [{"path": c.url.path, "name": c.get_display_name()} for c in calendars],
    "saved": saved.url.path,
    "january": instances(january),
    "excluded_day": instances(excluded_day),
    "moved_day": instances(moved_day),
    "client_expanded": client_expanded,
}))
