import { DAV } from '../../xml/namespaces.js';
import { child, children, type XmlElement } from '../../xml/parse.js';
import type { DavRequest } from '../context.js';
import { multistatus, statusResponse } from '../multistatus.js';
import { hrefOf } from '../resources.js';
import { memberResponse, propRequestOf } from './members.js';

/** calendar-multiget (RFC 4791 §7.9): the members named by href, a 404 for each missing one. */
export async function multiget(req: DavRequest, body: XmlElement) {
  const { deps, user, resource } = req;
  if (resource.kind !== 'calendar' && resource.kind !== 'object') return multistatus([]);
  const { calendar, readOnly } = resource;
  const prop = propRequestOf(child(body, DAV, 'prop'));
  const base = hrefOf({ kind: 'calendar', calendar, readOnly }, user);
  const wanted = children(body, DAV, 'href').map((h) => h.text.trim());
  const uris = new Map<string, string>();
  for (const href of wanted) {
    // Clients send absolute URLs or paths, percent-encoded or not.
    let path = href;
    try {
      path = decodeURIComponent(new URL(href, 'http://x').pathname);
    } catch { /* keep as sent */ }
    const decodedBase = decodeURIComponent(base);
    if (path.startsWith(decodedBase) && !path.slice(decodedBase.length).includes('/')) uris.set(href, path.slice(decodedBase.length));
  }
  const found = new Map((await deps.store.getObjectTexts(calendar.id, [...new Set(uris.values())])).map((o) => [o.uri, o]));
  return multistatus(wanted.map((href) => {
    const object = found.get(uris.get(href) ?? '');
    return object ? memberResponse(calendar, readOnly, user, object, prop) : statusResponse(href, 404);
  }));
}
