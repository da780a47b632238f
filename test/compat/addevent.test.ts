import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server.js';

// AddEvent's v1 API as its users' scripts call it: every curl example of the documentation,
// with the base URL and the token changed (and the ids its examples use swapped for the ones
// this server made), then the error cases a script meets.

const PYTHON_READER = fileURLToPath(new URL('../helpers/python-icalendar.py', import.meta.url));

let s: TestServer;
const SEED = 'https://www.addevent.com/api/v1';
const ids: Record<string, string> = {};

/** A documented curl URL, run against this server with this token and these ids. */
async function replay(seedUrl: string, init: RequestInit = {}) {
  let url = seedUrl.replace(SEED, `${s.url}/compat/addevent/api/v1`).replace('USER-TOKEN-ID', ADMIN_TOKEN);
  for (const [from, to] of Object.entries(ids)) url = url.replace(new RegExp(`(?<=[=,])${from}(?=[&,]|$)`, 'g'), to);
  const r = await fetch(url, init);
  const text = await r.text();
  return { status: r.status, text, body: JSON.parse(text) };
}

beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s?.stop();
});

const DESCRIPTION = 'Select your calendar, and accept the calendar subscription notice. \n\nWhen accepted, all of our events will automatically appear in your calendar application or mobile device.';
const CAL_KEYS = ['id', 'uniquekey', 'title', 'description', 'timezone', 'weekday_begin', 'calendar_color', 'palette_id', 'followers_active',
  'followers_total', 'events_total', 'template_id', 'template_embed_id', 'link_short', 'link_long', 'custom_data', 'date_create', 'date_modified'];
const EVENT_KEYS = ['id', 'unique', 'title', 'eventname', 'description', 'location', 'organizer', 'organizer_email', 'date_start', 'date_start_time',
  'date_start_ampm', 'date_start_unix', 'date_end', 'date_end_time', 'date_end_ampm', 'date_end_unix', 'all_day_event', 'date_format', 'timezone',
  'reminder', 'rrule', 'template_id', 'color', 'transp', 'custom_data', 'link_short', 'link_long', 'date_create', 'date_modified', 'updated_times'];
const SAVED_EVENT_KEYS = ['id', 'calendar', 'unique', 'title', 'description', 'location', 'organizer', 'organizer_email', 'date_start', 'date_start_time',
  'date_start_ampm', 'date_end', 'date_end_time', 'date_end_ampm', 'all_day_event', 'date_format', 'timezone', 'reminder', 'rrule', 'template_id',
  'color', 'transp', 'custom_data', 'updated_times', 'link_short', 'link_long', 'date_create', 'date_modified'];

