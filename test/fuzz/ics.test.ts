import fc from 'fast-check';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASIC, BEARER, RUNS, davErrorOk, jsonErrorCode, startFuzzTarget, type Answer, type FuzzTarget } from './harness.js';

// Mutated iCalendar objects through CalDAV PUT and the API import: never a 5xx, every error
// with its code, a refused write changes nothing, and nothing stored is unreadable.

let t: FuzzTarget;
beforeAll(async () => {
  t = await startFuzzTarget();
});
afterAll(() => t?.stop());

const VALID = [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//fuzz//EN', 'BEGIN:VTIMEZONE', 'TZID:Europe/Paris', 'BEGIN:STANDARD',
  'DTSTART:19701025T030000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU', 'END:STANDARD',
  'END:VTIMEZONE', 'BEGIN:VEVENT', 'UID:fuzz-1', 'DTSTAMP:20240101T000000Z', 'DTSTART;TZID=Europe/Paris:20310105T100000',
  'DTEND;TZID=Europe/Paris:20310105T110000', 'RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10', 'EXDATE;TZID=Europe/Paris:20310107T100000',
  'SUMMARY:Fuzz\\, with escapes', 'DESCRIPTION:line one\\nline two', 'ATTENDEE;CN="A, B";PARTSTAT=ACCEPTED:mailto:a@example.org',
  'BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT15M', 'DESCRIPTION:soon', 'END:VALARM', 'END:VEVENT',
  'BEGIN:VEVENT', 'UID:fuzz-1', 'RECURRENCE-ID;TZID=Europe/Paris:20310112T100000', 'DTSTAMP:20240101T000000Z',
  'DTSTART;TZID=Europe/Paris:20310112T120000', 'SUMMARY:moved', 'END:VEVENT', 'END:VCALENDAR',
];
const junk = fc.oneof(
  fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('\u0000', '\u0007', '\u001b', '\r', 'garbage', '2025-13-45T99', '99999999T999999Z', 'PXYZ', 'FREQ=DAILY;BYSETPOS=400',
    'FREQ=SECONDLY', 'Nowhere/Land', 'BEGIN:VEVENT', 'END:VCALENDAR', 'BEGIN:X-NEST', ';;;', '"', 'x'.repeat(2000)),
);
type Edit = (lines: string[]) => string[];
const at = (n: number, lines: string[]) => n % Math.max(1, lines.length);
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.nat().map((n): Edit => (l) => l.filter((_, i) => i !== at(n, l))),
  fc.nat().map((n): Edit => (l) => l.flatMap((x, i) => (i === at(n, l) ? [x, x] : [x]))),
  fc.tuple(fc.nat(), junk).map(([n, j]): Edit => (l) => [...l.slice(0, at(n, l)), j, ...l.slice(at(n, l))]),
  fc.tuple(fc.nat(), junk).map(([n, j]): Edit => (l) => l.map((x, i) => (i === at(n, l) ? `${x.split(':')[0]}:${j}` : x))),
  fc.tuple(fc.nat(), junk).map(([n, j]): Edit => (l) => l.map((x, i) => (i === at(n, l) ? `${x.split(':')[0]};${j}:${x.split(':').slice(1).join(':')}` : x))),
  fc.tuple(fc.nat(), fc.nat()).map(([n, k]): Edit => (l) => l.map((x, i) => (i === at(n, l) ? x.slice(0, k % (x.length + 1)) : x))),
  fc.nat().map((n): Edit => (l) => l.slice(0, at(n, l))),
);
const ics = fc.oneof(
  { weight: 8, arbitrary: fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => `${edits.reduce((l, e) => e(l), VALID).join('\r\n')}\r\n`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 300 }) },
  { weight: 1, arbitrary: fc.nat({ max: 300 }).map((n) => `${'BEGIN:VCALENDAR\r\n'.repeat(n)}${'END:VCALENDAR\r\n'.repeat(n)}`) },
);

async function readable(): Promise<void> {
  // Whatever was accepted is served: the feed answers valid iCalendar.
  const feed = await t.send('GET', new URL((await t.s.api('GET', `/api/v1/calendars/${t.scratch.id}`)).body.feed_url).pathname, '');
  expect(feed.status).toBe(200);
  expect(feed.body).toMatch(/^BEGIN:VCALENDAR\r\n[\s\S]*END:VCALENDAR\r\n$/);
  expect(() => ICAL.parse(feed.body)).not.toThrow();
}

describe.each([
  ['CalDAV PUT', (text: string, n: number) => t.send('PUT', `${t.scratch.davPath}f${n % 50}.ics`, text, { authorization: BASIC, 'content-type': 'text/calendar' }), davErrorOk],
  ['the API import', (text: string) => t.send('POST', `/api/v1/calendars/${t.scratch.id}/import`, text, { authorization: BEARER, 'content-type': 'text/calendar' }),
    (a: Answer) => jsonErrorCode(a) !== null],
] as const)('fuzz: iCalendar through %s', (_, send, hasCode) => {
  it(`answers ${RUNS} mutated objects with a code and keeps the store readable`, async () => {
    const sentinel = await t.snapshot(t.sentinel.id);
    let n = 0;
    await fc.assert(fc.asyncProperty(ics, async (text) => {
      const before = await t.s.store.getCalendar(t.scratch.id);
      const a = await send(text, n++);
      expect(a.status, a.body).toBeLessThan(500);
      if (a.status >= 400) {
        expect(hasCode(a), a.body).toBe(true);
        expect((await t.s.store.getCalendar(t.scratch.id))?.syncToken).toBe(before?.syncToken);
      }
    }), { numRuns: RUNS, seed: 20261207 });
    expect(await t.snapshot(t.sentinel.id)).toEqual(sentinel);
    await readable();
  }, 300_000);
});
