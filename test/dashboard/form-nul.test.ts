import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startServer, type TestServer } from '../helpers/server.js';
import { postSignIn } from './sign-in.js';

// U+0000 in a form field: SQLite would store it, PostgreSQL's text cannot (a 500 there); both
// answer the dashboard's 400 page naming the field, and write nothing.
let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.stop());

describe('dashboard forms with U+0000', () => {
  it('answers a 400 page naming the field and creates nothing', async () => {
    const cookie = (await postSignIn(s.url, 'admin', ADMIN_PASSWORD)).headers.getSetCookie().at(-1)!.split(';')[0]!;
    const home = await (await fetch(`${s.url}/dashboard`, { headers: { cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(home)![1]!;
    const before = (await s.api('GET', '/api/v1/calendars')).body.data.length;
    const r = await fetch(`${s.url}/dashboard/calendars`, {
      method: 'POST', redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ title: 'a\u0000b', timezone: 'UTC', csrf }).toString(),
    });
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('field: title');
    expect((await s.api('GET', '/api/v1/calendars')).body.data).toHaveLength(before);
  });
});
