import { ApiClient, runPool } from '../api/client.js';
import { generateEvents } from '../api/data.js';
import { ADMIN_PASSWORD } from '../api/harness.js';
import { bodies, DavClient, parseMultistatus } from '../caldav/dav.js';
import { createFeed, type FeedUnderTest } from '../feeds/setup.js';

/**
 * The data every setup measures, created through the API of a fresh store, so each setup
 * starts from the same state: the feed calendar (the generated ~1,000 events, imported), a
 * calendar of `davEvents` events for the multiget, an empty calendar for the creates, and
 * `spread` more empty ones for creates spread over several calendars.
 */
export interface ScaleData {
  feed: FeedUnderTest;
  /** Feed path (same on every instance). */
  feedPath: string;
  /** The multiget collection's path and the members it asks for. */
  davPath: string;
  hrefs: string[];
  createsCalendarId: string;
  spreadCalendarIds: string[];
}

export const DAV_USER = { user: 'admin', password: ADMIN_PASSWORD };

export async function createScaleData(
  api: ApiClient, base: string, feedIcs: string, davEvents: number, multiget: number, spread: number,
): Promise<ScaleData> {
  const feed = await createFeed(api, base, feedIcs);
  const dav = await api.json<{ id: string; caldav_url: string }>('POST', '/api/v1/calendars', 201, { title: 'Bench multiget', timezone: 'Europe/Paris' });
  const events = generateEvents(davEvents, 7);
  const failures: string[] = [];
  await runPool(events.length, 4, async (i) => {
    const r = await api.request('POST', `/api/v1/calendars/${dav.id}/events`, events[i]!.json);
    if (r.status !== 201 && failures.length < 3) failures.push(`${r.status} ${r.body.slice(0, 200)}`);
  });
  if (failures.length) throw new Error(`creating the multiget calendar failed: ${failures.join('; ')}`);
  // The hrefs a client would ask for: the members a Depth 1 PROPFIND lists, spread evenly.
  const davPath = new URL(dav.caldav_url).pathname;
  const client = new DavClient('127.0.0.1', api.port, DAV_USER);
  try {
    const listing = await client.xml('PROPFIND', davPath, bodies.propfindEtags, '1');
    if (listing.status !== 207) throw new Error(`PROPFIND ${davPath}: ${listing.status}`);
    const members = parseMultistatus(listing.body).responses.map((r) => r.href).filter((h) => h !== davPath && h.endsWith('.ics'));
    if (members.length !== davEvents) throw new Error(`PROPFIND ${davPath} listed ${members.length} members, expected ${davEvents}`);
    const hrefs = Array.from({ length: multiget }, (_, i) => members[Math.floor((i * members.length) / multiget)]!);
    const empty = async (title: string) => (await api.json<{ id: string }>('POST', '/api/v1/calendars', 201, { title, timezone: 'Europe/Paris' })).id;
    const createsCalendarId = await empty('Bench creates');
    const spreadCalendarIds: string[] = [];
    for (let i = 0; i < spread; i++) spreadCalendarIds.push(await empty(`Bench creates ${i + 1}`));
    return { feed, feedPath: new URL(feed.shared).pathname, davPath, hrefs, createsCalendarId, spreadCalendarIds };
  } finally {
    client.close();
  }
}

/** Entries in a calendar, counted by paging the API's list (500 a page, the most it gives). */
export async function countEvents(api: ApiClient, calendarId: string): Promise<number> {
  let total = 0;
  let cursor: string | null = null;
  do {
    const q: string = `/api/v1/calendars/${calendarId}/events?page_limit=500${cursor ? `&page_cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { data: unknown[]; next_cursor: string | null } = await api.json('GET', q, 200);
    total += page.data.length;
    cursor = page.next_cursor;
  } while (cursor);
  return total;
}
