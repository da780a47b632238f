import { HttpError } from '../../errors.js';
import { DAV, clark } from '../../xml/namespaces.js';
import type { XmlElement } from '../../xml/parse.js';
import type { XmlNode } from '../../xml/write.js';
import { readXml, sendXml, type DavRequest, type MethodHandler } from '../context.js';
import { multistatus, namedPropsResponse, propResponse } from '../multistatus.js';
import { publicHead } from '../public-filter.js';
import { definedProperties, propertyValue, type PropContext } from '../live-properties.js';
import { enc, hrefOf, type Resource } from '../resources.js';
import { inboxItem } from '../schedule-inbox.js';

type Request = { mode: 'allprop' | 'propname' } | { mode: 'prop'; names: string[] };

function parseRequest(body: XmlElement | null): Request {
  if (!body) return { mode: 'allprop' }; // RFC 4918 §9.1: no body means allprop
  if (body.ns !== DAV || body.local !== 'propfind') {
    throw new HttpError(400, 'VALIDATION_FAILED', 'expected a propfind request body', { field: 'body' });
  }
  const first = body.children[0];
  if (first?.ns === DAV && first.local === 'propname') return { mode: 'propname' };
  if (first?.ns === DAV && first.local === 'prop') return { mode: 'prop', names: first.children.map((c) => clark(c.ns, c.local)) };
  return { mode: 'allprop' };
}

/** The members a Depth 1 PROPFIND lists. Objects come as heads: no calendar text is read. */
async function membersOf({ deps, user, resource }: DavRequest): Promise<Resource[]> {
  switch (resource.kind) {
    case 'root':
      return user ? [{ kind: 'principal', user }, { kind: 'home', user }] : [];
    case 'principals':
      return user ? [{ kind: 'principal', user }] : [];
    case 'home':
      return (await deps.store.listCalendars(resource.user.id)).map((calendar) => ({ kind: 'calendar', calendar, readOnly: false }));
    case 'calendar': {
      const heads = await deps.store.listObjectHeads(resource.calendar.id);
      return heads.map((head) => ({
        kind: 'object', calendar: resource.calendar, readOnly: resource.readOnly, uri: head.uri,
        head: resource.readOnly ? publicHead(head, resource.calendar) : head,
      }));
    }
    case 'schedule-inbox':
      return (await deps.store.listInbox(resource.user.id)).map((item) => ({ kind: 'inbox-item', user: resource.user, uri: item.uri, item }));
    default:
      return [];
  }
}

function describe(r: Resource, req: Request, ctx: PropContext, href: string): XmlNode {
  if (req.mode === 'propname') return propResponse(href, [[200, definedProperties(r, ctx, 'propname').map((name) => ({ name }))]]);
  return namedPropsResponse(href, req.mode === 'prop' ? req.names : definedProperties(r, ctx, 'allprop'), (name) => propertyValue(name, r, ctx));
}

/** PROPFIND at Depth 0 or 1 (RFC 4918 §9.1); Depth infinity is refused (§9.1, finite depth). */
export const propfind: MethodHandler = async (request) => {
  const { ctx, deps, user, resource } = request;
  const depth = (ctx.get('depth') || 'infinity').trim().toLowerCase();
  if (depth !== '0' && depth !== '1' && depth !== 'infinity') {
    throw new HttpError(400, 'VALIDATION_FAILED', `Depth must be 0, 1 or infinity (RFC 4918 §10.2), got "${ctx.get('depth')}"`, { field: 'Depth' });
  }
  if (depth === 'infinity') {
    throw new HttpError(403, 'FORBIDDEN', 'Depth: infinity is not supported; use 0 or 1', { precondition: clark(DAV, 'propfind-finite-depth') });
  }
  const req = parseRequest(await readXml(ctx));
  let target = resource;
  if (target.kind === 'object') {
    const object = await deps.store.getObjectByUri(target.calendar.id, target.uri);
    if (!object) throw new HttpError(404, 'NOT_FOUND', 'no such calendar object');
    target = { ...target, head: target.readOnly ? publicHead(object, target.calendar) : object };
  }
  if (target.kind === 'inbox-item') target = { ...target, item: await inboxItem(deps.store, target) };
  if (target.kind === 'new-calendar') throw new HttpError(404, 'NOT_FOUND', 'no such calendar');
  const props: PropContext = { user, maxInstances: deps.config.davMaxInstances };
  const responses = [describe(target, req, props, hrefOf(target, user))];
  if (depth === '1') {
    // A calendar's members share its href as prefix: encode it once, not 10,000 times.
    const base = target.kind === 'calendar' ? hrefOf(target, user) : null;
    for (const member of await membersOf({ ...request, resource: target })) {
      const href = base !== null && member.kind === 'object' ? base + enc(member.uri) : hrefOf(member, user);
      responses.push(describe(member, req, props, href));
    }
  }
  sendXml(ctx, 207, multistatus(responses));
};
