import { DAVClient, calendarMultiGet, fetchCalendarObjects, type DAVCalendar } from 'tsdav';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { vcalendar, vevent, weeklySeries } from '../helpers/dav.js';
import { ADMIN_PASSWORD, startServer, type TestServer } from '../helpers/server.js';

// tsdav (npm), the CalDAV client of many web and Electron apps: discovery from the bare host
// through /.well-known/caldav, calendars with their ctag and sync token, object writes, and
// both of its sync strategies (sync-collection, and ctag + PROPFIND).

let s: TestServer;
let calId: string;
let calPath: string;
let client: DAVClient;
const ours = (cals: DAVCalendar[]) => cals.find((c) => new URL(c.url).pathname === calPath)!;
const apiTitles = async () =>
  (await s.api('GET', `/api/v1/calendars/${calId}/events`)).body.data.map((e: { title: string }) => e.title).sort();

beforeAll(async () => {
  s = await startServer();
  const cal = (await s.api('POST', '/api/v1/calendars', { title: 'Web app', timezone: 'Europe/Paris' })).body;
  calId = cal.id;
  calPath = `/dav/calendars/admin/${calId}/`;
  await s.api('POST', `/api/v1/calendars/${calId}/events`, { title: 'Seeded', start: '2031-01-06T10:00:00Z' });
  client = new DAVClient({
    serverUrl: s.url,
    credentials: { username: 'admin', password: ADMIN_PASSWORD },
    authMethod: 'Basic',
    defaultAccountType: 'caldav',
  });
  await client.login();
});
afterAll(() => s.stop());

