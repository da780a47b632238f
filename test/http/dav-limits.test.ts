import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALDAV, DAV, dav, davErrorOf, multistatus, prop } from '../helpers/dav.js';
import { startServer, type TestServer } from '../helpers/server.js';

// The bounds one report may cost (RFC 4791 §5.2.6–5.2.8, §7.8; RFC 6578 §3.2), public and owned views.

let s: TestServer;
let owned: string;
let pub: string;

const HOSTILE = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//limits//EN', 'BEGIN:VEVENT', 'UID:every-second',
  'DTSTAMP:20300101T000000Z', 'DTSTART:20300101T000000Z', 'DURATION:PT1S', 'RRULE:FREQ=SECONDLY', 'SUMMARY:tick',
  'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

const expandQuery = (start: string, end: string) => `<C:calendar-query xmlns:D="DAV:" xmlns:C="${CALDAV}">
  <D:prop><C:calendar-data><C:expand start="${start}" end="${end}"/></C:calendar-data></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:time-range start="${start}" end="${end}"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;

/** A new Europe/Paris calendar holding the series with a floating DTSTART; its JSON and DAV path. */
async function floatingSeries(title: string) {
  const json = (await s.api('POST', '/api/v1/calendars', { title, timezone: 'Europe/Paris' })).body;
  const path = `/dav/calendars/admin/${json.id}/`;
  const floating = HOSTILE.replace('DTSTART:20300101T000000Z', 'DTSTART:20300101T000000');
  expect((await dav(s, 'PUT', `${path}tick.ics`, { body: floating })).status).toBe(201);
  return { json, path };
}

beforeAll(async () => {
  s = await startServer({ env: { CALCAST_DAV_MAX_INSTANCES: '500', CALCAST_DAV_MAX_RESPONSE_BYTES: '20000', CALCAST_PUBLIC_DAV_RATE: '0' } });
  const json = (await s.api('POST', '/api/v1/calendars', { title: 'Ticks', timezone: 'UTC' })).body;
  owned = `/dav/calendars/admin/${json.id}/`;
  pub = new URL(json.caldav_public_url as string).pathname;
  expect((await dav(s, 'PUT', `${owned}tick.ics`, { body: HOSTILE })).status).toBe(201);
});
afterAll(() => s.stop(true));

describe('advertised limits', () => {
  it('a calendar answers max-instances, min-date-time and max-date-time by name', async () => {
    const body = `<D:propfind xmlns:D="DAV:" xmlns:C="${CALDAV}"><D:prop><C:max-instances/><C:min-date-time/><C:max-date-time/></D:prop></D:propfind>`;
    for (const path of [owned, pub]) {
      const r = await dav(s, 'PROPFIND', path, { depth: '0', body, ...(path === pub ? { auth: null } : {}) });
      const res = multistatus(r.text).responses[0];
      expect([prop(res, CALDAV, 'max-instances')?.text, prop(res, CALDAV, 'min-date-time')?.text, prop(res, CALDAV, 'max-date-time')?.text])
        .toEqual(['500', '00010101T000000Z', '99991231T235959Z']);
    }
  });
  it('propname lists them', async () => {
    const r = await dav(s, 'PROPFIND', owned, { depth: '0', body: '<D:propfind xmlns:D="DAV:"><D:propname/></D:propfind>' });
    expect(r.text).toContain('max-instances');
    expect(r.text).toContain('max-date-time');
  });
});

describe('a hostile expand', () => {
  it('over a FREQ=SECONDLY series is refused with number-of-matches-within-limits and a small body', async () => {
    for (const [path, auth] of [[pub, null], [owned, undefined]] as const) {
      const r = await dav(s, 'REPORT', path, { depth: '1', auth, body: expandQuery('20300101T000000Z', '20300201T000000Z') });
      expect(r.status).toBe(403);
      expect(davErrorOf(r.text).condition).toBe(`{${DAV}}number-of-matches-within-limits`);
      expect(r.text).toContain('500 instances');
      expect(r.text.length).toBeLessThan(1000);
    }
  });
  it('limit-recurrence-set is bounded the same way', async () => {
    const body = expandQuery('20300101T000000Z', '20300201T000000Z').replace(/<C:expand /, '<C:limit-recurrence-set ');
    const r = await dav(s, 'REPORT', pub, { depth: '1', auth: null, body });
    expect([r.status, davErrorOf(r.text).condition]).toEqual([403, `{${DAV}}number-of-matches-within-limits`]);
  });
  it('a multiget with expand is bounded too', async () => {
    const body = `<C:calendar-multiget xmlns:D="DAV:" xmlns:C="${CALDAV}"><D:prop><C:calendar-data>
      <C:expand start="20300101T000000Z" end="20300201T000000Z"/></C:calendar-data></D:prop><D:href>${owned}tick.ics</D:href></C:calendar-multiget>`;
    const r = await dav(s, 'REPORT', owned, { body });
    expect([r.status, davErrorOf(r.text).condition]).toEqual([403, `{${DAV}}number-of-matches-within-limits`]);
  });
  it('a range within the bound still expands', async () => {
    const r = await dav(s, 'REPORT', pub, { depth: '1', auth: null, body: expandQuery('20300101T000000Z', '20300101T000100Z') });
    expect(r.status).toBe(207);
    expect(r.text.match(/RECURRENCE-ID/g)).toHaveLength(60);
  });
});

describe('the walk bound', () => {
  it('a floating FREQ=SECONDLY series is refused for its walk, even over a one-minute range', async () => {
    const { path } = await floatingSeries('Floating ticks');
    const r = await dav(s, 'REPORT', path, { depth: '1', body: expandQuery('20300105T000000Z', '20300105T000100Z') });
    expect([r.status, davErrorOf(r.text).condition]).toEqual([403, `{${DAV}}number-of-matches-within-limits`]);
    expect(r.text.length).toBeLessThan(1000);
  });
  it('a filter that must test the series itself (a prop-filter beside the range) is refused the same way, not a 500', async () => {
    const { path } = await floatingSeries('Filtered ticks');
    const body = `<C:calendar-query xmlns:D="DAV:" xmlns:C="${CALDAV}"><D:prop><D:getetag/></D:prop>
      <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
        <C:time-range start="20300105T000000Z" end="20300105T000100Z"/>
        <C:prop-filter name="SUMMARY"><C:text-match>tick</C:text-match></C:prop-filter>
      </C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;
    const r = await dav(s, 'REPORT', path, { depth: '1', body });
    expect([r.status, davErrorOf(r.text).condition]).toEqual([403, `{${DAV}}number-of-matches-within-limits`]);
  });
  it('free-busy-query refuses a range with more instances than max-instances rather than answer part of the busy time', async () => {
    const fb = (start: string, end: string) => `<C:free-busy-query xmlns:C="${CALDAV}"><C:time-range start="${start}" end="${end}"/></C:free-busy-query>`;
    const r = await dav(s, 'REPORT', owned, { depth: '1', body: fb('20300101T000000Z', '20300201T000000Z') });
    expect([r.status, davErrorOf(r.text).condition]).toEqual([403, `{${DAV}}number-of-matches-within-limits`]);
    expect(r.text).toContain('500 instances');
    // Within the bound, the busy time is answered whole: 300 one-second ticks merge into one period.
    const ok = await dav(s, 'REPORT', owned, { depth: '1', body: fb('20300101T000000Z', '20300101T000500Z') });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('FREEBUSY;FBTYPE=BUSY:20300101T000000Z/20300101T000500Z');
  });
});

