"""python3-caldav (Debian) given only the server's address, as a user types it.

argv: base URL, user, password. Prints one JSON object on stdout.
"""
import json
import sys

import caldav

base, user, password = sys.argv[1:4]

client = caldav.DAVClient(url=base + "/", username=user, password=password)
principal = client.principal()
print(json.dumps({
    "principal": principal.url.path,
    "calendars": sorted(c.url.path for c in principal.calendars()),
}))
