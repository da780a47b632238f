import { execFileSync } from 'node:child_process';
import ICAL from 'ical.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { startSmtp, type Received, type TestSmtp } from '../helpers/smtp.js';

// Invitations as attendees get them: through a real SMTP server in this process, parsed with
// mailparser, the calendar part read by ical.js and python-icalendar.

let smtp: TestSmtp;
let s: TestServer;
let calendarId: string;

const ATTENDEES = [
  { email: 'ana@example.org', name: 'Ana' },
  { email: 'ben@example.org', name: 'Ben', rsvp_status: 'ACCEPTED' },
];

/** The calendar part of a received message: its method parameter and the parsed VEVENT. */
function invitation(r: Received) {
  const part = r.mail.attachments.find((a) => a.contentType === 'text/calendar');
  expect(part, 'a text/calendar part').toBeDefined();
  const text = part!.content.toString('utf8');
  const root = new ICAL.Component(ICAL.parse(text));
  return { text, root, method: root.getFirstPropertyValue('method'), event: root.getFirstSubcomponent('vevent')! };
}

async function createEvent(extra: Record<string, unknown> = {}) {
  const r = await s.api('POST', `/api/v1/calendars/${calendarId}/events`, {
    title: 'Board meeting', start: '2031-05-06T10:00', end: '2031-05-06T11:00', location: 'Room 4',
    organizer: { name: 'Olga', email: 'olga@example.org' }, attendees: ATTENDEES, ...extra,
  });
  expect(r.status).toBe(201);
  return r.body;
}

beforeAll(async () => {
  smtp = await startSmtp();
  s = await startServer({ env: { CALCAST_SMTP_URL: smtp.url, CALCAST_MAIL_FROM: 'calendar@calcast.test', CALCAST_MAIL_RETRY_SECONDS: '1' } });
  calendarId = (await s.api('POST', '/api/v1/calendars', { title: 'Board', timezone: 'Europe/Paris' })).body.id;
});
afterAll(async () => {
  await s?.stop();
  await smtp?.stop();
});
beforeEach(() => {
  smtp.received.length = 0;
});

