import { DAV } from '../../xml/namespaces.js';
import { child, children, type XmlElement } from '../../xml/parse.js';
import type { DavRequest } from '../context.js';
import { admitted } from '../resources.js';
import { multistatus, statusResponse } from '../multistatus.js';
import { memberResponder, propRequestOf } from './members.js';
import { reportLimits } from '../limits.js';

/**
 * The member name an href names inside the collection at `base`, or null. Clients send
 * absolute URLs or paths, percent-encoded or not; most echo the hrefs they were given,
 * which skip the URL parser.
 */
function memberName(href: string, base: string, decodedBase: string): string | null {
  let path = href;
  try {
    path = decodeURIComponent(href.startsWith(base) && !/[?#]/.test(href) ? href : new URL(href, 'http://x').pathname);
  } catch { /* keep as sent */ }
  if (!path.startsWith(decodedBase)) return null;
  const name = path.slice(decodedBase.length);
  return name.includes('/') ? null : name;
}

/** calendar-multiget (RFC 4791 §7.9): the members named by href, a 404 for each missing one. */
export async function multiget(req: DavRequest, body: XmlElement) {
  const { deps, user } = req;
  const resource = admitted(req.resource, 'calendar', 'object');
  const { calendar, readOnly } = resource;
  const members = memberResponder(calendar, readOnly, user, propRequestOf(child(body, DAV, 'prop')), reportLimits(deps.config));
  const { base } = members;
  const decodedBase = decodeURIComponent(base);
  const wanted = children(body, DAV, 'href').map((h) => h.text.trim());
  const uris = new Map<string, string>();
  for (const href of wanted) {
    const name = memberName(href, base, decodedBase);
    if (name !== null) uris.set(href, name);
  }
  const found = new Map((await deps.store.getObjectTexts(calendar.id, [...new Set(uris.values())])).map((o) => [o.uri, o]));
  return multistatus(await members.responses(wanted, (href, x) => {
    const object = found.get(uris.get(href) ?? '');
    return object ? members.response(object, x) : statusResponse(href, 404);
  }));
}
