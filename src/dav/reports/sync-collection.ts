import { HttpError } from '../../errors.js';
import type { Change } from '../../store/types.js';
import { DAV, clark } from '../../xml/namespaces.js';
import { child, type XmlElement } from '../../xml/parse.js';
import { el } from '../../xml/write.js';
import type { DavRequest } from '../context.js';
import { reportLimits, SYNC_PAGE } from '../limits.js';
import { multistatus, statusResponse } from '../multistatus.js';
import { admitted, hrefOf } from '../resources.js';
import { parseSyncToken, syncTokenOf } from '../sync-token.js';
import { inboxSync } from './inbox-sync.js';
import { memberResponder, propRequestOf } from './members.js';

const d = (local: string) => clark(DAV, local);

/** The last change per member, in the order of those last changes. */
function latestPerMember(changes: Change[]): Change[] {
  const last = new Map<string, Change>();
  for (const c of changes) {
    last.delete(c.uri);
    last.set(c.uri, c);
  }
  return [...last.values()];
}

/**
 * Cuts the change list at `limit` without splitting one sync token's changes (an import
 * shares one), so the token returned resumes exactly after what was sent.
 */
function page(changes: Change[], limit: number): { sent: Change[]; truncated: boolean } {
  if (changes.length <= limit) return { sent: changes, truncated: false };
  let end = limit;
  while (end > 0 && changes[end]!.syncToken === changes[end - 1]!.syncToken) end--;
  if (end === 0) {
    // The first token alone is over the limit: send all of it, which may be everything.
    const next = changes.findIndex((c) => c.syncToken !== changes[0]!.syncToken);
    end = next === -1 ? changes.length : next;
  }
  return { sent: changes.slice(0, end), truncated: end < changes.length };
}

/** sync-collection (RFC 6578): what changed since a token; removed members answer 404. */
export async function syncCollection(req: DavRequest, body: XmlElement) {
  if (req.resource.kind === 'schedule-inbox') return inboxSync(req, body);
  const { deps, user } = req;
  const resource = admitted(req.resource, 'calendar');
  const { calendar, readOnly } = resource;
  const since = parseSyncToken(calendar, child(body, DAV, 'sync-token')?.text ?? '');
  const level = child(body, DAV, 'sync-level')?.text.trim() ?? '1';
  if (level !== '1' && level !== 'infinite') throw new HttpError(400, 'VALIDATION_FAILED', 'sync-level must be 1 or infinite', { field: 'sync-level' });
  const nresults = Number(child(child(body, DAV, 'limit'), DAV, 'nresults')?.text ?? SYNC_PAGE);
  const limit = Number.isInteger(nresults) && nresults > 0 ? Math.min(nresults, SYNC_PAGE) : SYNC_PAGE;
  const members = memberResponder(calendar, readOnly, user, propRequestOf(child(body, DAV, 'prop')), reportLimits(deps.config));
  // An initial sync (no token) lists current members only, never removed ones (§3.8).
  const changes = latestPerMember(await deps.store.changesSince(calendar.id, since))
    .filter((c) => since > 0 || c.operation !== 'delete');
  const { sent, truncated } = page(changes, limit);
  const objects = new Map((await deps.store.getObjectTexts(calendar.id, sent.map((c) => c.uri))).map((o) => [o.uri, o]));
  const responses = await members.responses(sent, (c, x) => {
    const object = objects.get(c.uri);
    return object
      ? members.response(object, x)
      : statusResponse(members.href(c.uri), 404);
  }, 507);
  const token = truncated ? sent[sent.length - 1]!.syncToken : calendar.syncToken;
  // §3.6: a truncated answer carries a 507 for the request-URI; the token resumes after it.
  if (truncated) responses.push(statusResponse(hrefOf(resource, user), 507));
  return multistatus(responses, el(d('sync-token'), syncTokenOf(calendar, token)));
}
