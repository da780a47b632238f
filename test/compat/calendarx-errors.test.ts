import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server.js';

// CalendarX's refusals: the reply keeps the envelope, meta.code is the 4xx the HTTP status is,
// the message and the parameter at fault are named, and nothing is half-written.

let s: TestServer;
let cal = '';
let base = '';

beforeAll(async () => {
  s = await startServer();
  cal = (await s.api('POST', '/api/v1/calendars', { title: 'Errors', timezone: 'America/Los_Angeles' })).body.id;
  base = `${s.url}/compat/calendarx/api/v1`;
});
afterAll(async () => {
  await s?.stop();
});

async function call(path: string, params: Record<string, string>, init: RequestInit = {}) {
  const r = await fetch(`${base}/${path}/?${new URLSearchParams(params)}`, init);
  const text = await r.text();
  return { status: r.status, body: JSON.parse(text), text };
}

function refused(r: { status: number; body: { meta: Record<string, string> } }, status: number, field?: string) {
  expect(r.status).toBe(status);
  expect(r.body.meta.code).toBe(String(status));
  expect(r.body.meta.error_message).toEqual(expect.any(String));
  if (field) expect(r.body.meta.field).toBe(field);
}

const event = (extra: Record<string, string>) => ({
  token: ADMIN_TOKEN, calendar_id: cal, title: 'Talk', start_date: '02/05/2025 09:00', ...extra,
});
const eventCount = async () => (await s.api('GET', `/api/v1/calendars/${cal}/events`)).body.data.length;

