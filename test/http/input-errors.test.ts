import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server.js';
import { dav, davErrorOf } from '../helpers/dav.js';

// Bad input gets a 4xx that names the field and the real problem, never a 500, and changes
// nothing: what a script author or a CalDAV client would need to fix their request.

const CRLF = '\r\n';
const VALID_DATA = '{urn:ietf:params:xml:ns:caldav}valid-calendar-data';
let s: TestServer;
let calendarId: string;
let calPath: string;
let eventId: string;

const object = (uid: string, lines: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', 'BEGIN:VEVENT', `UID:${uid}`,
  'DTSTAMP:20240101T000000Z', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join(CRLF);
const raw = (method: string, path: string, body: string | Buffer, headers: Record<string, string>) =>
  fetch(s.url + path, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers }, body });
const count = async () => (await s.api('GET', `/api/v1/calendars/${calendarId}`)).body.events_total as number;

beforeAll(async () => {
  s = await startServer();
  const created = await s.api('POST', '/api/v1/calendars', { title: 'Input', timezone: 'UTC' });
  calendarId = created.body.id;
  calPath = new URL(created.body.caldav_url).pathname;
  eventId = (await s.api('POST', `/api/v1/calendars/${calendarId}/events`, { title: 'kept', start: '2031-01-01T10:00' })).body.id;
});
afterAll(() => s.stop());

