import { execFileSync } from 'node:child_process';
import ICAL from 'ical.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startServer, type TestServer } from '../helpers/server.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

// Convier's API as its users' scripts call it: the manual's curl example, form-encoded, with
// only the endpoint, the token and USER_EMAIL changed; mail arrives at a real SMTP server.

let smtp: TestSmtp;
let s: TestServer;

/** The manual's example: `curl -H 'Authorization: Bearer …' -d 'event[start][date]=…' …`. */
const EXAMPLE = [
  ['event[start][date]', '04/26/2019 09:00 PM'],
  ['event[end][date]', '04/26/2019 11:00 PM'],
  ['event[organizer][name]', 'Tony Stark'],
  ['event[organizer][email]', ''],
  ['event[summary][value]', 'Endgame premiere'],
  ['event[description][value]', 'Bring the popcorn.'],
  ['email[subject]', 'Yo!'],
  ['email[body]', 'This the premiere of Endgame movie. Bring the popcon.'],
  ['event[attendees][0][email]', 'peter@example.org'],
];

const form = (fields: string[][]) => fields.map(([k, v]) => `${encodeURIComponent(k!)}=${encodeURIComponent(v!)}`).join('&');
async function post(path: string, body: string, type = 'application/x-www-form-urlencoded', token = ADMIN_TOKEN) {
  const r = await fetch(`${s.url}/compat/convier/${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body });
  return { status: r.status, body: (await r.json()) as { error: boolean; message: string; uid: string; data: string } };
}

beforeAll(async () => {
  smtp = await startSmtp();
  s = await startServer({ env: { CALCAST_SMTP_URL: smtp.url, CALCAST_MAIL_FROM: 'calendar@calcast.test', CALCAST_MAIL_RETRY_SECONDS: '1' } });
});
afterAll(async () => {
  await s?.stop();
  await smtp?.stop();
});
beforeEach(() => {
  smtp.received.length = 0;
});

describe('Convier: the manual’s example', () => {
  it('generates the event, mails the attendee with the custom subject and body, and answers { error, message, uid, data }', async () => {
    const r = await post('event', form(EXAMPLE));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ error: false, uid: expect.stringMatching(/.+/), data: '' });
    const [got] = await smtp.waitFor(1);
    expect(got!.to).toBe('peter@example.org');
    expect(got!.mail.subject).toBe('Yo!');
    expect(got!.mail.text).toContain('This the premiere of Endgame movie. Bring the popcon.');
    const part = got!.mail.attachments.find((a) => a.contentType === 'text/calendar')!;
    const root = new ICAL.Component(ICAL.parse(part.content.toString('utf8')));
    expect(root.getFirstPropertyValue('method')).toBe('REQUEST');
    const e = root.getFirstSubcomponent('vevent')!;
    expect([e.getFirstPropertyValue('summary'), e.getFirstPropertyValue('uid')]).toEqual(['Endgame premiere', r.body.uid]);
    expect((e.getFirstPropertyValue('dtstart') as ICAL.Time).toString()).toBe('2019-04-26T21:00:00Z');
  });

  it('returns the generated text with download, valid for ical.js and python-icalendar, and takes JSON with the same nesting', async () => {
    const r = await post('event', JSON.stringify({
      event: { summary: { value: 'Launch' }, start: { date: '2031-03-01T10:00', timezone: 'Europe/Paris' }, location: { value: 'Hall' } },
      calendar: { method: 'publish' }, download: true,
    }), 'application/json');
    expect(r.status).toBe(200);
    expect(r.body.data).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(r.body.data).toContain('METHOD:PUBLISH\r\n');
    const e = new ICAL.Component(ICAL.parse(r.body.data)).getFirstSubcomponent('vevent')!;
    expect(e.getFirstPropertyValue('location')).toBe('Hall');
    const py = execFileSync('/usr/bin/python3', ['-c', 'import icalendar,sys; c=icalendar.Calendar.from_ical(sys.stdin.buffer.read()); print(next(iter(c.walk("VEVENT"))).decoded("DTSTART").isoformat())'],
      { input: r.body.data }).toString().trim();
    expect(py).toBe('2031-03-01T10:00:00+01:00');
    await new Promise((done) => setTimeout(done, 500));
    expect(smtp.received).toHaveLength(0); // publish mails nobody
  });

  it('updates the same request when its uid comes back, with SEQUENCE + 1, and cancels it', async () => {
    const first = await post('event', form(EXAMPLE));
    await smtp.waitFor(1);
    smtp.received.length = 0;
    const again = await post('event', form([...EXAMPLE, ['uid', first.body.uid], ['event[summary][value]', 'Endgame premiere (moved)'], ['download', 'true']]));
    expect(again.body.uid).toBe(first.body.uid);
    const e = new ICAL.Component(ICAL.parse(again.body.data)).getFirstSubcomponent('vevent')!;
    expect([e.getFirstPropertyValue('summary'), e.getFirstPropertyValue('sequence')]).toEqual(['Endgame premiere (moved)', 1]);
    const [update] = await smtp.waitFor(1);
    expect(update!.raw).toMatch(/method=REQUEST/i);
    smtp.received.length = 0;
    await post('event', form([...EXAMPLE, ['uid', first.body.uid], ['calendar[method]', 'cancel']]));
    const [cancel] = await smtp.waitFor(1);
    expect(cancel!.raw).toMatch(/method=CANCEL/i);
  });

  it('sends the request as an attachment when email[attach] is true and email[inline] false', async () => {
    await post('event', form([...EXAMPLE, ['email[attach]', 'true'], ['email[inline]', 'false']]));
    const [got] = await smtp.waitFor(1);
    expect(got!.raw).toMatch(/Content-Disposition: attachment; filename=invite\.ics/i);
    expect(got!.raw.match(/Content-Type: text\/calendar/gi)).toHaveLength(1); // no inline alternative
  });

  it('generates a to-do and a journal entry', async () => {
    const todo = await post('todo', form([['todo[summary][value]', 'File taxes'], ['todo[due][date]', '04/15/2031'], ['todo[priority][value]', '1'], ['download', '1']]));
    expect(todo.status).toBe(200);
    const t = new ICAL.Component(ICAL.parse(todo.body.data)).getFirstSubcomponent('vtodo')!;
    expect([t.getFirstPropertyValue('summary'), t.getFirstPropertyValue('priority')]).toEqual(['File taxes', 1]);
    const journal = await post('journal', form([['journal[summary][value]', 'Minutes'], ['journal[start][date]', '2031-01-05'], ['download', '1']]));
    expect(new ICAL.Component(ICAL.parse(journal.body.data)).getFirstSubcomponent('vjournal')!.getFirstPropertyValue('summary')).toBe('Minutes');
  });
});

describe('Convier: failures keep the envelope and its codes', () => {
  it.each([
    ['no component', 'event', form([['email[subject]', 'x']]), 400],
    ['no summary', 'event', form([['event[start][date]', '04/26/2019 09:00 PM']]), 400],
    ['no start', 'event', form([['event[summary][value]', 'x']]), 400],
    ['an unreadable date', 'event', form([['event[summary][value]', 'x'], ['event[start][date]', '13/45/2019 99:00']]), 402],
    ['a bad attendee e-mail', 'event', form([['event[summary][value]', 'x'], ['event[start][date]', '2031-01-01'], ['event[attendees][0][email]', 'not-mail']]), 402],
    ['an unknown method', 'event', form([['event[summary][value]', 'x'], ['event[start][date]', '2031-01-01'], ['calendar[method]', 'refresh']]), 402],
    ['an unknown uid', 'event', form([...EXAMPLE, ['uid', 'no-such-uid']]), 402],
    ['a field that is both value and group', 'event', 'event=1&event[summary][value]=x', 400],
  ])('answers %s with %s', async (_, path, body, status) => {
    const r = await post(path, body);
    expect(r.status).toBe(status);
    expect(r.body).toEqual({ error: true, message: expect.any(String), uid: '', data: '' });
  });

  it('refuses a missing or wrong token with 401', async () => {
    expect((await post('event', form(EXAMPLE), undefined, 'nope')).status).toBe(401);
  });
});
