import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
let cal: string;
const events = (suffix = '') => `/api/v1/calendars/${cal}/events${suffix}`;

beforeAll(async () => {
  s = await startServer();
  cal = (await s.api('POST', '/api/v1/calendars', { title: 'Events', timezone: 'America/Los_Angeles' })).body.id;
});
afterAll(() => s.stop());

async function storedEvent(id: string): Promise<ICAL.Component> {
  const o = await s.store.getObject(cal, id);
  return new ICAL.Component(ICAL.parse(o!.data) as never).getFirstSubcomponent('vevent')!;
}

describe('creating events', () => {
  it('stores a VEVENT and shows times in the event zone with their offset', async () => {
    const r = await s.api('POST', events(), { title: 'Launch', start: '2024-04-02 09:00', location: 'Room 1' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      title: 'Launch', start: '2024-04-02T09:00:00-07:00', end: '2024-04-02T10:00:00-07:00',
      timezone: 'America/Los_Angeles', all_day: false, location: 'Room 1', sequence: 0,
    });
    expect(r.body.uid).toMatch(/@calcast$/);
    const ev = await storedEvent(r.body.id);
    expect(ev.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('America/Los_Angeles');
    expect(ev.getFirstPropertyValue('dtstart')!.toString()).toBe('2024-04-02T09:00:00');
  });

  it('makes date-only starts all-day events lasting one day', async () => {
    const r = await s.api('POST', events(), { title: 'Holiday', start: '2024-07-04' });
    expect(r.body).toMatchObject({ all_day: true, start: '2024-07-04', end: '2024-07-05' });
    const ev = await storedEvent(r.body.id);
    expect((ev.getFirstPropertyValue('dtstart') as ICAL.Time).isDate).toBe(true);
  });

  it.each([
    ['03/19/2024 03:00 PM', '2024-03-19T15:00:00-07:00'],
    ['19-03-2024 15:00', '2024-03-19T15:00:00-07:00'],
    ['19.03.2024', '2024-03-19'],
    ['24-03-19 15:00', '2024-03-19T15:00:00-07:00'],
    ['2024/03/19 03:00pm', '2024-03-19T15:00:00-07:00'],
    ['2024-03-19T22:00:00Z', '2024-03-19T15:00:00-07:00'],
    ['2024-03-20T00:00:00+02:00', '2024-03-19T15:00:00-07:00'],
  ])('reads %s as %s', async (input, shown) => {
    const r = await s.api('POST', events(), { title: 'Date', start: input });
    expect(r.status).toBe(201);
    expect(r.body.start).toBe(shown);
  });

  it('writes UTC events with Z, never TZID=UTC', async () => {
    const r = await s.api('POST', events(), { title: 'UTC', start: '2024-05-01T12:00:00Z', timezone: 'UTC' });
    expect(r.body.start).toBe('2024-05-01T12:00:00Z');
    const o = await s.store.getObject(cal, r.body.id);
    expect(o!.data).toContain('DTSTART:20240501T120000Z');
    expect(o!.data).not.toContain('TZID=UTC');
  });

  it('turns every field into its iCalendar property and back', async () => {
    const input = {
      title: 'Board; meeting, Q2', description: 'Agenda:\n1. Budget', location: 'HQ', url: 'https://example.com/board',
      start: '2024-06-03T10:00', end: '2024-06-03T11:30', timezone: 'Europe/Paris',
      reminders: [30, 10], organizer: { name: 'Ana', email: 'ana@example.com' },
      attendees: [{ email: 'bo@example.com', name: 'Bo', rsvp_status: 'TENTATIVE', role: 'OPT-PARTICIPANT' }],
      status: 'CONFIRMED', transparency: 'free', color: 'teal', categories: ['board', 'finance'],
      custom_data: { internal: 'never published' },
    };
    const r = await s.api('POST', events(), input);
    expect(r.status).toBe(201);
    const { custom_data, ...published } = input;
    expect(r.body).toMatchObject({
      ...published, start: '2024-06-03T10:00:00+02:00', end: '2024-06-03T11:30:00+02:00', reminders: [10, 30], custom_data,
    });
    const ev = await storedEvent(r.body.id);
    expect(ev.getFirstPropertyValue('transp')).toBe('TRANSPARENT');
    expect(ev.getAllSubcomponents('valarm').map((a) => a.getFirstPropertyValue('trigger')!.toString())).toEqual(['-PT10M', '-PT30M']);
    expect(ev.getFirstProperty('attendee')!.getParameter('partstat')).toBe('TENTATIVE');
    const o = await s.store.getObject(cal, r.body.id);
    expect(o!.data).not.toContain('never published');
    expect(o!.data).toContain('SUMMARY:Board\\; meeting\\, Q2');
  });

  it('replays a create with the same client id instead of duplicating it', async () => {
    const body = { id: 'import-42', title: 'Once', start: '2024-08-01T10:00' };
    const first = await s.api('POST', events(), body);
    const second = await s.api('POST', events(), { ...body, title: 'Twice?' });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: 'import-42', title: 'Once', uid: first.body.uid });
    const list = await s.api('GET', events('?q=once'));
    expect(list.body.data).toHaveLength(1);
  });

  it('links to an .ics download and to Google, Outlook.com, Microsoft 365 and Yahoo', async () => {
    const r = await s.api('POST', events(), { title: 'Linked', start: '2024-04-02 09:00' });
    const { links } = r.body;
    expect(links.ics).toMatch(/^http:\/\/calcast\.test\/feeds\/[\w-]+\/events\/[\w-]+\.ics$/);
    const google = new URL(links.google);
    expect(google.host).toBe('calendar.google.com');
    expect(google.searchParams.get('dates')).toBe('20240402T160000Z/20240402T170000Z');
    expect(new URL(links.outlook).host).toBe('outlook.live.com');
    expect(new URL(links.office365).host).toBe('outlook.office.com');
    expect(new URL(links.yahoo).searchParams.get('st')).toBe('20240402T160000Z');
  });
});

