import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dav, weeklySeries } from '../helpers/dav.js';
import { runOk } from '../helpers/run.js';
import { hashPassword } from '../../src/util/secrets.js';
import { ADMIN_PASSWORD, startServer, type TestServer } from '../helpers/server.js';
import { startSmtp } from '../helpers/smtp.js';
import ICAL from 'ical.js';

// python3-caldav (Debian, /usr/bin/python3): principal discovery, save_event, scheduling
// (schedule_inbox, schedule_outbox, save_with_invites), expanded
// date_search over a series with EXDATE and a moved instance, and RFC 6578 sync tokens.

const SEARCH = fileURLToPath(new URL('./python/caldav_search.py', import.meta.url));
const SYNC = fileURLToPath(new URL('./python/caldav_sync.py', import.meta.url));
const UNTYPED = fileURLToPath(new URL('./python/caldav_untyped_search.py', import.meta.url));
const ROOT = fileURLToPath(new URL('./python/caldav_root.py', import.meta.url));
const PRINCIPALS = fileURLToPath(new URL('./python/caldav_principal_search.py', import.meta.url));
const SCHEDULING = fileURLToPath(new URL('./python/caldav_scheduling.py', import.meta.url));

let s: TestServer;
let dir: string;

async function python<T>(script: string, ...args: string[]): Promise<T> {
  return pythonAt<T>(s, script, ...args);
}
async function pythonAt<T>(server: TestServer, script: string, ...args: string[]): Promise<T> {
  const r = await runOk('/usr/bin/python3', [script, server.url, 'admin', ADMIN_PASSWORD, ...args], { timeoutMs: 90_000 });
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}
async function newCalendar(title: string): Promise<{ id: string; path: string }> {
  const cal = (await s.api('POST', '/api/v1/calendars', { title, timezone: 'Europe/Paris' })).body;
  return { id: cal.id, path: `/dav/calendars/admin/${cal.id}/` };
}

