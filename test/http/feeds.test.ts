import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/ics/thunderbird-weekly-override.ics', import.meta.url));
const PYTHON_READER = fileURLToPath(new URL('../helpers/python-icalendar.py', import.meta.url));

let s: TestServer;
let cal: { id: string; feed_url: string };
const feedPath = () => new URL(cal.feed_url).pathname;
const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  fetch(s.url + path, { method, headers });

beforeAll(async () => {
  s = await startServer();
  cal = (await s.api('POST', '/api/v1/calendars', {
    title: 'Club; "events", 日本 ✨', description: 'Line one\nLine two, with comma', timezone: 'Europe/Paris', color: '#1e90ff',
    // The Thunderbird fixture is from 2024: keep it inside the feed's window.
    feed: { past_days: 3650 },
  })).body;
  const add = (body: object) => s.api('POST', `/api/v1/calendars/${cal.id}/events`, body);
  await add({
    title: 'Réunion d’équipe — ' + 'long title with émojis 🎉 and 日本語 '.repeat(4), start: '2030-05-04 10:00',
    timezone: 'America/New_York', reminders: [15], attendees: [{ email: 'secret@example.com', name: 'Secret' }],
    custom_data: { internal: 'do-not-publish' },
  });
  await add({ title: 'Tokyo', start: '2030-05-05 10:00', timezone: 'Asia/Tokyo' });
  await add({ title: 'Day off', start: '2030-05-06' });
  await add({ title: 'UTC', start: '2030-05-07T10:00:00Z', timezone: 'UTC' });
  await s.api('POST', `/api/v1/calendars/${cal.id}/import`, readFileSync(FIXTURE, 'utf8'), { 'content-type': 'text/calendar' });
});
afterAll(() => s.stop());

