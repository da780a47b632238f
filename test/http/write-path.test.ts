import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dav } from '../helpers/dav.js';
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server.js';

/**
 * Writes from the JSON API and from CalDAV meet on the same objects: neither may silently
 * overwrite the other (RFC 9110 §13.1.1 for If-Match, compare-and-set without it).
 */
let s: TestServer;
let calendarId: string;
let calPath: string;

beforeAll(async () => {
  s = await startServer();
  const created = await s.api('POST', '/api/v1/calendars', { title: 'Shared', timezone: 'Europe/Paris' });
  calendarId = created.body.id;
  calPath = new URL(created.body.caldav_url).pathname;
});
afterAll(() => s.stop());

const newEvent = async (title: string) =>
  (await s.api('POST', `/api/v1/calendars/${calendarId}/events`, { title, start: '2031-03-01T10:00', end: '2031-03-01T11:00' })).body;

/** What a CalDAV client does: GET the member, change its SUMMARY, PUT it back with If-Match. */
async function davRename(id: string, summary: string): Promise<void> {
  const got = await dav(s, 'GET', `${calPath}${id}.ics`);
  const text = got.text.replace(/^SUMMARY:.*$/m, `SUMMARY:${summary}`);
  const put = await dav(s, 'PUT', `${calPath}${id}.ics`, { body: text, headers: { 'if-match': got.headers.get('etag')! } });
  expect(put.status).toBe(204);
}

/**
 * A PATCH whose body arrives in two parts, with `between` run after the server has read the
 * entry and before the body is complete: the window in which a lost update happens.
 */
function slowPatch(path: string, body: object, headers: Record<string, string>, between: () => Promise<void>) {
  return new Promise<{ status: number; body: { error?: { code: string } } }>((resolve, reject) => {
    const json = JSON.stringify(body);
    const req = request(s.url + path, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(json), ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.write(json.slice(0, 5));
    // The server reads the entry as soon as the headers arrive; give it ample time to.
    setTimeout(() => void between().then(() => req.end(json.slice(5)), reject), 300);
  });
}

describe('API writes against concurrent CalDAV writes', () => {
  it('gives every entry its ETag, in the JSON and the header, equal to the CalDAV one', async () => {
    const event = await newEvent('Tagged');
    expect(event.etag).toMatch(/^"[^"]+"$/);
    const got = await s.api('GET', `/api/v1/calendars/${calendarId}/events/${event.id}`);
    expect([got.body.etag, got.headers.get('etag')]).toEqual([event.etag, event.etag]);
    expect((await dav(s, 'GET', `${calPath}${event.id}.ics`)).headers.get('etag')).toBe(event.etag);
  });

  it('refuses a PATCH that raced a CalDAV PUT with 409 CONFLICT, and keeps the CalDAV change', async () => {
    const event = await newEvent('Original');
    const path = `/api/v1/calendars/${calendarId}/events/${event.id}`;
    const res = await slowPatch(path, { location: 'Room 2' }, {}, () => davRename(event.id, 'Renamed over CalDAV'));
    expect([res.status, res.body.error?.code]).toEqual([409, 'CONFLICT']);
    const now = (await s.api('GET', path)).body;
    expect([now.title, now.location]).toEqual(['Renamed over CalDAV', null]);
  });

  it('answers 412 when the PATCH carried If-Match and the entry changed meanwhile', async () => {
    const event = await newEvent('Original');
    const path = `/api/v1/calendars/${calendarId}/events/${event.id}`;
    const res = await slowPatch(path, { location: 'Room 2' }, { 'if-match': event.etag }, () => davRename(event.id, 'Renamed'));
    expect([res.status, res.body.error?.code]).toEqual([412, 'PRECONDITION_FAILED']);
    expect((await s.api('GET', path)).body.title).toBe('Renamed');
  });

  it('honours If-Match on PATCH and DELETE, compared strongly', async () => {
    const event = await newEvent('Guarded');
    const path = `/api/v1/calendars/${calendarId}/events/${event.id}`;
    const weak = await s.api('PATCH', path, { title: 'x' }, { 'if-match': `W/${event.etag}` });
    expect([weak.status, weak.body.error.code]).toEqual([412, 'PRECONDITION_FAILED']);
    const patched = await s.api('PATCH', path, { title: 'Guarded 2' }, { 'if-match': event.etag });
    expect(patched.status).toBe(200);
    expect(patched.body.etag).not.toBe(event.etag);
    expect((await s.api('DELETE', path, undefined, { 'if-match': event.etag })).status).toBe(412);
    expect((await s.api('GET', path)).body.title).toBe('Guarded 2');
    expect((await s.api('DELETE', path, undefined, { 'if-match': patched.body.etag })).status).toBe(204);
    expect((await s.api('GET', path)).status).toBe(404);
  });

  it('compares a CalDAV If-Match strongly: a weak tag never matches (RFC 9110 §13.1.1)', async () => {
    const event = await newEvent('Strong');
    const member = `${calPath}${event.id}.ics`;
    const text = (await dav(s, 'GET', member)).text.replace(/^SUMMARY:.*$/m, 'SUMMARY:Weakly');
    expect((await dav(s, 'PUT', member, { body: text, headers: { 'if-match': `W/${event.etag}` } })).status).toBe(412);
    expect((await dav(s, 'DELETE', member, { headers: { 'if-match': `W/${event.etag}` } })).status).toBe(412);
    expect((await s.api('GET', `/api/v1/calendars/${calendarId}/events/${event.id}`)).body.title).toBe('Strong');
    expect((await dav(s, 'PUT', member, { body: text, headers: { 'if-match': event.etag } })).status).toBe(204);
  });
});

describe('conditional GET over CalDAV', () => {
  it('answers a collection GET with 304 while nothing changed, and 200 after a write', async () => {
    const first = await dav(s, 'GET', calPath);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect((await dav(s, 'GET', calPath, { headers: { 'if-none-match': etag } })).status).toBe(304);
    // GET compares weakly (RFC 9110 §13.1.2): a W/ copy of the tag is the same version.
    expect((await dav(s, 'GET', calPath, { headers: { 'if-none-match': `W/${etag}` } })).status).toBe(304);
    await newEvent('Changes the collection');
    const after = await dav(s, 'GET', calPath, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.text).toContain('SUMMARY:Changes the collection');
  });

  it('answers a member GET with 304 for its ETag, weak or not', async () => {
    const event = await newEvent('Member');
    const member = `${calPath}${event.id}.ics`;
    expect((await dav(s, 'GET', member, { headers: { 'if-none-match': event.etag } })).status).toBe(304);
    expect((await dav(s, 'GET', member, { headers: { 'if-none-match': `W/${event.etag}` } })).status).toBe(304);
    expect((await dav(s, 'GET', member, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
  });
});