describe('refusals', () => {
  it('a missing or wrong token is a 401 on every endpoint but the zone list', async () => {
    for (const path of ['calendars/list', 'calendars/events/list', 'calendars/subscribers/list/blocked', 'calendars/subscriber']) {
      refused(await call(path, { calendar_id: cal }), 401, 'token');
      refused(await call(path, { token: 'cc_wrong-token', calendar_id: cal }), 401, 'token');
    }
    expect((await call('timezones', {})).status).toBe(200);
  });

  it('the token also works as a Bearer header, and the call as a POST form', async () => {
    const viaHeader = await call('calendars/list', {}, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(viaHeader.status).toBe(200);
    const form = new URLSearchParams({ token: ADMIN_TOKEN, calendar_id: cal, title: 'Posted', start_date: '03/01/2025 10:00 AM' });
    const r = await fetch(`${base}/calendars/events/create/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    const body = await r.json() as { event: { date_start_time: string; date_end_time: string } };
    expect(r.status).toBe(200);
    // No end_date: the start plus one hour.
    expect(body.event).toMatchObject({ date_start_time: '10:00:00', date_end_time: '11:00:00' });
  });

  it('a missing calendar_id, title or start_date is a 400 naming it', async () => {
    for (const path of ['calendars/events/list', 'calendars/subscribers/list', 'calendars/save', 'calendars/delete', 'calendars/events/create']) {
      refused(await call(path, { token: ADMIN_TOKEN, title: 'x', start_date: '02/05/2025' }), 400, 'calendar_id');
    }
    refused(await call('calendars/create', { token: ADMIN_TOKEN }), 400, 'title');
    refused(await call('calendars/events/create', event({ title: '' })), 400, 'title');
    refused(await call('calendars/events/create', event({ start_date: '' })), 400, 'start_date');
    refused(await call('calendars/events/save', { token: ADMIN_TOKEN, title: 'x', start_date: '02/05/2025' }), 400, 'event_id');
    refused(await call('calendars/subscriber', { token: ADMIN_TOKEN, calendar_id: cal }), 400, 'subscriber_id');
  });

  it('an unknown id is a 404: calendar, event, subscriber, and another account\'s calendar', async () => {
    refused(await call('calendars/events/list', { token: ADMIN_TOKEN, calendar_id: 'nope' }), 404);
    refused(await call('calendars/events/save', { token: ADMIN_TOKEN, event_id: 'nope', title: 'x', start_date: '02/05/2025' }), 404);
    refused(await call('calendars/events/delete', { token: ADMIN_TOKEN, event_id: 'nope' }), 404);
    refused(await call('calendars/subscriber', { token: ADMIN_TOKEN, calendar_id: cal, subscriber_id: 'nope' }), 404);
    const other = await s.service.createUser('other', 'other-password-123');
    const theirs = await s.service.createCalendar({
      ownerId: other.id, title: 'Theirs', description: null, timezone: 'UTC', color: null, weekdayBegin: null,
      customData: null, published: true, components: ['VEVENT'], settings: {},
    });
    refused(await call('calendars/delete', { token: ADMIN_TOKEN, calendar_id: theirs.id }), 404);
    expect(await s.store.getCalendar(theirs.id)).not.toBeNull();
    refused(await call('calendars/no-such-endpoint', { token: ADMIN_TOKEN }), 404);
  });

  it('an event_id used in two calendars is a 409 until calendar_id says which', async () => {
    const second = (await s.api('POST', '/api/v1/calendars', { title: 'Second', timezone: 'UTC' })).body.id;
    for (const c of [cal, second]) {
      expect((await s.api('POST', `/api/v1/calendars/${c}/events`, { id: 'twin', title: 'Twin', start: '2031-01-01T10:00:00' })).status).toBe(201);
    }
    refused(await call('calendars/events/delete', { token: ADMIN_TOKEN, event_id: 'twin' }), 409, 'event_id');
    const r = await call('calendars/events/delete', { token: ADMIN_TOKEN, event_id: 'twin', calendar_id: second });
    expect(r.body).toEqual({ meta: { code: '200' }, event: { id: 'twin', status: 'deleted' } });
    expect((await s.api('GET', `/api/v1/calendars/${cal}/events/twin`)).status).toBe(200);
    expect((await s.api('GET', `/api/v1/calendars/${second}/events/twin`)).status).toBe(404);
  });

  it('invalid dates are a 400 naming start_date or end_date, and nothing is written', async () => {
    const before = await eventCount();
    refused(await call('calendars/events/create', event({ start_date: '02/30/2025 09:00' })), 400, 'start_date');
    refused(await call('calendars/events/create', event({ start_date: 'next friday' })), 400, 'start_date');
    refused(await call('calendars/events/create', event({ end_date: '13/45/2025 10:00' })), 400, 'end_date');
    const backwards = await call('calendars/events/create', event({ end_date: '02/05/2025 08:00' }));
    refused(backwards, 400, 'end_date');
    expect(backwards.body.meta.error_message).toMatch(/end_date/);
    refused(await call('calendars/events/list', { token: ADMIN_TOKEN, calendar_id: cal, upcoming: '2018/11/31 12:01pm' }), 400, 'upcoming');
    refused(await call('calendars/events/list', { token: ADMIN_TOKEN, calendar_id: cal, month: '13', year: '2018' }), 400, 'month');
    refused(await call('calendars/events/list', { token: ADMIN_TOKEN, calendar_id: cal, month: '06' }), 400, 'year');
    expect(await eventCount()).toBe(before);
  });

  it('organizer without organizer_email (and the reverse) is a 400', async () => {
    const before = await eventCount();
    const r = await call('calendars/events/create', event({ organizer: 'Thomas Scott' }));
    refused(r, 400, 'organizer_email');
    expect(r.body.meta.error_message).toMatch(/organizer_email/);
    refused(await call('calendars/events/create', event({ organizer_email: 'thomas@example.com' })), 400, 'organizer');
    refused(await call('calendars/events/create', event({ organizer: 'Thomas', organizer_email: 'not-an-email' })), 400, 'organizer_email');
    expect(await eventCount()).toBe(before);
  });

  it('color_id outside 1-20, a reminder that is not minutes, an all_day_event that is not true/false, an unknown zone', async () => {
    refused(await call('calendars/events/create', event({ color_id: '21' })), 400, 'color_id');
    refused(await call('calendars/events/create', event({ reminder: 'soon' })), 400, 'reminder');
    refused(await call('calendars/events/create', event({ all_day_event: 'maybe' })), 400, 'all_day_event');
    refused(await call('calendars/events/create', event({ timezone: 'Mars/Olympus' })), 400, 'timezone');
    refused(await call('calendars/create', { token: ADMIN_TOKEN, title: 'Zoned', timezone: 'Mars/Olympus' }), 400, 'timezone');
    refused(await call('calendars/events/list', { token: ADMIN_TOKEN, calendar_id: cal, order_by: 'sideways' }), 400, 'order_by');
    refused(await call('calendars/events/list', { token: ADMIN_TOKEN, calendar_id: cal, page: '0' }), 400, 'page');
  });

  it('an all-day event ends on its last day, as CalendarX shows it', async () => {
    const r = await call('calendars/events/create', event({ all_day_event: 'true', start_date: '07/04/2025', end_date: '07/05/2025' }));
    expect(r.status).toBe(200);
    expect(r.body.event).toMatchObject({ all_day_event: 'true', date_start: '07/04/2025', date_end: '07/05/2025', date_start_time: '00:00:00' });
    const native = await s.api('GET', `/api/v1/calendars/${cal}/events/${r.body.event.id}`);
    expect(native.body).toMatchObject({ all_day: true, start: '2025-07-04', end: '2025-07-06' });
  });

  it('a save that leaves a parameter out keeps it; an empty one clears it', async () => {
    const made = await call('calendars/events/create', event({ location: 'Room 1', reminder: '10', color_id: '3' }));
    const id = made.body.event.id;
    const kept = await call('calendars/events/save', { token: ADMIN_TOKEN, event_id: id, title: 'Renamed', start_date: '02/06/2025 09:00' });
    expect(kept.body.event).toMatchObject({ title: 'Renamed', location: 'Room 1', reminder: '10', color_id: '3', date_start: '02/06/2025', updated_times: '1' });
    const cleared = await call('calendars/events/save', { token: ADMIN_TOKEN, event_id: id, title: 'Renamed', start_date: '02/06/2025 09:00', location: '', color_id: '' });
    expect(cleared.body.event).toMatchObject({ location: '', color_id: '', reminder: '10', updated_times: '2' });
    // "Use \n for line breaks": the two characters a script writes become a line break.
    const lines = await call('calendars/events/save', { token: ADMIN_TOKEN, event_id: id, title: 'Renamed', start_date: '02/06/2025 09:00', description: 'one\\ntwo' });
    expect(lines.body.event.description).toBe('one\ntwo');
  });
});
