import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCalendar } from '../helpers/calendar-generator/index.js';
import { startServer, type TestServer } from '../helpers/server.js';

const GOOGLE = 'Google-Calendar-Importer';
const APPLE = 'iOS/17.4 (21E219) dataaccessd/1.0';
const OUTLOOK = 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)';

let s: TestServer;
let cal: { id: string; feed_url: string };
const path = (url: string) => new URL(url).pathname;
const poll = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
  fetch(s.url + path(url), { method, headers });

async function subscribers(status = 'all') {
  await s.recorder.flush();
  return (await s.api('GET', `/api/v1/calendars/${cal.id}/subscribers?status=${status}`)).body;
}

beforeAll(async () => {
  s = await startServer();
  cal = (await s.api('POST', '/api/v1/calendars', { title: 'Polled', timezone: 'UTC' })).body;
  await s.api('POST', `/api/v1/calendars/${cal.id}/events`, { title: 'Soon', start: '2031-01-01T10:00:00Z' });
});
afterAll(() => s.stop());

describe('syncs on the shared URL', () => {
  it('counts every 200 and 304 (GET or HEAD) as a sync of one anonymous subscriber per client', async () => {
    const first = await poll(cal.feed_url, { 'user-agent': APPLE });
    const etag = first.headers.get('etag')!;
    expect((await poll(cal.feed_url, { 'user-agent': APPLE, 'if-none-match': etag })).status).toBe(304);
    expect((await poll(cal.feed_url, { 'user-agent': APPLE }, 'HEAD')).status).toBe(200);
    await poll(cal.feed_url, { 'user-agent': GOOGLE });
    await poll(cal.feed_url, { 'user-agent': 'SomeNewCalendarApp/0.1' });
    const body = await subscribers();
    const byClient = Object.fromEntries(body.data.map((x: { client: string }) => [x.client, x]));
    expect(byClient.apple_ios).toMatchObject({ kind: 'anonymous', status: 'active', sync_count: 3 });
    expect(byClient.google).toMatchObject({ kind: 'anonymous', sync_count: 1 });
    expect(byClient.unknown).toMatchObject({ kind: 'anonymous', sync_count: 1 });
    expect(body.summary).toMatchObject({ total: 3, active: 3 });
    const calendar = (await s.api('GET', `/api/v1/calendars/${cal.id}`)).body;
    expect(calendar).toMatchObject({ followers_active: 3, followers_total: 3 });
  });

  it('does not count a 404', async () => {
    const before = (await subscribers()).summary.total;
    await fetch(`${s.url}/feeds/nonexistentkey000.ics`, { headers: { 'user-agent': 'Lost/1.0' } });
    expect((await subscribers()).summary.total).toBe(before);
  });
});

describe('personal URLs', () => {
  it('serves the calendar to its subscriber and counts its polls', async () => {
    const minted = (await s.api('POST', `/api/v1/calendars/${cal.id}/subscribers`, { name: 'Ana', client: 'apple_macos' })).body;
    expect(minted.feed_url).toMatch(/\/feeds\/[\w-]+\/[\w-]+\.ics$/);
    expect(minted.webcal_url).toBe(minted.feed_url.replace('http:', 'webcal:'));
    const r = await poll(minted.feed_url, { 'user-agent': 'macOS/14.4 (23E214) CalendarAgent/988' });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('SUMMARY:Soon');
    const me = (await s.api('GET', `/api/v1/calendars/${cal.id}/subscribers/${minted.id}`)).body;
    await s.recorder.flush();
    const after = (await s.api('GET', `/api/v1/calendars/${cal.id}/subscribers/${minted.id}`)).body;
    expect(after).toMatchObject({ kind: 'personal', name: 'Ana', client: 'apple_macos' });
    expect(me.kind).toBe('personal');
    expect(after.sync_count).toBe(1);
  });

  it('answers "Calendar disabled" once blocked or deleted, and still counts the polls', async () => {
    const minted = (await s.api('POST', `/api/v1/calendars/${cal.id}/subscribers`, { name: 'Bo' })).body;
    await s.api('PATCH', `/api/v1/calendars/${cal.id}/subscribers/${minted.id}`, { blocked: true });
    const blocked = await poll(minted.feed_url);
    expect(blocked.status).toBe(200);
    const text = await blocked.text();
    expect(text).toContain('X-WR-CALNAME:Calendar disabled');
    expect(text).not.toContain('BEGIN:VEVENT');
    await s.recorder.flush();
    expect((await s.api('GET', `/api/v1/calendars/${cal.id}/subscribers/${minted.id}`)).body).toMatchObject({ status: 'blocked', sync_count: 1 });
    await s.api('DELETE', `/api/v1/calendars/${cal.id}/subscribers/${minted.id}`);
    const deleted = await poll(minted.feed_url);
    expect(deleted.status).toBe(200);
    expect(await deleted.text()).toContain('X-WR-CALNAME:Calendar disabled');
  });

  it('answers 404 for a token that was never minted', async () => {
    const r = await fetch(`${s.url}${path(cal.feed_url).replace('.ics', '')}/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics`);
    expect(r.status).toBe(404);
  });
});

