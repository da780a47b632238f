"""python3-caldav (Debian) searching principals by name, as a client looking up an attendee.

Debian's caldav 0.11 predates search_principals(), so this sends the RFC 3744 §9.4 REPORT
that newer releases send, through the library's own client, to the collection the principal
advertises in principal-collection-set.

argv: base URL, user, password, search text. Prints one JSON object on stdout.
"""
import json
import sys

import caldav

base, user, password, text = sys.argv[1:5]
D = "{DAV:}"
client = caldav.DAVClient(url=base + "/", username=user, password=password)
principal = client.principal()
found = client.propfind(str(principal.url), '<D:propfind xmlns:D="DAV:"><D:prop><D:principal-collection-set/></D:prop></D:propfind>', 0)
collection = found.tree.find(f".//{D}principal-collection-set/{D}href").text
body = f"""<?xml version="1.0" encoding="utf-8"?>
<D:principal-property-search xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav" test="anyof">
  <D:property-search><D:prop><D:displayname/></D:prop><D:match>{text}</D:match></D:property-search>
  <D:property-search><D:prop><C:calendar-user-address-set/></D:prop><D:match>{text}</D:match></D:property-search>
  <D:prop><D:displayname/><C:calendar-user-address-set/></D:prop>
</D:principal-property-search>"""
response = client.report(str(principal.url.join(collection)), body, 0)
print(json.dumps({
    "status": response.status,
    "collection": collection,
    "found": sorted([r.find(f"{D}href").text, r.find(f".//{D}displayname").text] for r in response.tree.findall(f"{D}response")),
}))