describe('rules ical.js would walk for ever', () => {
  const feedOf = (json: Record<string, unknown>) => s.url + new URL(json.feed_url as string).pathname;

  it('a rule whose limits never meet (February 30th) keeps its DTSTART, matches nothing later, and never hangs the server', async () => {
    const json = (await s.api('POST', '/api/v1/calendars', { title: 'Never', timezone: 'UTC' })).body;
    const path = `/dav/calendars/admin/${json.id}/`;
    const daily = HOSTILE.replace('RRULE:FREQ=SECONDLY', 'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30');
    expect((await dav(s, 'PUT', `${path}never.ics`, { body: daily })).status).toBe(201);
    // Its first instance is DTSTART (RFC 5545 §3.8.5.3).
    const near = await dav(s, 'REPORT', path, { depth: '1', body: expandQuery('20291231T000000Z', '20300102T000000Z') });
    expect(near.status).toBe(207);
    expect(near.text).toContain('DTSTART:20300101T000000Z');
    const far = await dav(s, 'REPORT', path, { depth: '1', body: expandQuery('20310101T000000Z', '20310201T000000Z') });
    expect([far.status, multistatus(far.text).responses.length]).toEqual([207, 0]);
    // Stepping by seconds, the search for a next instance reaches the step bound before the range ends.
    const secondly = HOSTILE.replace('RRULE:FREQ=SECONDLY', 'RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30').replace('UID:every-second', 'UID:never-secondly');
    expect((await dav(s, 'PUT', `${path}never-secondly.ics`, { body: secondly })).status).toBe(201);
    const refused = await dav(s, 'REPORT', path, { depth: '1', body: expandQuery('20310101T000000Z', '20310201T000000Z') });
    expect([refused.status, davErrorOf(refused.text).condition]).toEqual([403, `{${DAV}}number-of-matches-within-limits`]);
    expect(refused.text).toContain('walks too far');
    // The feed serves the events as they were written.
    const feed = await (await fetch(feedOf(json))).text();
    expect(feed).toContain('RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30');
    expect(feed).toContain('RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30');
  });
  it('a feed poll is answered while a hostile expansion walks to its bound', async () => {
    const { json, path } = await floatingSeries('Walking');
    const order: string[] = [];
    const report = dav(s, 'REPORT', path, { depth: '1', body: expandQuery('20300301T000000Z', '20300401T000000Z') })
      .then((r) => { order.push(`report ${r.status}`); });
    await new Promise((r) => setTimeout(r, 50));
    const poll = fetch(feedOf(json)).then(async (r) => { await r.text(); order.push(`feed ${r.status}`); });
    await Promise.all([report, poll]);
    expect(order).toEqual(['feed 200', 'report 403']);
  });
});

