import type { CalendarService } from '../calendar/service.js';
import type { Context } from 'koa';
import type { Config } from '../config.js';
import { HttpError } from '../errors.js';
import { readBody } from '../http/body.js';
import type { Store, User } from '../store/types.js';
import type { Clock } from '../util/clock.js';
import type { InstanceIndex } from '../ical/instance-index.js';
import { DAV, clark } from '../xml/namespaces.js';
import { XmlError, parseXml, type XmlElement } from '../xml/parse.js';
import { renderXml, type XmlNode } from '../xml/write.js';
import { MAX_XML_BODY } from './limits.js';
import type { Resource } from './resources.js';

export interface DavDeps {
  store: Store;
  /** Every write goes through the calendar service. */
  service: CalendarService;
  clock: Clock;
  config: Config;
  /** Expanded series kept in memory for time-range queries. */
  instances: InstanceIndex;
}

/** One DAV request once routed: who asks, about what. `user` is null on the public view. */
export interface DavRequest {
  ctx: Context;
  deps: DavDeps;
  user: User | null;
  resource: Resource;
}

export type MethodHandler = (req: DavRequest) => Promise<void>;

/** Answers an XML document (207 multistatus and friends). */
export function sendXml(ctx: Context, status: number, root: XmlNode): void {
  ctx.status = status;
  ctx.type = 'application/xml; charset=utf-8';
  ctx.body = renderXml(root);
}

/**
 * The request's XML body, or null when it has none (allowed for PROPFIND and MKCALENDAR).
 * The Content-Type is not checked: clients label XML as text/xml, application/xml or
 * (curl -d) form data; the parser decides.
 */
export async function readXml(ctx: Context): Promise<XmlElement | null> {
  const raw = await readBody(ctx, [(ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase()], MAX_XML_BODY);
  if (raw.toString('utf8').trim() === '') return null;
  try {
    return parseXml(raw.toString('utf8'));
  } catch (err) {
    if (err instanceof XmlError) throw new HttpError(400, 'VALIDATION_FAILED', err.message, { field: 'body' });
    throw err;
  }
}

/** The root element must be this one. */
export function expectRoot(body: XmlElement | null, ns: string, local: string): XmlElement {
  if (!body || body.ns !== ns || body.local !== local) {
    throw new HttpError(400, 'VALIDATION_FAILED', `expected a ${local} request body`, { field: 'body' });
  }
  return body;
}

/** A write on a read-only view (RFC 3744 §7.1.1 need-privileges). */
export const readOnly = () =>
  new HttpError(403, 'FORBIDDEN', 'this calendar is read-only here', { precondition: clark(DAV, 'need-privileges') });