describe('settings', () => {
  it('answers 410 for disabled personal URLs when configured, and can skip gzip for Microsoft', async () => {
    const other = await startServer({ env: { CALCAST_DISABLED_FEED_STATUS: '410', CALCAST_FEED_GZIP_MICROSOFT: 'off' } });
    try {
      const c = (await other.api('POST', '/api/v1/calendars', { title: 'Strict' })).body;
      const minted = (await other.api('POST', `/api/v1/calendars/${c.id}/subscribers`, {})).body;
      await other.api('PATCH', `/api/v1/calendars/${c.id}/subscribers/${minted.id}`, { blocked: true });
      expect((await fetch(other.url + path(minted.feed_url))).status).toBe(410);
      const outlook = await fetch(other.url + path(c.feed_url), { headers: { 'user-agent': OUTLOOK, 'accept-encoding': 'gzip' } });
      expect(outlook.headers.get('content-encoding')).toBeNull();
      const apple = await fetch(other.url + path(c.feed_url), { headers: { 'user-agent': APPLE, 'accept-encoding': 'gzip' } });
      expect(apple.headers.get('content-encoding')).toBe('gzip');
    } finally {
      await other.stop();
    }
  });

  it('keeps past events for past_days, and includes reminders and attendees only when asked', async () => {
    const c = (await s.api('POST', '/api/v1/calendars', { title: 'Window', timezone: 'UTC' })).body;
    const day = 86_400_000;
    const at = (days: number) => new Date(Date.now() + days * day).toISOString();
    for (const [title, days] of [['ended 100 days ago', -100], ['ended 10 days ago', -10]] as const) {
      await s.api('POST', `/api/v1/calendars/${c.id}/events`, { title, start: at(days) });
    }
    await s.api('POST', `/api/v1/calendars/${c.id}/events`, {
      title: 'with extras', start: at(3), reminders: [10], attendees: [{ email: 'guest@example.com' }],
    });
    const text = async () => (await (await poll(c.feed_url)).text()).replace(/\r\n /g, '');
    const before = await text();
    expect(before).toContain('SUMMARY:ended 10 days ago');
    expect(before).not.toContain('ended 100 days ago');
    expect(before).not.toContain('BEGIN:VALARM');
    expect(before).not.toContain('guest@example.com');
    const patched = await s.api('PATCH', `/api/v1/calendars/${c.id}`, {
      feed: { past_days: 365, include_reminders: true, include_attendees: true, refresh_interval_minutes: 180 },
    });
    expect(patched.body.feed).toEqual({ past_days: 365, include_reminders: true, include_attendees: true, refresh_interval_minutes: 180 });
    const after = await text();
    expect(after).toContain('SUMMARY:ended 100 days ago');
    expect(after).toContain('BEGIN:VALARM');
    expect(after).toContain('guest@example.com');
    expect(after).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT3H');
  });

  it('warns in the calendar JSON when the feed passes Google\'s limits', async () => {
    const c = (await s.api('POST', '/api/v1/calendars', { title: 'Big', timezone: 'UTC' })).body;
    expect(c.feed_status).toMatchObject({ events: 0, exceeds_google_limits: false });
    const dir = mkdtempSync(join(tmpdir(), 'calcast-big-'));
    try {
      generateCalendar(1100, dir, { start: '2031-01-01' });
      const r = await s.api('POST', `/api/v1/calendars/${c.id}/import`, readFileSync(join(dir, 'calendar.ics'), 'utf8'), { 'content-type': 'text/calendar' });
      expect(r.body.created).toBe(1100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const big = (await s.api('GET', `/api/v1/calendars/${c.id}`)).body;
    expect(big.feed_status.events).toBe(1100);
    expect(big.feed_status.exceeds_google_limits).toBe(true);
  });
});
