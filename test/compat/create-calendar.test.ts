import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server.js';

// create-calendar's API as its users' scripts call it: the documented curl example with only
// the endpoint and the key changed, then every way a request can be wrong.

const PYTHON_READER = fileURLToPath(new URL('../helpers/python-icalendar.py', import.meta.url));

// The request example of the product's documentation, as it stands.
const EXAMPLE = {
  action: 'createcalendar',
  'event-title': 'Dunder Mifflin Christmas Party',
  'event-description': 'Ugly sweaters encouraged! Also bring a gift for Yankee Swap!',
  'event-location': 'Fake Address',
  'event-start-datetime': '2021-12-17T11:30:00Z',
  'event-end-datetime': '2021-12-17T13:30:00Z',
  'event-timezone': 'America/New_York',
  'all-day-event': false,
};

let s: TestServer;
let saving: TestServer;

const post = (server: TestServer, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/compat/createcalendar`, {
    method: 'POST',
    headers: { 'x-api-key': ADMIN_TOKEN, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

function vevent(text: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!;
}

beforeAll(async () => {
  s = await startServer();
  saving = await startServer({ env: { CALCAST_CREATECALENDAR_SAVE: 'on' } });
});
afterAll(async () => {
  await s?.stop();
  await saving?.stop();
});

describe('create-calendar: the documented example', () => {
  it('answers an inline text/calendar that ical.js and python-icalendar read', async () => {
    const r = await post(s, EXAMPLE);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe('inline; filename=calendar.ics');
    const text = await r.text();
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\nVERSION:2\.0\r\nPRODID:/);
    // vCalendar 1.0's ENCODING=QUOTED-PRINTABLE is not RFC 5545; the product's sample has it.
    expect(text).not.toMatch(/ENCODING|CHARSET=/);
    const e = vevent(text);
    expect(e.getFirstPropertyValue('summary')).toBe('Dunder Mifflin Christmas Party');
    expect(e.getFirstPropertyValue('location')).toBe('Fake Address');
    expect(e.getFirstPropertyValue('description')).toBe('Ugly sweaters encouraged! Also bring a gift for Yankee Swap!');
    expect(e.getFirstPropertyValue('uid')).toBeTruthy();
    expect(e.getFirstPropertyValue('dtstamp')).toBeTruthy();
    // The rule: the "Z" is ignored and the time read in event-timezone, then given in UTC.
    expect(text).toContain('DTSTART:20211217T163000Z\r\n');
    expect(text).toContain('DTEND:20211217T183000Z\r\n');
    const read = JSON.parse(execFileSync('/usr/bin/python3', [PYTHON_READER], { input: text }).toString());
    expect(read).toMatchObject({ version: '2.0', events: 1, summaries: ['Dunder Mifflin Christmas Party'], starts: ['2021-12-17T16:30:00+00:00'] });
  });

  it('takes the action in any case and the offset form of a time, equally ignored', async () => {
    const r = await post(s, { ...EXAMPLE, action: 'CreateCalendar', 'event-start-datetime': '2021-12-17T11:30:00+05:00' });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('DTSTART:20211217T163000Z\r\n');
  });

  it('makes an all-day event run from 00:00 UTC of its start date to 23:59 UTC of its end date', async () => {
    const r = await post(s, { ...EXAMPLE, 'all-day-event': true, 'event-end-datetime': '2021-12-18T09:00:00' });
    const text = await r.text();
    expect(text).toContain('DTSTART:20211217T000000Z\r\n');
    expect(text).toContain('DTEND:20211218T235900Z\r\n');
  });

  it('stores nothing by default: the product only generates the file', async () => {
    const calendars = await s.api('GET', '/api/v1/calendars');
    for (const c of calendars.body.data) {
      const events = await s.api('GET', `/api/v1/calendars/${c.id}/events`);
      expect(events.body.data).toEqual([]);
    }
  });

  it('with CALCAST_CREATECALENDAR_SAVE=on, also stores the event in the owner’s main calendar, same UID', async () => {
    let calendars = (await saving.api('GET', '/api/v1/calendars')).body.data;
    if (calendars.length === 0) {
      await saving.api('POST', '/api/v1/calendars', { title: 'Main', timezone: 'UTC' });
      calendars = (await saving.api('GET', '/api/v1/calendars')).body.data;
    }
    const text = await (await post(saving, EXAMPLE)).text();
    const uid = vevent(text).getFirstPropertyValue('uid');
    const events = (await saving.api('GET', `/api/v1/calendars/${calendars[0].id}/events`)).body.data;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ uid, title: 'Dunder Mifflin Christmas Party', start: '2021-12-17T11:30:00-05:00', timezone: 'America/New_York' });
  });
});

describe('create-calendar: failures keep the product’s envelope', () => {
  const cases: [string, unknown, number, string][] = [
    ['an empty title', { ...EXAMPLE, 'event-title': '  ' }, 400, 'E1703'],
    ['no title', { ...EXAMPLE, 'event-title': undefined }, 400, 'E1703'],
    ['no description', { ...EXAMPLE, 'event-description': undefined }, 400, 'E1704'],
    ['no location', { ...EXAMPLE, 'event-location': undefined }, 400, 'E1705'],
    ['no start', { ...EXAMPLE, 'event-start-datetime': undefined }, 400, 'E1706'],
    ['an impossible start', { ...EXAMPLE, 'event-start-datetime': '2021-02-30T10:00:00' }, 400, 'E1706'],
    ['no end', { ...EXAMPLE, 'event-end-datetime': undefined }, 400, 'E1707'],
    ['no time zone', { ...EXAMPLE, 'event-timezone': undefined }, 400, 'E1708'],
    ['an unknown time zone', { ...EXAMPLE, 'event-timezone': 'Nowhere/Land' }, 400, 'E1708'],
    ['an end before the start', { ...EXAMPLE, 'event-end-datetime': '2021-12-17T09:00:00' }, 400, 'E1709'],
    ['a non-boolean all-day-event', { ...EXAMPLE, 'all-day-event': 'yes' }, 400, 'E1710'],
    ['another action', { ...EXAMPLE, action: 'deletecalendar' }, 400, 'E1701'],
    ['a title past the native limit', { ...EXAMPLE, 'event-title': 'x'.repeat(5000) }, 400, 'E1703'],
    ['malformed JSON', '{"action": ', 400, 'E1700'],
    ['a JSON array', [EXAMPLE], 400, 'E1700'],
  ];
  it.each(cases)('refuses %s', async (_, body, status, code) => {
    const r = await post(s, body);
    expect(r.status).toBe(status);
    const reply = await r.json();
    expect(reply).toEqual({ status: 'failure', 'error-code': code, 'error-info': expect.any(String) });
  });

  it('names E1703 with the product’s own message', async () => {
    const reply = (await (await post(s, { ...EXAMPLE, "event-title": "" })).json()) as Record<string, string>;
    expect(reply['error-info']).toBe('Title cannot be empty for iCalendar.');
  });

  it('refuses a missing or wrong key with 401, a form body with 415 and GET with 405', async () => {
    for (const headers of [{ 'x-api-key': '' }, { 'x-api-key': 'cc_not-a-real-token-000000000000' }]) {
      const r = await post(s, EXAMPLE, headers);
      expect(r.status).toBe(401);
      expect(((await r.json()) as Record<string, string>)['error-code']).toBe('E1702');
    }
    const form = await post(s, 'action=createcalendar', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(((await form.json()) as Record<string, string>)['error-code']).toBe('E1711');
    const get = await fetch(`${s.url}/compat/createcalendar`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});
