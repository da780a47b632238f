import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
let cal: string;
let other: string;
const list = async (query: string, path = `/api/v1/calendars/${cal}/events`) => {
  const r = await s.api('GET', `${path}?${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { data: { id: string; title: string; start: string; recurrence_id?: string }[]; next_cursor: string | null };
};
const titles = async (query: string, path?: string) => (await list(query, path)).data.map((e) => e.title);

beforeAll(async () => {
  s = await startServer();
  cal = (await s.api('POST', '/api/v1/calendars', { title: 'Lists', timezone: 'UTC' })).body.id;
  other = (await s.api('POST', '/api/v1/calendars', { title: 'Other', timezone: 'UTC' })).body.id;
  const add = (c: string, body: object) => s.api('POST', `/api/v1/calendars/${c}/events`, body);
  await add(cal, { title: 'March kickoff', start: '2024-03-01T10:00:00Z', description: 'Budget talk', custom_data: { team: 'red' } });
  await add(cal, { title: 'Mid March', start: '2024-03-15T10:00:00Z', end: '2024-03-15T12:00:00Z', status: 'TENTATIVE', custom_data: { team: 'blue' } });
  await add(cal, { title: 'April fools', start: '2024-04-01T00:00:00Z', location: 'Budget room' });
  await add(cal, { title: 'Cancelled thing', start: '2024-03-20T10:00:00Z', status: 'CANCELLED' });
  // A weekly series that starts in January and runs through March.
  await add(cal, { title: 'Weekly', start: '2024-01-02T09:00:00Z', rrule: 'FREQ=WEEKLY;UNTIL=20240326T090000Z' });
  await add(other, { title: 'Elsewhere', start: '2024-03-10T10:00:00Z' });
});
afterAll(() => s.stop());

describe('event lists', () => {
  it('filters by start inclusively and lists a series once when an instance matches', async () => {
    expect(await titles('start_after=2024-03-15T10:00:00Z&start_before=2024-04-01T00:00:00Z')).toEqual([
      'Weekly', 'Mid March', 'Cancelled thing', 'April fools',
    ]);
    expect(await titles('start_after=2024-03-27T00:00:00Z&start_before=2024-04-01T00:00:00Z')).toEqual(['April fools']);
    expect(await titles('start_after=2024-03-01T00:00:00Z&start_before=2024-03-10T00:00:00Z')).toEqual([
      'Weekly', 'March kickoff',
    ]);
    // The series ends on 26 March: nothing of it starts in April.
    expect(await titles('start_after=2024-03-27T00:00:00Z')).toEqual(['April fools']);
  });

  it('filters by end inclusively', async () => {
    expect(await titles('end_after=2024-03-15T12:00:00Z&end_before=2024-03-15T12:00:00Z')).toEqual(['Mid March']);
  });

  it('filters by month and year, status, text and custom data', async () => {
    expect(await titles('month=4&year=2024')).toEqual(['April fools']);
    expect(await titles('status=tentative')).toEqual(['Mid March']);
    expect(await titles('q=budget')).toEqual(['March kickoff', 'April fools']);
    expect(await titles('json_field=team&json_value=blue')).toEqual(['Mid March']);
  });

  it('lists upcoming events from a date', async () => {
    expect(await titles('upcoming=2024-03-25T00:00:00Z')).toEqual(['Weekly', 'April fools']);
  });

  it('orders by start or creation, both ways', async () => {
    // A series sorts by its first start (January), so it comes last in descending order.
    expect(await titles('order_by=START_DATE_DESC&month=3&year=2024')).toEqual([
      'Cancelled thing', 'Mid March', 'March kickoff', 'Weekly',
    ]);
    expect(await titles('order_by=CREATED_ASC')).toEqual(['March kickoff', 'Mid March', 'April fools', 'Cancelled thing', 'Weekly']);
    expect(await titles('order_by=CREATED_DESC')).toEqual(['Weekly', 'Cancelled thing', 'April fools', 'Mid March', 'March kickoff']);
  });

  it('pages with an opaque cursor without losing or repeating anything', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`page_limit=2${cursor ? `&page_cursor=${cursor}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((e) => e.title));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(await titles('page_limit=500'));
    expect(seen).toHaveLength(5);
  });

  it('expands a series into its occurrences within a window', async () => {
    const page = await list('expand=true&start_after=2024-03-01T00:00:00Z&start_before=2024-03-31T00:00:00Z&q=weekly');
    expect(page.data.map((e) => e.start)).toEqual([
      '2024-03-05T09:00:00Z', '2024-03-12T09:00:00Z', '2024-03-19T09:00:00Z', '2024-03-26T09:00:00Z',
    ]);
    expect(page.data.map((e) => e.recurrence_id)).toEqual(['20240305T090000Z', '20240312T090000Z', '20240319T090000Z', '20240326T090000Z']);
    const paged = await list('expand=true&start_after=2024-03-01T00:00:00Z&start_before=2024-03-31T00:00:00Z&q=weekly&page_limit=3');
    expect(paged.data).toHaveLength(3);
    const rest = await list(`expand=true&start_after=2024-03-01T00:00:00Z&start_before=2024-03-31T00:00:00Z&q=weekly&page_limit=3&page_cursor=${paged.next_cursor}`);
    expect(rest.data.map((e) => e.start)).toEqual(['2024-03-26T09:00:00Z']);
    expect(rest.next_cursor).toBeNull();
  });

  it('lists across calendars, with a calendar_id filter that takes a list', async () => {
    const all = await titles('month=3&year=2024', '/api/v1/events');
    expect(all).toContain('Elsewhere');
    expect(all).toContain('Mid March');
    expect(await titles(`month=3&year=2024&calendar_id=${other}`, '/api/v1/events')).toEqual(['Elsewhere']);
    expect((await titles(`month=3&year=2024&calendar_id=${other},${cal}`, '/api/v1/events')).sort()).toEqual(all.sort());
  });

  it('refuses bad list parameters with the field named', async () => {
    const cases: [string, string, string][] = [
      ['start_after=yesterday-ish', 'VALIDATION_FAILED', 'start_after'],
      ['start_after=2024-05-01&start_before=2024-04-01', 'INVALID_TIME_RANGE', 'start_before'],
      ['page_limit=501', 'VALIDATION_FAILED', 'page_limit'],
      ['page_cursor=garbage', 'VALIDATION_FAILED', 'page_cursor'],
      ['order_by=TITLE', 'VALIDATION_FAILED', 'order_by'],
      ['month=13&year=2024', 'VALIDATION_FAILED', 'month'],
      ['expand=true&start_after=2020-01-01&start_before=2024-01-01', 'INVALID_TIME_RANGE', 'expand'],
      ['strat_after=2024-01-01', 'VALIDATION_FAILED', 'strat_after'],
    ];
    for (const [query, code, field] of cases) {
      const r = await s.api('GET', `/api/v1/calendars/${cal}/events?${query}`);
      expect(r.status, query).toBe(400);
      expect(r.body.error, query).toMatchObject({ code, field });
    }
  });
});

describe('overview', () => {
  it('counts upcoming, not cancelled events for today, tomorrow and the next 7 days', async () => {
    const soon = (await s.api('POST', '/api/v1/calendars', { title: 'Soon', timezone: 'Europe/Berlin' })).body.id;
    const now = new Date();
    const at = (hours: number) => new Date(now.getTime() + hours * 3600_000).toISOString();
    await s.api('POST', `/api/v1/calendars/${soon}/events`, { title: 'in 3 days', start: at(72) });
    await s.api('POST', `/api/v1/calendars/${soon}/events`, { title: 'in 10 days', start: at(240) });
    await s.api('POST', `/api/v1/calendars/${soon}/events`, { title: 'ended', start: at(-5), end: at(-4) });
    await s.api('POST', `/api/v1/calendars/${soon}/events`, { title: 'cancelled', start: at(72), status: 'CANCELLED' });
    const r = await s.api('GET', '/api/v1/events/overview?time_zone=Europe/Berlin');
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ time_zone: 'Europe/Berlin', next_7_days: 1 });
    const missing = await s.api('GET', '/api/v1/events/overview');
    expect(missing.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'time_zone' });
  });
});