describe('the shared feed', () => {
  it('is text/calendar, inline, with CRLF lines of at most 75 octets', async () => {
    const r = await get(feedPath());
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBeNull();
    const text = await r.text();
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line), line).toBeLessThanOrEqual(75);
    // The long title was folded without splitting a multi-byte character.
    const unfolded = text.replace(/\r\n /g, '');
    expect(unfolded).toContain('SUMMARY:Réunion d’équipe — long title with émojis 🎉 and 日本語');
  });

  it('carries the calendar properties Apple, Google and Outlook read, escaped', async () => {
    const text = (await (await get(feedPath())).text()).replace(/\r\n /g, '');
    for (const line of [
      'METHOD:PUBLISH', 'VERSION:2.0', 'X-WR-CALNAME:Club\\; "events"\\, 日本 ✨', 'NAME:Club\\; "events"\\, 日本 ✨',
      'X-WR-CALDESC:Line one\\nLine two\\, with comma', 'X-WR-TIMEZONE:Europe/Paris',
      'REFRESH-INTERVAL;VALUE=DURATION:PT1H', 'X-PUBLISHED-TTL:PT1H', 'COLOR:dodgerblue', 'X-APPLE-CALENDAR-COLOR:#1E90FF',
    ]) expect(text.split('\r\n'), line).toContain(line);
    expect(text).toMatch(/^PRODID:/m);
  });

  it('has a VTIMEZONE in the 1970 + RRULE form for every TZID, canonical names, no TZID=UTC, no floating times', async () => {
    const text = (await (await get(feedPath())).text()).replace(/\r\n /g, '');
    const used = new Set([...text.matchAll(/;TZID=([^:;]+)/g)].map((m) => m[1]));
    const defined = new Set([...text.matchAll(/^TZID:(.+)$/gm)].map((m) => m[1]!.trim()));
    expect([...used].sort()).toEqual(['America/New_York', 'Asia/Tokyo', 'Europe/Paris']);
    expect([...defined].sort()).toEqual([...used].sort());
    expect(text).not.toContain('mozilla.org');
    expect(text).not.toContain('TZID=UTC');
    for (const block of text.split('BEGIN:VTIMEZONE').slice(1)) expect(block).toMatch(/DTSTART:1970/);
    // The Thunderbird event sent with TZID=UTC is published with Z, the floating one in the calendar's zone.
    expect(text).toContain('DTSTART:20240306T120000Z');
    expect(text).toContain('DTSTART;TZID=Europe/Paris:20240305T120000');
    const events = text.split('BEGIN:VEVENT').slice(1).join('\n');
    expect(events).not.toMatch(/^(DTSTART|DTEND):\d{8}T\d{6}\r?$/m);
  });

  it('leaves out reminders, attendees and custom data by default; UIDs, DTSTAMP in UTC and SEQUENCE are there', async () => {
    const text = await (await get(feedPath())).text();
    expect(text).not.toContain('BEGIN:VALARM');
    expect(text).not.toContain('secret@example.com');
    expect(text).not.toContain('do-not-publish');
    const root = new ICAL.Component(ICAL.parse(text) as never);
    for (const ev of root.getAllSubcomponents('vevent')) {
      expect(ev.getFirstPropertyValue('uid')).toBeTruthy();
      expect((ev.getFirstPropertyValue('dtstamp') as ICAL.Time).zone).toBe(ICAL.Timezone.utcTimezone);
    }
    expect(text).toMatch(/^SEQUENCE:0$/m);
    expect(text).toMatch(/^LAST-MODIFIED:\d{8}T\d{6}Z$/m);
  });

  it('is read the same by ical.js and by python3-icalendar', async () => {
    const text = await (await get(feedPath())).text();
    const root = new ICAL.Component(ICAL.parse(text) as never);
    const events = root.getAllSubcomponents('vevent');
    const py = spawnSync('/usr/bin/python3', [PYTHON_READER], { input: text, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' });
    expect(py.status, py.stderr).toBe(0);
    const parsed = JSON.parse(py.stdout);
    expect(parsed).toMatchObject({
      calname: 'Club; "events", 日本 ✨', method: 'PUBLISH', version: '2.0',
      timezones: ['America/New_York', 'Asia/Tokyo', 'Europe/Paris'], events: events.length,
    });
    expect(parsed.uids).toEqual([...new Set(events.map((e) => String(e.getFirstPropertyValue('uid'))))].sort());
    expect(parsed.summaries).toContain('Weekly review (moved to Tuesday afternoon)');
  });

  it('round-trips a recurring event with an EXDATE and a moved instance', async () => {
    const text = await (await get(feedPath())).text();
    const root = new ICAL.Component(ICAL.parse(text) as never);
    ICAL.TimezoneService.register(new ICAL.Timezone(root.getAllSubcomponents('vtimezone')
      .find((z) => z.getFirstPropertyValue('tzid') === 'Europe/Paris')!));
    const parts = root.getAllSubcomponents('vevent').filter((e) => e.getFirstPropertyValue('uid') === 'weekly-review@thunderbird.example');
    const master = new ICAL.Event(parts.find((p) => !p.hasProperty('recurrence-id'))!);
    for (const p of parts.filter((p) => p.hasProperty('recurrence-id'))) master.relateException(p);
    const it = master.iterator();
    const instances: string[] = [];
    for (let next = it.next(); next; next = it.next()) {
      const details = master.getOccurrenceDetails(next);
      instances.push(`${details.startDate.toJSDate().toISOString()} ${details.item.summary}`);
    }
    ICAL.TimezoneService.remove('Europe/Paris');
    expect(instances).toEqual([
      '2024-03-04T08:00:00.000Z Weekly review',
      '2024-03-11T08:00:00.000Z Weekly review',
      '2024-03-25T08:00:00.000Z Weekly review',
      '2024-04-02T13:00:00.000Z Weekly review (moved to Tuesday afternoon)',
      '2024-04-08T07:00:00.000Z Weekly review',
    ]);
  });

  it('is byte-identical while nothing changes, and changes with a write', async () => {
    const a = await get(feedPath());
    const b = await get(feedPath());
    expect(await a.text()).toBe(await b.text());
    expect(a.headers.get('etag')).toBe(b.headers.get('etag'));
    await s.api('POST', `/api/v1/calendars/${cal.id}/events`, { title: 'New', start: '2030-06-01 10:00' });
    const c = await get(feedPath());
    expect(c.headers.get('etag')).not.toBe(a.headers.get('etag'));
    expect(await c.text()).toContain('SUMMARY:New');
  });
});

