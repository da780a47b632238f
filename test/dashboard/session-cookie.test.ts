import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startServer, type TestServer } from '../helpers/server.js';
import { postSignIn } from './sign-in.js';

// The session cookie's attributes as a browser receives them, behind an https base URL under a
// path prefix (a reverse proxy that ends TLS and strips /cal before Calcast sees the request).

let s: TestServer;
beforeAll(async () => {
  s = await startServer({ env: { CALCAST_BASE_URL: 'https://calcast.test/cal' } });
});
afterAll(() => s.stop());

const login = (password: string) => postSignIn(s.url, 'admin', password);

describe('dashboard session cookie', () => {
  it('is HttpOnly, SameSite=Lax, Secure and limited to the dashboard path behind https', async () => {
    const r = await login(ADMIN_PASSWORD);
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/cal/dashboard');
    // The sign-in form's own cookie is cleared, the session's set.
    const [spent, cookie] = r.headers.getSetCookie();
    expect(spent).toBe('calcast_login=; Path=/cal/dashboard/login; Max-Age=0; HttpOnly; SameSite=Lax; Secure');
    expect(cookie).toMatch(/^calcast_session=[\w-]{43}; /);
    expect(cookie!.split('; ').slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=604800', 'Path=/cal/dashboard', 'SameSite=Lax', 'Secure'].sort());
    const page = await fetch(`${s.url}/dashboard`, { headers: { cookie: cookie!.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('href="/cal/dashboard/assets/dashboard.');
  });

  it('sets no cookie for a wrong password, and an unknown cookie opens nothing', async () => {
    const r = await login('wrong');
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).toBeNull();
    expect(await r.text()).toContain('do not match');
    const page = await fetch(`${s.url}/dashboard`, { redirect: 'manual', headers: { cookie: 'calcast_session=forged' } });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/cal/dashboard/login');
    const post = await fetch(`${s.url}/dashboard/calendars`, {
      method: 'POST', redirect: 'manual', body: 'title=x&csrf=y',
      headers: { cookie: 'calcast_session=forged', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(post.status).toBe(403);
  });

  it('refuses a sign-in post that did not come from its form (login CSRF) with 403', async () => {
    for (const headers of [{}, { cookie: 'calcast_login=abc' }] as Record<string, string>[]) {
      const r = await fetch(`${s.url}/dashboard/login`, {
        method: 'POST', redirect: 'manual', body: `username=admin&password=${ADMIN_PASSWORD}&csrf=abc`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });
      expect(r.status).toBe(403);
      expect(r.headers.get('set-cookie')).toBeNull();
    }
  });

  it("a new password ends the user's other sessions and keeps this one", async () => {
    const session = async (password: string) => (await postSignIn(s.url, 'admin', password)).headers.getSetCookie()[1]!.split(';')[0]!;
    const [here, elsewhere] = [await session(ADMIN_PASSWORD), await session(ADMIN_PASSWORD)];
    const form = await fetch(`${s.url}/dashboard/password`, { headers: { cookie: here } });
    const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const change = (current: string) => fetch(`${s.url}/dashboard/password`, {
      method: 'POST', headers: { cookie: here, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf, current, new: 'a-new-password-456' }).toString(),
    });
    expect((await change('not-it')).status).toBe(400);
    const opens = async (cookie: string) => (await fetch(`${s.url}/dashboard`, { redirect: 'manual', headers: { cookie } })).status;
    expect(await opens(elsewhere)).toBe(200);
    const changed = await change(ADMIN_PASSWORD);
    expect(changed.status).toBe(200);
    expect(await changed.text()).toContain('Password changed');
    expect(await opens(elsewhere)).toBe(303);
    expect(await opens(here)).toBe(200);
    expect((await postSignIn(s.url, 'admin', 'a-new-password-456')).status).toBe(303);
  });
});
