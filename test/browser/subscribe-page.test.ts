import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/util/clock.js';
import { launchChromium } from '../helpers/chromium.js';
import { startServer, type TestServer } from '../helpers/server.js';

// A real headless Chromium (Debian's package) against the real server. JavaScript is OFF in
// the browsing context: the subscribe flow must work as plain HTML forms and redirects.

const NOW = Date.UTC(2031, 2, 1, 12);

let s: TestServer;
let browser: Browser;
let cal: { id: string; key: string };

beforeAll(async () => {
  s = await startServer({ clock: fixedClock(NOW) });
  const r = await s.api('POST', '/api/v1/calendars', {
    title: 'Riverside Community Hall',
    description: 'Talks, fairs and workshops for everyone in the neighbourhood. All welcome, entry free.',
    timezone: 'Europe/Berlin', color: '#0f766e',
  });
  cal = { id: r.body.id, key: (r.body.feed_url as string).match(/\/feeds\/([^/]+)\.ics$/)![1]! };
  const events = [
    { title: 'Spring fair', start: '2031-03-02T10:00', end: '2031-03-02T16:00', location: 'Main hall' },
    { title: 'Weekly yoga', start: '2031-01-06T18:30', end: '2031-01-06T19:30', rrule: 'FREQ=WEEKLY', location: 'Studio 2' },
    { title: 'Repair café', start: '2031-03-08T14:00', end: '2031-03-08T17:00', location: 'Workshop, ground floor' },
    { title: 'Open day', start: '2031-03-15', all_day: true },
    { title: 'Jazz evening with the Riverside Big Band', start: '2031-03-21T19:30', end: '2031-03-21T22:00' },
  ];
  for (const e of events) expect((await s.api('POST', `/api/v1/calendars/${cal.id}/events`, e)).status).toBe(201);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

describe('subscribe page in Chromium without JavaScript', () => {
  it('shows a title with a right-to-left override without reversing the text around it', async () => {
    const r = await s.api('POST', '/api/v1/calendars', { title: 'Club \u202Eevil\u202C nights', timezone: 'UTC' });
    const key = (r.body.feed_url as string).match(/\/feeds\/([^/]+)\.ics$/)![1]!;
    await s.api('POST', `/api/v1/calendars/${r.body.id}/events`, { title: 'שלום party', start: '2031-03-05T10:00' });
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${s.url}/c/${key}`);
      // The control characters are gone, so the words read in their own order.
      await expect(page.locator('h1').innerText()).resolves.toBe('Club evil nights');
      await expect(page.title()).resolves.toBe('Subscribe to Club evil nights');
      // Right-to-left user text is isolated, so it cannot reorder the page text beside it.
      await expect(page.locator('.event-title bdi').first().innerText()).resolves.toBe('שלום party');
      await expect(page.locator('h1 bdi').count()).resolves.toBe(1);
    } finally {
      await context.close();
    }
  });

  it('clicking Google mints a personal subscriber and sends the browser to Google Calendar', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${s.url}/c/${cal.key}`);
      await expect(page.title()).resolves.toBe('Subscribe to Riverside Community Hall');
      // The copy button is JavaScript-only and stays hidden; the field still shows the link.
      await expect(page.getByRole('button', { name: 'Copy', exact: true }).count()).resolves.toBe(0);
      await expect(page.getByLabel('Calendar link', { exact: true }).inputValue()).resolves.toBe(`webcal://calcast.test/feeds/${cal.key}.ics`);

      // The browser itself follows the 303 from the form post. Playwright's page.route() never
      // sees a redirect's target (documented: only the first URL of a chain is routed), so the
      // hop is read from the request event, and the resolver rule makes it fail offline.
      const [google] = await Promise.all([
        page.waitForRequest((r) => r.url().startsWith('https://calendar.google.com/')),
        page.getByRole('button', { name: /Google Calendar/ }).click(),
      ]);
      const post = google.redirectedFrom()!;
      expect(post.method()).toBe('POST');
      expect(post.url()).toBe(`${s.url}/c/${cal.key}/subscribe`);
      expect(post.postData()).toBe('app=google');
      expect((await post.response())!.status()).toBe(303);
      expect(google.isNavigationRequest()).toBe(true);
      const url = new URL(google.url());
      expect(url.origin + url.pathname).toBe('https://calendar.google.com/calendar/r');
      const cid = url.searchParams.get('cid')!;
      expect(cid).toMatch(new RegExp(`^webcal://calcast\\.test/feeds/${cal.key}/[A-Za-z0-9_-]{20,}\\.ics$`));

      const subscribers = await s.api('GET', `/api/v1/calendars/${cal.id}/subscribers?status=all`);
      expect(subscribers.status).toBe(200);
      expect(subscribers.body.data).toHaveLength(1);
      expect(subscribers.body.data[0]).toMatchObject({ kind: 'personal', client: 'google', country: null, city: null });
    } finally {
      await context.close();
    }
  });

  it('looks right on a phone (390×844 screenshot)', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    try {
      const page = await context.newPage();
      await page.goto(`${s.url}/c/${cal.key}`);
      // Nothing may overflow sideways on a narrow screen.
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow).toBe(0);
      // Six buttons, each a comfortable touch target.
      const buttons = page.locator('button.app');
      await expect(buttons.count()).resolves.toBe(6);
      for (const box of await Promise.all((await buttons.all()).map((b) => b.boundingBox()))) {
        expect(box!.height).toBeGreaterThanOrEqual(44);
      }
      await page.screenshot({ path: '/tmp/subscribe-phone.png' });
      await page.screenshot({ path: '/tmp/subscribe-phone-full.png', fullPage: true });
    } finally {
      await context.close();
    }
  });
});
