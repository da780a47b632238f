import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { ADMIN_PASSWORD, startServer, type TestServer } from '../helpers/server.js';

// The dashboard's forms in Chromium with JavaScript off: each must work as a plain HTML form,
// change what the JSON API then shows, and answer bad input with a page that names the field.

let s: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  s = await startServer();
  browser = await launchChromium();
  page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await page.goto(`${s.url}/dashboard/login`);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
});

afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

const calendarId = () => new URL(page.url()).pathname.split('/').pop()!;

describe('dashboard forms without JavaScript', () => {
  it('refuses an unknown time zone with a 400 page naming the field, then creates the calendar', async () => {
    await page.getByLabel('Title').fill('Chess club');
    await page.getByLabel('Time zone').fill('Mars/Olympus');
    const [refused] = await Promise.all([page.waitForResponse(/\/dashboard\/calendars$/), page.getByRole('button', { name: 'Create calendar' }).click()]);
    expect(refused.status()).toBe(400);
    await expect(page.locator('main').innerText()).resolves.toContain('field: timezone');
    await page.goto(`${s.url}/dashboard`);
    await page.getByLabel('Title').fill('Chess club');
    await page.getByLabel('Time zone').fill('Europe/Lisbon');
    await page.getByRole('button', { name: 'Create calendar' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe('Calendar created.');
    const api = (await s.api('GET', `/api/v1/calendars/${calendarId()}`)).body;
    expect(api).toMatchObject({ title: 'Chess club', timezone: 'Europe/Lisbon', published: true });
  });

  it('saves the feed settings the API then shows, and refuses a refresh interval under 15 minutes', async () => {
    await page.getByLabel('Past days in the feed').fill('30');
    await page.getByLabel('Refresh interval (minutes)').fill('120');
    await page.getByLabel('Include reminders').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe('Settings saved.');
    expect((await s.api('GET', `/api/v1/calendars/${calendarId()}`)).body.feed).toEqual({
      past_days: 30, refresh_interval_minutes: 120, include_reminders: true, include_attendees: false,
    });
    await expect(page.getByLabel('Include reminders').isChecked()).resolves.toBe(true);
    const id = calendarId();
    // The browser's own min= check stops the form; a hand-made post (same cookies) meets the server's.
    const r = await page.request.post(`${s.url}/dashboard/calendars/${id}/settings`, {
      form: { csrf: await page.locator('input[name=csrf]').first().inputValue(), past_days: '30', refresh_interval_minutes: '5' },
    });
    expect(r.status()).toBe(400);
    expect(await r.text()).toContain('field: refresh_interval_minutes');
    expect((await s.api('GET', `/api/v1/calendars/${id}`)).body.feed.refresh_interval_minutes).toBe(120);
  });

  it('unpublishes (the subscribe page is gone) and publishes again', async () => {
    const id = calendarId();
    const key = ((await s.api('GET', `/api/v1/calendars/${id}`)).body.subscribe_url as string).split('/c/')[1]!;
    await page.getByRole('button', { name: 'Unpublish' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toContain('unpublished');
    expect((await fetch(`${s.url}/c/${key}`)).status).toBe(404);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    expect((await fetch(`${s.url}/c/${key}`)).status).toBe(200);
  });

  it('pages through subscribers, sorts by last sync, and deletes one', async () => {
    const id = calendarId();
    const minted = [];
    for (let i = 0; i < 27; i++) minted.push((await s.api('POST', `/api/v1/calendars/${id}/subscribers`, { name: `Member ${i}` })).body);
    // Two of them have synced: Member 3 first, Member 7 later.
    for (const m of [minted[3], minted[7]]) {
      await fetch(s.url + new URL(m.feed_url).pathname, { headers: { 'user-agent': 'Thunderbird/115.0' } });
      await new Promise((r) => setTimeout(r, 5));
    }
    await s.recorder.flush();
    await page.reload();
    const rows = page.locator('#subscriber-table tbody tr');
    await expect(rows.count()).resolves.toBe(25);
    await expect(rows.nth(0).getAttribute('data-subscriber')).resolves.toBe(minted[7].id);
    await expect(rows.nth(1).getAttribute('data-subscriber')).resolves.toBe(minted[3].id);
    await page.getByRole('link', { name: 'Next page' }).click();
    await expect(rows.count()).resolves.toBe(2);
    await page.getByRole('link', { name: 'First page' }).click();
    await page.getByLabel('Sort').selectOption('asc');
    await page.getByRole('button', { name: 'Show' }).click();
    // Oldest sync first; never-synced ones come after both orders' synced rows.
    await expect(rows.nth(0).getAttribute('data-subscriber')).resolves.toBe(minted[3].id);
    await expect(rows.nth(1).getAttribute('data-subscriber')).resolves.toBe(minted[7].id);
    await page.getByRole('button', { name: 'Delete Member 3' }).click();
    await expect(page.getByRole('status').innerText()).resolves.toBe('Subscriber deleted.');
    expect((await s.api('GET', `/api/v1/calendars/${id}/subscribers/${minted[3].id}`)).status).toBe(404);
  });

  it("answers another user's calendar with the same 404 as a missing one", async () => {
    const other = await s.service.createUser('bea', 'bea-password-123');
    const theirs = await s.service.createCalendar({
      ownerId: other.id, components: ['VEVENT'], title: 'Private', description: null, timezone: 'UTC', color: null,
      weekdayBegin: null, customData: null, published: true, settings: {},
    });
    for (const id of [theirs.id, 'nonexistent']) {
      const r = await page.goto(`${s.url}/dashboard/calendars/${id}`);
      expect(r!.status()).toBe(404);
      await expect(page.locator('h1').innerText()).resolves.toBe('Not found');
    }
  });
});
