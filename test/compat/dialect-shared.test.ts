import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invalid } from '../../src/errors.js';
import { ok } from '../../src/compat/common/envelope.js';
import { pageOf, pagingUrls, readPage, rowsThrough } from '../../src/compat/common/paging.js';
import { parseParams } from '../../src/compat/common/params.js';
import { dialectRoutes } from '../../src/compat/common/routes.js';
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server.js';

// The foundation both dialects (AddEvent, CalendarX) stand on, mounted as a small dialect of
// its own over a real store: token placement, GET/POST parameters, the envelope, paging URLs.

let s: TestServer;
let server: Server;
let base = '';
const PREFIX = '/compat/sample/api/v1';
const LETTERS = 'abcdefghij'.split('');
const schema = z.object({ calendar_id: z.string().trim().min(1, 'must not be empty'), n: z.coerce.number().int().optional() });

beforeAll(async () => {
  s = await startServer();
  const app = new Koa();
  app.use(dialectRoutes(PREFIX, s, {
    'me/echo': { handle: async ({ params, auth }) => ok({ user: auth!.user.username, params }) },
    'me/typed': { handle: async ({ params }) => ok({ typed: parseParams(schema, params) }) },
    'me/letters': {
      handle: async ({ ctx, params }) => {
        const page = readPage(params);
        const { rows, more } = pageOf(LETTERS.slice(0, rowsThrough(page, 4)), page, 4);
        return ok({ letters: rows, paging: pagingUrls('http://calcast.test', ctx.path, params, page, more) });
      },
    },
    'me/refuse': { handle: async () => { throw invalid('color', 'color must be 1-20'); } },
    'me/crash': { handle: async () => { throw new Error('secret stack detail'); } },
    timezones: { public: true, handle: async () => ({ meta: { code: 200 }, data: [] }) },
  }));
  server = await new Promise((resolve) => { const srv = app.listen(0, '127.0.0.1', () => resolve(srv)); });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${PREFIX}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await s?.stop();
});

async function call(path: string, init: RequestInit = {}) {
  const r = await fetch(`${base}/${path}`, init);
  const text = await r.text();
  return { status: r.status, text, body: JSON.parse(text), headers: r.headers };
}