describe('the byte bound', () => {
  it('an answer larger than CALCAST_DAV_MAX_RESPONSE_BYTES is refused, not sent', async () => {
    // 300 instances fit the instance bound but not 20,000 bytes.
    const r = await dav(s, 'REPORT', owned, { depth: '1', body: expandQuery('20300101T000000Z', '20300101T000500Z') });
    expect([r.status, davErrorOf(r.text).condition]).toEqual([403, `{${DAV}}number-of-matches-within-limits`]);
    expect(r.text).toContain('20000 bytes');
  });
  it('a sync-collection past it answers 507', async () => {
    for (let i = 0; i < 12; i++) {
      const big = HOSTILE.replace('UID:every-second', `UID:big-${i}`).replace('RRULE:FREQ=SECONDLY', `DESCRIPTION:${'x'.repeat(2000)}`);
      expect((await dav(s, 'PUT', `${owned}big-${i}.ics`, { body: big })).status).toBe(201);
    }
    const body = `<D:sync-collection xmlns:D="DAV:" xmlns:C="${CALDAV}"><D:sync-token/><D:sync-level>1</D:sync-level>
      <D:prop><D:getetag/><C:calendar-data/></D:prop></D:sync-collection>`;
    const r = await dav(s, 'REPORT', owned, { body });
    expect([r.status, davErrorOf(r.text).condition]).toEqual([507, `{${DAV}}number-of-matches-within-limits`]);
  });
});
