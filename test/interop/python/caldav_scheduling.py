"""python3-caldav (Debian): RFC 6638 scheduling through the library's own calls.

argv: base URL, organizer user, password, invitee user, password, calendar path. The organizer
finds their inbox and outbox, checks the server schedules, and saves an event with attendees
by save_with_invites (which takes ORGANIZER from calendar-user-address-set); the invitee then
reads their inbox with get_items(). Prints one JSON object on stdout.
"""
import json
import sys

import caldav

base, user, password, invitee, invitee_password, cal_path = sys.argv[1:7]

client = caldav.DAVClient(url=base + "/dav/", username=user, password=password)
principal = client.principal()
inbox = principal.schedule_inbox()
outbox = principal.schedule_outbox()
calendar = caldav.Calendar(client=client, url=base + cal_path)

ical = "\r\n".join([
    "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//python interop//EN", "BEGIN:VEVENT",
    "UID:py-sched@calcast.test", "DTSTAMP:20310101T000000Z", "DTSTART:20310610T090000Z",
    "DTEND:20310610T100000Z", "SUMMARY:Python planning", "END:VEVENT", "END:VCALENDAR", "",
])
saved = calendar.save_with_invites(ical, [principal, ("Bob", invitee + "@calcast.test"), "carol@example.org"])
saved.load()
attendees = {
    str(a): a.params.get("SCHEDULE-STATUS") for a in saved.icalendar_component.get("attendee")
}

theirs = caldav.DAVClient(url=base + "/dav/", username=invitee, password=invitee_password).principal()
items = theirs.schedule_inbox().get_items()
print(json.dumps({
    "scheduling": bool(client.check_scheduling_support()),
    "inbox": inbox.url.path,
    "outbox": outbox.url.path,
    "addresses": principal.calendar_user_address_set(),
    "organizer": str(saved.icalendar_component.get("organizer")),
    "attendees": attendees,
    "invitee_inbox": [
        {"method": str(i.icalendar_instance.get("method")), "summary": str(i.icalendar_component.get("summary"))} for i in items
    ],
}))
