import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ICAL from 'ical.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/store/types.js';
import { CALDAV, DAV, basic, dav, xml } from '../helpers/dav.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { startSmtp, type Received, type TestSmtp } from '../helpers/smtp.js';
import type { XmlElement } from '../../src/xml/parse.js';

// CalDAV scheduling (RFC 6638) as clients and attendees see it: an organizer's PUT and DELETE
// deliver REQUEST and CANCEL into another Calcast user's inbox and by mail (a real SMTP server
// here) to everyone else; free-busy through the outbox.

let smtp: TestSmtp;
let s: TestServer;
let admin: User;
let bob: User;
const BOB_PASSWORD = 'bob-password-123';
const asBob = basic('bob', BOB_PASSWORD);
const calendar = '/dav/calendars/admin/calendar/';

const find = (e: XmlElement, ns: string, local: string): XmlElement[] =>
  (e.ns === ns && e.local === local ? [e] : []).concat(e.children.flatMap((c) => find(c, ns, local)));
const texts = (e: XmlElement, ns: string, local: string) => find(e, ns, local).map((x) => x.text.trim());

function meeting(attendees: string[], extra: string[] = []): string {
  return [
    'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//scheduling//EN', 'BEGIN:VEVENT', 'UID:planning@calcast.test',
    'DTSTAMP:20310101T000000Z', 'DTSTART:20310506T100000Z', 'DTEND:20310506T110000Z', 'SUMMARY:Planning',
    'ORGANIZER;CN=Admin:mailto:admin@calcast.test', 'ATTENDEE;PARTSTAT=ACCEPTED:mailto:admin@calcast.test',
    ...attendees, ...extra, 'END:VEVENT', 'END:VCALENDAR', '',
  ].join('\r\n');
}
const ATTENDEES = [
  'ATTENDEE;CN=Bob;RSVP=TRUE:mailto:Bob@Calcast.test',
  'ATTENDEE;CN=Carol;RSVP=TRUE:mailto:carol@example.org',
  'ATTENDEE;CN=Dave;SCHEDULE-AGENT=CLIENT:mailto:dave@example.org',
];

const PY_ICALENDAR = fileURLToPath(new URL('../helpers/python-icalendar.py', import.meta.url));
/** What python3-icalendar reads in a text we emit: it must be valid iCalendar for it too. */
const pyRead = (text: string): { method: string; uids: string[]; summaries: string[] } =>
  JSON.parse(execFileSync('/usr/bin/python3', [PY_ICALENDAR], { input: text }).toString());

/** The text/calendar part of a received mail, parsed by ical.js. */
function itipOf(r: Received) {
  const part = r.mail.attachments.find((a) => a.contentType === 'text/calendar');
  expect(part, 'a text/calendar part').toBeDefined();
  const root = new ICAL.Component(ICAL.parse(part!.content.toString('utf8')));
  return { method: root.getFirstPropertyValue('method'), event: root.getFirstSubcomponent('vevent')! };
}

/** Bob's inbox as a client lists it (Depth 1) and reads each message (GET). */
async function bobsInbox(): Promise<{ href: string; method: string; text: string }[]> {
  const listing = await dav(s, 'PROPFIND', '/dav/scheduling/bob/inbox/', { auth: asBob, depth: '1', body:
    `<D:propfind xmlns:D="DAV:"><D:prop><D:getetag/><D:resourcetype/></D:prop></D:propfind>` });
  expect(listing.status).toBe(207);
  const hrefs = texts(xml(listing.text), DAV, 'href').filter((h) => h !== '/dav/scheduling/bob/inbox/');
  return Promise.all(hrefs.map(async (href) => {
    const got = await dav(s, 'GET', href, { auth: asBob });
    expect(got.status).toBe(200);
    return { href, method: String(new ICAL.Component(ICAL.parse(got.text)).getFirstPropertyValue('method')), text: got.text };
  }));
}

/** SCHEDULE-STATUS of each attendee of the stored object, by address. */
async function statuses(path: string): Promise<Record<string, string | null>> {
  const got = await dav(s, 'GET', path);
  const event = new ICAL.Component(ICAL.parse(got.text)).getFirstSubcomponent('vevent')!;
  return Object.fromEntries(event.getAllProperties('attendee')
    .map((a) => [String(a.getFirstValue()).toLowerCase(), (a.getParameter('schedule-status') as string | undefined) ?? null]));
}

