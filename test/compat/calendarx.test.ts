import { fileURLToPath } from 'node:url';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOk } from '../helpers/run.js';
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server.js';

// Every example of CalendarX's v1 reference, replayed as a user's script sends it: the product's
// URL with the base URL, the token and the ids of the seed's account replaced by this server's.

let s: TestServer;
let demo = ''; // the seed's 1473327868906: "Demo Calendar", with events and subscribers
let spare = ''; // the seed's 14793391331949: the calendar the save and delete examples name
let michael = ''; // the seed's czekb1517288022tfolrt
const SEED_BASE = 'https://www.calendarx.com/api/v1';
const PYTHON_READER = fileURLToPath(new URL('../helpers/python-icalendar.py', import.meta.url));

/** The seed's example URL as this server's: base URL, token, and the seed account's ids replaced. */
function replayUrl(example: string): string {
  return example
    .replace(SEED_BASE, `${s.url}/compat/calendarx/api/v1`)
    .replace('?token=&', `?token=${ADMIN_TOKEN}&`).replace(/\?token=$/, `?token=${ADMIN_TOKEN}`)
    .replace(/calendar_id=1473327868906/, `calendar_id=${demo}`)
    .replace(/calendar_id=14793391331949/, `calendar_id=${spare}`)
    .replace(/subscriber_id=czekb1517288022tfolrt/, `subscriber_id=${michael}`);
}

async function replay(example: string) {
  const r = await fetch(replayUrl(example));
  const text = await r.text();
  return { status: r.status, text, body: JSON.parse(text) };
}

const CALENDAR_KEYS = ['id', 'uniquekey', 'calendarname', 'title', 'description', 'timezone', 'followers_active',
  'followers_total', 'events_total', 'palette_id', 'date_create', 'date_modified'];
const LISTED_EVENT_KEYS = ['id', 'title', 'description', 'location', 'organizer', 'organizer_email', 'date_start',
  'date_start_time', 'date_start_ampm', 'date_start_unix', 'date_end', 'date_end_time', 'date_end_ampm', 'date_end_unix',
  'all_day_event', 'date_format', 'timezone', 'color', 'reminder', 'date_create', 'date_modified', 'updated_times'];
const WRITTEN_EVENT_KEYS = ['id', 'calendar', 'title', 'description', 'location', 'organizer', 'organizer_email',
  'date_start', 'date_start_time', 'date_start_ampm', 'date_end', 'date_end_time', 'date_end_ampm', 'all_day_event',
  'date_format', 'timezone', 'color_id', 'reminder', 'updated_times', 'date_create', 'date_modified'];
const SUBSCRIBER_KEYS = ['id', 'name', 'email', 'ip', 'postal', 'city', 'state', 'country', 'date', 'unixtime_stamp',
  'calendar_type', 'active', 'blocked'];
const COOKIES = "The oven is hot and our cookies are ready to be served :-)\n\nToday's special is Cinnamon Spice.";

beforeAll(async () => {
  s = await startServer();
  const made = await s.api('POST', '/api/v1/calendars', { title: 'Follow our calendar', timezone: 'America/Los_Angeles' });
  demo = made.body.id;
  for (const day of ['2017-04-14', '2017-04-21']) {
    const e = await s.api('POST', `/api/v1/calendars/${demo}/events`, {
      title: 'Cookie Fridays', description: COOKIES, location: '1416 Valencia St, San Francisco, CA 94110',
      start: `${day}T15:00:00`, end: `${day}T16:00:00`, color: '#D50000', reminders: [15],
    });
    expect(e.status).toBe(201);
  }
  // The save and delete examples name event 159051: a client-chosen native id.
  expect((await s.api('POST', `/api/v1/calendars/${demo}/events`, { id: '159051', title: 'Draft', start: '2025-01-01T08:00:00' })).status).toBe(201);
  spare = (await s.api('POST', '/api/v1/calendars', { title: 'Spare', timezone: 'Europe/Paris' })).body.id;

  const mint = (body: object) => s.api('POST', `/api/v1/calendars/${demo}/subscribers`, body);
  const m = await mint({ name: 'Michael Nilsson', email: 'michael@addevent.com', client: 'google' });
  michael = m.body.id;
  // Michael's app polls his personal URL: he is an active follower.
  expect((await fetch(s.url + new URL(m.body.feed_url).pathname)).status).toBe(200);
  await s.recorder.flush();
  await mint({ name: 'Constantin Simoni', email: 'email@example.com', client: 'microsoft_online' });
  const blocked = await mint({ name: 'Blocked Person', email: 'blocked@example.com', client: 'apple_ios' });
  expect((await s.api('PATCH', `/api/v1/calendars/${demo}/subscribers/${blocked.body.id}`, { blocked: true })).status).toBe(200);
});
afterAll(async () => {
  await s?.stop();
});