describe('conditional requests', () => {
  it('answers 304 to If-None-Match even with Cache-Control: no-cache, weakly compared', async () => {
    const first = await get(feedPath());
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"/);
    for (const inm of [etag, etag.replace(/^W\//, ''), `"other", ${etag}`, '*']) {
      const r = await get(feedPath(), { 'if-none-match': inm, 'cache-control': 'no-cache' });
      expect(r.status, inm).toBe(304);
      expect(await r.text()).toBe('');
    }
  });

  it('uses If-Modified-Since only without If-None-Match', async () => {
    const first = await get(feedPath());
    const lastModified = first.headers.get('last-modified')!;
    expect((await get(feedPath(), { 'if-modified-since': lastModified })).status).toBe(304);
    expect((await get(feedPath(), { 'if-modified-since': lastModified, 'if-none-match': '"stale"' })).status).toBe(200);
    expect((await get(feedPath(), { 'if-modified-since': 'Mon, 01 Jan 2001 00:00:00 GMT' })).status).toBe(200);
  });

  it('answers HEAD with the same validators and no body', async () => {
    const g = await get(feedPath());
    const h = await get(feedPath(), {}, 'HEAD');
    expect(h.status).toBe(200);
    expect(h.headers.get('etag')).toBe(g.headers.get('etag'));
    expect(h.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(await h.text()).toBe('');
  });

  it('gzips when asked, never brotli', async () => {
    const plain = await (await get(feedPath())).text();
    // node:http hands over the raw bytes (fetch would decode them itself).
    const raw = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      request(s.url + feedPath(), { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject).end();
    });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(raw.headers.vary).toBe('Accept-Encoding');
    expect(raw.body.length).toBeLessThan(Buffer.byteLength(plain));
    expect(gunzipSync(raw.body).toString('utf8')).toBe(plain);
    const br = await fetch(s.url + feedPath(), { headers: { 'accept-encoding': 'br, zstd' } });
    expect(br.headers.get('content-encoding')).toBeNull();
    const refused = await fetch(s.url + feedPath(), { headers: { 'accept-encoding': 'gzip;q=0' } });
    expect(refused.headers.get('content-encoding')).toBeNull();
  });
});

describe('feed URLs that are not feeds', () => {
  it('answers 404 in plain text for unknown keys, never HTML', async () => {
    for (const path of ['/feeds/doesnotexist000.ics', '/feeds/x.ics', '/feeds/abc/def']) {
      const r = await get(path);
      expect(r.status).toBe(404);
      expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    }
  });

  it('answers 410 for a rotated key while the new key works', async () => {
    const old = feedPath();
    const rotated = await s.api('POST', `/api/v1/calendars/${cal.id}/rotate-feed-key`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.feed_url).not.toBe(cal.feed_url);
    const gone = await get(old);
    expect(gone.status).toBe(410);
    expect(gone.headers.get('content-type')).toMatch(/^text\/plain/);
    cal = rotated.body;
    expect((await get(feedPath())).status).toBe(200);
  });

  it('hides unpublished calendars', async () => {
    await s.api('PATCH', `/api/v1/calendars/${cal.id}`, { published: false });
    expect((await get(feedPath())).status).toBe(404);
    await s.api('PATCH', `/api/v1/calendars/${cal.id}`, { published: true });
    expect((await get(feedPath())).status).toBe(200);
  });

  it('lets robots fetch feeds', async () => {
    const text = await (await get('/robots.txt')).text();
    expect(text).toContain('Allow: /feeds/');
    expect(text).not.toMatch(/^Disallow: \/(feeds\/?)?$/m);
  });

  it('serves one event as an .ics download for the API\'s links.ics', async () => {
    const e = await s.api('POST', `/api/v1/calendars/${cal.id}/events`, { title: 'Single', start: '2030-07-01 10:00' });
    const r = await fetch(e.body.links.ics.replace('http://calcast.test', s.url));
    expect(r.status).toBe(200);
    const text = await r.text();
    expect(text).toContain('SUMMARY:Single');
    expect(new ICAL.Component(ICAL.parse(text) as never).getAllSubcomponents('vevent')).toHaveLength(1);
  });
});