beforeAll(async () => {
  s = await startServer();
  dir = mkdtempSync(join(tmpdir(), 'calcast-pycaldav-'));
});
afterAll(async () => {
  await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Instance { uid: string; summary: string; start: string; recurrence_id: string | null; rrule: boolean }

describe('python3-caldav', { timeout: 120_000 }, () => {
  it('finds the calendar, saves an event and expands a series with EXDATE and a moved instance', async () => {
    const { id, path } = await newCalendar('Python');
    await newCalendar('Other');
    const ics = join(dir, 'weekly.ics');
    writeFileSync(ics, weeklySeries('py-weekly@example.com'));
    const out = await python<{
      principal: string; calendars: { path: string; name: string }[]; saved: string;
      january: Instance[]; excluded_day: Instance[]; moved_day: Instance[]; client_expanded: string[];
    }>(SEARCH, path, ics);

    expect(out.principal).toBe('/dav/principals/admin/');
    expect(out.calendars).toContainEqual({ path, name: 'Python' });
    // The admin's default calendar, then the two made here.
    expect(out.calendars).toContainEqual({ path: '/dav/calendars/admin/calendar/', name: 'Calendar' });
    expect(out.calendars).toHaveLength(3);
    expect(out.saved.startsWith(path)).toBe(true);
    const events = (await s.api('GET', `/api/v1/calendars/${id}/events`)).body.data;
    expect(events).toMatchObject([{ uid: 'py-weekly@example.com', title: 'Standup', rrule: 'FREQ=WEEKLY;COUNT=6' }]);

    // Mondays 09:00 Paris = 08:00Z; the 20th is excluded, the 27th moved to Tuesday 28th 14:00.
    expect(out.january).toEqual([
      { uid: 'py-weekly@example.com', summary: 'Standup', start: '2031-01-06T08:00:00+00:00', recurrence_id: '2031-01-06T08:00:00+00:00', rrule: false },
      { uid: 'py-weekly@example.com', summary: 'Standup', start: '2031-01-13T08:00:00+00:00', recurrence_id: '2031-01-13T08:00:00+00:00', rrule: false },
      { uid: 'py-weekly@example.com', summary: 'Standup (moved)', start: '2031-01-28T13:00:00+00:00', recurrence_id: '2031-01-27T08:00:00+00:00', rrule: false },
    ]);
    expect(out.excluded_day).toEqual([]);
    expect(out.moved_day.map((i) => i.summary)).toEqual(['Standup (moved)']);
    // The server expanded (RFC 4791 §9.6.5): the library never had to.
    expect(out.client_expanded).toEqual([]);
  });

  it('syncs by token: everything, then nothing, then what changed and what was deleted', async () => {
    const { id, path } = await newCalendar('Sync');
    const post = async (title: string) => (await s.api('POST', `/api/v1/calendars/${id}/events`, { title, start: '2031-03-01T10:00:00Z' })).body;
    const keep = await post('Keep');
    const change = await post('Change');
    const drop = await post('Drop');

    const initial = await python<{ token: string; objects: { path: string; summary: string }[] }>(SYNC, path, 'initial');
    expect(initial.token).toMatch(/^urn:calcast:sync:/);
    expect(initial.objects).toEqual([
      { path: `${path}${change.id}.ics`, summary: 'Change' },
      { path: `${path}${drop.id}.ics`, summary: 'Drop' },
      { path: `${path}${keep.id}.ics`, summary: 'Keep' },
    ]);

    type Since = { listed: string[]; listed_token: string; token: string; updated: { path: string; summary: string }[]; deleted: string[] };
    const quiet = await python<Since>(SYNC, path, 'since', initial.token);
    expect(quiet).toEqual({ listed: [], listed_token: initial.token, token: initial.token, updated: [], deleted: [] });

    await s.api('PATCH', `/api/v1/calendars/${id}/events/${change.id}`, { title: 'Changed' });
    await s.api('DELETE', `/api/v1/calendars/${id}/events/${drop.id}`);
    const put = await dav(s, 'PUT', `${path}over-dav.ics`, {
      body: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:over-dav\r\nDTSTAMP:20300101T000000Z\r\nDTSTART:20310302T100000Z\r\nSUMMARY:Over DAV\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
    });
    expect(put.status).toBe(201);
    const after = await python<Since>(SYNC, path, 'since', initial.token);
    expect(after.token).not.toBe(initial.token);
    expect(after.updated).toEqual([
      { path: `${path}${change.id}.ics`, summary: 'Changed' },
      { path: `${path}over-dav.ics`, summary: 'Over DAV' },
    ]);
    expect(after.deleted).toEqual([`${path}${drop.id}.ics`]);
    expect((await python<Since>(SYNC, path, 'since', after.token)).updated).toEqual([]);
  });

  it('starts from the bare server address: / answers current-user-principal after auth, as /dav/ does', async () => {
    const { path } = await newCalendar('From the root');
    const out = await python<{ principal: string; calendars: string[] }>(ROOT);
    expect(out.principal).toBe('/dav/principals/admin/');
    expect(out.calendars).toContain(path);
    // Without credentials, a challenge rather than a 404; OPTIONS advertises DAV; GET / is unchanged.
    const anonymous = await dav(s, 'PROPFIND', '/', { auth: null, depth: '0' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    const options = await dav(s, 'OPTIONS', '/');
    expect(options.headers.get('dav')).toContain('calendar-access');
    expect((await fetch(`${s.url}/`)).headers.get('dav')).toBeNull();
  });

  it('finds another user by part of their name through the principal collection the principal advertises', async () => {
    await s.store.createUser('maria.gonzalez', await hashPassword('maria-pass-123'));
    const out = await python<{ status: number; collection: string; found: [string, string][] }>(PRINCIPALS, 'GONZ');
    expect(out).toEqual({ status: 207, collection: '/dav/principals/', found: [['/dav/principals/maria.gonzalez/', 'maria.gonzalez']] });
    expect((await python<{ found: unknown[] }>(PRINCIPALS, 'no-such-person')).found).toEqual([]);
  });

  it('gives a new user a calendar titled "Calendar", unless CALCAST_DEFAULT_CALENDAR=off', async () => {
    const fresh = await startServer();
    const bare = await startServer({ env: { CALCAST_DEFAULT_CALENDAR: 'off' } });
    try {
      const found = await pythonAt<{ calendars: string[] }>(fresh, ROOT);
      expect(found.calendars).toEqual(['/dav/calendars/admin/calendar/']);
      const props = await dav(fresh, 'PROPFIND', '/dav/calendars/admin/calendar/', { depth: '0', body:
        '<D:propfind xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:propfind>' });
      expect(props.text).toContain('>Calendar</');
      expect((await pythonAt<{ calendars: string[] }>(bare, ROOT)).calendars).toEqual([]);
    } finally {
      await Promise.all([fresh.stop(), bare.stop()]);
    }
  });

  it('searches by time with no component type and gets events, to-dos and journals in range', async () => {
    const { path } = await newCalendar('Untyped search');
    const put = async (name: string, lines: string[]) => {
      const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
      expect((await dav(s, 'PUT', `${path}${name}.ics`, { body: text })).status).toBe(201);
    };
    const stamp = 'DTSTAMP:20310101T000000Z';
    await put('event-in', ['BEGIN:VEVENT', 'UID:event-in', stamp, 'DTSTART:20310310T090000Z', 'DTEND:20310310T100000Z', 'SUMMARY:In', 'END:VEVENT']);
    await put('event-out', ['BEGIN:VEVENT', 'UID:event-out', stamp, 'DTSTART:20310510T090000Z', 'DTEND:20310510T100000Z', 'SUMMARY:Out', 'END:VEVENT']);
    await put('todo-in', ['BEGIN:VTODO', 'UID:todo-in', stamp, 'DUE:20310315T120000Z', 'SUMMARY:Due in March', 'END:VTODO']);
    await put('todo-out', ['BEGIN:VTODO', 'UID:todo-out', stamp, 'DUE:20310615T120000Z', 'SUMMARY:Due in June', 'END:VTODO']);
    await put('journal-in', ['BEGIN:VJOURNAL', 'UID:journal-in', stamp, 'DTSTART;VALUE=DATE:20310320', 'SUMMARY:Notes', 'END:VJOURNAL']);
    const out = await python<{ uids: string[] }>(UNTYPED, path);
    expect(out.uids).toEqual(['event-in', 'journal-in', 'todo-in']);
  });

  it('schedules: finds inbox and outbox, saves with invites, and the invitee reads the REQUEST in their inbox', async () => {
    const smtp = await startSmtp();
    const server = await startServer({ env: { CALCAST_SMTP_URL: smtp.url, CALCAST_MAIL_FROM: 'calendar@calcast.test' } });
    try {
      await server.service.setEmail((await server.store.getUserByName('admin'))!, 'admin@calcast.test');
      await server.service.setEmail(await server.service.createUser('bob', 'bob-password-123'), 'bob@calcast.test');
      const out = await pythonAt<{
        scheduling: boolean; inbox: string; outbox: string; addresses: string[]; organizer: string;
        attendees: Record<string, string | null>; invitee_inbox: { method: string; summary: string }[];
      }>(server, SCHEDULING, 'bob', 'bob-password-123', '/dav/calendars/admin/calendar/');
      expect(out).toEqual({
        scheduling: true, inbox: '/dav/scheduling/admin/inbox/', outbox: '/dav/scheduling/admin/outbox/',
        addresses: ['mailto:admin@calcast.test', '/dav/principals/admin/'], organizer: 'mailto:admin@calcast.test',
        // The organizer (added as an attendee too) is not scheduled; Bob got it in his inbox, Carol's mail is queued.
        attendees: { 'mailto:admin@calcast.test': null, 'mailto:bob@calcast.test': '1.2', 'mailto:carol@example.org': '1.0' },
        invitee_inbox: [{ method: 'REQUEST', summary: 'Python planning' }],
      });
      const [mail] = await smtp.waitFor(1);
      expect(mail!.to).toBe('carol@example.org');
      const part = mail!.mail.attachments.find((a) => a.contentType === 'text/calendar')!;
      const root = new ICAL.Component(ICAL.parse(part.content.toString('utf8')));
      expect([root.getFirstPropertyValue('method'), root.getFirstSubcomponent('vevent')!.getFirstPropertyValue('summary')])
        .toEqual(['REQUEST', 'Python planning']);
    } finally {
      await server.stop();
      await smtp.stop();
    }
  });
});