describe('calendars', () => {
  it('List calendars: every calendar, recently saved first, counts as strings, no further page', async () => {
    const r = await replay('https://www.calendarx.com/api/v1/calendars/list/?token=');
    expect(r.status).toBe(200);
    expect(r.body.meta).toEqual({ code: '200' });
    // The account's default calendar was made first, so it comes last.
    expect(r.body.calendars.map((c: { id: string }) => c.id).slice(0, 2)).toEqual([spare, demo]);
    expect(r.body.calendars).toHaveLength(3);
    const c = r.body.calendars[1];
    expect(Object.keys(c)).toEqual(CALENDAR_KEYS);
    expect(c).toMatchObject({
      calendarname: 'Follow our calendar', title: 'Follow our calendar', description: '', timezone: 'America/Los_Angeles',
      followers_active: '1', followers_total: '3', events_total: '3', palette_id: '',
    });
    expect(typeof c.date_create).toBe('number');
    expect(c.uniquekey).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    // The uniquekey is the calendar's public key: its subscribe page answers.
    expect((await fetch(`${s.url}/c/${c.uniquekey}`)).status).toBe(200);
    expect(r.body.paging).toEqual({ previous: '', next: '' });
    expect(r.text).toContain('"timezone":"America\\/Los_Angeles"');
  });

  it('Create a calendar: the calendarname, palette and zone given, no followers yet', async () => {
    const r = await replay('https://www.calendarx.com/api/v1/calendars/create/?token=&calendarname=Name+of+calendar&title=Follow+our+calendar&description=Description+of+calendar&timezone=America/Los_Angeles&palette_id=aBFTf11');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(['meta', 'calendar']);
    expect(Object.keys(r.body.calendar)).toEqual(CALENDAR_KEYS);
    expect(r.body.calendar).toMatchObject({
      calendarname: 'Name of calendar', title: 'Follow our calendar', description: 'Description of calendar',
      timezone: 'America/Los_Angeles', followers_active: '0', followers_total: '0', events_total: '0', palette_id: 'aBFTf11',
    });
    expect(r.body.calendar.date_modified).toBe(r.body.calendar.date_create);
    // The same calendar, natively.
    const native = await s.api('GET', `/api/v1/calendars/${r.body.calendar.id}`);
    expect(native.body).toMatchObject({ title: 'Follow our calendar', description: 'Description of calendar', timezone: 'America/Los_Angeles' });
  });

  it('Save a calendar: new name, title, zone and palette, the reply without the zone as the product has it', async () => {
    const r = await replay('https://www.calendarx.com/api/v1/calendars/save/?token=&calendarname=Name+of+calendar&title=Follow+our+calendar&description=Description+of+calendar&timezone=America/Los_Angeles&palette_id=aBFTf11&calendar_id=14793391331949');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.calendar)).toEqual(CALENDAR_KEYS.filter((k) => k !== 'timezone'));
    expect(r.body.calendar).toMatchObject({ id: spare, calendarname: 'Name of calendar', title: 'Follow our calendar', palette_id: 'aBFTf11' });
    const native = await s.api('GET', `/api/v1/calendars/${spare}`);
    expect(native.body).toMatchObject({ title: 'Follow our calendar', timezone: 'America/Los_Angeles', description: 'Description of calendar' });
    // A native change keeps the calendarname and the palette.
    expect((await s.api('PATCH', `/api/v1/calendars/${spare}`, { description: 'Changed natively' })).status).toBe(200);
    const listed = await replay('https://www.calendarx.com/api/v1/calendars/list/?token=');
    expect(listed.body.calendars[0]).toMatchObject({ id: spare, calendarname: 'Name of calendar', palette_id: 'aBFTf11', description: 'Changed natively' });
  });

  it('Delete a calendar: "deleted", and it is gone', async () => {
    const r = await replay('https://www.calendarx.com/api/v1/calendars/delete/?token=&calendar_id=14793391331949');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ meta: { code: '200' }, calendar: { id: spare, status: 'deleted' } });
    expect((await s.api('GET', `/api/v1/calendars/${spare}`)).status).toBe(404);
  });
});

