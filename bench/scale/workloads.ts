import { ADMIN_TOKEN } from '../api/harness.js';
import { bodies, DavClient, parseMultistatus } from '../caldav/dav.js';
import { APPLE } from '../feeds/setup.js';
import type { WrkOptions, WrkRequest, WrkSlice } from '../lib/wrk-lua.js';
import { DAV_USER, type ScaleData } from './data.js';

/**
 * The four loads, the same against every setup (`port`: one instance, or the nginx in front):
 * what a poller, a subscriber's first download, a CalDAV client's sync and an API client do.
 * `check` lists what is wrong with a wrk run's answers (empty when right).
 */
export interface Workload {
  id: string;
  title: string;
  request: (port: number) => WrkRequest;
  options: WrkOptions;
  check: (run: WrkSlice) => string[];
  /** The calendars a write load creates entries in: afterwards they must hold every 201. */
  writes?: string[];
}

/** Answers with another status than `expect`, named by status. */
function otherStatuses(run: WrkSlice, expect: number): string[] {
  const others = Object.entries(run.statuses).filter(([s]) => Number(s) !== expect);
  return others.length ? [`answers other than ${expect}: ${others.map(([s, n]) => `${n}× ${s}`).join(', ')}`] : [];
}

/** A JSON event body numbered by wrk per request ({{n}}): a title and a description that differ. */
const CREATE_BODY = JSON.stringify({ title: 'Scale create #{{n}}', start: '2027-03-01T09:00:00Z', end: '2027-03-01T10:00:00Z', timezone: 'UTC', description: 'wrk request {{n}}' });

export function workloads(data: ScaleData, connections: number): Workload[] {
  const base = { port: 0, body: '' };
  const opts = (expect: number): WrkOptions => ({ connections, expect });
  /**
   * Creates into `calendars`, request by request in turn. One calendar is the worst case for
   * the store: every write to a calendar bumps its sync token under that row's lock, so writes
   * to one calendar are serial whatever the number of instances; several calendars are not.
   */
  const creates = (id: string, title: string, calendars: string[]): Workload => ({
    id, title, writes: calendars,
    request: (port) => ({
      port, method: 'POST', path: `/api/v1/calendars/${calendars.length > 1 ? '{{k}}' : calendars[0]!}/events`, body: CREATE_BODY,
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    }),
    options: { connections, expect: 201, vary: true, keys: calendars.length > 1 ? calendars : [] },
    check: (run) => [...otherStatuses(run, 201), ...run.replies.flatMap((r) => {
      try {
        return typeof (JSON.parse(r.bytes.toString('utf8')) as { id?: unknown }).id === 'string' ? [] : ['a 201 without an id'];
      } catch {
        return [`a ${r.status} that is not JSON: ${r.bytes.toString('utf8').slice(0, 100)}`];
      }
    })],
  });
  const dav = (port: number) => new DavClient('127.0.0.1', port, DAV_USER);
  return [
    {
      id: 'feed-304', title: 'feed poll, 304',
      request: (port) => ({ ...base, port, method: 'GET', path: data.feedPath, headers: { 'If-None-Match': data.feed.etag, 'Cache-Control': 'no-cache', 'User-Agent': APPLE } }),
      options: opts(304),
      check: (run) => [...otherStatuses(run, 304), ...(run.replies.some((r) => r.bytes.length) ? ['a 304 with a body'] : [])],
    },
    {
      id: 'feed-gzip', title: `feed GET, gzip (${data.feed.events} events)`,
      request: (port) => ({ ...base, port, method: 'GET', path: data.feedPath, headers: { 'Accept-Encoding': 'gzip', 'User-Agent': APPLE } }),
      options: opts(200),
      check: (run) => [...otherStatuses(run, 200),
        ...(run.replies.some((r) => !r.bytes.equals(data.feed.gzip)) ? [`a body differs from the feed's ${data.feed.gzip.length} gzip bytes`] : [])],
    },
    {
      id: 'multiget', title: `CalDAV multiget of ${data.hrefs.length}`,
      request: (port) => {
        const c = dav(port);
        try {
          return c.wrkRequest('REPORT', data.davPath, bodies.multiget(data.hrefs), '1');
        } finally {
          c.close();
        }
      },
      options: opts(207),
      check: (run) => [...otherStatuses(run, 207), ...run.replies.flatMap((r) => {
        const m = parseMultistatus(r.bytes.toString('utf8'));
        const full = m.responses.filter((x) => x.propstats.includes(200) && x.calendarData?.includes('BEGIN:VEVENT'));
        return full.length === data.hrefs.length && m.responses.length === data.hrefs.length ? []
          : [`a ${r.status} with ${m.responses.length} responses, ${full.length} with calendar data, expected ${data.hrefs.length}`];
      })],
    },
    creates('creates', 'API event creates, one calendar', [data.createsCalendarId]),
    creates(`creates-${data.spreadCalendarIds.length}`, `API event creates over ${data.spreadCalendarIds.length} calendars`, data.spreadCalendarIds),
  ];
}