describe('patching events', () => {
  it('removes fields set to null and keeps the rest', async () => {
    const c = await s.api('POST', events(), { title: 'P', start: '2024-09-01T10:00', location: 'A', description: 'D' });
    const r = await s.api('PATCH', events(`/${c.body.id}`), { location: null, title: 'P2' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ title: 'P2', location: null, description: 'D', sequence: 0 });
    expect((await storedEvent(c.body.id)).hasProperty('location')).toBe(false);
  });

  it('bumps SEQUENCE and keeps the duration when the start moves', async () => {
    const c = await s.api('POST', events(), { title: 'Move', start: '2024-09-02T10:00', end: '2024-09-02T12:00' });
    const r = await s.api('PATCH', events(`/${c.body.id}`), { start: '2024-09-03T14:00' });
    expect(r.body).toMatchObject({ start: '2024-09-03T14:00:00-07:00', end: '2024-09-03T16:00:00-07:00', sequence: 1 });
    expect((await storedEvent(c.body.id)).getFirstPropertyValue('sequence')).toBe(1);
  });

  it('validates the merged event like a create', async () => {
    const c = await s.api('POST', events(), { title: 'V', start: '2024-09-02T10:00' });
    const r = await s.api('PATCH', events(`/${c.body.id}`), { end: '2024-09-01T10:00' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'INVALID_TIME_RANGE', field: 'end' });
    const untouched = await s.api('GET', events(`/${c.body.id}`));
    expect(untouched.body.end).toBe('2024-09-02T11:00:00-07:00');
  });

  it('keeps day-based exclusions when a series moves to another hour', async () => {
    const c = await s.api('POST', events(), {
      title: 'Weekly', start: '2024-04-02 09:00', rrule: 'FREQ=WEEKLY;COUNT=4', exdates: ['2024-04-09'],
    });
    expect(c.body.exdates).toEqual(['2024-04-09']);
    await s.api('PATCH', events(`/${c.body.id}`), { start: '2024-04-02 10:00' });
    const list = await s.api('GET', events('?expand=true&start_after=2024-04-01&start_before=2024-04-30&q=weekly'));
    expect(list.body.data.map((e: { start: string }) => e.start)).toEqual([
      '2024-04-02T10:00:00-07:00', '2024-04-16T10:00:00-07:00', '2024-04-23T10:00:00-07:00',
    ]);
  });

  it('deletes', async () => {
    const c = await s.api('POST', events(), { title: 'Gone', start: '2024-09-02T10:00' });
    expect((await s.api('DELETE', events(`/${c.body.id}`))).status).toBe(204);
    expect((await s.api('GET', events(`/${c.body.id}`))).status).toBe(404);
    expect((await s.api('DELETE', events(`/${c.body.id}`))).status).toBe(404);
  });
});

describe('round trip through ical.js', () => {
  it('stores the same instants and recurrence set the API was given', async () => {
    const r = await s.api('POST', events(), {
      title: 'Series', start: '2024-03-05T09:00', timezone: 'America/New_York',
      rrule: 'FREQ=WEEKLY;BYDAY=TU;UNTIL=20240402T235959Z', exdates: ['2024-03-19'],
    });
    const o = await s.store.getObject(cal, r.body.id);
    const root = new ICAL.Component(ICAL.parse(o!.data) as never);
    // Register the VTIMEZONE the object carries, as a client would, and expand with ical.js.
    const vtz = root.getFirstSubcomponent('vtimezone')!;
    ICAL.TimezoneService.register(new ICAL.Timezone(vtz));
    const event = new ICAL.Event(root.getFirstSubcomponent('vevent')!);
    const it = event.iterator();
    const instants: string[] = [];
    for (let next = it.next(); next; next = it.next()) {
      instants.push(next.toJSDate().toISOString());
    }
    ICAL.TimezoneService.remove('America/New_York');
    // DST starts on 10 March in New York: 14:00Z before, 13:00Z after.
    expect(instants).toEqual([
      '2024-03-05T14:00:00.000Z', '2024-03-12T13:00:00.000Z', '2024-03-26T13:00:00.000Z', '2024-04-02T13:00:00.000Z',
    ]);
  });
});
