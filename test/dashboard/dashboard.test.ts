import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/util/clock.js';
import { launchChromium } from '../helpers/chromium.js';
import { ADMIN_PASSWORD, startServer, type TestServer } from '../helpers/server.js';
import { postSignIn } from './sign-in.js';

// The owner's dashboard in a real headless Chromium against the real server, driven as an
// owner would: sign in, read the figures, block, rotate, sign out. Sync history is made by
// real feed polls under a clock moved day by day.

const DAY = 86_400_000;
const NOW = Date.UTC(2031, 2, 10, 12);
const APPLE = 'iOS/17.4 (21E219) dataaccessd/1.0';
const GOOGLE = 'Google-Calendar-Importer';
const THUNDERBIRD = 'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.9.0';

const clock = fixedClock(NOW);
const shots = mkdtempSync(join(tmpdir(), 'calcast-dashboard-shots-'));
let s: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let cal: { id: string; feed_url: string };

const feedPath = (url: string) => new URL(url).pathname;
const poll = (url: string, ua: string) => fetch(s.url + feedPath(url), { headers: { 'user-agent': ua } });

beforeAll(async () => {
  s = await startServer({ clock });
  cal = (await s.api('POST', '/api/v1/calendars', { title: 'Riverside Community Hall', timezone: 'Europe/Berlin' })).body;
  for (const e of [
    { title: 'Spring fair', start: '2031-03-12T10:00', end: '2031-03-12T16:00' },
    { title: 'Weekly yoga', start: '2031-01-06T18:30', end: '2031-01-06T19:30', rrule: 'FREQ=WEEKLY' },
  ]) expect((await s.api('POST', `/api/v1/calendars/${cal.id}/events`, e)).status).toBe(201);
  await s.api('POST', '/api/v1/calendars', { title: 'Youth football', timezone: 'UTC' });
  // Five days of polls: Apple daily, Google every other day, Thunderbird twice today.
  for (let d = 4; d >= 0; d--) {
    clock.set(NOW - d * DAY);
    expect((await poll(cal.feed_url, APPLE)).status).toBe(200);
    if (d % 2 === 1) await poll(cal.feed_url, GOOGLE);
    if (d === 0) for (let i = 0; i < 2; i++) await poll(cal.feed_url, THUNDERBIRD);
    await s.recorder.flush();
  }
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
});

afterAll(async () => {
  console.log(`[dashboard test] screenshots in ${shots}`);
  await browser?.close();
  await s?.stop();
});

const calendarHref = () => `${s.url}/dashboard/calendars/${cal.id}`;