describe('events', () => {
  it('List events in a calendar: recently created first, the times in the event zone', async () => {
    const r = await replay('https://www.calendarx.com/api/v1/calendars/events/list/?token=&calendar_id=1473327868906');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(['meta', 'calendar', 'events', 'paging']);
    expect(r.body.calendar).toEqual({ id: demo, events_count: 3 });
    expect(r.body.events.map((e: { id: string }) => e.id)[0]).toBe('159051');
    const [, friday21, friday14] = r.body.events;
    expect(Object.keys(friday21)).toEqual(LISTED_EVENT_KEYS);
    expect(friday21).toMatchObject({
      title: 'Cookie Fridays', description: COOKIES, location: '1416 Valencia St, San Francisco, CA 94110',
      organizer: '', organizer_email: '',
      date_start: '04/21/2017', date_start_time: '15:00:00', date_start_ampm: 'PM', date_start_unix: 1492786800,
      date_end: '04/21/2017', date_end_time: '16:00:00', date_end_ampm: 'PM', date_end_unix: 1492790400,
      all_day_event: 'false', date_format: 'MM/DD/YYYY', timezone: 'America/Los_Angeles', color: '1', reminder: '15',
      updated_times: '0',
    });
    expect(friday14).toMatchObject({ date_start: '04/14/2017', date_start_unix: 1492182000, date_end_unix: 1492185600 });
    expect(r.text).toContain('"date_start":"04\\/21\\/2017"');
  });

  it('the list options: order_by, month + year, upcoming', async () => {
    const base = 'https://www.calendarx.com/api/v1/calendars/events/list/?token=&calendar_id=1473327868906';
    const titles = async (q: string) => (await replay(base + q)).body.events.map((e: { date_start: string }) => e.date_start);
    expect(await titles('&order_by=date-desc')).toEqual(['01/01/2025', '04/21/2017', '04/14/2017']);
    expect(await titles('&order_by=date-asc')).toEqual(['04/14/2017', '04/21/2017', '01/01/2025']);
    expect(await titles('&order_by=id-asc')).toEqual(['04/14/2017', '04/21/2017', '01/01/2025']);
    expect(await titles('&month=04&year=2017')).toEqual(['04/21/2017', '04/14/2017']);
    expect(await titles('&upcoming=2017/04/20 12:01pm')).toEqual(['04/21/2017', '01/01/2025']);
    expect(await titles('&upcoming=now')).toEqual([]);
    const counted = await replay(`${base}&month=04&year=2017`);
    expect(counted.body.calendar.events_count).toBe(2);
  });

  let created = '';
  it('Create event in a calendar: the seed example, its end date glued to its time included', async () => {
    const r = await replay('https://www.calendarx.com/api/v1/calendars/events/create/?token=&calendar_id=1473327868906&title=Title+of+the+event&description=Description+of+the+event&location=1600+Amphitheatre+Pkwy%2C+Mountain+View%2C+CA+94043&organizer=Thomas+Scott&organizer_email=thomas%40example.com&timezone=America/Los_Angeles&color_id=1&reminder=60&start_date=02%2F05%2F2025+09%3A00&end_date=02%2F05%2F202511%3A00&all_day_event=false');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.event)).toEqual(WRITTEN_EVENT_KEYS);
    expect(r.body.event).toMatchObject({
      calendar: demo, title: 'Title of the event', description: 'Description of the event',
      location: '1600 Amphitheatre Pkwy, Mountain View, CA 94043', organizer: 'Thomas Scott', organizer_email: 'thomas@example.com',
      date_start: '02/05/2025', date_start_time: '09:00:00', date_start_ampm: 'AM',
      date_end: '02/05/2025', date_end_time: '11:00:00', date_end_ampm: 'AM', all_day_event: 'false',
      date_format: 'MM/DD/YYYY', timezone: 'America/Los_Angeles', color_id: '1', reminder: '60', updated_times: '0',
    });
    created = r.body.event.id;
    // The same event, natively: the organizer, the zone, the alarm and the palette colour are real.
    const native = await s.api('GET', `/api/v1/calendars/${demo}/events/${created}`);
    expect(native.body).toMatchObject({
      start: '2025-02-05T09:00:00-08:00', end: '2025-02-05T11:00:00-08:00', timezone: 'America/Los_Angeles',
      organizer: { name: 'Thomas Scott', email: 'thomas@example.com' }, reminders: [60], color: expect.stringMatching(/^#/),
    });
  });

  it('the created event is served as iCalendar, read alike by ical.js and python3-icalendar', async () => {
    const listed = await replay('https://www.calendarx.com/api/v1/calendars/list/?token=');
    const key = listed.body.calendars.find((c: { id: string }) => c.id === demo).uniquekey;
    // The event's own file: the calendar feed's window (from today on) no longer holds 2025.
    const feed = await fetch(`${s.url}/feeds/${key}/events/${created}.ics`);
    expect(feed.status).toBe(200);
    const text = await feed.text();
    const event = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent')
      .find((e) => e.getFirstPropertyValue('summary') === 'Title of the event')!;
    expect(event.getFirstProperty('dtstart')!.getParameter('tzid')).toBe('America/Los_Angeles');
    expect(String(event.getFirstPropertyValue('dtstart'))).toBe('2025-02-05T09:00:00');
    expect(String(event.getFirstPropertyValue('organizer'))).toBe('mailto:thomas@example.com');
    const read = JSON.parse((await runOk('/usr/bin/python3', [PYTHON_READER], { input: text })).stdout);
    expect(read.timezones).toContain('America/Los_Angeles');
    expect(read.starts).toContain('2025-02-05T09:00:00-08:00');
    expect(read.summaries).toContain('Title of the event');
  });

  it('Save event in a calendar: event 159051 takes every field, and counts one update', async () => {
    const r = await replay('https://www.calendarx.com/api/v1/calendars/events/save/?token=&event_id=159051&title=Title+of+the+event&description=Description+of+the+event&location=1600+Amphitheatre+Pkwy%2C+Mountain+View%2C+CA+94043&organizer=Thomas+Scott&organizer_email=thomas%40example.com&timezone=America/Los_Angeles&color_id=1&reminder=60&start_date=02%2F05%2F2025+09%3A00&end_date=02%2F05%2F202511%3A00&all_day_event=false');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.event)).toEqual(WRITTEN_EVENT_KEYS);
    expect(r.body.event).toMatchObject({
      id: '159051', calendar: demo, title: 'Title of the event', organizer_email: 'thomas@example.com',
      date_start: '02/05/2025', date_start_time: '09:00:00', date_end_time: '11:00:00', color_id: '1', reminder: '60',
      updated_times: '1',
    });
    const native = await s.api('GET', `/api/v1/calendars/${demo}/events/159051`);
    expect(native.body).toMatchObject({ title: 'Title of the event', start: '2025-02-05T09:00:00-08:00', sequence: 1 });
  });

  it('Delete event in a calendar: "deleted", and it is gone from the list and the feed', async () => {
    const r = await replay('https://www.calendarx.com/api/v1/calendars/events/delete/?token=&event_id=159051');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ meta: { code: '200' }, event: { id: '159051', status: 'deleted' } });
    expect((await s.api('GET', `/api/v1/calendars/${demo}/events/159051`)).status).toBe(404);
    const left = await replay('https://www.calendarx.com/api/v1/calendars/events/list/?token=&calendar_id=1473327868906');
    expect(left.body.events.map((e: { id: string }) => e.id)).not.toContain('159051');
    expect(left.body.events.map((e: { id: string }) => e.id)).toContain(created);
  });
});

