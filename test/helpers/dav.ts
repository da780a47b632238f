import { XMLValidator } from 'fast-xml-parser';
import { parseXml, type XmlElement } from '../../src/xml/parse.js';
import { ADMIN_PASSWORD, type TestServer } from './server.js';

export const DAV = 'DAV:';
export const CALDAV = 'urn:ietf:params:xml:ns:caldav';
export const CS = 'http://calendarserver.org/ns/';
export const APPLE = 'http://apple.com/ns/ical/';

export const basic = (user = 'admin', pass = ADMIN_PASSWORD) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

export interface DavResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** One DAV request with Basic auth (pass `auth: null` for none). */
export async function dav(
  s: Pick<TestServer, 'url'>, method: string, path: string,
  opts: { body?: string; headers?: Record<string, string>; auth?: string | null; depth?: string } = {},
): Promise<DavResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.auth !== null) headers.authorization = opts.auth ?? basic();
  if (opts.depth !== undefined) headers.depth = opts.depth;
  if (opts.body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
    headers['content-type'] = opts.body.startsWith('BEGIN:') ? 'text/calendar; charset=utf-8' : 'application/xml; charset=utf-8';
  }
  const res = await fetch(s.url + path, { method, headers, redirect: 'manual', ...(opts.body !== undefined ? { body: opts.body } : {}) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Parses a response body, asserting it is well-formed and namespaced only on its root. */
export function xml(text: string): XmlElement {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`malformed XML response: ${valid.err.msg}\n${text}`);
  const declarations = [...text.matchAll(/<[^?!/][^>]*?\sxmlns(:\w+)?=/g)].length;
  const afterRoot = text.replace(/^<\?xml[^>]*>\s*/, '').replace(/^<[^>]*>/, '');
  if (declarations !== 1 || /\sxmlns(:\w+)?=/.test(afterRoot)) {
    throw new Error(`namespace declarations must all be on the root:\n${text}`);
  }
  return parseXml(text);
}

export const find = (el: XmlElement | undefined, ns: string, local: string) =>
  el?.children.find((c) => c.ns === ns && c.local === local);
export const findAll = (el: XmlElement | undefined, ns: string, local: string) =>
  el?.children.filter((c) => c.ns === ns && c.local === local) ?? [];

export interface MsResponse {
  href: string;
  /** The response's own status (no propstat), e.g. 404 for a missing or deleted member. */
  status: number | null;
  /** Property Clark name → status and element. */
  props: Map<string, { status: number; el: XmlElement }>;
}

const statusOf = (el: XmlElement | undefined) => (el ? Number(/HTTP\/1\.1 (\d{3})/.exec(el.text)?.[1]) : null);

/** A 207 multistatus as plain data, and its sync-token if any. */
export function multistatus(text: string): { responses: MsResponse[]; syncToken: string | null; byHref: Map<string, MsResponse> } {
  const root = xml(text);
  if (root.ns !== DAV || root.local !== 'multistatus') throw new Error(`not a multistatus:\n${text}`);
  const responses = findAll(root, DAV, 'response').map((r) => {
    const props = new Map<string, { status: number; el: XmlElement }>();
    for (const ps of findAll(r, DAV, 'propstat')) {
      const status = statusOf(find(ps, DAV, 'status'))!;
      for (const p of find(ps, DAV, 'prop')?.children ?? []) props.set(`{${p.ns}}${p.local}`, { status, el: p });
    }
    return { href: find(r, DAV, 'href')!.text.trim(), status: statusOf(find(r, DAV, 'status')), props };
  });
  return { responses, syncToken: find(root, DAV, 'sync-token')?.text.trim() ?? null, byHref: new Map(responses.map((r) => [r.href, r])) };
}

/** A property's text in a response, if it came back 200. */
export function prop(r: MsResponse | undefined, ns: string, local: string): XmlElement | undefined {
  const p = r?.props.get(`{${ns}}${local}`);
  return p && p.status === 200 ? p.el : undefined;
}

/** The precondition element of a `<D:error>` body, as a Clark name, and its hrefs. */
export function davErrorOf(text: string): { condition: string; hrefs: string[] } {
  const root = xml(text);
  const cond = root.children.find((c) => !(c.local === 'message'));
  return { condition: cond ? `{${cond.ns}}${cond.local}` : '', hrefs: findAll(cond, DAV, 'href').map((h) => h.text.trim()) };
}

const CRLF = '\r\n';

/** A VCALENDAR around the given component lines (CRLF-joined). */
export function vcalendar(...components: string[][]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Calcast tests//EN', ...components.flat(), 'END:VCALENDAR'].join(CRLF) + CRLF;
}

export function vevent(uid: string, summary: string, lines: string[] = []): string[] {
  return ['BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20300101T000000Z', `SUMMARY:${summary}`, ...lines, 'END:VEVENT'];
}

/**
 * A weekly series in Europe/Paris: Mondays 09:00 from 2031-01-06, six times; 2031-01-20 is
 * excluded, 2031-01-27 is moved to Tuesday 2031-01-28 14:00 with its own summary.
 */
export function weeklySeries(uid: string): string {
  return vcalendar(
    vevent(uid, 'Standup', [
      'DTSTART;TZID=Europe/Paris:20310106T090000', 'DTEND;TZID=Europe/Paris:20310106T093000',
      'RRULE:FREQ=WEEKLY;COUNT=6', 'EXDATE;TZID=Europe/Paris:20310120T090000',
    ]),
    vevent(uid, 'Standup (moved)', [
      'RECURRENCE-ID;TZID=Europe/Paris:20310127T090000',
      'DTSTART;TZID=Europe/Paris:20310128T140000', 'DTEND;TZID=Europe/Paris:20310128T143000',
    ]),
  );
}
