import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';

// Two instances over one database: what a poll answers must follow the store, not what the
// answering process remembers, however the feed path caches its versions and headers.
let a: TestServer;
let b: TestServer;
let cal: { id: string; feed_url: string };
const path = () => new URL(cal.feed_url).pathname;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'calcast-instances-'));
  a = await startServer({ dir });
  b = await startServer({ dir });
  cal = (await a.api('POST', '/api/v1/calendars', { title: 'Shared', timezone: 'Europe/Paris' })).body;
  await a.api('POST', `/api/v1/calendars/${cal.id}/events`, { title: 'First', start: '2030-05-04 10:00' });
});
afterAll(async () => {
  await a.stop();
  await b.stop();
});

describe('a feed served by one instance and written by another', () => {
  it('answers 200 with the new event at the next poll after the other instance writes', async () => {
    const first = await fetch(a.url + path());
    const etag = first.headers.get('etag')!;
    expect((await fetch(a.url + path(), { headers: { 'if-none-match': etag } })).status).toBe(304);
    await b.api('POST', `/api/v1/calendars/${cal.id}/events`, { title: 'Second', start: '2030-05-05 10:00' });
    const next = await fetch(a.url + path(), { headers: { 'if-none-match': etag } });
    expect(next.status).toBe(200);
    expect(next.headers.get('etag')).not.toBe(etag);
    expect(await next.text()).toContain('SUMMARY:Second');
  });

  it('sends the disabled calendar at the next poll after the other instance blocks the subscriber', async () => {
    const minted = (await a.api('POST', `/api/v1/calendars/${cal.id}/subscribers`, { name: 'Ann' })).body as { id: string; feed_url: string };
    const personal = new URL(minted.feed_url).pathname;
    expect(await (await fetch(a.url + personal)).text()).toContain('SUMMARY:First');
    await b.api('PATCH', `/api/v1/calendars/${cal.id}/subscribers/${minted.id}`, { blocked: true });
    const text = await (await fetch(a.url + personal)).text();
    expect(text).toContain('Calendar disabled');
    expect(text).not.toContain('SUMMARY:First');
  });

  it('answers 410 at once for a key the other instance rotated, and the same feed for a query string', async () => {
    expect((await fetch(`${a.url}${path()}?nocache=1`)).status).toBe(200);
    const rotated = (await b.api('POST', `/api/v1/calendars/${cal.id}/rotate-feed-key`)).body as { feed_url: string };
    const old = await fetch(a.url + path());
    expect(old.status).toBe(410);
    expect(old.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect((await fetch(a.url + new URL(rotated.feed_url).pathname)).status).toBe(200);
  });

  it('refuses other methods with 405, Allow and plain text', async () => {
    const r = await fetch(a.url + path(), { method: 'POST', body: 'x' });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET, HEAD');
    expect(await r.text()).toBe('Feeds are read with GET.\n');
  });
});