describe('subscribers', () => {
  it('List calendar subscribers: recently subscribed first, active and blocked as "true"/"false"', async () => {
    const r = await replay('https://www.calendarx.com/api/v1/calendars/subscribers/list/?token=&calendar_id=1473327868906');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(['meta', 'calendar', 'subscribers', 'paging']);
    expect(r.body.calendar).toEqual({ id: demo, subscribers_count: 3 });
    expect(r.body.subscribers.map((x: { name: string }) => x.name)).toEqual(['Blocked Person', 'Constantin Simoni', 'Michael Nilsson']);
    const m = r.body.subscribers[2];
    expect(Object.keys(m)).toEqual(SUBSCRIBER_KEYS);
    expect(m).toMatchObject({ id: michael, email: 'michael@addevent.com', calendar_type: 'google', active: 'true', blocked: 'false', ip: 'null', postal: 'null' });
    expect(m.date).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
    expect(Math.abs(m.unixtime_stamp - Date.now() / 1000)).toBeLessThan(120);
    expect(r.body.subscribers[1]).toMatchObject({ calendar_type: 'outlookcom', active: 'false', blocked: 'false' });
    expect(r.body.paging).toEqual({ previous: '', next: '' });
  });

  it('the /inactive/ and /blocked/ path segments, and order_by', async () => {
    const list = async (path: string) => (await replay(`https://www.calendarx.com/api/v1/calendars/subscribers/list/${path}?token=&calendar_id=1473327868906`)).body;
    const inactive = await list('inactive/');
    expect(inactive.subscribers.map((x: { name: string }) => x.name)).toEqual(['Constantin Simoni']);
    expect(inactive.calendar.subscribers_count).toBe(1);
    const blocked = await list('blocked/');
    expect(blocked.subscribers).toEqual([expect.objectContaining({ name: 'Blocked Person', blocked: 'true', active: 'false', calendar_type: 'apple' })]);
    const ascending = await replay('https://www.calendarx.com/api/v1/calendars/subscribers/list/?token=&calendar_id=1473327868906&order_by=date-asc');
    expect(ascending.body.subscribers[0].name).toBe('Michael Nilsson');
  });

  it('Details about a subscriber', async () => {
    const r = await replay('https://www.calendarx.com/api/v1/calendars/subscriber/?token=&calendar_id=1473327868906&subscriber_id=czekb1517288022tfolrt');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(['meta', 'calendar', 'subscribers']);
    expect(r.body.calendar).toEqual({ id: demo });
    expect(r.body.subscribers).toHaveLength(1);
    expect(Object.keys(r.body.subscribers[0])).toEqual(SUBSCRIBER_KEYS);
    expect(r.body.subscribers[0]).toMatchObject({ id: michael, name: 'Michael Nilsson', active: 'true' });
  });
});

