import { clark, CALDAV } from '../../xml/namespaces.js';
import type { XmlElement } from '../../xml/parse.js';
import type { XmlNode } from '../../xml/write.js';
import { isWholeObject, renderCalendarData } from '../../ical/calendar-data.js';
import type { CalendarDataSpec } from '../../ical/query.js';
import { parseCalendarDataSpec } from '../calendar-data-spec.js';
import type { Calendar, ObjectHead, User } from '../../store/types.js';
import { namedPropsResponse } from '../multistatus.js';
import { propertyValue } from '../live-properties.js';
import { publicHead, publicText } from '../public-filter.js';
import { enc, hrefs, type Resource } from '../resources.js';
import { HttpError } from '../../errors.js';
import { TooManyInstances } from '../../ical/instance-limit.js';
import { DAV } from '../../xml/namespaces.js';
import type { ReportLimits } from '../limits.js';
import { yieldPoint } from '../yield-point.js';
import { evaluateSliced } from '../slices.js';
import type { Expansions } from '../../ical/expansions.js';

const CALENDAR_DATA = clark(CALDAV, 'calendar-data');

/** The <D:prop> a report asks for: property names, and the calendar-data spec if requested. */
export interface PropRequest {
  names: string[];
  calendarData: CalendarDataSpec | null;
}

export function propRequestOf(prop: XmlElement | undefined): PropRequest {
  const els = prop?.children ?? [];
  const data = els.find((e) => e.ns === CALDAV && e.local === 'calendar-data');
  return { names: els.map((e) => clark(e.ns, e.local)), calendarData: data ? parseCalendarDataSpec(data) : null };
}

/**
 * A member as a report has it: always its head; its text when calendar-data was asked for,
 * as stored bytes (ObjectText) or as a string (a whole object already read and parsed).
 */
export type Member = ObjectHead & { data?: Buffer | string };

/** The calendar-data property: the stored bytes as they are when the whole object is asked for. */
function calendarData(calendar: Calendar, readOnly: boolean, data: Buffer | string, spec: CalendarDataSpec, maxInstances: number, x?: Expansions): XmlNode {
  if (!readOnly && isWholeObject(spec)) return { name: CALENDAR_DATA, ...(typeof data === 'string' ? { text: data } : { bytes: data }) };
  const text = typeof data === 'string' ? data : data.toString('utf8');
  return { name: CALENDAR_DATA, text: renderCalendarData(readOnly ? publicText(text, calendar) : text, spec, calendar.timezone, maxInstances, x) };
}

/** Bytes a response adds besides its calendar-data: href, propstat and the other properties. */
const RESPONSE_OVERHEAD = 256;

function sizeOf(node: XmlNode): number {
  if (node.bytes) return node.bytes.length;
  return node.text === undefined ? 0 : Buffer.byteLength(node.text);
}

/**
 * DAV:number-of-matches-within-limits: a postcondition of calendar-query and multiget
 * (RFC 4791 §7.8, §7.9) answered 403; sync-collection answers it as 507 (RFC 6578 §3.2).
 */
export function overLimit(status: 403 | 507, message: string): HttpError {
  return new HttpError(status, 'TOO_MANY_MATCHES', message, { precondition: clark(DAV, 'number-of-matches-within-limits') });
}

/** Runs an expansion, answering one past the instance or walk bound with the precondition. */
export async function withinLimits<T>(work: () => T | Promise<T>, status: 403 | 507 = 403): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof TooManyInstances) throw overLimit(status, `${err.message}; ask for a shorter range`);
    throw err;
  }
}

/** What a report writes for each member; what is the same for every member is worked out once. */
export interface MemberResponder {
  /** The collection's href, as the requester sees it. */
  base: string;
  /** The href of a member as the requester sees it (owner path or public path). */
  href(uri: string): string;
  /** One member's <D:response>: its properties, calendar-data rendered per the request, with
   *  expansions from `x`. */
  response(object: Member, x?: Expansions): XmlNode;
  /**
   * Every member's response, within the byte and instance bounds (refused with `status` past
   * them), yielding to the event loop between members and between slices of an expansion.
   */
  responses<T>(items: Iterable<T>, one: (item: T, x: Expansions) => XmlNode, status?: 403 | 507): Promise<XmlNode[]>;
}

export function memberResponder(calendar: Calendar, readOnly: boolean, user: User | null, req: PropRequest, limits: ReportLimits): MemberResponder {
  const base = hrefs.calendar(calendar, readOnly ? null : user!.username);
  const ctx = { user, maxInstances: limits.maxInstances };
  const href = (uri: string) => base + enc(uri);
  const response = (object: Member, x?: Expansions): XmlNode => {
    const head = readOnly ? publicHead(object, calendar) : object;
    const resource: Resource = { kind: 'object', calendar, readOnly, uri: object.uri, head };
    return namedPropsResponse(href(object.uri), req.names, (name) => {
      if (name !== CALENDAR_DATA) return propertyValue(name, resource, ctx);
      if (object.data === undefined) throw new Error('calendar-data requested for a member read without its text');
      return calendarData(calendar, readOnly, object.data, req.calendarData!, limits.maxInstances, x);
    });
  };
  const responses = async <T>(items: Iterable<T>, one: (item: T, x: Expansions) => XmlNode, status: 403 | 507 = 403): Promise<XmlNode[]> => {
    const out: XmlNode[] = [];
    const pause = yieldPoint();
    let bytes = 0;
    for (const item of items) {
      const node = await withinLimits(() => evaluateSliced((x) => one(item, x), pause), status);
      const data = node.children?.[1]?.children?.[0]?.children?.find((p) => p.name === CALENDAR_DATA);
      bytes += RESPONSE_OVERHEAD + (data ? sizeOf(data) : 0);
      if (bytes > limits.maxResponseBytes) {
        throw overLimit(status, `the answer would exceed ${limits.maxResponseBytes} bytes; ask for fewer members or a shorter range`);
      }
      out.push(node);
      await pause();
    }
    return out;
  };
  return { base, href, response, responses };
}