describe('tsdav', { timeout: 60_000 }, () => {
  it('discovers the account from the bare host (RFC 6764 well-known)', () => {
    expect(client.account).toMatchObject({
      serverUrl: s.url,
      rootUrl: `${s.url}/dav/`,
      principalUrl: `${s.url}/dav/principals/admin/`,
      homeUrl: `${s.url}/dav/calendars/admin/`,
    });
  });

  it('fetches the calendar with its name, components, ctag and sync token', async () => {
    const cal = ours(await client.fetchCalendars());
    expect(cal).toMatchObject({ displayName: 'Web app', components: ['VEVENT', 'VTODO', 'VJOURNAL'] });
    expect(cal.ctag).toMatch(/^urn:calcast:sync:/);
    expect(cal.syncToken).toBe(cal.ctag);
    expect(cal.reports).toEqual(expect.arrayContaining(['calendarQuery', 'calendarMultiget', 'syncCollection']));
    expect(cal.timezone).toContain('TZID:Europe/Paris');
  });

  it('creates, updates and deletes an object; the JSON API sees each step', async () => {
    const calendar = ours(await client.fetchCalendars());
    const created = await client.createCalendarObject({
      calendar, filename: 'from-tsdav.ics',
      iCalString: vcalendar(vevent('tsdav-1@example.com', 'From tsdav', ['DTSTART:20310301T090000Z', 'DTEND:20310301T100000Z'])),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toMatch(/^"/);
    expect(await apiTitles()).toEqual(['From tsdav', 'Seeded']);

    const [object] = await client.fetchCalendarObjects({ calendar, objectUrls: [`${calendar.url}from-tsdav.ics`] });
    expect(object!.etag).toBe(created.headers.get('etag'));
    const updated = await client.updateCalendarObject({
      calendarObject: { ...object!, data: object!.data.replace('SUMMARY:From tsdav', 'SUMMARY:From tsdav, edited') },
    });
    expect(updated.status).toBe(204);
    expect(await apiTitles()).toEqual(['From tsdav, edited', 'Seeded']);
    // A stale ETag is refused rather than overwriting (If-Match).
    const stale = await client.updateCalendarObject({ calendarObject: { ...object!, data: object!.data.replace('From tsdav', 'Lost') } });
    expect(stale.status).toBe(412);

    const current = (await client.fetchCalendarObjects({ calendar, objectUrls: [`${calendar.url}from-tsdav.ics`] }))[0]!;
    expect((await client.deleteCalendarObject({ calendarObject: current })).status).toBe(204);
    expect(await apiTitles()).toEqual(['Seeded']);
  });

  it('fetches a time range with server-side expansion', async () => {
    const calendar = ours(await client.fetchCalendars());
    expect((await client.createCalendarObject({ calendar, filename: 'weekly.ics', iCalString: weeklySeries('tsdav-weekly') })).status).toBe(201);
    const objects = await client.fetchCalendarObjects({
      calendar, timeRange: { start: '2031-01-01T00:00:00Z', end: '2031-02-01T00:00:00Z' }, expand: true,
    });
    const weekly = objects.find((o) => o.url.endsWith('/weekly.ics'))!;
    expect(weekly.data.match(/^DTSTART:[^\r\n]+/gm)).toEqual(['DTSTART:20310106T080000Z', 'DTSTART:20310113T080000Z', 'DTSTART:20310128T130000Z']);
    expect(weekly.data).toContain('SUMMARY:Standup (moved)');
    expect(objects.map((o) => new URL(o.url).pathname.slice(calPath.length))).not.toContain('from-tsdav.ics');
  });

  it('picks up a change made through the JSON API with syncCalendarsDetailed (sync-collection)', async () => {
    const before = await client.fetchCalendars();
    const old = ours(before);
    const posted = (await s.api('POST', `/api/v1/calendars/${calId}/events`, { title: 'Added by the API', start: '2031-04-01T10:00:00Z' })).body;
    const result = await client.syncCalendarsDetailed({ oldCalendars: before });
    const changed = ours(result.updated);
    expect(changed.syncToken).not.toBe(old.syncToken);
    expect(changed.objects!.map((o: { url: string }) => new URL(o.url).pathname)).toEqual([`${calPath}${posted.id}.ics`]);
    expect(changed.objects![0]!.data).toContain('SUMMARY:Added by the API');
    expect(result.created).toEqual([]);
    expect(result.deleted).toEqual([]);
  });

  it('picks up edits and deletes with smartCollectionSyncDetailed, by sync token and by ctag', async () => {
    for (const method of ['webdav', 'basic'] as const) {
      const calendar = ours(await client.fetchCalendars());
      const objects = await client.fetchCalendarObjects({ calendar });
      const posted = (await s.api('POST', `/api/v1/calendars/${calId}/events`, { title: `New (${method})`, start: '2031-05-01T10:00:00Z' })).body;
      const seeded = (await s.api('GET', `/api/v1/calendars/${calId}/events`)).body.data.find((e: { title: string }) => e.title.startsWith('Seeded'));
      await s.api('PATCH', `/api/v1/calendars/${calId}/events/${seeded.id}`, { title: `Seeded (${method})` });
      // Round one deletes the series, round two the object round one created.
      const victim = objects.find((o) => o.url.endsWith('/weekly.ics') || o.data.includes('SUMMARY:New (webdav)'))!;
      expect((await client.deleteCalendarObject({ calendarObject: victim })).status).toBe(204);

      // As tsdav's own syncCalendars wires it: multiget for sync-collection, a full fetch for ctag.
      const collection = {
        ...calendar, objects, objectMultiGet: calendarMultiGet,
        fetchObjects: async (p?: { collection: DAVCalendar; headers?: Record<string, string> }) =>
          (p ? fetchCalendarObjects({ calendar: p.collection, ...(p.headers ? { headers: p.headers } : {}) }) : []),
      };
      const synced = await client.smartCollectionSyncDetailed({ collection, method });
      const paths = (list: { url: string }[]) => list.map((o) => new URL(o.url, s.url).pathname).sort();
      expect(paths(synced.objects.created)).toEqual([`${calPath}${posted.id}.ics`]);
      expect(paths(synced.objects.updated)).toEqual([`${calPath}${seeded.id}.ics`]);
      expect(paths(synced.objects.deleted)).toEqual([new URL(victim.url).pathname]);
      // The sync-collection path moves the sync token on, the basic path the ctag.
      if (method === 'webdav') expect(synced.syncToken).not.toBe(calendar.syncToken);
      else expect(synced.ctag).not.toBe(calendar.ctag);
    }
  });
});
