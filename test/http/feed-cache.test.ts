import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';

// Two feeds whose uncompressed copies do not both fit a 1 MB render cache: the one pushed out
// is unzipped again from its gzip copy (not rendered), and a subscriber must not be able to tell.

let s: TestServer;
const paths: string[] = [];

/** An .ics of `n` events with long, varied descriptions (about 800 KB uncompressed for 900). */
function bigCalendar(tag: string, n: number): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Calcast test//EN'];
  for (let i = 0; i < n; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    lines.push('BEGIN:VEVENT', `UID:${tag}-${i}@test.invalid`, 'DTSTAMP:20300101T000000Z',
      `DTSTART:203006${day}T${String(8 + (i % 10)).padStart(2, '0')}0000Z`, 'DURATION:PT1H', `SUMMARY:${tag} meeting ${i}`,
      `DESCRIPTION:${`Agenda item ${i} for ${tag}, with notes on budget ${i * 7} and room ${i % 13}. `.repeat(8)}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR', '');
  return lines.join('\r\n');
}

interface Raw { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

/** The bytes as sent, undecoded (fetch would decode gzip itself). */
function raw(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    request(s.url + path, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject).end();
  });
}

beforeAll(async () => {
  s = await startServer({ env: { CALCAST_FEED_CACHE_MB: '1' } });
  for (const tag of ['alpha', 'beta']) {
    const cal = (await s.api('POST', '/api/v1/calendars', { title: tag, timezone: 'UTC' })).body;
    const imported = await s.api('POST', `/api/v1/calendars/${cal.id}/import`, bigCalendar(tag, 900), { 'content-type': 'text/calendar' });
    expect(imported.status).toBe(200);
    paths.push(new URL(cal.feed_url as string).pathname);
  }
});
afterAll(() => s.stop(true));

describe('a feed whose uncompressed copy is not cached', () => {
  it('is unzipped again: the same bytes, length and validators as the cached copy', async () => {
    const [alpha, beta] = paths as [string, string];
    // Rendered first, alpha's identity copy is cached with it; beta's render pushes it out.
    const first = await raw(alpha);
    expect(first.body.length).toBeGreaterThan(600_000);
    await raw(beta);
    const streamed = await raw(alpha);
    expect(streamed.status).toBe(200);
    expect(streamed.headers['content-encoding']).toBeUndefined();
    expect(Number(streamed.headers['content-length'])).toBe(first.body.length);
    expect(streamed.headers.etag).toBe(first.headers.etag);
    expect(streamed.body.equals(first.body)).toBe(true);
    const gzip = await raw(alpha, { 'accept-encoding': 'gzip' });
    expect(gunzipSync(gzip.body).equals(first.body)).toBe(true);
    const events = new ICAL.Component(ICAL.parse(streamed.body.toString('utf8'))).getAllSubcomponents('vevent');
    expect(events).toHaveLength(900);
  });

  it('answers HEAD with the full length and no body, and 304 to its ETag', async () => {
    const [alpha, beta] = paths as [string, string];
    await raw(beta);
    const full = await raw(alpha);
    await raw(beta);
    const head = await raw(alpha, {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBe(full.body.length);
    expect(head.body.length).toBe(0);
    const again = await raw(alpha, { 'if-none-match': String(full.headers.etag) });
    expect(again.status).toBe(304);
  });

  it('counts every download as a sync', async () => {
    const cal = (await s.api('GET', '/api/v1/calendars')).body.data.find((c: { title: string }) => c.title === 'alpha');
    // Alpha's shared URL so far: identity (cached), identity (unzipped again), gzip, identity,
    // HEAD and a 304, all from one anonymous client.
    await s.recorder.flush();
    const subs = (await s.api('GET', `/api/v1/calendars/${cal.id}/subscribers?status=all`)).body;
    const syncs = subs.data.reduce((n: number, x: { sync_count: number }) => n + x.sync_count, 0);
    expect(syncs).toBe(6);
  });
});
