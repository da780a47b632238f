import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALDAV, dav, multistatus, vcalendar, vevent } from '../helpers/dav.js';
import { runOk } from '../helpers/run.js';
import { ADMIN_PASSWORD, startServer, type TestServer } from '../helpers/server.js';

// vdirsyncer (Debian's, 0.19) between a folder of .ics files and the calendar home: discovery
// through PROPFIND, then two-way sync by ETag in both directions, edits and deletes included.

let s: TestServer;
let dir: string;
let calId: string;
const cfg = () => join(dir, 'config');
const localDir = () => join(dir, 'local', calId);

interface Item { uid: string; title: string }
const byUid = (a: Item, b: Item) => a.uid.localeCompare(b.uid);

/** UID and SUMMARY of the first component of each local file (lines unfolded). */
function localItems(): Item[] {
  return readdirSync(localDir()).filter((f) => f.endsWith('.ics')).map((f) => {
    const lines = readFileSync(join(localDir(), f), 'utf8').replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
    const start = lines.findIndex((l) => /^BEGIN:V(EVENT|TODO)$/.test(l));
    const value = (name: string) => lines.slice(start).find((l) => l.startsWith(`${name}:`))!.slice(name.length + 1);
    return { uid: value('UID'), title: value('SUMMARY') };
  }).sort(byUid);
}
async function apiItems(): Promise<Item[]> {
  const r = await s.api('GET', `/api/v1/calendars/${calId}/events?page_limit=500`);
  expect(r.status).toBe(200);
  return r.body.data.map((e: { uid: string; title: string }) => ({ uid: e.uid, title: e.title })).sort(byUid);
}
function localFileOf(uid: string): string {
  const f = readdirSync(localDir()).find((name) => readFileSync(join(localDir(), name), 'utf8').includes(`UID:${uid}`));
  if (!f) throw new Error(`no local file for ${uid}`);
  return join(localDir(), f);
}

async function vdirsyncer(...args: string[]) {
  const r = await runOk('vdirsyncer', ['-c', cfg(), ...args], { input: 'y\n'.repeat(10), timeoutMs: 90_000 });
  // vdirsyncer logs every action on stderr; none may be an error.
  expect(r.stderr).not.toMatch(/^error/im);
  return r;
}
async function syncAndAgree(): Promise<Item[]> {
  await vdirsyncer('sync');
  const items = await apiItems();
  expect(localItems()).toEqual(items);
  return items;
}

