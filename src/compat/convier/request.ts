import type { MailOptions } from '../../mail/compose.js';

/** A refused request in Convier's envelope: 400 for a missing parameter, 402 for one that failed. */
export class ConvierFailure extends Error {
  constructor(readonly status: 400 | 401 | 402 | 413 | 415 | 500, message: string) {
    super(message);
  }
}

export type ComponentKind = 'event' | 'todo' | 'journal';

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A property as Convier writes it: `summary[value]=…`, or a bare `summary=…` in JSON. */
function text(c: Node, name: string): string | undefined {
  const v = c[name];
  const raw = isNode(v) ? v.value : v;
  return typeof raw === 'string' || typeof raw === 'number' ? String(raw) : undefined;
}

/** A date property: `start[date]` in the seed's `04/26/2019 09:00 PM` form or ISO 8601. */
function date(c: Node, name: string): string | undefined {
  const v = c[name];
  const raw = isNode(v) ? v.date ?? v.value : v;
  return typeof raw === 'string' ? raw : undefined;
}

function zoneOf(c: Node): string | undefined {
  const start = c.start;
  return isNode(start) && typeof start.timezone === 'string' ? start.timezone : undefined;
}

/** A list written as `attendees[0][email]` (an object keyed 0, 1, …) or as a JSON array. */
function list(v: unknown): Node[] {
  const items = Array.isArray(v) ? v : isNode(v) ? Object.keys(v).sort((a, b) => Number(a) - Number(b)).map((k) => v[k]) : [];
  return items.filter(isNode);
}

function person(v: unknown): { name: string; email: string } | undefined {
  if (!isNode(v) || typeof v.email !== 'string' || v.email === '') return undefined;
  return { email: v.email, name: typeof v.name === 'string' && v.name !== '' ? v.name : v.email };
}

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The native entry input of one component, before the native schema checks it. */
function nativeFields(kind: ComponentKind, c: Node): Record<string, unknown> {
  const common = { title: text(c, 'summary'), description: text(c, 'description'), timezone: zoneOf(c) };
  if (kind === 'journal') return defined({ ...common, date: date(c, 'start') ?? date(c, 'date'), status: text(c, 'status')?.toUpperCase() });
  if (kind === 'todo') {
    const priority = text(c, 'priority');
    const percent = text(c, 'percent-complete') ?? text(c, 'percent_complete');
    return defined({
      ...common, start: date(c, 'start'), due: date(c, 'due'), status: text(c, 'status')?.toUpperCase(),
      priority: priority === undefined ? undefined : Number(priority), percent_complete: percent === undefined ? undefined : Number(percent),
    });
  }
  const categories = text(c, 'categories');
  const attendees = list(c.attendees).map(person).filter((p) => p !== undefined);
  return defined({
    ...common, location: text(c, 'location'), url: text(c, 'url'), start: date(c, 'start'), end: date(c, 'end'),
    status: text(c, 'status')?.toUpperCase(), color: text(c, 'color'), organizer: person(c.organizer),
    categories: categories?.split(',').map((s) => s.trim()).filter(Boolean),
    attendees: attendees.length ? attendees : undefined,
  });
}

export interface ConvierRequest {
  kind: ComponentKind;
  uid: string | undefined;
  fields: Record<string, unknown>;
  method: 'REQUEST' | 'PUBLISH' | 'CANCEL';
  mail: MailOptions;
  download: boolean;
}

const truthy = (v: unknown) => v === true || (typeof v === 'string' && /^(1|true|yes|on)$/i.test(v));

/** Reads the request body (form or JSON, same nesting) for one component endpoint. */
export function readConvierRequest(kind: ComponentKind, body: unknown): ConvierRequest {
  if (!isNode(body)) throw new ConvierFailure(400, 'The request body must be a form or a JSON object.');
  const component = body[kind];
  if (!isNode(component)) throw new ConvierFailure(400, `The ${kind} parameter is required.`);
  const fields = nativeFields(kind, component);
  if (fields.title === undefined) throw new ConvierFailure(400, `${kind}[summary][value] is required.`);
  if (kind !== 'journal' && kind !== 'todo' && fields.start === undefined) throw new ConvierFailure(400, `${kind}[start][date] is required.`);
  const calendar = isNode(body.calendar) ? body.calendar : {};
  const method = (typeof calendar.method === 'string' ? calendar.method : 'request').toUpperCase();
  if (method !== 'REQUEST' && method !== 'PUBLISH' && method !== 'CANCEL') {
    throw new ConvierFailure(402, `calendar[method] must be request, publish or cancel, not "${calendar.method}".`);
  }
  const email = isNode(body.email) ? body.email : {};
  const uid = typeof body.uid === 'string' && body.uid !== '' ? body.uid : text(component, 'uid');
  return {
    kind, uid, fields, method, download: truthy(body.download),
    mail: defined({
      subject: typeof email.subject === 'string' && email.subject ? email.subject : undefined,
      body: typeof email.body === 'string' && email.body ? email.body : undefined,
      // Exchange handles an attached request more reliably than an inline one (the product's advice).
      attach: email.attach === undefined ? undefined : truthy(email.attach),
      inline: email.inline === undefined ? undefined : truthy(email.inline),
    }) as MailOptions,
  };
}
