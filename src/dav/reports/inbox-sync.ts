import { createHash } from 'node:crypto';
import { HttpError } from '../../errors.js';
import { CALDAV, DAV, clark } from '../../xml/namespaces.js';
import { child, type XmlElement } from '../../xml/parse.js';
import { el } from '../../xml/write.js';
import type { DavRequest } from '../context.js';
import { propertyValue } from '../live-properties.js';
import { multistatus, namedPropsResponse } from '../multistatus.js';
import { admitted, hrefs } from '../resources.js';

const d = (local: string) => clark(DAV, local);
const CALENDAR_DATA = clark(CALDAV, 'calendar-data');

/**
 * sync-collection on a schedule inbox (RFC 6578), which python caldav uses to list it. An
 * inbox keeps no change log, so only an initial sync is answered: every message, with the
 * properties asked for (calendar-data included). Any other token is invalid (§3.2), and the client lists afresh.
 */
export async function inboxSync(req: DavRequest, body: XmlElement) {
  const { user } = admitted(req.resource, 'schedule-inbox');
  if ((child(body, DAV, 'sync-token')?.text ?? '').trim() !== '') {
    throw new HttpError(403, 'FORBIDDEN', 'an inbox answers initial syncs only; sync again without a token', { precondition: d('valid-sync-token') });
  }
  const names = (child(body, DAV, 'prop')?.children ?? []).map((p) => clark(p.ns, p.local));
  const props = { user: req.user, maxInstances: req.deps.config.davMaxInstances };
  const items = await req.deps.store.listInbox(user.id);
  const responses = items.map((item) => {
    const resource = { kind: 'inbox-item' as const, user, uri: item.uri, item };
    return namedPropsResponse(hrefs.inboxItem(user, item.uri), names,
      (name) => (name === CALENDAR_DATA ? { name, text: item.data } : propertyValue(name, resource, props)));
  });
  const version = createHash('sha256').update(items.map((i) => `${i.uri} ${i.etag}`).join('\n')).digest('base64url').slice(0, 22);
  return multistatus(responses, el(d('sync-token'), `urn:calcast:inbox:${version}`));
}
