import { ApiClient, type RawReply, type Reply } from '../api/client.js';
import type { WrkRequest } from '../lib/wrk-lua.js';

/**
 * The CalDAV requests of the benchmark, as a client such as DAVx5 or Thunderbird sends them,
 * and a small reader for the 207 Multi-Status answers (enough to check them: hrefs, statuses,
 * calendar-data; namespace prefixes vary by server, so they are ignored).
 */
export const XML = 'application/xml; charset=utf-8';

const NS = 'xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/"';
const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const bodies = {
  /** RFC 4791 §7.8 calendar-query: VEVENTs overlapping a time range, etags only. */
  calendarQuery: (start: string, end: string) =>
    `<?xml version="1.0" encoding="utf-8"?><c:calendar-query ${NS}><d:prop><d:getetag/></d:prop>` +
    '<c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">' +
    `<c:time-range start="${start}" end="${end}"/></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>`,
  /** RFC 4791 §7.9 calendar-multiget: etag and calendar data of the named members. */
  multiget: (hrefs: string[]) =>
    `<?xml version="1.0" encoding="utf-8"?><c:calendar-multiget ${NS}><d:prop><d:getetag/><c:calendar-data/></d:prop>` +
    `${hrefs.map((h) => `<d:href>${xmlText(h)}</d:href>`).join('')}</c:calendar-multiget>`,
  /** RFC 6578 sync-collection from a token (empty: the initial sync), etags only. */
  syncCollection: (token: string) =>
    `<?xml version="1.0" encoding="utf-8"?><d:sync-collection ${NS}><d:sync-token>${xmlText(token)}</d:sync-token>` +
    '<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>',
  /** The Depth 1 listing a client makes to compare etags. */
  propfindEtags: `<?xml version="1.0" encoding="utf-8"?><d:propfind ${NS}><d:prop><d:getetag/></d:prop></d:propfind>`,
  /** The Depth 0 "has anything changed?" poll on the collection. */
  propfindCollection: `<?xml version="1.0" encoding="utf-8"?><d:propfind ${NS}><d:prop><d:resourcetype/><d:displayname/>` +
    '<cs:getctag/><d:sync-token/></d:prop></d:propfind>',
  mkcalendar: (name: string) =>
    `<?xml version="1.0" encoding="utf-8"?><c:mkcalendar ${NS}><d:set><d:prop><d:displayname>${xmlText(name)}</d:displayname>` +
    '<c:supported-calendar-component-set><c:comp name="VEVENT"/></c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>',
};

export interface DavResponse {
  href: string;
  /** The member's name: the last path segment of the href, percent-decoded. */
  name: string;
  /** The response's own status, or that of its first propstat. */
  status: number;
  /** Statuses of the propstats with found properties (200) and missing ones (404 …). */
  propstats: number[];
  calendarData: string | null;
  syncToken?: string;
}

export interface Multistatus {
  responses: DavResponse[];
  /** The top-level sync-token of a sync-collection answer. */
  syncToken: string | null;
}

const tag = (local: string) => `(?:[A-Za-z_][\\w.-]*:)?${local}`;
const RESPONSE = new RegExp(`<${tag('response')}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag('response')}>`, 'g');
const HREF = new RegExp(`<${tag('href')}(?:\\s[^>]*)?>([^<]*)</${tag('href')}>`);
const STATUS = new RegExp(`<${tag('status')}(?:\\s[^>]*)?>\\s*HTTP/\\d\\.\\d\\s+(\\d{3})`, 'g');
const PROPSTAT = new RegExp(`<${tag('propstat')}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag('propstat')}>`, 'g');
const CALENDAR_DATA = new RegExp(`<${tag('calendar-data')}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag('calendar-data')}>`);
const CDATA = /^<!\[CDATA\[([\s\S]*)\]\]>$/;
const SYNC_TOKEN = new RegExp(`<${tag('sync-token')}(?:\\s[^>]*)?>([^<]*)</${tag('sync-token')}>`, 'g');

const unescapeXml = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp|#x[0-9a-fA-F]+|#\d+);/g, (_, e: string) =>
    e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : e === 'amp' ? '&'
      : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))));

function lastSegment(href: string): string {
  let path = href;
  try {
    path = new URL(href, 'http://x').pathname;
  } catch { /* keep */ }
  const seg = path.split('/').filter((s) => s !== '').pop() ?? '';
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

export function parseMultistatus(xml: string): Multistatus {
  const responses: DavResponse[] = [];
  const spans: [number, number][] = [];
  for (const m of xml.matchAll(RESPONSE)) {
    const inner = m[1]!;
    const href = unescapeXml(HREF.exec(inner)?.[1]?.trim() ?? '');
    const propstats = [...inner.matchAll(PROPSTAT)].map((p) => Number(/HTTP\/\d\.\d\s+(\d{3})/.exec(p[1]!)?.[1] ?? 0));
    const statuses = [...inner.matchAll(STATUS)].map((s) => Number(s[1]));
    const data = CALENDAR_DATA.exec(inner)?.[1];
    const token = [...inner.matchAll(SYNC_TOKEN)][0]?.[1];
    responses.push({
      href, name: lastSegment(href), status: statuses[0] ?? 0, propstats,
      calendarData: data === undefined ? null : (() => {
        const t = data.trim();
        const cdata = CDATA.exec(t);
        return cdata ? cdata[1]! : unescapeXml(t);
      })(),
      ...(token !== undefined ? { syncToken: unescapeXml(token.trim()) } : {}),
    });
    spans.push([m.index!, m.index! + m[0].length]);
  }
  // The collection's new token is outside every response (after them in RFC 6578, before in Radicale).
  const top = [...xml.matchAll(SYNC_TOKEN)].find((t) => !spans.some(([a, b]) => t.index! >= a && t.index! < b))?.[1];
  return { responses, syncToken: top === undefined ? null : unescapeXml(top.trim()) };
}

const xmlHeaders = (depth: '0' | '1' | null) => ({ 'content-type': XML, ...(depth === null ? {} : { depth }) });

/** A DAV client on the keep-alive node:http client of bench/api, one socket (c=1). */
export class DavClient {
  readonly http: ApiClient;

  constructor(host: string, port: number, basic: { user: string; password: string } | null, sockets = 1) {
    const auth = basic ? `Basic ${Buffer.from(`${basic.user}:${basic.password}`).toString('base64')}` : null;
    this.http = new ApiClient(host, port, '', sockets, auth);
  }

  xml(method: string, path: string, body: string, depth: '0' | '1' | null): Promise<Reply> {
    return this.http.request(method, path, body, true, xmlHeaders(depth));
  }

  /** The same, with the body left undecoded: what the timed loops send. */
  xmlRaw(method: string, path: string, body: string, depth: '0' | '1' | null): Promise<RawReply> {
    return this.http.requestRaw(method, path, body, true, xmlHeaders(depth));
  }

  /** The same request for wrk (./wrk.ts), headers and auth included. */
  wrkRequest(method: string, path: string, body: string, depth: '0' | '1' | null): WrkRequest {
    const headers: Record<string, string> = { ...xmlHeaders(depth) };
    if (this.http.authorization !== null) headers.authorization = this.http.authorization;
    return { port: this.http.port, method, path, body, headers };
  }

  put(path: string, body: Buffer): Promise<Reply> {
    return this.http.request('PUT', path, body, true, { 'content-type': 'text/calendar; charset=utf-8', 'if-none-match': '*' });
  }

  close(): void {
    this.http.close();
  }
}
