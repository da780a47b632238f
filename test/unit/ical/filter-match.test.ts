import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { parseFilter } from '../../../src/dav/filter.js';
import type { CompFilter } from '../../../src/ical/query.js';
import { matchesFilter } from '../../../src/ical/filter-match.js';
import { occurrences } from '../../../src/ical/recurrence.js';
import { parseXml } from '../../../src/xml/parse.js';
import { generateCalendar } from '../../helpers/calendar-generator/index.js';
import { B1_PARSED, filterXml, parsed } from '../dav/rfc4791-data.js';

const ZONE = 'America/New_York';
const f = (body: string, prefix = 'C'): CompFilter => parseFilter(parseXml(filterXml(body, prefix)));
const inCal = (inner: string): CompFilter => f(`<C:comp-filter name="VCALENDAR">${inner}</C:comp-filter>`);
const matching = (filter: CompFilter, zone = ZONE): string[] =>
  B1_PARSED.filter(([, c]) => matchesFilter(c, filter, zone)).map(([k]) => k);
const cal = (...lines: string[]): ICAL.Component =>
  parsed(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', ...lines, 'END:VCALENDAR'].join('\r\n'));
const eventRange = (start: string, end: string, comp = 'VEVENT'): CompFilter =>
  inCal(`<C:comp-filter name="${comp}"><C:time-range start="${start}" end="${end}"/></C:comp-filter>`);

describe('RFC 4791 §7.8 examples over the Appendix B.1 data set', () => {
  it('7.8.1–7.8.3: VEVENT time-range expands recurrences and applies overrides', () => {
    expect(matching(eventRange('20060104T000000Z', '20060105T000000Z'))).toEqual(['abcd2', 'abcd3']);
    expect(matching(eventRange('20060103T000000Z', '20060105T000000Z'))).toEqual(['abcd2', 'abcd3']);
    // abcd2's 6 Jan instance moved from 17:00Z to 19:00Z: only the moved time matches.
    expect(matching(eventRange('20060106T180000Z', '20060106T200000Z'))).toEqual(['abcd2']);
    expect(matching(eventRange('20060106T170000Z', '20060106T180000Z'))).toEqual([]);
  });

  it('7.8.4: VFREEBUSY time-range', () => {
    expect(matching(eventRange('20060102T000000Z', '20060103T000000Z', 'VFREEBUSY'))).toEqual(['abcd8']);
    expect(matching(eventRange('20070102T000000Z', '20070103T000000Z', 'VFREEBUSY'))).toEqual([]);
  });

  it('7.8.5: to-dos by alarm time-range (trigger relative to the effective start)', () => {
    const filter = inCal('<C:comp-filter name="VTODO"><C:comp-filter name="VALARM"><C:time-range start="20060106T100000Z" end="20060107T100000Z"/></C:comp-filter></C:comp-filter>');
    expect(matching(filter)).toEqual(['abcd5']);
    // abcd5's alarm fires at 16:50Z exactly: start inclusive, end exclusive.
    const at = (s: string, e: string) => inCal(`<C:comp-filter name="VTODO"><C:comp-filter name="VALARM"><C:time-range start="${s}" end="${e}"/></C:comp-filter></C:comp-filter>`);
    expect(matching(at('20060106T165000Z', '20060106T165001Z'))).toEqual(['abcd5']);
    expect(matching(at('20060106T164000Z', '20060106T165000Z'))).toEqual([]);
  });

  it('7.8.6: UID with i;octet', () => {
    expect(matching(inCal('<C:comp-filter name="VEVENT"><C:prop-filter name="UID"><C:text-match collation="i;octet">DC6C50A017428C5216A2F1CD@example.com</C:text-match></C:prop-filter></C:comp-filter>')))
      .toEqual(['abcd3']);
  });

  it('7.8.7: ATTENDEE with a PARTSTAT param-filter (same property must match both)', () => {
    const by = (who: string, partstat: string) => inCal(`<C:comp-filter name="VEVENT"><C:prop-filter name="ATTENDEE">
      <C:text-match collation="i;ascii-casemap">${who}</C:text-match>
      <C:param-filter name="PARTSTAT"><C:text-match collation="i;ascii-casemap">${partstat}</C:text-match></C:param-filter>
      </C:prop-filter></C:comp-filter>`);
    expect(matching(by('mailto:lisa@example.com', 'NEEDS-ACTION'))).toEqual(['abcd3']);
    expect(matching(by('MAILTO:LISA@EXAMPLE.COM', 'needs-action'))).toEqual(['abcd3']);
    expect(matching(by('mailto:lisa@example.com', 'ACCEPTED'))).toEqual([]);
    expect(matching(inCal('<C:comp-filter name="VEVENT"><C:prop-filter name="ATTENDEE"><C:param-filter name="ROLE"><C:is-not-defined/></C:param-filter></C:prop-filter></C:comp-filter>')))
      .toEqual(['abcd3']); // lisa has no ROLE
    expect(matching(inCal('<C:comp-filter name="VEVENT"><C:prop-filter name="ORGANIZER"><C:param-filter name="CN"/></C:prop-filter></C:comp-filter>')))
      .toEqual([]);
  });

  it('7.8.8 and 7.8.9: events only; pending to-dos (is-not-defined, negate-condition)', () => {
    expect(matching(inCal('<C:comp-filter name="VEVENT"/>'))).toEqual(['abcd1', 'abcd2', 'abcd3']);
    expect(matching(inCal(`<C:comp-filter name="VTODO">
      <C:prop-filter name="COMPLETED"><C:is-not-defined/></C:prop-filter>
      <C:prop-filter name="STATUS"><C:text-match negate-condition="yes">CANCELLED</C:text-match></C:prop-filter>
      </C:comp-filter>`))).toEqual(['abcd4', 'abcd5']);
    expect(matching(inCal('<C:comp-filter name="VTODO"><C:is-not-defined/></C:comp-filter>'))).toEqual(['abcd1', 'abcd2', 'abcd3', 'abcd8']);
  });

  it('works with any prefix', () => {
    for (const prefix of ['C', 'cal', '']) {
      const filter = f('<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="20060104T000000Z" end="20060105T000000Z"/></C:comp-filter></C:comp-filter>', prefix);
      expect(matching(filter)).toEqual(['abcd2', 'abcd3']);
    }
  });
});

describe('text-match collations (RFC 4790, RFC 5051)', () => {
  const summary = (value: string, attrs = '') =>
    inCal(`<C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:text-match ${attrs}>${value}</C:text-match></C:prop-filter></C:comp-filter>`);
  const ev = cal('BEGIN:VEVENT', 'UID:x', 'DTSTART:20240101T100000Z', 'SUMMARY:Café Straße Meeting', 'END:VEVENT');
  const yes = (filter: CompFilter) => matchesFilter(ev, filter, 'UTC');

  it('i;ascii-casemap folds ASCII letters only', () => {
    expect(yes(summary('meeting'))).toBe(true);
    expect(yes(summary('CAFé'))).toBe(true);
    expect(yes(summary('CAFÉ'))).toBe(false);
    expect(yes(summary('STRASSE'))).toBe(false);
  });
  it('i;octet is exact, i;unicode-casemap folds beyond ASCII', () => {
    expect(yes(summary('meeting', 'collation="i;octet"'))).toBe(false);
    expect(yes(summary('Meeting', 'collation="i;octet"'))).toBe(true);
    expect(yes(summary('CAFÉ', 'collation="i;unicode-casemap"'))).toBe(true);
  });
  it('negate-condition="yes" inverts, and a missing property never matches', () => {
    expect(yes(summary('meeting', 'negate-condition="yes"'))).toBe(false);
    expect(yes(summary('lunch', 'negate-condition="yes"'))).toBe(true);
    expect(yes(inCal('<C:comp-filter name="VEVENT"><C:prop-filter name="LOCATION"><C:text-match negate-condition="yes">x</C:text-match></C:prop-filter></C:comp-filter>'))).toBe(false);
    expect(yes(inCal('<C:comp-filter name="VEVENT"><C:prop-filter name="LOCATION"><C:is-not-defined/></C:prop-filter></C:comp-filter>'))).toBe(true);
  });
  it('matches values that are not text in their iCalendar form', () => {
    expect(yes(inCal('<C:comp-filter name="VEVENT"><C:prop-filter name="DTSTART"><C:text-match>20240101T1000</C:text-match></C:prop-filter></C:comp-filter>'))).toBe(true);
  });
});

describe('time-range tests (RFC 4791 §9.9)', () => {
  const weekly = cal(
    'BEGIN:VEVENT', 'UID:w', 'DTSTART;TZID=America/New_York:20241021T090000', 'DTEND;TZID=America/New_York:20241021T100000',
    'RRULE:FREQ=WEEKLY;COUNT=6', 'EXDATE;TZID=America/New_York:20241028T090000', 'SUMMARY:Weekly', 'END:VEVENT',
    'BEGIN:VEVENT', 'UID:w', 'RECURRENCE-ID;TZID=America/New_York:20241111T090000',
    'DTSTART;TZID=America/New_York:20241113T150000', 'DTEND;TZID=America/New_York:20241113T160000', 'SUMMARY:Moved', 'END:VEVENT');
  const day = (d: string) => eventRange(`${d}T000000Z`, `${d}T235959Z`);

  it('recurrence with EXDATE and a moved override', () => {
    expect(matchesFilter(weekly, day('20241021'), ZONE)).toBe(true);
    expect(matchesFilter(weekly, day('20241028'), ZONE)).toBe(false); // EXDATE
    expect(matchesFilter(weekly, day('20241104'), ZONE)).toBe(true); // after the DST change
    expect(matchesFilter(weekly, day('20241111'), ZONE)).toBe(false); // moved away…
    expect(matchesFilter(weekly, day('20241113'), ZONE)).toBe(true); // …to here
    expect(matchesFilter(weekly, day('20241202'), ZONE)).toBe(false); // COUNT exhausted
  });

  it('combines the range with other tests on the same component (master OR override)', () => {
    const moved = (d: string) => inCal(`<C:comp-filter name="VEVENT"><C:time-range start="${d}T000000Z" end="${d}T235959Z"/>
      <C:prop-filter name="SUMMARY"><C:text-match>moved</C:text-match></C:prop-filter></C:comp-filter>`);
    expect(matchesFilter(weekly, moved('20241113'), ZONE)).toBe(true);
    expect(matchesFilter(weekly, moved('20241104'), ZONE)).toBe(false); // an instance, but of the master
  });

  it('VTODO rows: DUE only, DTSTART+DUE, DTSTART only, neither (matches any range), COMPLETED/CREATED', () => {
    const todo = (...lines: string[]) => cal('BEGIN:VTODO', 'UID:t', ...lines, 'END:VTODO');
    const r = (s: string, e: string) => eventRange(s, e, 'VTODO');
    const dueOnly = todo('DUE:20240110T120000Z');
    expect(matchesFilter(dueOnly, r('20240110T000000Z', '20240110T120000Z'), 'UTC')).toBe(true); // end >= DUE
    expect(matchesFilter(dueOnly, r('20240110T120000Z', '20240111T000000Z'), 'UTC')).toBe(false); // start < DUE fails
    const both = todo('DTSTART:20240110T090000Z', 'DUE:20240110T120000Z');
    expect(matchesFilter(both, r('20240110T100000Z', '20240110T110000Z'), 'UTC')).toBe(true);
    expect(matchesFilter(both, r('20240110T130000Z', '20240110T140000Z'), 'UTC')).toBe(false);
    const startOnly = todo('DTSTART:20240110T090000Z');
    expect(matchesFilter(startOnly, r('20240110T090000Z', '20240110T090001Z'), 'UTC')).toBe(true);
    expect(matchesFilter(startOnly, r('20240110T100000Z', '20250101T000000Z'), 'UTC')).toBe(false);
    const neither = todo('SUMMARY:someday');
    expect(matchesFilter(neither, r('19900101T000000Z', '19900102T000000Z'), 'UTC')).toBe(true);
    expect(matchesFilter(neither, r('20990101T000000Z', '20990102T000000Z'), 'UTC')).toBe(true);
    const completed = todo('COMPLETED:20240105T100000Z');
    expect(matchesFilter(completed, r('20240105T000000Z', '20240105T100000Z'), 'UTC')).toBe(true); // end >= COMPLETED
    expect(matchesFilter(completed, r('20240106T000000Z', '20240107T000000Z'), 'UTC')).toBe(false);
    const created = todo('CREATED:20240105T100000Z');
    expect(matchesFilter(created, r('20240106T000000Z', '20240107T000000Z'), 'UTC')).toBe(true); // end > CREATED
    expect(matchesFilter(created, r('20240101T000000Z', '20240105T100000Z'), 'UTC')).toBe(false);
  });

  it('open-ended ranges', () => {
    const after = (s: string) => inCal(`<C:comp-filter name="VEVENT"><C:time-range start="${s}"/></C:comp-filter>`);
    const unbounded = cal('BEGIN:VEVENT', 'UID:u', 'DTSTART:20200101T100000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY', 'END:VEVENT');
    expect(matchesFilter(unbounded, after('29990101T000000Z'), 'UTC')).toBe(true);
    expect(matchesFilter(weekly, after('20241202T000000Z'), ZONE)).toBe(false);
    expect(matchesFilter(weekly, inCal('<C:comp-filter name="VEVENT"><C:time-range end="20241021T130001Z"/></C:comp-filter>'), ZONE)).toBe(true);
    expect(matchesFilter(weekly, inCal('<C:comp-filter name="VEVENT"><C:time-range end="20241021T130000Z"/></C:comp-filter>'), ZONE)).toBe(false);
  });

  it('floating times use the calendar zone', () => {
    const floating = cal('BEGIN:VEVENT', 'UID:f', 'DTSTART:20240110T090000', 'DURATION:PT1H', 'END:VEVENT');
    const r = eventRange('20240110T140000Z', '20240110T150000Z'); // 09:00 New York
    expect(matchesFilter(floating, r, ZONE)).toBe(true);
    expect(matchesFilter(floating, r, 'UTC')).toBe(false);
  });

  it('VALARM: relative to START or END, absolute, REPEAT, per instance, overrides carry their own alarms', () => {
    const ev = (...alarm: string[]) => cal('BEGIN:VEVENT', 'UID:a', 'DTSTART:20240110T090000Z', 'DTEND:20240110T100000Z',
      'RRULE:FREQ=DAILY;COUNT=3', 'BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:x', ...alarm, 'END:VALARM', 'END:VEVENT');
    const alarm = (s: string, e: string) => inCal(`<C:comp-filter name="VEVENT"><C:comp-filter name="VALARM"><C:time-range start="${s}" end="${e}"/></C:comp-filter></C:comp-filter>`);
    expect(matchesFilter(ev('TRIGGER:-PT15M'), alarm('20240112T084500Z', '20240112T084501Z'), 'UTC')).toBe(true); // 3rd instance
    expect(matchesFilter(ev('TRIGGER:-PT15M'), alarm('20240113T084500Z', '20240113T084501Z'), 'UTC')).toBe(false); // no 4th
    expect(matchesFilter(ev('TRIGGER;RELATED=END:PT5M'), alarm('20240111T100500Z', '20240111T100501Z'), 'UTC')).toBe(true);
    expect(matchesFilter(ev('TRIGGER;RELATED=END:PT5M'), alarm('20240111T084500Z', '20240111T100459Z'), 'UTC')).toBe(false);
    expect(matchesFilter(ev('TRIGGER;VALUE=DATE-TIME:20231201T080000Z'), alarm('20231201T000000Z', '20231202T000000Z'), 'UTC')).toBe(true);
    expect(matchesFilter(ev('TRIGGER:-PT1H', 'REPEAT:2', 'DURATION:PT10M'), alarm('20240110T082000Z', '20240110T082001Z'), 'UTC')).toBe(true);
    expect(matchesFilter(ev('TRIGGER:-PT1H', 'REPEAT:2', 'DURATION:PT10M'), alarm('20240110T083000Z', '20240110T083001Z'), 'UTC')).toBe(false);
    // An override without VALARM: its instance has no alarm; EXDATE'd instances have none either.
    const withOverride = cal('BEGIN:VEVENT', 'UID:a', 'DTSTART:20240110T090000Z', 'DTEND:20240110T100000Z', 'RRULE:FREQ=DAILY;COUNT=3',
      'EXDATE:20240112T090000Z', 'BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:x', 'TRIGGER:-PT15M', 'END:VALARM', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:a', 'RECURRENCE-ID:20240111T090000Z', 'DTSTART:20240111T110000Z', 'DTEND:20240111T120000Z', 'END:VEVENT');
    expect(matchesFilter(withOverride, alarm('20240110T084500Z', '20240110T084501Z'), 'UTC')).toBe(true);
    expect(matchesFilter(withOverride, alarm('20240111T000000Z', '20240113T000000Z'), 'UTC')).toBe(false);
  });

  it('prop-filter time-range on DTSTAMP / LAST-MODIFIED (a point: start <= value < end)', () => {
    const prop = (name: string, s: string, e: string) =>
      inCal(`<C:comp-filter name="VEVENT"><C:prop-filter name="${name}"><C:time-range start="${s}" end="${e}"/></C:prop-filter></C:comp-filter>`);
    expect(matching(prop('DTSTAMP', '20060206T001121Z', '20060206T001122Z'))).toEqual(['abcd2']);
    expect(matching(prop('DTSTAMP', '20060206T000000Z', '20060206T001121Z'))).toEqual(['abcd1']);
    expect(matching(prop('LAST-MODIFIED', '20060206T000000Z', '20060207T000000Z'))).toEqual(['abcd3']);
    expect(matching(prop('LAST-MODIFIED', '20060207T000000Z', '20060208T000000Z'))).toEqual([]);
    // A DATE value covers its day (in the calendar zone): abcd4/abcd6/abcd7 DUE dates.
    const due = inCal('<C:comp-filter name="VTODO"><C:prop-filter name="DUE"><C:time-range start="20060104T120000Z" end="20060104T130000Z"/></C:prop-filter></C:comp-filter>');
    expect(matching(due)).toEqual(['abcd4']);
  });

  it('VAVAILABILITY (RFC 7953 §7.2.2): missing bounds are infinite', () => {
    const av = (...lines: string[]) => cal('BEGIN:VAVAILABILITY', 'UID:v', 'DTSTAMP:20240101T000000Z', ...lines, 'END:VAVAILABILITY');
    const r = (s: string, e: string) => eventRange(s, e, 'VAVAILABILITY');
    expect(matchesFilter(av('DTSTART:20240101T000000Z', 'DTEND:20240201T000000Z'), r('20240115T000000Z', '20240116T000000Z'), 'UTC')).toBe(true);
    expect(matchesFilter(av('DTSTART:20240101T000000Z', 'DTEND:20240201T000000Z'), r('20240201T000000Z', '20240202T000000Z'), 'UTC')).toBe(false);
    expect(matchesFilter(av('DTSTART:20240101T000000Z'), r('20990101T000000Z', '20990102T000000Z'), 'UTC')).toBe(true);
    expect(matchesFilter(av(), r('19990101T000000Z', '19990102T000000Z'), 'UTC')).toBe(true);
  });
});

describe('cross-check with the calendar generator', () => {
  it('a VEVENT time-range matches exactly the objects with an occurrence in the week', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calcast-filter-'));
    try {
      generateCalendar(400, dir);
      const objects = readdirSync(join(dir, 'events')).map((n) => parsed(readFileSync(join(dir, 'events', n), 'utf8')));
      let matched = 0;
      for (const [week, zone] of [['20240304', 'UTC'], ['20241028', ZONE], ['20250630', 'Europe/Paris'], ['20261221', 'Asia/Tokyo']] as const) {
        const from = Date.parse(`${week.slice(0, 4)}-${week.slice(4, 6)}-${week.slice(6)}T00:00:00Z`) / 1000;
        const to = from + 7 * 86400;
        const end = new Date(to * 1000).toISOString().replace(/[-:]/g, '').slice(0, 15) + 'Z';
        const filter = eventRange(`${week}T000000Z`, end);
        for (const c of objects) {
          const expected = occurrences(c, { from, to, floatingZone: zone }).length > 0;
          expect(matchesFilter(c, filter, zone)).toBe(expected);
          if (expected) matched++;
        }
      }
      expect(matched).toBeGreaterThan(20);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