describe('the JSON API', () => {
  it('refuses JSON nested 100,000 deep with a 400 before parsing it', async () => {
    for (const body of ['['.repeat(100_000) + ']'.repeat(100_000), '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)]) {
      const r = await raw('POST', `/api/v1/calendars/${calendarId}/events`, body, { 'content-type': 'application/json' });
      expect(r.status).toBe(400);
      expect(await r.json()).toEqual({ error: { code: 'VALIDATION_FAILED', message: 'the JSON is nested deeper than 64 levels', field: 'body' } });
    }
    // Brackets inside strings are text, not nesting.
    const deepText = await s.api('POST', `/api/v1/calendars/${calendarId}/events`, { title: '['.repeat(300), start: '2031-01-02' });
    expect(deepText.status).toBe(201);
    await s.api('DELETE', `/api/v1/calendars/${calendarId}/events/${deepText.body.id}`);
  });

  it('answers a compressed body with 415 and says to send it uncompressed', async () => {
    const r = await raw('POST', `/api/v1/calendars/${calendarId}/events`, gzipSync('{"title":"a","start":"2031-01-01"}'),
      { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(r.status).toBe(415);
    expect(r.headers.get('accept-encoding')).toBe('identity');
    expect(((await r.json()) as { error: unknown }).error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', field: 'Content-Encoding' });
  });

  it('says a value has the wrong type, and only a missing one is "required"', async () => {
    const cases: [unknown, string, string][] = [
      [{ title: 5, start: '2031-01-01' }, 'title', 'title must be a string, not a number'],
      [{ title: null, start: '2031-01-01' }, 'title', 'title must be a string, not null'],
      [{ start: '2031-01-01' }, 'title', 'title is required'],
      [{ title: 'a', start: '2031-01-01', reminders: 'soon' }, 'reminders', 'reminders must be an array, not a string'],
      [{ title: 'a', start: '2031-01-01', all_day: 'yes' }, 'all_day', 'all_day must be a boolean, not a string'],
    ];
    for (const [body, field, message] of cases) {
      const r = await s.api('POST', `/api/v1/calendars/${calendarId}/events`, body);
      expect([r.status, r.body.error]).toEqual([400, { code: 'VALIDATION_FAILED', field, message }]);
    }
  });

  it('names RFC 5545’s range for a rule part out of bounds', async () => {
    const cases: [string, string][] = [
      ['FREQ=MONTHLY;BYDAY=MO;BYSETPOS=400', 'rrule: BYSETPOS values must be between -366 and -1 or 1 and 366, got "400"'],
      ['FREQ=DAILY;BYHOUR=25', 'rrule: BYHOUR values must be between 0 and 23, got "25"'],
      ['FREQ=YEARLY;BYMONTH=13', 'rrule: BYMONTH values must be between 1 and 12, got "13"'],
      ['FREQ=DAILY;INTERVAL=0', 'rrule: INTERVAL must be a whole number of 1 or more, got "0"'],
      ['FREQ=DAILY;COUNT=3;UNTIL=20310101', 'rrule: a rule takes COUNT or UNTIL, not both'],
    ];
    for (const [rrule, message] of cases) {
      const r = await s.api('POST', `/api/v1/calendars/${calendarId}/events`, { title: 'r', start: '2031-01-01T10:00', rrule });
      expect([r.status, r.body.error]).toEqual([400, { code: 'VALIDATION_FAILED', field: 'rrule', message }]);
    }
  });

  it('refuses an empty merge patch with EMPTY_PATCH, on events, calendars and subscribers', async () => {
    const sub = await s.api('POST', `/api/v1/calendars/${calendarId}/subscribers`, { name: 'Ana' });
    for (const path of [`/calendars/${calendarId}/events/${eventId}`, `/calendars/${calendarId}`, `/calendars/${calendarId}/subscribers/${sub.body.id}`]) {
      const r = await s.api('PATCH', `/api/v1${path}`, {});
      expect([r.status, r.body.error.code, r.body.error.field]).toEqual([400, 'EMPTY_PATCH', 'body']);
    }
    expect((await s.api('GET', `/api/v1/calendars/${calendarId}/events/${eventId}`)).body.sequence).toBe(0);
  });
});

describe('CalDAV and import', () => {
  it('answers Depth: 7 with 400 naming the allowed values, and infinity with its own precondition', async () => {
    const seven = await dav(s, 'PROPFIND', calPath, { depth: '7' });
    expect(seven.status).toBe(400);
    expect(seven.text).toContain('Depth must be 0, 1 or infinity');
    const infinity = await dav(s, 'PROPFIND', calPath, { depth: 'infinity' });
    expect([infinity.status, davErrorOf(infinity.text).condition]).toEqual([403, '{DAV:}propfind-finite-depth']);
  });

  it('answers a gzip-encoded PUT with 415', async () => {
    const r = await fetch(`${s.url}${calPath}gz.ics`, {
      method: 'PUT', body: gzipSync(object('gz', ['DTSTART:20310101T100000Z'])),
      headers: { authorization: `Basic ${Buffer.from(`admin:${'test-password-123'}`).toString('base64')}`, 'content-type': 'text/calendar', 'content-encoding': 'gzip' },
    });
    expect(r.status).toBe(415);
  });

  const unreadable: [string, string[], string][] = [
    ['an impossible DTSTART', ['DTSTART:2025-13-45T99'], 'DTSTART value "2025-13-45T99" is not a valid DATE-TIME'],
    ['a garbage date', ['DTSTART;VALUE=DATE:garbage'], 'DTSTART value "garbage" is not a valid DATE'],
    ['a 30 February', ['DTSTART;VALUE=DATE:20310230'], 'DTSTART value "20310230" is not a valid DATE'],
    ['a bad DURATION', ['DTSTART:20310101T100000Z', 'DURATION:PXYZ'], 'DURATION value "PXYZ" is not a valid DURATION'],
    ['a word for PRIORITY', ['DTSTART:20310101T100000Z', 'PRIORITY:high'], 'PRIORITY value "high" is not a valid INTEGER'],
    ['PRIORITY 12', ['DTSTART:20310101T100000Z', 'PRIORITY:12'], 'PRIORITY must be between 0 and 9, got 12'],
    ['a bad GEO', ['DTSTART:20310101T100000Z', 'GEO:abc'], 'GEO must be latitude;longitude in degrees, got "abc"'],
    ['a bad EXDATE', ['DTSTART:20310101T100000Z', 'RRULE:FREQ=DAILY', 'EXDATE:notadate'], 'EXDATE value "notadate" is not a valid DATE-TIME'],
    ['a bad RDATE period', ['DTSTART:20310101T100000Z', 'RDATE;VALUE=PERIOD:20310101T100000Z/garbage'], 'RDATE value "20310101T100000Z/garbage" is not a valid PERIOD'],
    ['BYSETPOS 400', ['DTSTART:20310101T100000Z', 'RRULE:FREQ=MONTHLY;BYDAY=MO;BYSETPOS=400'], 'RRULE: BYSETPOS values must be between -366 and -1 or 1 and 366, got "400"'],
    ['INTERVAL=0', ['DTSTART:20310101T100000Z', 'RRULE:FREQ=DAILY;INTERVAL=0'], 'RRULE: INTERVAL must be a whole number of 1 or more, got "0"'],
  ];

  it.each(unreadable)('refuses %s on PUT (403 valid-calendar-data) and import (400), storing nothing', async (name, lines, message) => {
    const before = await count();
    const uid = `bad-${name.replace(/\W+/g, '-')}`;
    const put = await dav(s, 'PUT', `${calPath}${uid}.ics`, { body: object(uid, lines) });
    expect([put.status, davErrorOf(put.text).condition]).toEqual([403, VALID_DATA]);
    expect(put.text.replace(/&quot;|&#34;/g, '"')).toContain(message);
    const imported = await s.api('POST', `/api/v1/calendars/${calendarId}/import`, object(uid, lines), { 'content-type': 'text/calendar' });
    expect([imported.status, imported.body.error.field, imported.body.error.message]).toEqual([400, 'body', message]);
    expect(await count()).toBe(before);
  });

  it('still takes the valid forms of the same values', async () => {
    const ok = object('fine', ['DTSTART;VALUE=DATE:20310228', 'DURATION:P1DT2H', 'PRIORITY:9', 'GEO:48.85;-2.35', 'SEQUENCE:3',
      'RRULE:FREQ=MONTHLY;BYDAY=MO;BYSETPOS=-1;UNTIL=20311231', 'EXDATE;VALUE=DATE:20310331', 'RDATE;VALUE=PERIOD:20310101T100000Z/PT1H']);
    expect((await dav(s, 'PUT', `${calPath}fine.ics`, { body: ok })).status).toBe(201);
  });
});