beforeAll(async () => {
  s = await startServer();
  dir = mkdtempSync(join(tmpdir(), 'calcast-vdirsyncer-'));
  const cal = (await s.api('POST', '/api/v1/calendars', { title: 'Synced', timezone: 'Europe/Paris' })).body;
  calId = cal.id;
  await s.api('POST', `/api/v1/calendars/${calId}/events`, { title: 'Kickoff', start: '2031-01-06T09:00:00Z', end: '2031-01-06T10:00:00Z' });
  await s.api('POST', `/api/v1/calendars/${calId}/events`, {
    title: 'Standup', start: '2031-01-07 09:00', end: '2031-01-07 09:15', rrule: 'FREQ=WEEKLY;COUNT=10', exdates: ['2031-01-14'],
  });
  mkdirSync(join(dir, 'local'));
  writeFileSync(cfg(), `[general]
status_path = "${join(dir, 'status')}/"

[pair calcast]
a = "calcast_local"
b = "calcast_remote"
collections = ["from b"]
metadata = ["color", "displayname"]

[storage calcast_local]
type = "filesystem"
path = "${join(dir, 'local')}/"
fileext = ".ics"

[storage calcast_remote]
type = "caldav"
url = "${s.url}/dav/calendars/admin/"
username = "admin"
password = "${ADMIN_PASSWORD}"
`);
}, 60_000);
afterAll(async () => {
  await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('vdirsyncer against the calendar home', { timeout: 120_000 }, () => {
  it('discovers the calendar and copies the API events into local files', async () => {
    const discovered = await vdirsyncer('discover');
    expect(discovered.stdout + discovered.stderr).toContain(calId);
    expect(existsSync(localDir())).toBe(true);
    const items = await syncAndAgree();
    expect(items.map((i) => i.title).sort()).toEqual(['Kickoff', 'Standup']);
    // The file is the stored object as the server serves it.
    const standup = items.find((i) => i.title === 'Standup')!;
    expect(readFileSync(localFileOf(standup.uid), 'utf8')).toMatch(/RRULE:FREQ=WEEKLY;COUNT=10/);
    // Nothing changed: a second sync copies nothing.
    expect((await vdirsyncer('sync')).stderr).not.toMatch(/Copying|Deleting/);
  });

  it('uploads a new local file, which the JSON API then lists, byte for byte over CalDAV', async () => {
    const text = vcalendar(vevent('local-1@example.com', 'From the laptop', [
      'DTSTART;TZID=Europe/Paris:20310203T100000', 'DTEND;TZID=Europe/Paris:20310203T110000', 'X-LAPTOP-ONLY:kept',
    ]));
    writeFileSync(join(localDir(), 'local-1.ics'), text);
    const items = await syncAndAgree();
    expect(items).toContainEqual({ uid: 'local-1@example.com', title: 'From the laptop' });
    const event = (await s.api('GET', `/api/v1/calendars/${calId}/events`)).body.data.find((e: Item) => e.uid === 'local-1@example.com');
    expect(event.start).toBe('2031-02-03T10:00:00+01:00');
    // vdirsyncer names the member itself (a UUID: '@' is not in its safe set); find it by UID.
    const query = `<C:calendar-query xmlns:D="DAV:" xmlns:C="${CALDAV}"><D:prop><D:getetag/></D:prop><C:filter>
      <C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="UID">
      <C:text-match collation="i;octet">local-1@example.com</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;
    const found = multistatus((await dav(s, 'REPORT', `/dav/calendars/admin/${calId}/`, { depth: '1', body: query })).text).responses;
    expect(found).toHaveLength(1);
    expect((await dav(s, 'GET', found[0]!.href)).text).toBe(text);
  });

  it('carries an edit on each side to the other', async () => {
    const kickoff = (await s.api('GET', `/api/v1/calendars/${calId}/events`)).body.data.find((e: Item) => e.title === 'Kickoff');
    expect((await s.api('PATCH', `/api/v1/calendars/${calId}/events/${kickoff.id}`, { title: 'Kickoff (room 2)' })).status).toBe(200);
    const file = localFileOf('local-1@example.com');
    writeFileSync(file, readFileSync(file, 'utf8').replace('SUMMARY:From the laptop', 'SUMMARY:From the laptop, edited'));
    const items = await syncAndAgree();
    expect(items.map((i) => i.title).sort()).toEqual(['From the laptop, edited', 'Kickoff (room 2)', 'Standup']);
    expect(readFileSync(localFileOf(kickoff.uid), 'utf8')).toContain('SUMMARY:Kickoff (room 2)');
  });

  it('carries a delete on each side to the other', async () => {
    const standup = (await s.api('GET', `/api/v1/calendars/${calId}/events`)).body.data.find((e: Item) => e.title === 'Standup');
    expect((await s.api('DELETE', `/api/v1/calendars/${calId}/events/${standup.id}`)).status).toBe(204);
    unlinkSync(localFileOf('local-1@example.com'));
    const items = await syncAndAgree();
    expect(items.map((i) => i.title)).toEqual(['Kickoff (room 2)']);
    expect(readdirSync(localDir()).filter((f) => f.endsWith('.ics'))).toHaveLength(1);
  });

  it('round-trips a colour set locally: metasync writes it and reads back exactly the same text', async () => {
    writeFileSync(join(localDir(), 'color'), '#ff0000');
    await vdirsyncer('metasync');
    const got = await dav(s, 'PROPFIND', `/dav/calendars/admin/${calId}/`, { depth: '0', body:
      `<D:propfind xmlns:D="DAV:" xmlns:A="http://apple.com/ns/ical/"><D:prop><A:calendar-color/></D:prop></D:propfind>` });
    expect(got.text).toContain('>#ff0000</');
    // The API shows the normalised colour the feed publishes.
    expect((await s.api('GET', `/api/v1/calendars/${calId}`)).body.color).toBe('#ff0000');
    // A second metasync finds both sides equal: nothing to write, no conflict.
    const again = await vdirsyncer('metasync');
    expect(again.stderr).not.toMatch(/conflict|Copying/i);
    expect(readFileSync(join(localDir(), 'color'), 'utf8').trim()).toBe('#ff0000');
  });
});
