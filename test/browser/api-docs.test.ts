import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { startServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
let browser: Browser;
beforeAll(async () => {
  s = await startServer();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await s.stop();
});

describe('API reference at /api/docs', () => {
  it('renders the operations of the OpenAPI document with nothing fetched from elsewhere', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const requests: string[] = [];
      const failed: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('requestfailed', (r) => failed.push(r.url()));
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const answer = await page.goto(`${s.url}/api/docs`);
      expect(answer?.status()).toBe(200);
      await page.locator('.opblock').first().waitFor();
      await expect.poll(() => page.locator('.opblock').count()).toBeGreaterThan(30);
      expect(await page.locator('.info .title').innerText()).toContain('Calcast API');
      // A tag group and an operation a developer would look for.
      const create = page.locator('.opblock-post', { hasText: '/api/v1/calendars' }).first();
      await expect.poll(() => create.isVisible()).toBe(true);
      expect(await create.innerText()).toContain('Create a calendar');
      await create.locator('.opblock-summary').click();
      await page.locator('.responses-table').first().waitFor();
      expect(await page.locator('.opblock-post.is-open').innerText()).toContain('VALIDATION_FAILED');

      expect(requests).toContain(`${s.url}/api/v1/openapi.json`);
      expect(requests.filter((u) => !u.startsWith(`${s.url}/`) && !u.startsWith('data:'))).toEqual([]);
      expect(failed).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('serves Swagger UI from the installed package, cached for a year', async () => {
    const html = await (await fetch(`${s.url}/api/docs`)).text();
    const assets = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBe(4);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/api\/docs\/assets\/\d+\.\d+\.\d+\//);
      const r = await fetch(s.url + asset);
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    const bundle = await (await fetch(s.url + assets.find((a) => a.endsWith('swagger-ui-bundle.js'))!)).text();
    expect(bundle).toContain('SwaggerUIBundle');
    expect((await fetch(`${s.url}/api/docs/assets/0.0.0/swagger-ui.css`)).status).toBe(404);
  });
});