describe('dashboard in Chromium', () => {
  it('refuses a wrong password with the form and a message, then signs in', async () => {
    await page.goto(`${s.url}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toContain('do not match');
    await expect(page.getByLabel('User name').inputValue()).resolves.toBe('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Your calendars');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'calcast_session', httpOnly: true, sameSite: 'Lax', path: '/dashboard', secure: false });
  });

  it('lists each calendar with the same figures as the stats API', async () => {
    const stats = (await s.api('GET', `/api/v1/calendars/${cal.id}/stats?days=30`)).body;
    const row = page.locator(`tr[data-calendar="${cal.id}"]`);
    await expect(row.locator('td[data-label="Events"]').innerText()).resolves.toBe('2');
    await expect(row.locator('td[data-label="Subscribers"]').innerText()).resolves.toBe(String(stats.totals.subscribers.total));
    await expect(row.locator('td[data-label="Active subscribers"]').innerText()).resolves.toBe(String(stats.totals.subscribers.active));
    await expect(row.locator('td[data-label="Syncs today"]').innerText()).resolves.toBe(String(stats.data.at(-1).syncs));
    await expect(row.locator('svg.spark').getAttribute('data-total')).resolves.toBe(String(stats.totals.syncs));
    const titles = await page.locator('tbody th[scope=row] a').allInnerTexts();
    expect(titles).toEqual(expect.arrayContaining(['Riverside Community Hall', 'Youth football']));
    await page.screenshot({ path: join(shots, 'list-1280.png'), fullPage: true });
  });

  it("draws a calendar's 30 days and apps with exactly the stats API's numbers", async () => {
    await page.goto(calendarHref());
    const stats = (await s.api('GET', `/api/v1/calendars/${cal.id}/stats?days=30`)).body;
    const drawn = await page.locator('svg.chart g.day').evaluateAll((gs) => gs.map((g) => ({
      day: g.getAttribute('data-day'), syncs: Number(g.getAttribute('data-syncs')), active_subscribers: Number(g.getAttribute('data-active')),
    })));
    expect(drawn).toEqual(stats.data.map((d: { day: string; syncs: number; active_subscribers: number }) =>
      ({ day: d.day, syncs: d.syncs, active_subscribers: d.active_subscribers })));
    expect(drawn.slice(-5).map((d) => d.syncs)).toEqual([1, 2, 1, 2, 3]);
    const apps = await page.locator('.apps-chart li').evaluateAll((ls) =>
      Object.fromEntries(ls.map((l) => [l.getAttribute('data-client'), Number(l.getAttribute('data-syncs'))])));
    expect(apps).toEqual(stats.by_client);
    expect(apps).toEqual({ apple_ios: 5, google: 2, thunderbird: 2 });
    await expect(page.locator('svg.chart g.day').last().locator('title').textContent()).resolves.toBe('2031-03-10: 3 syncs, 2 active subscribers');
    await expect(page.getByLabel('Feed URL').inputValue()).resolves.toBe(cal.feed_url);
    await expect(page.getByLabel('Webcal URL').inputValue()).resolves.toBe(cal.feed_url.replace(/^http:/, 'webcal:'));
    await expect(page.locator('#subscriber-table tbody tr').count()).resolves.toBe(3);
    const fair = page.getByRole('link', { name: 'Spring fair' });
    expect(await fair.getAttribute('href')).toMatch(new RegExp(`^/e/${cal.id}\\.`));
    await page.screenshot({ path: join(shots, 'calendar-1280.png'), fullPage: true });
  });

  it('mints a personal URL, and blocking it makes its feed the disabled calendar', async () => {
    await page.getByLabel('Name', { exact: true }).fill('Ana Lima');
    await page.getByRole('button', { name: 'Create personal URL' }).click();
    const personal = await page.getByLabel('Feed URL').inputValue();
    expect(personal).toMatch(new RegExp(`/feeds/[\\w-]+/[\\w-]+\\.ics$`));
    expect(await (await poll(personal, APPLE)).text()).toContain('SUMMARY:Spring fair');
    await s.recorder.flush();
    await page.getByRole('link', { name: 'Back to the calendar' }).click();
    await page.getByRole('button', { name: 'Block Ana Lima' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('Subscriber blocked');
    const feed = await (await poll(personal, APPLE)).text();
    expect(feed).toContain('X-WR-CALNAME:Calendar disabled');
    expect(feed).not.toContain('Spring fair');
    await page.getByLabel('Status').selectOption('blocked');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page.locator('#subscriber-table tbody tr').count()).resolves.toBe(1);
    await expect(page.locator('#subscriber-table tbody tr').getAttribute('data-status')).resolves.toBe('blocked');
  });

  it('refuses a POST without the CSRF token, or with a wrong one, with 403', async () => {
    const [cookie] = await context.cookies();
    const post = (body: string) => fetch(`${calendarHref()}/publish`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie: `${cookie!.name}=${cookie!.value}`, 'content-type': 'application/x-www-form-urlencoded' }, body,
    });
    for (const body of ['published=false', 'published=false&csrf=forged']) {
      const r = await post(body);
      expect(r.status).toBe(403);
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await r.text()).toContain('Not allowed');
    }
    expect((await s.api('GET', `/api/v1/calendars/${cal.id}`)).body.published).toBe(true);
  });

  it('rotates the key after a confirmation, and the old URL answers 410', async () => {
    await page.goto(calendarHref());
    await page.getByRole('link', { name: 'Rotate key…' }).click();
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toContain('Rotate the key');
    expect((await poll(cal.feed_url, APPLE)).status).toBe(200);
    await page.getByRole('button', { name: 'Yes, rotate the key' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('key was rotated');
    expect((await poll(cal.feed_url, APPLE)).status).toBe(410);
    const fresh = await page.getByLabel('Feed URL').inputValue();
    expect(fresh).not.toBe(cal.feed_url);
    expect((await poll(fresh, APPLE)).status).toBe(200);
  });

  it('fits a phone: no sideways scrolling on the list or a calendar at 375 px', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 375, height: 800 });
    for (const [path, name] of [['/dashboard', 'list'], [`/dashboard/calendars/${cal.id}`, 'calendar']] as const) {
      await phone.goto(s.url + path);
      await expect(phone.evaluate('document.documentElement.scrollWidth')).resolves.toBeLessThanOrEqual(375);
      await phone.screenshot({ path: join(shots, `${name}-375.png`), fullPage: true });
    }
    await phone.close();
  });

  it('serves its stylesheet at a content-hashed URL for a year', async () => {
    const href = await page.locator('link[rel=stylesheet]').getAttribute('href');
    expect(href).toMatch(/^\/dashboard\/assets\/dashboard\.[\w-]{16}\.css$/);
    const r = await fetch(s.url + href!);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(r.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('signs out: the session ends and its cookie no longer opens the dashboard', async () => {
    const [cookie] = await context.cookies();
    await page.getByRole('button', { name: 'Log out' }).click();
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');
    await page.goto(`${s.url}/dashboard`);
    expect(new URL(page.url()).pathname).toBe('/dashboard/login');
    const r = await fetch(`${s.url}/dashboard`, { redirect: 'manual', headers: { cookie: `${cookie!.name}=${cookie!.value}` } });
    expect(r.status).toBe(303);
  });

  it('answers 429 with the form once a user name has failed five times', async () => {
    const attempt = () => postSignIn(s.url, 'nobody', 'guess');
    for (let i = 0; i < 5; i++) expect((await attempt()).status).toBe(200);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('900');
    expect(await limited.text()).toContain('Too many failed sign-ins');
  });
});
