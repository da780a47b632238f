import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server.js';

// What a script sees when a call is wrong: the envelope with a 4xx meta.code equal to the HTTP
// status, a message, and the parameter at fault; and nothing written.

let s: TestServer;
let calendarId = '';
const BASE = () => `${s.url}/compat/addevent/api/v1`;

async function get(path: string, params: Record<string, string>, token: string | null = ADMIN_TOKEN) {
  const q = new URLSearchParams({ ...(token === null ? {} : { token }), ...params });
  const r = await fetch(`${BASE()}/${path}/?${q}`);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: r.status, body: (await r.json()) as any };
}
const EVENT = { title: 'Standup', start_date: '03/19/2024 09:00 AM', timezone: 'Europe/Paris' };
const refused = (r: { status: number; body: { meta: Record<string, unknown> } }, status: number, field: string) => {
  expect(r.status).toBe(status);
  expect(r.body.meta).toMatchObject({ code: String(status), field });
  expect(typeof r.body.meta.error_message).toBe('string');
};
const eventCount = async () => (await s.api('GET', `/api/v1/calendars/${calendarId}/events`)).body.data.length;

beforeAll(async () => {
  s = await startServer();
  calendarId = (await get('me/calendars/create', { title: 'Club' })).body.calendar.id;
});
afterAll(async () => {
  await s?.stop();
});

describe('AddEvent: refusals', () => {
  it('a missing or wrong token is 401', async () => {
    refused(await get('me/calendars/list', {}, null), 401, 'token');
    refused(await get('me/calendars/list', {}, 'USER-TOKEN-ID'), 401, 'token');
    const bearer = await fetch(`${BASE()}/me/calendars/list/`, { headers: { authorization: 'Bearer nope' } });
    expect(bearer.status).toBe(401);
  });

  it('a missing calendar_id is 400 naming it, an unknown one 404', async () => {
    for (const path of ['me/calendars/save', 'me/calendars/delete', 'me/calendars/events/list', 'me/calendars/events/create', 'me/calendars/subscribers/list']) {
      refused(await get(path, { title: 'x' }), 400, 'calendar_id');
      refused(await get(path, { calendar_id: 'no-such-calendar', title: 'x' }), 404, 'calendar_id');
    }
    refused(await get('me/calendars/events/all', { cals_only: `${calendarId},nope` }), 404, 'cals_only');
  });

  it('U+0000 in a parameter is 400 naming it, and nothing is written (PostgreSQL cannot store it)', async () => {
    refused(await get('me/calendars/events/create', { calendar_id: calendarId, ...EVENT, title: 'a\u0000b' }), 400, 'title');
    refused(await get('me/calendars/create', { title: '\u0000' }), 400, 'title');
    expect(await eventCount()).toBe(0);
  });

  it('unknown event and subscriber ids are 404', async () => {
    refused(await get('me/calendars/events/save', { event_id: '999' }), 404, 'event_id');
    refused(await get('me/calendars/events/delete', { event_id: '999' }), 404, 'event_id');
    refused(await get('me/calendars/events/delete', {}), 400, 'event_id');
    refused(await get('me/calendars/subscribers/subscriber', { calendar_id: calendarId, user_id: 'wl150897869af' }), 404, 'user_id');
    refused(await get('me/calendars/subscribers/subscriber/delete', { calendar_id: calendarId }), 400, 'user_id');
  });

  it('another account\'s calendar is as unknown as none', async () => {
    const user = await s.service.createUser('other', 'other-password-123');
    const { secret } = await s.service.createToken(user, 'script');
    refused(await get('me/calendars/events/list', { calendar_id: calendarId }, secret), 404, 'calendar_id');
  });

  it('invalid dates are 400 naming the parameter; nothing is written', async () => {
    for (const start of ['April 2nd, 2024', '2024/11/31 09:37am', '13/45/2024', '12/25/2024 13:00 PM', 'start_date']) {
      refused(await get('me/calendars/events/create', { ...EVENT, calendar_id: calendarId, start_date: start }), 400, 'start_date');
    }
    refused(await get('me/calendars/events/create', { ...EVENT, calendar_id: calendarId, end_date: '31-02-2024 10:00' }), 400, 'end_date');
    const before = await get('me/calendars/events/create', { ...EVENT, calendar_id: calendarId, end_date: '03/18/2024 09:00 AM' });
    refused(before, 400, 'end_date');
    expect(before.body.meta.error_message).toBe('end_date must be after start_date');
    refused(await get('me/calendars/events/create', { ...EVENT, calendar_id: calendarId, start_date: '' }), 400, 'start_date');
    refused(await get('me/calendars/events/create', { calendar_id: calendarId, title: 'No start' }), 400, 'start_date');
    refused(await get('me/calendars/events/list', { calendar_id: calendarId, upcoming: '11/31/2024 03:05pm' }), 400, 'upcoming');
    refused(await get('me/calendars/events/list', { calendar_id: calendarId, month: '13', year: '2024' }), 400, 'month');
    refused(await get('me/calendars/events/create', { ...EVENT, calendar_id: calendarId, timezone: 'Mars/Olympus' }), 400, 'timezone');
    expect(await eventCount()).toBe(0);
  });

  it('organizer and organizer_email come together', async () => {
    const noEmail = await get('me/calendars/events/create', { ...EVENT, calendar_id: calendarId, organizer: 'Thomas Scott' });
    refused(noEmail, 400, 'organizer_email');
    expect(noEmail.body.meta.error_message).toBe('organizer_email is required');
    refused(await get('me/calendars/events/create', { ...EVENT, calendar_id: calendarId, organizer_email: 'thomas@example.com' }), 400, 'organizer');
    refused(await get('me/calendars/events/create', { ...EVENT, calendar_id: calendarId, organizer: 'T', organizer_email: 'not-an-email' }), 400, 'organizer_email');
    expect(await eventCount()).toBe(0);
  });

  it('custom_data is JSON of at most 500 characters', async () => {
    const long = JSON.stringify({ text: 'x'.repeat(500) });
    const tooLong = await get('me/calendars/events/create', { ...EVENT, calendar_id: calendarId, custom_data: long });
    refused(tooLong, 400, 'custom_data');
    expect(tooLong.body.meta.error_message).toMatch(/500 characters/);
    refused(await get('me/calendars/events/create', { ...EVENT, calendar_id: calendarId, custom_data: '{"a":' }), 400, 'custom_data');
    refused(await get('me/calendars/save', { calendar_id: calendarId, custom_data: long }), 400, 'custom_data');
    const fits = JSON.stringify({ text: 'x'.repeat(480) });
    const ok = await get('me/calendars/events/create', { ...EVENT, calendar_id: calendarId, custom_data: fits });
    expect(ok.status).toBe(200);
    expect(ok.body.event.custom_data).toBe(fits);
    await get('me/calendars/events/delete', { event_id: ok.body.event.id });
  });

  it('colour, reminder, transp, all_day_event, order_by, page and weekday_begin outside their values are 400', async () => {
    const cases: [string, Record<string, string>, string][] = [
      ['me/calendars/events/create', { color: '21' }, 'color'],
      ['me/calendars/events/create', { reminder: 'soon' }, 'reminder'],
      ['me/calendars/events/create', { transp: 'maybe' }, 'transp'],
      ['me/calendars/events/create', { all_day_event: 'yes please' }, 'all_day_event'],
      ['me/calendars/events/create', { rrule: 'FREQ=WEEKY' }, 'rrule'],
      ['me/calendars/events/list', { order_by: 'title-asc' }, 'order_by'],
      ['me/calendars/events/list', { page: '0' }, 'page'],
      ['me/calendars/save', { weekday_begin: '3' }, 'weekday_begin'],
      ['me/calendars/save', { calendar_color: 'blue' }, 'calendar_color'],
      ['me/calendars/subscribers/list', { status: 'sleeping' }, 'status'],
    ];
    for (const [path, extra, field] of cases) refused(await get(path, { ...EVENT, calendar_id: calendarId, ...extra }), 400, field);
    expect(await eventCount()).toBe(0);
  });

  it('a title is required to create', async () => {
    refused(await get('me/calendars/create', {}), 400, 'title');
    refused(await get('me/calendars/events/create', { calendar_id: calendarId, start_date: '2024-03-19 15:00' }), 400, 'title');
  });
});

