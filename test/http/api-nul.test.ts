import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dav } from '../helpers/dav.js';
import { startServer, type TestServer } from '../helpers/server.js';

// U+0000: SQLite stores it, PostgreSQL's text refuses it. Both stores answer alike: a write
// carrying it is a 400, a name carrying it names nothing (404), a search for it finds nothing.
let s: TestServer;
let cal: { id: string };
beforeAll(async () => {
  s = await startServer();
  cal = (await s.api('POST', '/api/v1/calendars', { title: 'Nul' })).body;
});
afterAll(() => s.stop());

describe('U+0000 in input', () => {
  it('refuses it in any JSON string with 400, and stores nothing', async () => {
    const writes = [
      ['POST', '/api/v1/calendars', { title: 'a\u0000b' }],
      ['POST', `/api/v1/calendars/${cal.id}/events`, { title: 'a\u0000b', start: '2030-05-04 10:00' }],
      ['POST', `/api/v1/calendars/${cal.id}/events`, { title: 'ok', start: '2030-05-04 10:00', custom_data: { 'k\u0000': 'v' } }],
      ['PATCH', `/api/v1/calendars/${cal.id}`, { description: '\u0000' }],
      ['POST', `/api/v1/calendars/${cal.id}/subscribers`, { name: 'a\u0000b' }],
    ] as const;
    for (const [method, path, body] of writes) {
      const r = await s.api(method, path, body, method === 'PATCH' ? { 'content-type': 'application/merge-patch+json' } : {});
      expect([path, r.status, r.body?.error?.code]).toEqual([path, 400, 'VALIDATION_FAILED']);
    }
    expect((await s.api('GET', '/api/v1/calendars')).body.data.map((c: { title: string }) => c.title)).not.toContain('a\u0000b');
    expect((await s.api('GET', `/api/v1/calendars/${cal.id}/events`)).body.data).toEqual([]);
    // An escaped backslash before "u0000" is text, not U+0000.
    const literal = await s.api('POST', `/api/v1/calendars/${cal.id}/events`, '{"title":"C:\\\\u0000","start":"2030-05-04 10:00"}', { 'content-type': 'application/json' });
    expect([literal.status, literal.body.title]).toEqual([201, 'C:\\u0000']);
  });

  it('finds nothing by a name or a search that holds it', async () => {
    expect((await s.api('GET', '/api/v1/calendars/a%00b')).status).toBe(404);
    expect((await s.api('GET', `/api/v1/calendars/${cal.id}/events/a%00b`)).status).toBe(404);
    expect((await s.api('GET', `/api/v1/calendars/${cal.id}/events?q=a%00b`)).body.data).toEqual([]);
    expect((await dav(s, 'GET', `/dav/calendars/admin/${cal.id}/a%00b.ics`)).status).toBe(404);
    expect((await dav(s, 'PROPFIND', '/dav/calendars/admin/a%00b/', { depth: '0' })).status).toBe(404);
  });
});