describe('e-mail invitations (iMIP)', () => {
  it('send each attendee a REQUEST as text, HTML and a text/calendar part that mail apps turn into buttons', async () => {
    const event = await createEvent();
    expect(event.notifications).toBe('queued');
    const got = await smtp.waitFor(2);
    expect(got.map((r) => r.to).sort()).toEqual(['ana@example.org', 'ben@example.org']);
    const [first] = got;
    expect(first!.mail.subject).toBe('Invitation: Board meeting');
    expect(first!.mail.from?.text).toBe('calendar@calcast.test');
    expect(first!.mail.text).toContain('When: Tuesday 6 May 2031, 10:00 (Europe/Paris)');
    expect(first!.mail.html).toContain('<p>Where: Room 4</p>');
    expect(first!.raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(first!.raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
    const inv = invitation(first!);
    expect(inv.method).toBe('REQUEST');
    expect(inv.event.getFirstPropertyValue('uid')).toBe(event.uid);
    expect(inv.event.getFirstPropertyValue('sequence')).toBe(0);
    expect(inv.event.getFirstPropertyValue('organizer')).toBe('mailto:olga@example.org');
    expect(inv.root.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'))).toEqual(['Europe/Paris']);
    const py = JSON.parse(execFileSync('/usr/bin/python3', ['-c', [
      'import icalendar, json, sys', 'c = icalendar.Calendar.from_ical(sys.stdin.buffer.read())',
      'e = next(iter(c.walk("VEVENT")))',
      'print(json.dumps({"method": str(c["METHOD"]), "start": e.decoded("DTSTART").isoformat(), "attendees": sorted(str(a) for a in e.get("ATTENDEE"))}))',
    ].join('\n')], { input: inv.text }).toString());
    expect(py).toEqual({ method: 'REQUEST', start: '2031-05-06T10:00:00+02:00', attendees: ['mailto:ana@example.org', 'mailto:ben@example.org'] });
  });

  it('send an update as a REQUEST with SEQUENCE + 1, stored the same way, and a CANCEL to a removed attendee', async () => {
    const event = await createEvent();
    await smtp.waitFor(2);
    smtp.received.length = 0;
    const r = await s.api('PATCH', `/api/v1/calendars/${calendarId}/events/${event.id}`, { location: 'Room 5', attendees: [ATTENDEES[0]] });
    expect([r.status, r.body.notifications, r.body.sequence]).toEqual([200, 'queued', 1]);
    const got = await smtp.waitFor(2);
    const byTo = Object.fromEntries(got.map((m) => [m.to, invitation(m)]));
    expect(byTo['ana@example.org']!.method).toBe('REQUEST');
    expect(byTo['ana@example.org']!.event.getFirstPropertyValue('sequence')).toBe(1);
    expect(byTo['ana@example.org']!.event.getFirstPropertyValue('location')).toBe('Room 5');
    expect(byTo['ben@example.org']!.method).toBe('CANCEL');
    expect(got.find((m) => m.to === 'ana@example.org')!.mail.subject).toBe('Updated invitation: Board meeting');
  });

  it('RESET_NOTIFICATION asks everyone but the organizer to answer again; NO_NOTIFICATION sends nothing', async () => {
    const event = await createEvent({ attendees: [...ATTENDEES, { email: 'olga@example.org', name: 'Olga', rsvp_status: 'ACCEPTED' }] });
    await smtp.waitFor(2);
    smtp.received.length = 0;
    const reset = await s.api('PATCH', `/api/v1/calendars/${calendarId}/events/${event.id}`,
      { title: 'Board meeting (moved)', participants_notification: 'RESET_NOTIFICATION' });
    expect(reset.body.attendees.map((a: { email: string; rsvp_status: string }) => [a.email, a.rsvp_status])).toEqual([
      ['ana@example.org', 'NEEDS_ACTION'], ['ben@example.org', 'NEEDS_ACTION'], ['olga@example.org', 'ACCEPTED'],
    ]);
    const got = await smtp.waitFor(2);
    expect(got.map((m) => m.to).sort()).toEqual(['ana@example.org', 'ben@example.org']);
    const ben = invitation(got.find((m) => m.to === 'ben@example.org')!);
    const prop = ben.event.getAllProperties('attendee').find((p) => p.getFirstValue() === 'mailto:ben@example.org')!;
    expect([prop.getParameter('partstat'), prop.getParameter('rsvp')]).toEqual(['NEEDS-ACTION', 'TRUE']);
    smtp.received.length = 0;
    const quiet = await s.api('PATCH', `/api/v1/calendars/${calendarId}/events/${event.id}`, { title: 'typo fixed', participants_notification: 'NO_NOTIFICATION' });
    expect(quiet.body.notifications).toBe('suppressed');
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.received).toHaveLength(0);
    expect((await s.api('GET', `/api/v1/calendars/${calendarId}/events/${event.id}/mail`)).body.data).toHaveLength(4);
  });

  it('send a CANCEL when the status becomes CANCELLED, and when the event is deleted', async () => {
    const one = await createEvent();
    const two = await createEvent();
    await smtp.waitFor(4);
    smtp.received.length = 0;
    expect((await s.api('PATCH', `/api/v1/calendars/${calendarId}/events/${one.id}`, { status: 'CANCELLED' })).body.notifications).toBe('queued');
    expect((await s.api('DELETE', `/api/v1/calendars/${calendarId}/events/${two.id}`)).status).toBe(204);
    const got = await smtp.waitFor(4);
    for (const m of got) {
      const inv = invitation(m);
      expect(inv.method).toBe('CANCEL');
      expect(inv.event.getFirstPropertyValue('status')).toBe('CANCELLED');
      expect(m.mail.subject).toBe('Cancelled: Board meeting');
    }
    expect(new Set(got.map((m) => invitation(m).event.getFirstPropertyValue('uid')))).toEqual(new Set([one.uid, two.uid]));
  });

  it('deliver once through an SMTP server that refuses, then accepts, and keep the Message-ID', async () => {
    smtp.refuse(1);
    const event = await createEvent({ attendees: [ATTENDEES[0]] });
    const [got] = await smtp.waitFor(1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.received).toHaveLength(1);
    const [mail] = (await s.api('GET', `/api/v1/calendars/${calendarId}/events/${event.id}/mail`)).body.data;
    expect(mail).toMatchObject({ method: 'REQUEST', recipient: 'ana@example.org', status: 'sent', attempts: 2, last_error: null });
    expect(got!.mail.messageId).toBe(mail.message_id);
  });

  it('resend a mail on the owner’s request, with the same Message-ID', async () => {
    const event = await createEvent({ attendees: [ATTENDEES[1]] });
    const [first] = await smtp.waitFor(1);
    const [mail] = (await s.api('GET', `/api/v1/calendars/${calendarId}/events/${event.id}/mail`)).body.data;
    const resent = await s.api('POST', `/api/v1/calendars/${calendarId}/events/${event.id}/mail/${mail.id}/resend`);
    expect(resent.status).toBe(202);
    const got = await smtp.waitFor(2);
    expect(got[1]!.mail.messageId).toBe(first!.mail.messageId);
    expect((await s.api('POST', `/api/v1/calendars/${calendarId}/events/${event.id}/mail/nope/resend`)).status).toBe(404);
  });
});

describe('without SMTP', () => {
  it('queues nothing and says notifications are disabled', async () => {
    const plain = await startServer();
    try {
      const cal = (await plain.api('POST', '/api/v1/calendars', { title: 'Quiet', timezone: 'UTC' })).body.id;
      const r = await plain.api('POST', `/api/v1/calendars/${cal}/events`, { title: 'x', start: '2031-01-01T10:00', attendees: ATTENDEES });
      expect(r.body.notifications).toBe('disabled');
      expect((await plain.api('GET', `/api/v1/calendars/${cal}/events/${r.body.id}/mail`)).body.data).toEqual([]);
    } finally {
      await plain.stop();
    }
  });
});
