import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ICAL from 'ical.js';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/util/clock.js';
import { launchChromium } from '../helpers/chromium.js';
import { startServer, type TestServer } from '../helpers/server.js';

// Event pages in Debian's headless Chromium against the real server: what a visitor sees,
// where each button leads, and the .ics they download, read back by ical.js and python-icalendar.

const NOW = Date.UTC(2031, 2, 1, 12);
const PYTHON_READER = fileURLToPath(new URL('../helpers/python-icalendar.py', import.meta.url));

let s: TestServer;
let browser: Browser;
let calId: string;
const urls: Record<string, string> = {};
const ids: Record<string, string> = {};
const downloads = mkdtempSync(join(tmpdir(), 'calcast-event-page-'));

async function event(name: string, body: Record<string, unknown>) {
  const r = await s.api('POST', `/api/v1/calendars/${calId}/events`, body);
  expect(r.status).toBe(201);
  // The API's links carry the configured base URL; the browser goes to the test server.
  const url = new URL(r.body.event_url as string);
  expect(url.pathname).toMatch(/^\/e\/[A-Za-z0-9_-]+\.[A-Za-z0-9_.-]+$/);
  urls[name] = `${s.url}${url.pathname}`;
  ids[name] = r.body.id as string;
}

async function withContext<T>(opts: Parameters<Browser['newContext']>[0], fn: (c: BrowserContext) => Promise<T>): Promise<T> {
  const context = await browser.newContext(opts);
  try {
    return await fn(context);
  } finally {
    await context.close();
  }
}

