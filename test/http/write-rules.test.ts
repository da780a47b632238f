import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, davErrorOf, dav } from '../helpers/dav.js';
import { runOk } from '../helpers/run.js';
import { startServer, type TestServer } from '../helpers/server.js';

/**
 * What any client sends is checked once, at the write, so a subscriber's feed and a CalDAV GET
 * are always iCalendar the apps can read. Each refusal changes nothing.
 */
const PYTHON_READER = fileURLToPath(new URL('../helpers/python-icalendar.py', import.meta.url));
let s: TestServer;
let calendarId: string;
let calPath: string;
let feedPath: string;

const CRLF = '\r\n';
const VALID_DATA = '{urn:ietf:params:xml:ns:caldav}valid-calendar-data';
const object = (uid: string, lines: string[], head = ['VERSION:2.0', 'PRODID:-//t//EN'], extra: string[] = []) =>
  ['BEGIN:VCALENDAR', ...head, ...extra, 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20240101T000000Z', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join(CRLF);

beforeAll(async () => {
  s = await startServer();
  const created = await s.api('POST', '/api/v1/calendars', { title: 'Rules', timezone: 'Europe/Paris' });
  calendarId = created.body.id;
  calPath = new URL(created.body.caldav_url).pathname;
  feedPath = new URL(created.body.feed_url).pathname;
});
afterAll(() => s.stop());

const put = (name: string, body: string) => dav(s, 'PUT', `${calPath}${name}`, { body });
const feed = async () => (await fetch(s.url + feedPath)).text();
const count = async () => (await s.api('GET', `/api/v1/calendars/${calendarId}`)).body.events_total as number;

describe('CalDAV PUT and import refuse what would break a feed', () => {
  it('refuses raw control bytes, naming the character and the property', async () => {
    const before = await count();
    for (const c of ['\x01', '\x07', '\x1b']) {
      const r = await put('ctl.ics', object('ctl', ['DTSTART:20310101T100000Z', `SUMMARY:bell${c}here`]));
      expect(r.status).toBe(403);
      expect(davErrorOf(r.text).condition).toBe(VALID_DATA);
      expect(r.text).toContain(`U+00${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')} in SUMMARY`);
    }
    const imported = await s.api('POST', `/api/v1/calendars/${calendarId}/import`, object('ctl', ['DTSTART:20310101T100000Z', 'SUMMARY:a\x07b']),
      { 'content-type': 'text/calendar' });
    expect([imported.status, imported.body.error.field]).toEqual([400, 'body']);
    expect(await count()).toBe(before);
    expect(await feed()).not.toMatch(/[\x01\x07\x1b]/);
  });

  it('refuses a TZID with no VTIMEZONE and no known name, and keeps aliases and a zone the client sent', async () => {
    const unknown = await put('tz1.ics', object('tz1', ['DTSTART;TZID=Nowhere/Land:20310101T100000', 'SUMMARY:nowhere']));
    expect([unknown.status, davErrorOf(unknown.text).condition]).toEqual([403, VALID_DATA]);
    expect(unknown.text).toContain('Nowhere/Land');
    const windows = await put('tz2.ics', object('tz2', ['DTSTART;TZID=W. Europe Standard Time:20310101T100000', 'SUMMARY:windows']));
    expect(windows.status).toBe(201);
    const own = ['BEGIN:VTIMEZONE', 'TZID:Nowhere/Land', 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+0300',
      'TZOFFSETTO:+0300', 'END:STANDARD', 'END:VTIMEZONE'];
    const custom = await put('tz3.ics', object('tz3', ['DTSTART;TZID=Nowhere/Land:20310101T100000', 'SUMMARY:custom'], undefined, own));
    expect(custom.status).toBe(201);
    const text = await feed();
    expect(text).toContain('DTSTART;TZID=Europe/Berlin:20310101T100000');
    expect(text).toContain('TZID:Nowhere/Land');
    expect(text).not.toContain('SUMMARY:nowhere');
    const read = JSON.parse((await runOk('/usr/bin/python3', [PYTHON_READER], { input: text })).stdout);
    expect(read.timezones).toEqual(expect.arrayContaining(['Europe/Berlin', 'Nowhere/Land']));
    expect(read.starts).toEqual(expect.arrayContaining(['2031-01-01T10:00:00+01:00', '2031-01-01T10:00:00+03:00']));
  });

  it('adds a missing VERSION, and then sends no ETag for the text it changed (RFC 4791 §5.3.4)', async () => {
    const r = await put('nov.ics', object('nov', ['DTSTART:20310102T100000Z', 'SUMMARY:no version'], []));
    expect([r.status, r.headers.get('etag')]).toEqual([201, null]);
    const got = await dav(s, 'GET', `${calPath}nov.ics`);
    expect(got.text).toMatch(/^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\nPRODID:/);
    const read = JSON.parse((await runOk('/usr/bin/python3', [PYTHON_READER], { input: got.text })).stdout);
    expect([read.version, read.summaries]).toEqual(['2.0', ['no version']]);
    // Sent as stored, the next PUT is octet-identical and gets its ETag again.
    const again = await dav(s, 'PUT', `${calPath}nov.ics`, { body: got.text, headers: { 'if-match': got.headers.get('etag')! } });
    expect([again.status, again.headers.get('etag')]).toEqual([204, got.headers.get('etag')]);
  });

  it('refuses year 0000 over CalDAV and the JSON API, naming the field', async () => {
    const r = await put('y0.ics', object('y0', ['DTSTART;VALUE=DATE:00000101', 'SUMMARY:year zero']));
    expect([r.status, davErrorOf(r.text).condition]).toEqual([403, VALID_DATA]);
    expect(r.text).toContain('DTSTART has year 0');
    const api = await s.api('POST', `/api/v1/calendars/${calendarId}/events`, { title: 'zero', start: '0000-01-01' });
    expect([api.status, api.body.error.code, api.body.error.field]).toEqual([400, 'VALIDATION_FAILED', 'start']);
    expect(api.body.error.message).toContain('0001 to 9999');
  });
});

/** A request with the path exactly as written: fetch would resolve %2e%2e away before sending. */
function raw(method: string, path: string, body = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(s.url + '/', { method, path, headers: { authorization: basic(), 'content-type': 'text/calendar' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('names are one path segment, however encoded', () => {
  it('refuses ., .., /, \\, NUL and control characters in calendar and member names', async () => {
    for (const name of ['%2e%2e', '%2E', '..%2f', 'a%5cb', 'a%00b', 'a%0ab']) {
      expect([name, await raw('MKCALENDAR', `/dav/calendars/admin/${name}/`)]).toEqual([name, 400]);
    }
    for (const name of ['a%2Fb.ics', 'a%5Cb.ics', '%00.ics', '%2e%2e', 'x%07.ics']) {
      const status = await raw('PUT', `${calPath}${name}`, object(`n-${name}`, ['DTSTART:20310101T100000Z', 'SUMMARY:n']));
      expect([name, status]).toEqual([name, 400]);
    }
    const home = await dav(s, 'PROPFIND', '/dav/calendars/admin/', { depth: '1', body: '<propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>' });
    expect(home.text).not.toMatch(/\/dav\/calendars\/admin\/(\.\.|%2e%2e)\//i);
  });
});