describe('token', () => {
  it('is read from the query string, a form body, a JSON body or a Bearer header', async () => {
    const viaQuery = await call(`me/echo/?token=${ADMIN_TOKEN}`);
    expect(viaQuery.status).toBe(200);
    expect(viaQuery.body).toMatchObject({ meta: { code: '200' }, user: 'admin' });
    const viaForm = await call('me/echo/', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${ADMIN_TOKEN}` });
    expect(viaForm.body.user).toBe('admin');
    const viaJson = await call('me/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: ADMIN_TOKEN }) });
    expect(viaJson.body.user).toBe('admin');
    const viaHeader = await call('me/echo', { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(viaHeader.body.user).toBe('admin');
  });

  it('missing or wrong is a 401 in the envelope, naming the token', async () => {
    for (const path of ['me/echo/', 'me/echo/?token=', 'me/echo/?token=cc_not-a-real-token']) {
      const r = await call(path);
      expect(r.status).toBe(401);
      expect(r.body.meta).toMatchObject({ code: '401', error_type: 'UNAUTHORIZED', field: 'token' });
      expect(r.body.meta.error_message).toMatch(/token/);
    }
  });

  it('is not asked for on a public endpoint', async () => {
    const r = await call('timezones');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ meta: { code: 200 }, data: [] });
  });
});

describe('parameters', () => {
  it('come from the query string, with the body over it; JSON values become text', async () => {
    const r = await call(`me/echo/?token=${ADMIN_TOKEN}&title=query&kept=yes`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'body', n: 5, on: true, none: null, custom_data: { tag: 'a/b' } }),
    });
    expect(r.body.params).toMatchObject({ title: 'body', kept: 'yes', n: '5', on: 'true', none: '', custom_data: '{"tag":"a/b"}' });
  });

  it('keep the last of a repeated name, as PHP does', async () => {
    const r = await call(`me/echo/?token=${ADMIN_TOKEN}&x=1&x=2`);
    expect(r.body.params.x).toBe('2');
  });

  it('are typed by a schema; a missing or empty one is a 400 naming it', async () => {
    const typed = await call(`me/typed?token=${ADMIN_TOKEN}&calendar_id=abc&n=7&extra=dropped`);
    expect(typed.body.typed).toEqual({ calendar_id: 'abc', n: 7 });
    const missing = await call(`me/typed?token=${ADMIN_TOKEN}`);
    expect(missing.status).toBe(400);
    expect(missing.body.meta).toEqual({ code: '400', error_type: 'VALIDATION_FAILED', error_message: 'calendar_id is required', field: 'calendar_id' });
    const empty = await call(`me/typed?token=${ADMIN_TOKEN}&calendar_id=`);
    expect(empty.body.meta).toMatchObject({ code: '400', field: 'calendar_id' });
  });

  it('refuse a body that is neither a form nor JSON (415) and malformed JSON (400)', async () => {
    const xml = await call(`me/echo?token=${ADMIN_TOKEN}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<a/>' });
    expect(xml.status).toBe(415);
    expect(xml.body.meta.code).toBe('415');
    const bad = await call(`me/echo?token=${ADMIN_TOKEN}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    expect(bad.status).toBe(400);
    expect(bad.body.meta.field).toBe('body');
  });
});

describe('envelope', () => {
  it('escapes slashes as PHP does, and the status matches meta.code', async () => {
    const r = await call(`me/echo?token=${ADMIN_TOKEN}&u=${encodeURIComponent('a/b')}`);
    expect(r.text).toContain('"u":"a\\/b"');
    expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const refused = await call(`me/refuse?token=${ADMIN_TOKEN}`);
    expect(refused.status).toBe(400);
    expect(refused.body.meta).toEqual({ code: '400', error_type: 'VALIDATION_FAILED', error_message: 'color must be 1-20', field: 'color' });
  });

  it('answers an unknown endpoint 404, another method 405, and hides unexpected errors', async () => {
    const unknown = await call(`me/nothing?token=${ADMIN_TOKEN}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.meta.code).toBe('404');
    const put = await call(`me/echo?token=${ADMIN_TOKEN}`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
    const crash = await call(`me/crash?token=${ADMIN_TOKEN}`);
    expect(crash.status).toBe(500);
    expect(crash.text).not.toContain('secret stack detail');
    expect(crash.body.meta).toMatchObject({ code: '500', error_type: 'INTERNAL' });
  });
});

describe('paging', () => {
  it('gives full URLs of the same call for the pages around this one', async () => {
    const first = await call(`me/letters/?token=${ADMIN_TOKEN}&q=x`);
    expect(first.body.letters).toEqual(['a', 'b', 'c', 'd']);
    expect(first.body.paging).toEqual({ previous: '', next: `http://calcast.test${PREFIX}/me/letters/?token=${ADMIN_TOKEN}&q=x&page=2` });
    const last = await call(`me/letters/?token=${ADMIN_TOKEN}&page=3&q=x`);
    expect(last.body.letters).toEqual(['i', 'j']);
    expect(last.body.paging).toEqual({ previous: `http://calcast.test${PREFIX}/me/letters/?token=${ADMIN_TOKEN}&q=x&page=2`, next: '' });
    // Following next walks every row once.
    const seen: string[] = [];
    let url = `${base}/me/letters/?token=${ADMIN_TOKEN}`;
    while (url) {
      const body = (await (await fetch(url)).json()) as { letters: string[]; paging: { next: string } };
      seen.push(...body.letters);
      url = body.paging.next.replace('http://calcast.test', base.slice(0, -PREFIX.length));
    }
    expect(seen).toEqual(LETTERS);
  });

  it('refuses a page that is not a whole number from 1', async () => {
    for (const page of ['0', '-1', 'two', '1.5', '1001']) {
      const r = await call(`me/letters?token=${ADMIN_TOKEN}&page=${page}`);
      expect(r.status).toBe(400);
      expect(r.body.meta.field).toBe('page');
    }
  });
});

describe('palette', () => {
  it('maps colour numbers 1-20 to native colours and back; others are refused', async () => {
    const { PALETTE, paletteColor, paletteNumber } = await import('../../src/compat/common/palette.js');
    expect(new Set(PALETTE).size).toBe(20);
    for (let n = 1; n <= 20; n++) expect(paletteNumber(paletteColor('color', String(n)))).toBe(String(n));
    expect(paletteColor('color', '')).toBeNull();
    expect(paletteNumber('#123456')).toBe('');
    expect(paletteNumber(null)).toBe('');
    for (const bad of ['0', '21', 'red', '2.5']) expect(() => paletteColor('color_id', bad)).toThrow(/color_id must be a colour number from 1 to 20/);
  });
});