beforeAll(async () => {
  s = await startServer({ clock: fixedClock(NOW) });
  const r = await s.api('POST', '/api/v1/calendars', { title: 'Riverside Hall', timezone: 'Europe/Berlin', color: '#0f766e' });
  calId = r.body.id;
  await event('fair', {
    title: 'Spring fair', start: '2031-03-02T10:00', end: '2031-03-02T16:00',
    location: 'Main hall', description: 'Stalls, music and food.',
  });
  await event('yoga', {
    title: 'Weekly yoga', start: '2031-01-07T18:30', end: '2031-01-07T19:30',
    rrule: 'FREQ=WEEKLY;BYDAY=TU;UNTIL=20310630T200000Z',
  });
  await event('gone', { title: 'Cancelled talk', start: '2031-03-09T19:00', status: 'CANCELLED' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await s?.stop();
  rmSync(downloads, { recursive: true, force: true });
});

describe('event landing pages', () => {
  it('show the title, the time in the event’s zone, the place and the description without JavaScript', async () => {
    await withContext({ javaScriptEnabled: false }, async (c) => {
      const page = await c.newPage();
      await page.goto(urls.fair!);
      await expect(page.locator('h1').innerText()).resolves.toBe('Spring fair');
      await expect(page.locator('.when').innerText()).resolves.toBe('Sun, Mar 2, 2031 · 10:00 AM – 4:00 PM');
      await expect(page.getByText('Times in Europe/Berlin')).toBeTruthy();
      await expect(page.locator('.where').innerText()).resolves.toBe('Main hall');
      await expect(page.locator('.desc').innerText()).resolves.toBe('Stalls, music and food.');
      await expect(page.locator('.local').count()).resolves.toBe(0);
      const subscribe = await page.getByRole('link', { name: 'Riverside Hall' }).getAttribute('href');
      expect(subscribe).toMatch(/^\/c\/[A-Za-z0-9_-]+$/);
      expect((await fetch(`${s.url}${subscribe}`)).status).toBe(200);
    });
  });

  it('add the viewer’s own time when JavaScript is on and their zone differs', async () => {
    await withContext({ timezoneId: 'America/New_York' }, async (c) => {
      const page = await c.newPage();
      await page.goto(urls.fair!);
      await expect(page.locator('.local').innerText()).resolves.toBe('Your time (America/New York): Sun, Mar 2, 2031, 4:00 AM');
    });
  });

  it('say a series’ rule in words and show its next occurrence', async () => {
    await withContext({ javaScriptEnabled: false }, async (c) => {
      const page = await c.newPage();
      await page.goto(urls.yoga!);
      await expect(page.locator('.repeats').innerText()).resolves.toBe('Repeats every Tuesday until 30 June 2031');
      await expect(page.locator('.when').innerText()).resolves.toBe('Next: Tue, Mar 4, 2031 · 6:30 PM – 7:30 PM');
    });
  });

  it('send each button to its app and count every click per app', async () => {
    const hrefs = await withContext({ javaScriptEnabled: false }, async (c) => {
      const page = await c.newPage();
      await page.goto(urls.fair!);
      return page.locator('.apps a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    });
    expect(hrefs.map(([label]) => label)).toEqual([
      'Apple CalendariPhone, iPad, Mac (.ics)', 'Google CalendarOpens Google Calendar', 'OutlookWindows, Mac desktop (.ics)',
      'Outlook.comPersonal Microsoft account', 'Microsoft 365Work or school account', 'Yahoo CalendarOpens Yahoo Calendar',
    ]);
    const targets: Record<string, URL> = {};
    for (const [, href] of hrefs) {
      const r = await fetch(`${s.url}${href}`, { redirect: 'manual' });
      expect(r.status).toBe(303);
      targets[href!.split('/').pop()!] = new URL(r.headers.get('location')!, s.url);
    }
    const google = targets.google!;
    expect(google.origin + google.pathname).toBe('https://calendar.google.com/calendar/render');
    expect(Object.fromEntries(google.searchParams)).toMatchObject({
      action: 'TEMPLATE', text: 'Spring fair', dates: '20310302T090000Z/20310302T150000Z', ctz: 'Europe/Berlin', location: 'Main hall',
    });
    for (const [app, host] of [['outlookcom', 'outlook.live.com'], ['office365', 'outlook.office.com']] as const) {
      expect(`${targets[app]!.host}${targets[app]!.pathname}`).toBe(`${host}/calendar/0/deeplink/compose`);
      expect(Object.fromEntries(targets[app]!.searchParams)).toMatchObject({
        path: '/calendar/action/compose', rru: 'addevent', subject: 'Spring fair', startdt: '2031-03-02T09:00:00Z', enddt: '2031-03-02T15:00:00Z',
      });
    }
    expect(targets.yahoo!.host).toBe('calendar.yahoo.com');
    expect(targets.yahoo!.searchParams.get('st')).toBe('20310302T090000Z');
    expect(targets.apple!.pathname).toBe(`${new URL(urls.fair!).pathname}.ics`);
    expect(targets.outlook!.pathname).toBe(targets.apple!.pathname);
    const adds = await s.api('GET', `/api/v1/calendars/${calId}/events/${ids.fair}/adds`);
    expect(adds.body).toEqual({
      event_id: ids.fair, total: 6, by_app: { apple: 1, google: 1, office365: 1, outlook: 1, outlookcom: 1, yahoo: 1 },
    });
  });

  it('download a .ics that ical.js and python-icalendar read as the one event, with its zone', async () => {
    const file = await withContext({ javaScriptEnabled: false, acceptDownloads: true }, async (c) => {
      const page = await c.newPage();
      await page.goto(urls.fair!);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Apple Calendar/ }).click()]);
      expect(download.suggestedFilename()).toBe(`${ids.fair}.ics`);
      const path = join(downloads, 'fair.ics');
      await download.saveAs(path);
      return readFileSync(path, 'utf8');
    });
    const root = new ICAL.Component(ICAL.parse(file));
    expect(root.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(root.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'))).toEqual(['Europe/Berlin']);
    const [vevent] = root.getAllSubcomponents('vevent');
    expect(vevent!.getFirstPropertyValue('summary')).toBe('Spring fair');
    const read = JSON.parse(execFileSync('/usr/bin/python3', [PYTHON_READER], { input: file }).toString());
    expect(read).toMatchObject({ method: 'PUBLISH', timezones: ['Europe/Berlin'], events: 1, starts: ['2031-03-02T10:00:00+01:00'] });
    const adds = await s.api('GET', `/api/v1/calendars/${calId}/events/${ids.fair}/adds`);
    expect(adds.body.by_app.apple).toBe(2);
  });

  it('say a cancelled event is cancelled and offer no buttons', async () => {
    await withContext({ javaScriptEnabled: false }, async (c) => {
      const page = await c.newPage();
      await page.goto(urls.gone!);
      await expect(page.locator('.notice').innerText()).resolves.toBe('This event has been cancelled.');
      await expect(page.title()).resolves.toBe('Cancelled: Cancelled talk');
      await expect(page.locator('.apps a').count()).resolves.toBe(0);
    });
  });

  it('answer 404 for an unpublished calendar’s events, an unknown event and an unknown app', async () => {
    expect((await fetch(`${urls.fair}/add/myspace`, { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(`${s.url}/e/nope.nothing`)).status).toBe(404);
    expect((await s.api('PATCH', `/api/v1/calendars/${calId}`, { published: false })).status).toBe(200);
    try {
      for (const url of [urls.fair!, `${urls.fair}.ics`, `${urls.fair}/add/google`]) {
        const r = await fetch(url, { redirect: 'manual' });
        expect(r.status).toBe(404);
        expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      }
    } finally {
      await s.api('PATCH', `/api/v1/calendars/${calId}`, { published: true });
    }
  });
});
