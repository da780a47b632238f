"""python3-caldav (Debian): RFC 6578 sync through the library's own sync-token API.

argv: base URL, user, password, calendar path, then either `initial` or `since <token>`.
`since` runs SynchronizableCalendarObjectCollection.sync(), which loads each changed member
and files it as deleted when loading it answers 404. Prints one JSON object on stdout.
"""
import json
import sys

import caldav
from caldav.objects import SynchronizableCalendarObjectCollection

base, user, password, cal_path, mode = sys.argv[1:6]
client = caldav.DAVClient(url=base + "/dav/", username=user, password=password)
calendar = caldav.Calendar(client=client, url=base + cal_path)


def summary(o):
    return str(o.icalendar_component.get("SUMMARY"))


if mode == "initial":
    objects = calendar.objects_by_sync_token(load_objects=True)
    print(json.dumps({
        "token": objects.sync_token,
        "objects": sorted([{"path": o.url.path, "summary": summary(o)} for o in objects], key=lambda o: o["summary"]),
    }))
else:
    token = sys.argv[6]
    unchanged = calendar.objects(sync_token=token)
    collection = SynchronizableCalendarObjectCollection(calendar=calendar, objects=[], sync_token=token)
    updated, deleted = collection.sync()
    print(json.dumps({
        "listed": sorted(o.url.path for o in unchanged),
        "listed_token": unchanged.sync_token,
        "token": collection.sync_token,
        "updated": sorted([{"path": o.url.path, "summary": summary(o)} for o in updated], key=lambda o: o["summary"]),
        "deleted": sorted(o.url.path for o in deleted),
    }))