beforeAll(async () => {
  smtp = await startSmtp();
  s = await startServer({ env: { CALCAST_SMTP_URL: smtp.url, CALCAST_MAIL_FROM: 'calendar@calcast.test', CALCAST_MAIL_RETRY_SECONDS: '1' } });
  admin = await s.service.setEmail((await s.store.getUserByName('admin'))!, 'admin@calcast.test');
  bob = await s.service.setEmail(await s.service.createUser('bob', BOB_PASSWORD), 'bob@calcast.test');
});
afterAll(async () => {
  await s?.stop();
  await smtp?.stop();
});
beforeEach(() => {
  smtp.received.length = 0;
});

describe('CalDAV scheduling (RFC 6638)', () => {
  it('gives the principal its inbox, outbox and mailto: address, and advertises calendar-auto-schedule', async () => {
    const r = await dav(s, 'PROPFIND', '/dav/principals/admin/', { depth: '0', body:
      `<D:propfind xmlns:D="DAV:" xmlns:C="${CALDAV}"><D:prop><C:schedule-inbox-URL/><C:schedule-outbox-URL/>` +
      '<C:calendar-user-address-set/><C:calendar-user-type/></D:prop></D:propfind>' });
    const doc = xml(r.text);
    expect(texts(find(doc, CALDAV, 'schedule-inbox-URL')[0]!, DAV, 'href')).toEqual(['/dav/scheduling/admin/inbox/']);
    expect(texts(find(doc, CALDAV, 'schedule-outbox-URL')[0]!, DAV, 'href')).toEqual(['/dav/scheduling/admin/outbox/']);
    expect(texts(find(doc, CALDAV, 'calendar-user-address-set')[0]!, DAV, 'href')).toEqual(['mailto:admin@calcast.test', '/dav/principals/admin/']);
    expect(texts(doc, CALDAV, 'calendar-user-type')).toEqual(['INDIVIDUAL']);
    expect((await dav(s, 'OPTIONS', calendar)).headers.get('dav')).toContain('calendar-auto-schedule');
    const inbox = await dav(s, 'PROPFIND', '/dav/scheduling/admin/inbox/', { depth: '0' });
    expect(find(xml(inbox.text), CALDAV, 'schedule-inbox')).toHaveLength(1);
    // Another user's scheduling collections do not exist for this one.
    expect((await dav(s, 'PROPFIND', '/dav/scheduling/bob/inbox/', { depth: '0' })).status).toBe(404);
  });

  it('delivers a REQUEST to a Calcast user\'s inbox and by mail to others, skips SCHEDULE-AGENT=CLIENT, then CANCELs once', async () => {
    const path = `${calendar}planning.ics`;
    const put = await dav(s, 'PUT', path, { body: meeting(ATTENDEES) });
    expect(put.status).toBe(201);
    // The stored text carries SCHEDULE-STATUS, so no ETag for the octets sent (RFC 6638 §3.2.10).
    expect(put.headers.get('etag')).toBeNull();
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toBe('carol@example.org');
    const request = itipOf(mail!);
    expect(request.method).toBe('REQUEST');
    expect(request.event.getFirstPropertyValue('uid')).toBe('planning@calcast.test');
    // No scheduling parameter leaves the server (RFC 6638 §7).
    expect(mail!.raw).not.toMatch(/SCHEDULE-(AGENT|STATUS)/);

    const inbox = await bobsInbox();
    expect(inbox.map((m) => m.method)).toEqual(['REQUEST']);
    expect(pyRead(inbox[0]!.text)).toMatchObject({ method: 'REQUEST', uids: ['planning@calcast.test'], summaries: ['Planning'] });
    expect(await statuses(path)).toEqual({
      'mailto:admin@calcast.test': null, 'mailto:bob@calcast.test': '1.2', 'mailto:carol@example.org': '1.0', 'mailto:dave@example.org': null,
    });

    // A client that saves what it read (SCHEDULE-STATUS included) with If-Match sends nothing again.
    const stored = await dav(s, 'GET', path);
    expect(pyRead(stored.text)).toMatchObject({ method: 'None', uids: ['planning@calcast.test'] });
    const resave = await dav(s, 'PUT', path, { body: stored.text, headers: { 'if-match': stored.headers.get('etag')! } });
    expect(resave.status).toBe(204);
    expect(resave.headers.get('etag')).toBe(stored.headers.get('etag'));

    smtp.received.length = 0;
    const gone = await dav(s, 'DELETE', path, { headers: { 'if-match': stored.headers.get('etag')! } });
    expect(gone.status).toBe(204);
    const [cancel] = await smtp.waitFor(1);
    expect(cancel!.to).toBe('carol@example.org');
    expect(itipOf(cancel!).method).toBe('CANCEL');
    expect((await bobsInbox()).map((m) => m.method).sort()).toEqual(['CANCEL', 'REQUEST']);
    // Every queued mail is sent, and there were exactly two (dave's client schedules dave).
    const objectId = 'planning';
    const queued = await s.store.listMail((await s.store.getCalendarBySlug(admin.id, 'calendar'))!.id, objectId);
    expect(queued.map((m) => [m.method, m.recipient])).toEqual([['REQUEST', 'carol@example.org'], ['CANCEL', 'carol@example.org']]);
    await expect.poll(async () => (await s.store.listMail(queued[0]!.calendarId, objectId)).map((m) => m.status)).toEqual(['sent', 'sent']);
    expect(smtp.received).toHaveLength(1);
  });

  it('sends a new attendee a REQUEST and a removed one a CANCEL, leaving the unchanged ones alone', async () => {
    const path = `${calendar}review.ics`;
    const body = (attendees: string[]) => meeting(attendees).replace('UID:planning@', 'UID:review@');
    expect((await dav(s, 'PUT', path, { body: body([ATTENDEES[1]!]) })).status).toBe(201);
    await smtp.waitFor(1);
    smtp.received.length = 0;
    const before = (await bobsInbox()).length;
    // Carol is replaced by Bob; nothing else changes.
    expect((await dav(s, 'PUT', path, { body: body([ATTENDEES[0]!]) })).status).toBe(204);
    const [cancel] = await smtp.waitFor(1);
    expect([cancel!.to, itipOf(cancel!).method]).toEqual(['carol@example.org', 'CANCEL']);
    const inbox = await bobsInbox();
    expect(inbox).toHaveLength(before + 1);
    expect(inbox.at(-1)!.text).toContain('UID:review@calcast.test');
    expect(await statuses(path)).toMatchObject({ 'mailto:bob@calcast.test': '1.2' });
  });

  it('cancels everyone when the organizer sets STATUS:CANCELLED', async () => {
    const path = `${calendar}offsite.ics`;
    const body = (extra: string[]) => meeting(ATTENDEES.slice(0, 2), extra).replace('UID:planning@', 'UID:offsite@');
    expect((await dav(s, 'PUT', path, { body: body([]) })).status).toBe(201);
    await smtp.waitFor(1);
    smtp.received.length = 0;
    expect((await dav(s, 'PUT', path, { body: body(['STATUS:CANCELLED', 'SEQUENCE:1']) })).status).toBe(204);
    const [cancel] = await smtp.waitFor(1);
    expect([cancel!.to, itipOf(cancel!).method]).toEqual(['carol@example.org', 'CANCEL']);
    const last = (await bobsInbox()).filter((m) => m.text.includes('UID:offsite@')).map((m) => m.method);
    expect(last.sort()).toEqual(['CANCEL', 'REQUEST']);
  });

  it('without SMTP, still delivers to Calcast users and marks the others 5.1 (not delivered)', async () => {
    const plain = await startServer();
    try {
      await plain.service.setEmail((await plain.store.getUserByName('admin'))!, 'admin@calcast.test');
      const guest = await plain.service.setEmail(await plain.service.createUser('bob', BOB_PASSWORD), 'bob@calcast.test');
      const put = await dav(plain, 'PUT', `${calendar}solo.ics`, { body: meeting(ATTENDEES.slice(0, 2)) });
      expect(put.status).toBe(201);
      const got = await dav(plain, 'GET', `${calendar}solo.ics`);
      expect(got.text).toMatch(/SCHEDULE-STATUS=5\.1[^\r\n]*:mailto:carol@example\.org/);
      expect((await plain.store.listInbox(guest.id)).map((m) => m.method)).toEqual(['REQUEST']);
    } finally {
      await plain.stop();
    }
  });

  it('lets the invitee read and delete inbox messages, with If-Match', async () => {
    const [first] = await bobsInbox();
    expect(first).toBeDefined();
    const head = await dav(s, 'GET', first!.href, { auth: asBob });
    expect((await dav(s, 'DELETE', first!.href, { auth: asBob, headers: { 'if-match': '"stale"' } })).status).toBe(412);
    expect((await dav(s, 'DELETE', first!.href, { auth: asBob, headers: { 'if-match': head.headers.get('etag')! } })).status).toBe(204);
    expect((await dav(s, 'GET', first!.href, { auth: asBob })).status).toBe(404);
    expect((await bobsInbox()).map((m) => m.href)).not.toContain(first!.href);
  });

  it('answers a VFREEBUSY POST to the outbox with the busy time of Calcast users and 3.7 for others', async () => {
    const bobsCalendar = await s.store.getCalendarBySlug(bob.id, 'calendar');
    await s.service.putObject(bobsCalendar!, { uri: 'busy.ics', text: [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', 'BEGIN:VEVENT', 'UID:busy', 'DTSTAMP:20310101T000000Z',
      'DTSTART:20310507T090000Z', 'DTEND:20310507T100000Z', 'SUMMARY:Dentist', 'END:VEVENT', 'END:VCALENDAR', '',
    ].join('\r\n') });
    const request = (organizer: string) => [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', 'METHOD:REQUEST', 'BEGIN:VFREEBUSY', 'UID:fb-1',
      'DTSTAMP:20310101T000000Z', 'DTSTART:20310507T000000Z', 'DTEND:20310508T000000Z', `ORGANIZER:${organizer}`,
      'ATTENDEE:mailto:bob@calcast.test', 'ATTENDEE:mailto:nobody@example.org', 'END:VFREEBUSY', 'END:VCALENDAR', '',
    ].join('\r\n');
    const r = await dav(s, 'POST', '/dav/scheduling/admin/outbox/', { body: request('mailto:admin@calcast.test') });
    expect(r.status).toBe(200);
    const responses = find(xml(r.text), CALDAV, 'response');
    expect(responses.map((x) => [texts(x, DAV, 'href')[0], texts(x, CALDAV, 'request-status')[0]])).toEqual([
      ['mailto:bob@calcast.test', '2.0;Success'], ['mailto:nobody@example.org', '3.7;Invalid calendar user'],
    ]);
    const reply = new ICAL.Component(ICAL.parse(texts(responses[0]!, CALDAV, 'calendar-data')[0]!));
    expect(reply.getFirstPropertyValue('method')).toBe('REPLY');
    expect(pyRead(texts(responses[0]!, CALDAV, 'calendar-data')[0]!).method).toBe('REPLY');
    const fb = reply.getFirstSubcomponent('vfreebusy')!;
    expect(fb.getFirstPropertyValue('uid')).toBe('fb-1');
    expect(fb.getFirstPropertyValue('attendee')).toBe('mailto:bob@calcast.test');
    expect(fb.getFirstProperty('freebusy')!.toICALString()).toBe('FREEBUSY;FBTYPE=BUSY:20310507T090000Z/20310507T100000Z');

    // Only as oneself, and only a well-formed request.
    const other = await dav(s, 'POST', '/dav/scheduling/admin/outbox/', { body: request('mailto:bob@calcast.test') });
    expect(other.status).toBe(403);
    expect(other.text).toContain('organizer-allowed');
    const bad = await dav(s, 'POST', '/dav/scheduling/admin/outbox/', { body: request('mailto:admin@calcast.test').replace('METHOD:REQUEST', 'METHOD:PUBLISH') });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('valid-scheduling-message');
    expect((await dav(s, 'POST', calendar, { body: request('mailto:admin@calcast.test') })).status).toBe(405);
  });

  it('refuses an address that is not one, or that another user has', async () => {
    await expect(s.service.setEmail(bob, 'not an address')).rejects.toMatchObject({ kind: 'invalid', detail: { field: 'email' } });
    await expect(s.service.setEmail(bob, 'ADMIN@calcast.test')).rejects.toMatchObject({ kind: 'conflict' });
    expect((await s.store.getUser(bob.id))!.email).toBe('bob@calcast.test');
  });
});
