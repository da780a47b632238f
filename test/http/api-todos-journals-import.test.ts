import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
let cal: string;
const path = (kind: string, suffix = '') => `/api/v1/calendars/${cal}/${kind}${suffix}`;

beforeAll(async () => {
  s = await startServer();
  cal = (await s.api('POST', '/api/v1/calendars', { title: 'Work', timezone: 'Europe/Paris' })).body.id;
});
afterAll(() => s.stop());

describe('to-dos', () => {
  it('creates, patches and lists VTODOs', async () => {
    const r = await s.api('POST', path('todos'), {
      title: 'File taxes', due: '2024-05-31 18:00', priority: 1, status: 'NEEDS-ACTION', reminders: [60],
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ title: 'File taxes', due: '2024-05-31T18:00:00+02:00', priority: 1, start: null, reminders: [60] });
    expect((await s.store.getObject(cal, r.body.id))!.data).toContain('BEGIN:VTODO');
    const done = await s.api('PATCH', path('todos', `/${r.body.id}`), {
      status: 'COMPLETED', completed_at: '2024-05-30T10:00:00Z', percent_complete: 100,
    });
    expect(done.body).toMatchObject({ status: 'COMPLETED', completed_at: '2024-05-30T10:00:00Z', percent_complete: 100, due: '2024-05-31T18:00:00+02:00' });
    expect((await s.store.getObject(cal, r.body.id))!.data).toContain('COMPLETED:20240530T100000Z');
    const list = await s.api('GET', path('todos', '?status=completed'));
    expect(list.body.data.map((t: { id: string }) => t.id)).toEqual([r.body.id]);
    const events = await s.api('GET', path('events'));
    expect(events.body.data).toEqual([]);
  });

  it('refuses a due date before the start', async () => {
    const r = await s.api('POST', path('todos'), { title: 'x', start: '2024-05-02', due: '2024-05-01' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'INVALID_TIME_RANGE', field: 'due' });
  });
});

describe('journals', () => {
  it('creates, patches, lists and deletes VJOURNALs', async () => {
    const r = await s.api('POST', path('journals'), { title: 'Standup notes', description: 'All good', date: '2024-05-02' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ title: 'Standup notes', date: '2024-05-02', status: null });
    const p = await s.api('PATCH', path('journals', `/${r.body.id}`), { status: 'FINAL' });
    expect(p.body.status).toBe('FINAL');
    expect((await s.api('GET', path('journals', '?month=5&year=2024'))).body.data).toHaveLength(1);
    expect((await s.api('DELETE', path('journals', `/${r.body.id}`))).status).toBe(204);
    expect((await s.api('GET', path('journals'))).body.data).toEqual([]);
  });
});

const ICS = (summary: string) => [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//EN',
  'BEGIN:VTIMEZONE', 'TZID:/mozilla.org/20070129_1/Europe/Paris',
  'BEGIN:STANDARD', 'DTSTART:19701025T030000', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'END:STANDARD',
  'BEGIN:DAYLIGHT', 'DTSTART:19700329T020000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'END:DAYLIGHT',
  'END:VTIMEZONE',
  'BEGIN:VEVENT', 'UID:weekly@example.com', 'DTSTAMP:20240101T000000Z', `SUMMARY:${summary}`,
  'DTSTART;TZID=/mozilla.org/20070129_1/Europe/Paris:20240108T090000', 'DURATION:PT1H',
  'RRULE:FREQ=WEEKLY;COUNT=3', 'X-CUSTOM-PROP;X-PARAM=1:kept as is', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:weekly@example.com', 'DTSTAMP:20240101T000000Z', `SUMMARY:${summary} (moved)`,
  'RECURRENCE-ID;TZID=/mozilla.org/20070129_1/Europe/Paris:20240115T090000',
  'DTSTART;TZID=/mozilla.org/20070129_1/Europe/Paris:20240116T140000', 'DURATION:PT1H', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:single@example.com', 'DTSTAMP:20240101T000000Z', 'SUMMARY:Single', 'DTSTART:20240110T120000Z', 'END:VEVENT',
  'BEGIN:VTODO', 'UID:todo@example.com', 'DTSTAMP:20240101T000000Z', 'SUMMARY:Imported task', 'END:VTODO',
  'END:VCALENDAR', '',
].join('\r\n');

describe('import', () => {
  it('upserts one object per UID in one go and reports the counts', async () => {
    const post = (body: string) => s.api('POST', path('import'), body, { 'content-type': 'text/calendar' });
    const first = await post(ICS('Weekly'));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ created: 3, updated: 0 });
    const expanded = await s.api('GET', path('events', '?expand=true&start_after=2024-01-01&start_before=2024-01-31&q=weekly'));
    expect(expanded.body.data.map((e: { title: string; start: string }) => [e.title, e.start])).toEqual([
      ['Weekly', '2024-01-08T09:00:00+01:00'],
      ['Weekly (moved)', '2024-01-16T14:00:00+01:00'],
      ['Weekly', '2024-01-22T09:00:00+01:00'],
    ]);
    const second = await post(ICS('Weekly renamed'));
    expect(second.body).toEqual({ created: 0, updated: 3 });
    const titles = (await s.api('GET', path('events', '?q=weekly'))).body.data.map((e: { title: string }) => e.title);
    expect(titles).toEqual(['Weekly renamed']);
    const stored = await s.store.getObjectByUid(cal, 'weekly@example.com');
    expect(stored!.data).toContain('X-CUSTOM-PROP;X-PARAM=1:kept as is');
    expect((await s.api('GET', path('todos'))).body.data.map((t: { title: string }) => t.title)).toContain('Imported task');
  });

  it('answers 400 for an unreadable file and writes nothing', async () => {
    const before = await s.store.listObjects({ calendarIds: [cal], componentType: 'VEVENT', order: 'CREATED_ASC', limit: 1000 });
    const r = await s.api('POST', path('import'), 'this is not a calendar', { 'content-type': 'text/calendar' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'body' });
    const after = await s.store.listObjects({ calendarIds: [cal], componentType: 'VEVENT', order: 'CREATED_ASC', limit: 1000 });
    expect(after.objects.map((o) => o.etag)).toEqual(before.objects.map((o) => o.etag));
  });
});

describe('restart', () => {
  it('keeps every calendar and entry after the server restarts on the same folder', async () => {
    const calendars = (await s.api('GET', '/api/v1/calendars')).body;
    const events = (await s.api('GET', path('events', '?page_limit=500'))).body;
    const todos = (await s.api('GET', path('todos'))).body;
    const dir = s.dir;
    await s.stop(false);
    s = await startServer({ dir });
    expect((await s.api('GET', '/api/v1/calendars')).body).toEqual(calendars);
    expect((await s.api('GET', path('events', '?page_limit=500'))).body).toEqual(events);
    expect((await s.api('GET', path('todos'))).body).toEqual(todos);
  });
});