describe('AddEvent: the documented examples', () => {
  it('lists calendars: the main one first made, with links to its subscribe page', async () => {
    const r = await replay(`${SEED}/me/calendars/list/?token=USER-TOKEN-ID`);
    expect(r.status).toBe(200);
    expect(r.body.meta).toEqual({ code: '200' });
    expect(r.body.paging).toEqual({ previous: '', next: '' });
    const [main] = r.body.calendars;
    expect(Object.keys(main)).toEqual(['id', 'uniquekey', 'title', 'description', 'followers_active', 'followers_total', 'events_total',
      'main_calendar', 'template_id', 'link_short', 'link_long', 'custom_data', 'date_create', 'date_modified']);
    expect(main).toMatchObject({ title: 'Calendar', main_calendar: 'true', followers_active: '0', events_total: '0' });
    expect(main.link_long).toBe(`http://calcast.test/c/${main.uniquekey}`);
    expect(r.text).toContain('"link_long":"http:\\/\\/calcast.test\\/c\\/');
    ids['145161006114'] = main.id;
    const page = await fetch(`${s.url}/c/${main.uniquekey}`);
    expect(page.status).toBe(200);
  });

  it('creates a calendar in America/Los_Angeles by default', async () => {
    const r = await replay(`${SEED}/me/calendars/create/?token=USER-TOKEN-ID&title=Add+our+events+to+your+calendar&description=Select+your+calendar%2C+and+accept+the+calendar+subscription+notice.+%0A%0AWhen+accepted%2C+all+of+our+events+will+automatically+appear+in+your+calendar+application+or+mobile+device.`);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.calendar)).toEqual(CAL_KEYS);
    expect(r.body.calendar).toMatchObject({ title: 'Add our events to your calendar', description: DESCRIPTION, timezone: 'America/Los_Angeles',
      weekday_begin: '0', followers_total: '0', events_total: '0', custom_data: '' });
    expect(typeof r.body.calendar.date_create).toBe('number');
    ids['14793391331949'] = r.body.calendar.id;
    ids['1473327868906'] = r.body.calendar.id;
    const native = await s.api('GET', `/api/v1/calendars/${r.body.calendar.id}`);
    expect(native.body).toMatchObject({ title: 'Add our events to your calendar', timezone: 'America/Los_Angeles' });
  });

  it('saves a calendar, and the extra fields round-trip', async () => {
    const r = await replay(`${SEED}/me/calendars/save/?token=USER-TOKEN-ID&title=Add+our+events+to+your+calendar&description=Select+your+calendar%2C+and+accept+the+calendar+subscription+notice.+%0A%0AWhen+accepted%2C+all+of+our+events+will+automatically+appear+in+your+calendar+application+or+mobile+device.&calendar_id=14793391331949`);
    expect(r.status).toBe(200);
    expect(r.body.calendar.id).toBe(ids['14793391331949']);
    expect(r.body.calendar.description).toBe(DESCRIPTION);
    const more = await replay(`${SEED}/me/calendars/save/?token=USER-TOKEN-ID&calendar_id=14793391331949&weekday_begin=1&calendar_color=5&palette_id=asB7Fg&template_id=a20418bkd038dkO&custom_data=${encodeURIComponent('{"name":"Michael"}')}&timezone=Europe/Paris`);
    expect(more.body.calendar).toMatchObject({ weekday_begin: '1', calendar_color: '5', palette_id: 'asB7Fg', template_id: 'a20418bkd038dkO',
      custom_data: '{"name":"Michael"}', timezone: 'Europe/Paris', title: 'Add our events to your calendar' });
    const native = await s.api('GET', `/api/v1/calendars/${ids['14793391331949']}`);
    expect(native.body).toMatchObject({ weekday_begin: 'monday', custom_data: { name: 'Michael' }, timezone: 'Europe/Paris' });
    await replay(`${SEED}/me/calendars/save/?token=USER-TOKEN-ID&calendar_id=14793391331949&timezone=America/Los_Angeles`);
  });

  it('creates an event: the end written without a space after the year, zone, reminder, organizer', async () => {
    const r = await replay(`${SEED}/me/calendars/events/create/?token=USER-TOKEN-ID&calendar_id=1473327868906&title=Title+of+the+event&description=Description+of+the+event&location=1600+Amphitheatre+Pkwy%2C+Mountain+View%2C+CA+94043&organizer=Thomas+Scott&organizer_email=thomas%40example.com&timezone=America%2FLos_Angeles&reminder=60&start_date=04%2F02%2F2024+09%3A00&end_date=04%2F02%2F202411%3A00&all_day_event=false&custom_data=null`);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.event)).toEqual(SAVED_EVENT_KEYS);
    expect(r.body.event).toMatchObject({
      calendar: ids['1473327868906'], title: 'Title of the event', description: 'Description of the event',
      location: '1600 Amphitheatre Pkwy, Mountain View, CA 94043', organizer: 'Thomas Scott', organizer_email: 'thomas@example.com',
      date_start: '04/02/2024', date_start_time: '09:00:00', date_start_ampm: 'AM', date_end: '04/02/2024', date_end_time: '11:00:00',
      date_end_ampm: 'AM', all_day_event: 'false', date_format: 'MM/DD/YYYY', timezone: 'America/Los_Angeles', reminder: '60',
      transp: 'free', custom_data: '', updated_times: '0',
    });
    ids['159051'] = r.body.event.id;
    // The event's page is where link_long points, and the feed carries the event.
    const page = await fetch(r.body.event.link_long.replace('http://calcast.test', s.url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Title of the event');
    const native = await s.api('GET', `/api/v1/calendars/${ids['1473327868906']}/events/${r.body.event.id}`);
    expect(native.body).toMatchObject({ start: '2024-04-02T09:00:00-07:00', end: '2024-04-02T11:00:00-07:00', reminders: [60],
      organizer: { name: 'Thomas Scott', email: 'thomas@example.com' }, transparency: 'free' });
  });

  it('saves an event: given fields change, the rest stay', async () => {
    const r = await replay(`${SEED}/me/calendars/events/save/?token=USER-TOKEN-ID&event_id=159051&title=Title+of+the+event&description=Description+of+the+event&location=1600+Amphitheatre+Pkwy%2C+Mountain+View%2C+CA+94043&organizer=Thomas+Scott&organizer_email=thomas%40example.com&timezone=America%2FLos_Angeles&reminder=60&start_date=04%2F02%2F2024+09%3A00&end_date=04%2F02%2F202411%3A00&all_day_event=false&custom_data=`);
    expect(r.status).toBe(200);
    expect(r.body.event).toMatchObject({ id: ids['159051'], date_start_time: '09:00:00', date_end_time: '11:00:00', custom_data: '' });
    const moved = await replay(`${SEED}/me/calendars/events/save/?token=USER-TOKEN-ID&event_id=159051&start_date=${encodeURIComponent('19-03-2024 15:00')}&color=3&transp=opaque&custom_data=${encodeURIComponent('{"tag":"company"}')}&rrule=${encodeURIComponent('FREQ=WEEKLY;COUNT=3')}`);
    expect(moved.status).toBe(200);
    // A new start without an end: start plus one hour, as the documentation says.
    expect(moved.body.event).toMatchObject({ date_start: '03/19/2024', date_start_time: '03:00:00', date_start_ampm: 'PM',
      date_end_time: '04:00:00', date_end_ampm: 'PM', color: '3', transp: 'busy', custom_data: '{"tag":"company"}',
      rrule: 'FREQ=WEEKLY;COUNT=3', title: 'Title of the event', organizer: 'Thomas Scott', updated_times: '1' });
    // What a visitor of the event's page downloads: valid RFC 5545 to ical.js and to python-icalendar.
    const feed = await (await fetch(`${s.url}/e/${moved.body.event.unique}.ics`)).text();
    const vevent = new ICAL.Component(ICAL.parse(feed)).getFirstSubcomponent('vevent')!;
    expect(vevent.getFirstProperty('dtstart')!.toICALString()).toBe('DTSTART;TZID=America/Los_Angeles:20240319T150000');
    expect(vevent.getFirstPropertyValue('rrule')!.toString()).toBe('FREQ=WEEKLY;COUNT=3');
    expect(vevent.getFirstPropertyValue('transp')).toBe('OPAQUE');
    expect(vevent.getFirstPropertyValue('organizer')).toBe('mailto:thomas@example.com');
    expect(String(vevent.getFirstPropertyValue('color'))).toMatch(/^#[0-9A-F]{6}$|^[a-z]+$/);
    const read = JSON.parse(execFileSync('/usr/bin/python3', [PYTHON_READER], { input: feed }).toString());
    expect(read).toMatchObject({ version: '2.0', events: 1, summaries: ['Title of the event'], starts: ['2024-03-19T15:00:00-07:00'] });
  });

  it('lists a calendar\'s events, with every filter', async () => {
    const cal = ids['1473327868906']!;
    for (const [title, start] of [['Second', '2024/06/10 10:00 AM'], ['Third', '2024-06-20 08:00']]) {
      const made = await fetch(`${s.url}/compat/addevent/api/v1/me/calendars/events/create/`, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: ADMIN_TOKEN, calendar_id: cal, title: title!, start_date: start!, timezone: 'Europe/Paris', description: `Hello World ${title}` }),
      });
      expect(made.status).toBe(200);
    }
    const r = await replay(`${SEED}/me/calendars/events/list/?token=USER-TOKEN-ID&calendar_id=1473327868906`);
    expect(r.status).toBe(200);
    expect(r.body.calendar).toEqual({ id: cal, events_count: 3, link_short: expect.any(String), link_long: expect.stringMatching(/^http:\/\/calcast\.test\/c\//) });
    expect(Object.keys(r.body.events[0])).toEqual(EVENT_KEYS);
    // "sorted by recently created"
    expect(r.body.events.map((e: { title: string }) => e.title)).toEqual(['Third', 'Second', 'Title of the event']);
    expect(r.body.events[0]).toMatchObject({ timezone: 'Europe/Paris', date_start: '06/20/2024', date_start_time: '08:00:00',
      date_start_unix: Date.UTC(2024, 5, 20, 6) / 1000, date_end_unix: Date.UTC(2024, 5, 20, 7) / 1000, transp: 'free' });
    const q = (extra: string) => replay(`${SEED}/me/calendars/events/list/?token=USER-TOKEN-ID&calendar_id=1473327868906${extra}`)
      .then((x) => x.body.events.map((e: { title: string }) => e.title));
    expect(await q('&order_by=date-asc')).toEqual(['Title of the event', 'Second', 'Third']);
    expect(await q('&order_by=date-desc')).toEqual(['Third', 'Second', 'Title of the event']);
    expect(await q('&order_by=id-asc')).toEqual(['Title of the event', 'Second', 'Third']);
    expect(await q('&order_by=id-desc')).toEqual(['Third', 'Second', 'Title of the event']);
    expect(await q('&month=06&year=2024')).toEqual(['Third', 'Second']);
    expect(await q('&month=03&year=2024')).toEqual(['Title of the event']);
    expect(await q('&search=Hello+World')).toEqual(['Third', 'Second']);
    expect(await q('&json_field=tag&json_value=company')).toEqual(['Title of the event']);
    // upcoming: now, and each of the four documented date forms; soonest first by default.
    expect(await q('&upcoming=now')).toEqual([]);
    for (const form of ['2024-06-15 17:30:00', '15-06-2024 11:00:00', '2024/06/15 09:37am', '06/15/2024 03:05pm']) {
      expect(await q(`&upcoming=${encodeURIComponent(form)}`)).toEqual(['Third']);
    }
    expect(await q(`&upcoming=${encodeURIComponent('2024/01/01 12:01pm')}`)).toEqual(['Title of the event', 'Second', 'Third']);
  });

  it('lists events across calendars, with calendar fields and cals_only', async () => {
    const r = await replay(`${SEED}/me/calendars/events/all/?token=USER-TOKEN-ID`);
    expect(r.status).toBe(200);
    expect(r.body.events).toHaveLength(3);
    expect(Object.keys(r.body.events[0])).toEqual([...EVENT_KEYS, 'calendar_id', 'calendar_uniquekey', 'calendar_title', 'calendar_name',
      'calendar_followers_active', 'calendar_followers_total', 'calendar_events_total', 'calendar_link_short', 'calendar_link_long',
      'calendar_date_create', 'calendar_date_modified']);
    expect(r.body.events[0]).toMatchObject({ calendar_id: ids['1473327868906'], calendar_title: 'Add our events to your calendar', calendar_events_total: '3' });
    expect(r.body.events[0].calendar_date_create).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const only = await replay(`${SEED}/me/calendars/events/all/?token=USER-TOKEN-ID&cals_only=145161006114`);
    expect(only.body.events).toEqual([]);
    const byCal = await replay(`${SEED}/me/calendars/events/all/?token=USER-TOKEN-ID&order_by=calendar-id-asc&cals_only=145161006114,1473327868906`);
    expect(byCal.body.events).toHaveLength(3);
  });

  it('deletes an event', async () => {
    const r = await replay(`${SEED}/me/calendars/events/delete/?token=USER-TOKEN-ID&event_id=159051`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ meta: { code: '200' }, event: { id: ids['159051'], status: 'deleted' } });
    const again = await replay(`${SEED}/me/calendars/events/delete/?token=USER-TOKEN-ID&event_id=159051`);
    expect(again.status).toBe(404);
    expect(again.body.meta).toMatchObject({ code: '404', field: 'event_id' });
  });

  it('lists, shows and deletes subscribers, 20 a page, by status and order', async () => {
    const cal = (await s.store.getCalendar(ids['14793391331949']!))!;
    for (let i = 0; i < 21; i++) await s.service.mintSubscriber(cal, { name: `Person ${i}`, email: null, client: i % 2 ? 'google' : 'apple_ios' });
    const r = await replay(`${SEED}/me/calendars/subscribers/list/?token=USER-TOKEN-ID&calendar_id=14793391331949`);
    expect(r.status).toBe(200);
    expect(r.body.summary).toEqual({ subscribers_total: '21', subscribers_active: '0' });
    expect(r.body.calendar.header).toMatchObject({ active: 'Active', userid: 'ID', lastsyncdate: 'Last sync date' });
    expect(r.body.calendar.subscribers).toHaveLength(20);
    const first = r.body.calendar.subscribers[0];
    expect(Object.keys(first)).toEqual(Object.keys(r.body.calendar.header));
    expect(first).toMatchObject({ active: 'No', blocked: 'False', syncs: '0', lastsyncdate: '' });
    expect(first.createdate).toMatch(/^[A-Z][a-z]{2} \d{1,2}(st|nd|rd|th) \d{4} \d{2}:\d{2}(am|pm) \(UTC\)$/);
    expect(r.body.paging.next).toBe(`http://calcast.test/compat/addevent/api/v1/me/calendars/subscribers/list/?token=${ADMIN_TOKEN}&calendar_id=${cal.id}&page=2`);
    const two = await replay(`${SEED}/me/calendars/subscribers/list/?token=USER-TOKEN-ID&calendar_id=14793391331949&page=2`);
    expect(two.body.calendar.subscribers).toHaveLength(1);
    expect(two.body.paging.previous).toMatch(/&page=1$/);
    const inactive = await replay(`${SEED}/me/calendars/subscribers/list/?token=USER-TOKEN-ID&calendar_id=14793391331949&page=2&status=inactive`);
    expect(inactive.body.calendar.subscribers).toHaveLength(1);
    const desc = await replay(`${SEED}/me/calendars/subscribers/list/?token=USER-TOKEN-ID&calendar_id=14793391331949&order=desc`);
    expect(desc.body.calendar.subscribers).toHaveLength(20);
    const all = [...r.body.calendar.subscribers, ...two.body.calendar.subscribers].map((x: { userid: string }) => x.userid);
    expect(new Set(all).size).toBe(21);
    ids.wl150897869af = first.userid;
    const one = await replay(`${SEED}/me/calendars/subscribers/subscriber/?token=USER-TOKEN-ID&calendar_id=14793391331949&user_id=wl150897869af`);
    expect(one.status).toBe(200);
    expect(one.body.calendar.subscriber).toEqual(first);
    const gone = await replay(`${SEED}/me/calendars/subscribers/subscriber/delete/?token=USER-TOKEN-ID&calendar_id=14793391331949&user_id=wl150897869af`);
    expect(gone.body).toEqual({ meta: { code: '200' }, calendar: { subscriber: { userid: first.userid, status: 'deleted' } } });
    const after = await replay(`${SEED}/me/calendars/subscribers/list/?token=USER-TOKEN-ID&calendar_id=14793391331949`);
    expect(after.body.summary.subscribers_total).toBe('20');
  });

  it('deletes a calendar, but never the main one', async () => {
    const r = await replay(`${SEED}/me/calendars/delete/?token=USER-TOKEN-ID&calendar_id=14793391331949`);
    expect(r.body).toEqual({ meta: { code: '200' }, calendar: { id: ids['14793391331949'], status: 'deleted' } });
    const main = await replay(`${SEED}/me/calendars/delete/?token=USER-TOKEN-ID&calendar_id=145161006114`);
    expect(main.status).toBe(409);
    expect(main.body.meta).toMatchObject({ code: '409', error_message: 'the main calendar cannot be deleted' });
    expect((await s.store.getCalendar(ids['145161006114']!))).not.toBeNull();
  });

  it('lists time zones without a token', async () => {
    const r = await replay(`${SEED}/timezones`);
    expect(r.status).toBe(200);
    expect(r.body.meta).toEqual({ code: 200 });
    expect(r.body.data.find((z: { label: string }) => z.label === 'Africa/Abidjan')).toEqual({ label: 'Africa/Abidjan', offset: '+00:00' });
  });
});
