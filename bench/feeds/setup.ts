import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCalendar } from '../../test/helpers/calendar-generator/index.js';
import { ApiClient } from '../api/client.js';
import { ADMIN_TOKEN, startServer, type RunningServer } from '../api/harness.js';
import { fetchRaw } from './check.js';

/** The server under test (Calcast or nginx) runs on core 0, wrk on core 1 (wrk.ts). */
export const SERVER_CORE = '0';
export const APPLE = 'iOS/17.4 (21E219) dataaccessd/1.0';

export interface FeedUnderTest {
  calendarId: string;
  shared: string;
  personal: string;
  identity: Buffer;
  gzip: Buffer;
  etag: string;
  events: number;
}

/** Calcast over `dataDir`, every thread pinned to the server's core. */
export async function startPinnedCalcast(dataDir: string, profileDir: string | null): Promise<RunningServer> {
  const server = await startServer(dataDir, profileDir);
  execFileSync('taskset', ['-a', '-p', '-c', SERVER_CORE, String(server.child.pid)], { stdio: 'ignore' });
  return server;
}

/** A generated calendar of `events` events from two months ago on (so most are inside the feed's 90-day window), as a file to import. */
export function generateFeedFile(work: string, events: number): string {
  const start = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10);
  const gen = join(work, `gen-${events}`);
  generateCalendar(events, gen, { start, days: 365 });
  return join(gen, 'calendar.ics');
}

/** A published calendar imported from `ics`, a personal URL for it, and the bytes both encodings answer. */
export async function createFeed(api: ApiClient, base: string, ics: string, title = 'Bench feed'): Promise<FeedUnderTest> {
  const cal = await api.json<{ id: string; feed_url: string }>('POST', '/api/v1/calendars', 201, { title, timezone: 'Europe/Paris' });
  const imported = await fetch(`${base}/api/v1/calendars/${cal.id}/import`, {
    method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/calendar' },
    body: readFileSync(ics),
  });
  if (imported.status !== 200) throw new Error(`import failed: ${imported.status}`);
  const minted = await api.json<{ feed_url: string }>('POST', `/api/v1/calendars/${cal.id}/subscribers`, 201, { name: 'Bench subscriber' });
  const shared = `${base}${new URL(cal.feed_url).pathname}`;
  const identity = await fetchRaw(shared, 'GET', { 'user-agent': APPLE });
  const gzip = await fetchRaw(shared, 'GET', { 'user-agent': APPLE, 'accept-encoding': 'gzip' });
  if (gzip.headers['content-encoding'] !== 'gzip') throw new Error('the feed did not answer gzip');
  return {
    calendarId: cal.id, shared, personal: `${base}${new URL(minted.feed_url).pathname}`,
    identity: identity.body, gzip: gzip.body, etag: String(identity.headers.etag),
    events: (identity.body.toString('utf8').match(/^BEGIN:VEVENT\r$/gm) ?? []).length,
  };
}

/** Every sync of the calendar, all subscribers (anonymous and personal), as the API counts them. */
export async function syncCount(api: ApiClient, calendarId: string): Promise<number> {
  let total = 0;
  let cursor: string | null = null;
  do {
    const q: string = `/api/v1/calendars/${calendarId}/subscribers?status=all&page_limit=100${cursor ? `&page_cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { data: { sync_count: number }[]; next_cursor: string | null } = await api.json('GET', q, 200);
    total += page.data.reduce((n, s) => n + s.sync_count, 0);
    cursor = page.next_cursor;
  } while (cursor);
  return total;
}