describe('time zones and paging', () => {
  it('List of time zones: no token, meta.code a number, offsets without a plus sign', async () => {
    const r = await replay('https://www.calendarx.com/api/v1/timezones');
    expect(r.status).toBe(200);
    expect(r.body.meta).toEqual({ code: 200 });
    expect(r.body.data[0]).toEqual({ label: 'Africa/Abidjan', offset: '00:00' });
    expect(r.body.data).toContainEqual({ label: 'Africa/Accra', offset: '00:00' });
    expect(r.body.data.find((z: { label: string }) => z.label === 'Asia/Kolkata')).toEqual({ label: 'Asia/Kolkata', offset: '05:30' });
    expect(r.body.data.find((z: { label: string }) => z.label === 'America/Los_Angeles').offset).toMatch(/^-0[78]:00$/);
  });

  it('paging.next and paging.previous are full URLs of the same call that a script can follow', async () => {
    const cal = (await s.api('POST', '/api/v1/calendars', { title: 'Busy', timezone: 'UTC' })).body.id;
    for (let i = 0; i < 23; i++) {
      await s.api('POST', `/api/v1/calendars/${cal}/events`, { title: `E${i}`, start: `2030-01-${String(i + 1).padStart(2, '0')}T10:00:00` });
    }
    const one = (await replay(`${SEED_BASE}/calendars/events/list/?token=&calendar_id=${cal}&order_by=date-asc`)).body;
    expect(one.events).toHaveLength(20);
    expect(one.calendar.events_count).toBe(23);
    expect(one.paging.previous).toBe('');
    expect(one.paging.next).toBe(`http://calcast.test/compat/calendarx/api/v1/calendars/events/list/?token=${ADMIN_TOKEN}&calendar_id=${cal}&order_by=date-asc&page=2`);
    const two = (await replay(one.paging.next.replace('http://calcast.test/compat/calendarx/api/v1', SEED_BASE))).body;
    expect(two.events.map((e: { title: string }) => e.title)).toEqual(['E20', 'E21', 'E22']);
    expect(two.paging.next).toBe('');
    expect(two.paging.previous).toMatch(/&page=1$/);
  });
});
