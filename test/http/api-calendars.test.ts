import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, hashToken } from '../../src/util/secrets.js';
import { startServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.stop());

describe('calendars API', () => {
  it('creates a calendar with defaults and public links built on the base URL', async () => {
    const r = await s.api('POST', '/api/v1/calendars', { title: 'Team' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      title: 'Team', timezone: 'UTC', published: true, events_total: 0, description: null, custom_data: null,
    });
    const key = r.body.feed_url.match(/\/feeds\/([^/]+)\.ics$/)[1] as string;
    // 128 random bits at least: 24 base64url characters carry 144.
    expect(key).toMatch(/^[A-Za-z0-9_-]{24,}$/);
    expect(r.body.webcal_url).toBe(`webcal://calcast.test/feeds/${key}.ics`);
    expect(r.body.subscribe_url).toBe(`http://calcast.test/c/${key}`);
    expect(r.body.caldav_url).toBe(`http://calcast.test/dav/calendars/admin/${r.body.id}/`);
    expect(r.headers.get('location')).toBe(`http://calcast.test/api/v1/calendars/${r.body.id}`);
  });

  it('gives every calendar a different feed key', async () => {
    const a = await s.api('POST', '/api/v1/calendars', { title: 'A' });
    const b = await s.api('POST', '/api/v1/calendars', { title: 'B' });
    expect(a.body.feed_url).not.toBe(b.body.feed_url);
  });

  it('canonicalises the time zone and refuses unknown ones', async () => {
    const ok = await s.api('POST', '/api/v1/calendars', { title: 'Kolkata', timezone: 'Asia/Calcutta' });
    expect(ok.body.timezone).toBe('Asia/Kolkata');
    const bad = await s.api('POST', '/api/v1/calendars', { title: 'Mars', timezone: 'Mars/Olympus_Mons' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'timezone' });
  });

  it('patches with JSON merge patch: null removes, other fields stay', async () => {
    const c = await s.api('POST', '/api/v1/calendars', {
      title: 'Club', description: 'All our meetings', color: '#ff8800', custom_data: { banner: 'x.png' },
    });
    const r = await s.api('PATCH', `/api/v1/calendars/${c.body.id}`, { description: null, title: 'Club 2' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ title: 'Club 2', description: null, color: '#ff8800', custom_data: { banner: 'x.png' } });
    const again = await s.api('GET', `/api/v1/calendars/${c.body.id}`);
    expect(again.body.title).toBe('Club 2');
  });

  it('lists only the caller\'s calendars and hides other users\' behind 404', async () => {
    const mine = await s.api('POST', '/api/v1/calendars', { title: 'Mine' });
    const other = await s.store.createUser('bob', await hashPassword('bob-password'));
    await s.store.createToken(other.id, 'bob', hashToken('cc_bob-token-000000000000000000'));
    const bob = { authorization: 'Bearer cc_bob-token-000000000000000000' };
    const list = await s.api('GET', '/api/v1/calendars', undefined, bob);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ data: [], next_cursor: null });
    for (const method of ['GET', 'PATCH', 'DELETE']) {
      const r = await s.api(method, `/api/v1/calendars/${mine.body.id}`, method === 'PATCH' ? { title: 'x' } : undefined, bob);
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('NOT_FOUND');
    }
    const events = await s.api('GET', `/api/v1/calendars/${mine.body.id}/events`, undefined, bob);
    expect(events.status).toBe(404);
  });

  it('moves all-day events with the calendar when its time zone changes', async () => {
    const c = await s.api('POST', '/api/v1/calendars', { title: 'Zones', timezone: 'Pacific/Auckland' });
    const path = `/api/v1/calendars/${c.body.id}/events`;
    await s.api('POST', path, { title: 'Holiday', start: '2024-07-04' });
    // 4 July in Auckland starts at 3 July 12:00 UTC; in Los Angeles at 4 July 07:00 UTC.
    const window = '?start_after=2024-07-03T11:00:00Z&start_before=2024-07-03T13:00:00Z';
    expect((await s.api('GET', path + window)).body.data).toHaveLength(1);
    const patched = await s.api('PATCH', `/api/v1/calendars/${c.body.id}`, { timezone: 'America/Los_Angeles' });
    expect(patched.body.timezone).toBe('America/Los_Angeles');
    expect((await s.api('GET', path + window)).body.data).toHaveLength(0);
    const later = '?start_after=2024-07-04T06:00:00Z&start_before=2024-07-04T08:00:00Z';
    expect((await s.api('GET', path + later)).body.data.map((e: { start: string }) => e.start)).toEqual(['2024-07-04']);
  });

  it('deletes a calendar with its events', async () => {
    const c = await s.api('POST', '/api/v1/calendars', { title: 'Temp' });
    const e = await s.api('POST', `/api/v1/calendars/${c.body.id}/events`, { title: 'x', start: '2024-01-01T10:00:00Z' });
    expect(e.status).toBe(201);
    expect((await s.api('DELETE', `/api/v1/calendars/${c.body.id}`)).status).toBe(204);
    expect((await s.api('GET', `/api/v1/calendars/${c.body.id}`)).status).toBe(404);
    expect(await s.store.getObject(c.body.id, e.body.id)).toBeNull();
  });

  it('counts events in events_total', async () => {
    const c = await s.api('POST', '/api/v1/calendars', { title: 'Counted' });
    for (const title of ['a', 'b']) {
      await s.api('POST', `/api/v1/calendars/${c.body.id}/events`, { title, start: '2024-01-01T10:00:00Z' });
    }
    await s.api('POST', `/api/v1/calendars/${c.body.id}/todos`, { title: 'not an event' });
    expect((await s.api('GET', `/api/v1/calendars/${c.body.id}`)).body.events_total).toBe(2);
  });
});

describe('tokens API', () => {
  it('creates a token shown once, lists it without the secret, and revokes it', async () => {
    const created = await s.api('POST', '/api/v1/tokens', { name: 'script' });
    expect(created.status).toBe(201);
    const secret = created.body.token as string;
    const auth = { authorization: `Bearer ${secret}` };
    expect((await s.api('GET', '/api/v1/calendars', undefined, auth)).status).toBe(200);
    const list = await s.api('GET', '/api/v1/tokens');
    const listed = list.body.data.find((t: { id: string }) => t.id === created.body.id);
    expect(listed).toMatchObject({ name: 'script' });
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect((await s.api('DELETE', `/api/v1/tokens/${created.body.id}`)).status).toBe(204);
    const after = await s.api('GET', '/api/v1/calendars', undefined, auth);
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toBe('Bearer realm="Calcast"');
  });
});

describe('timezones API', () => {
  it('is public and lists current offsets', async () => {
    const r = await fetch(`${s.url}/api/v1/timezones`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { data: { label: string; offset: string }[] };
    const kolkata = body.data.find((z) => z.label === 'Asia/Kolkata');
    expect(kolkata).toEqual({ label: 'Asia/Kolkata', offset: '+05:30' });
  });
});