describe('AddEvent: POST and Bearer work as GET does', () => {
  it('creates an all-day event from a form with a Bearer token, and from JSON', async () => {
    const form = await fetch(`${BASE()}/me/calendars/events/create/`, {
      method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ calendar_id: calendarId, title: 'Fair', start_date: '19-03-2024', end_date: '20-03-2024', all_day_event: 'true' }),
    });
    expect(form.status).toBe(200);
    const event = ((await form.json()) as { event: { id: string } }).event;
    expect(event).toMatchObject({ all_day_event: 'true', date_start: '03/19/2024', date_end: '03/20/2024', timezone: 'America/Los_Angeles' });
    const native = await s.api('GET', `/api/v1/calendars/${calendarId}/events/${event.id}`);
    // AddEvent's end date is the last day; the native end (like DTEND) the day after.
    expect(native.body).toMatchObject({ all_day: true, start: '2024-03-19', end: '2024-03-21' });
    const json = await fetch(`${BASE()}/me/calendars/events/save/`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: ADMIN_TOKEN, event_id: event.id, title: 'Spring fair', custom_data: { tag: 'fair' }, reminder: 1440 }),
    });
    expect(json.status).toBe(200);
    expect(((await json.json()) as { event: unknown }).event).toMatchObject({ title: 'Spring fair', custom_data: '{"tag":"fair"}', reminder: '1440', date_end: '03/20/2024' });
  });
});

describe('AddEvent: the rules it shares with CalendarX', () => {
  it('reads "\\n" as a line break ("Use \\n to separate lines") and a padded organizer as written', async () => {
    const r = await get('me/calendars/events/create', { ...EVENT, calendar_id: calendarId, description: 'one\\ntwo', organizer: ' Thomas Scott ', organizer_email: ' thomas@example.com ' });
    expect(r.status).toBe(200);
    expect(r.body.event).toMatchObject({ description: 'one\ntwo', organizer: 'Thomas Scott', organizer_email: 'thomas@example.com' });
    await get('me/calendars/events/delete', { event_id: r.body.event.id });
  });
});
