import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { canonicalTimezone, listTimezones, vtimezone } from '../../../src/ical/timezones.js';

// The first seven are the zones our fixtures use.
const ZONES = [
  'America/New_York',
  'America/Los_Angeles',
  'Europe/Paris',
  'Europe/London',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Australia/Sydney',
  'America/Sao_Paulo',
  'Europe/Berlin',
  'America/Chicago',
  'America/Denver',
  'America/Phoenix',
  'Asia/Kathmandu',
  'Pacific/Auckland',
  'America/St_Johns',
  'Europe/Oslo', // a CLDR location zone that tzdata links to Europe/Berlin
  'Europe/Kyiv',
];

function parseZone(tzid: string): ICAL.Timezone {
  const block = vtimezone(tzid);
  if (block === null) throw new Error(`no VTIMEZONE for ${tzid}`);
  return new ICAL.Timezone(ICAL.Component.fromString(block));
}

interface Change { year: number; month: number; day: number; hour: number; minute: number; second: number; utcOffset: number; prevUtcOffset: number }

/**
 * UTC offset in minutes that the published VTIMEZONE gives for an instant. ical.js expands the
 * observances into `changes` kept in UTC; we pick the last one at or before the instant. (Going
 * through `convertToZone(tz).utcOffset()` would re-derive the offset from wall time, which is
 * ambiguous in the repeated hour after a fall-back transition.)
 */
function icalOffset(tz: ICAL.Timezone, instant: Date): number {
  tz._ensureCoverage(instant.getUTCFullYear() + 1);
  const changes = tz.changes as Change[];
  let offset = changes[0]?.prevUtcOffset ?? 0;
  for (const c of changes) {
    if (Date.UTC(c.year, c.month - 1, c.day, c.hour, c.minute, c.second) > instant.getTime()) break;
    offset = c.utcOffset;
  }
  return offset / 60;
}

function luxonOffset(zone: string, instant: Date): number {
  return DateTime.fromJSDate(instant, { zone }).offset;
}

describe('vtimezone offsets match luxon', () => {
  it.each(ZONES)('%s, 15th of every month 2020-2030 at 12:00Z', (zone) => {
    const tz = parseZone(zone);
    const mismatches: string[] = [];
    for (let year = 2020; year <= 2030; year++) {
      for (let month = 0; month < 12; month++) {
        const instant = new Date(Date.UTC(year, month, 15, 12));
        const got = icalOffset(tz, instant);
        const want = luxonOffset(zone, instant);
        if (got !== want) mismatches.push(`${instant.toISOString()}: ${got} != ${want}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  // [zone, transition instant (UTC), offset before, offset after]
  const transitions: [string, string, number, number][] = [
    ['America/New_York', '2024-03-10T07:00:00Z', -300, -240],
    ['America/New_York', '2024-11-03T06:00:00Z', -240, -300],
    ['Europe/Paris', '2024-03-31T01:00:00Z', 60, 120],
    ['Europe/Paris', '2024-10-27T01:00:00Z', 120, 60],
  ];
  it.each(transitions)('%s switches at %s', (zone, at, before, after) => {
    const tz = parseZone(zone);
    const t = Date.parse(at);
    const hourBefore = new Date(t - 3_600_000);
    const hourAfter = new Date(t + 3_600_000);
    expect(icalOffset(tz, hourBefore)).toBe(before);
    expect(icalOffset(tz, hourAfter)).toBe(after);
    expect(luxonOffset(zone, hourBefore)).toBe(before);
    expect(luxonOffset(zone, hourAfter)).toBe(after);
    expect(icalOffset(tz, new Date(t - 60_000))).toBe(before);
    expect(icalOffset(tz, new Date(t))).toBe(after);
  });

  it.each(ZONES.slice(0, 7))('%s: DTSTART;TZID wall times land on the same instant as luxon', (zone) => {
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//calcast//test//EN',
      vtimezone(zone),
      'BEGIN:VEVENT',
      'UID:x@test',
      'DTSTAMP:20240101T000000Z',
      `DTSTART;TZID=${zone}:20240115T093000`,
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const vcal = ICAL.Component.fromString(ics);
    const vtz = vcal.getFirstSubcomponent('vtimezone');
    if (vtz === null) throw new Error('no vtimezone');
    const tz = new ICAL.Timezone(vtz);
    for (const month of [1, 3, 4, 7, 10, 11, 12]) {
      for (const year of [2024, 2027]) {
        const wall = { year, month, day: 15, hour: 9, minute: 30, second: 0 };
        const got = new ICAL.Time({ ...wall, isDate: false }, tz).toJSDate().getTime();
        const want = DateTime.fromObject(wall, { zone }).toMillis();
        expect(got, `${zone} ${year}-${month}`).toBe(want);
      }
    }
  });
});

describe('vtimezone block shape', () => {
  const all = listTimezones(new Date('2024-01-15T12:00:00Z'))
    .map((z) => z.label)
    .filter((label) => label !== 'UTC');

  it('every canonical zone has a 1970+RRULE block with its own TZID, CRLF-joined', () => {
    expect(all.length).toBeGreaterThan(300);
    for (const tzid of all) {
      const block = vtimezone(tzid);
      expect(block, tzid).not.toBeNull();
      const text = block ?? '';
      const lines = text.split('\r\n');
      expect(text.replace(/\r\n/g, ''), tzid).not.toMatch(/[\r\n]/);
      expect(text.endsWith('\r\n')).toBe(false);
      expect(lines[0]).toBe('BEGIN:VTIMEZONE');
      expect(lines.at(-1)).toBe('END:VTIMEZONE');
      expect(lines.filter((l) => l.startsWith('TZID'))).toEqual([`TZID:${tzid}`]);
      expect(lines.filter((l) => l === 'BEGIN:VTIMEZONE' || l === 'END:VTIMEZONE')).toHaveLength(2);
      expect(lines.some((l) => l.startsWith('DTSTART:1970'))).toBe(true);
      expect(lines.some((l) => l.startsWith('RDATE'))).toBe(false);
      expect(lines.every((l) => l.length > 0 && l.length <= 75)).toBe(true);
    }
  });

  it('zones with DST carry a yearly RRULE per observance', () => {
    const lines = (vtimezone('America/New_York') ?? '').split('\r\n');
    expect(lines).toContain('RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU');
    expect(lines).toContain('RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU');
    expect(lines.filter((l) => l.startsWith('DTSTART'))).toHaveLength(2);
  });

  it('a location zone linked to another tzdata zone gets its own TZID', () => {
    const oslo = vtimezone('Europe/Oslo') ?? '';
    expect(oslo.split('\r\n')[1]).toBe('TZID:Europe/Oslo');
    expect(oslo).not.toContain('Europe/Berlin');
  });

  it('returns null for UTC, aliases and unknown names, and caches', () => {
    expect(vtimezone('UTC')).toBeNull();
    expect(vtimezone('Etc/UTC')).toBeNull();
    expect(vtimezone('US/Eastern')).toBeNull();
    expect(vtimezone('Asia/Calcutta')).toBeNull();
    expect(vtimezone('Nowhere/Land')).toBeNull();
    expect(vtimezone('')).toBeNull();
    expect(vtimezone('Europe/Paris')).toBe(vtimezone('Europe/Paris'));
  });
});

describe('canonicalTimezone', () => {
  const cases: [string, string | null][] = [
    // canonical names stay as they are
    ['America/New_York', 'America/New_York'],
    ['Europe/Paris', 'Europe/Paris'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['America/Argentina/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['Europe/Oslo', 'Europe/Oslo'],
    ['Europe/Amsterdam', 'Europe/Amsterdam'],
    ['Etc/GMT+5', 'Etc/GMT+5'],
    // aliases, including CLDR/ICU's old spellings
    ['US/Eastern', 'America/New_York'],
    ['US/Pacific', 'America/Los_Angeles'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['Asia/Saigon', 'Asia/Ho_Chi_Minh'],
    ['America/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['Pacific/Truk', 'Pacific/Chuuk'],
    ['Asia/Ulan_Bator', 'Asia/Ulaanbaatar'],
    ['Europe/Belfast', 'Europe/London'],
    ['GB', 'Europe/London'],
    ['Japan', 'Asia/Tokyo'],
    ['EST5EDT', 'America/New_York'],
    ['europe/paris', 'Europe/Paris'],
    ['  Europe/Paris ', 'Europe/Paris'],
    ['"Europe/Paris"', 'Europe/Paris'],
    // UTC variants
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['GMT', 'UTC'],
    ['Etc/UTC', 'UTC'],
    ['Etc/GMT', 'UTC'],
    ['Etc/Zulu', 'UTC'],
    ['Universal', 'UTC'],
    ['GMT0', 'UTC'],
    ['Z', 'UTC'],
    // Windows names (CLDR windowsZones, territory 001)
    ['W. Europe Standard Time', 'Europe/Berlin'],
    ['Eastern Standard Time', 'America/New_York'],
    ['Pacific Standard Time', 'America/Los_Angeles'],
    ['GMT Standard Time', 'Europe/London'],
    ['Tokyo Standard Time', 'Asia/Tokyo'],
    ['India Standard Time', 'Asia/Kolkata'],
    ['AUS Eastern Standard Time', 'Australia/Sydney'],
    ['Central European Standard Time', 'Europe/Warsaw'],
    ['Romance Standard Time', 'Europe/Paris'],
    ['Central Standard Time', 'America/Chicago'],
    ['Mountain Standard Time', 'America/Denver'],
    ['China Standard Time', 'Asia/Shanghai'],
    ['FLE Standard Time', 'Europe/Kyiv'],
    ['Argentina Standard Time', 'America/Argentina/Buenos_Aires'],
    ['UTC-11', 'Etc/GMT+11'],
    // vendor prefixes
    ['/mozilla.org/20070129_1/Europe/Paris', 'Europe/Paris'],
    ['/mozilla.org/20050126_1/America/Argentina/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['/citadel.org/20190914_1/Asia/Calcutta', 'Asia/Kolkata'],
    ['/mozilla.org/20070129_1/Nowhere/Land', null],
    // garbage
    ['', null],
    ['   ', null],
    ['garbage', null],
    ['Europe', null],
    ['America/Argentina', null],
    ['Mars/Olympus_Mons', null],
    ['PT', null], // the library's own non-IANA shorthand
    ['+01:00', null],
  ];
  it.each(cases)('%j → %j', (input, expected) => {
    expect(canonicalTimezone(input)).toBe(expected);
  });

  it('every listed zone is a fixed point', () => {
    for (const { label } of listTimezones(new Date())) expect(canonicalTimezone(label)).toBe(label);
  });

  it('every zone ICU knows resolves to a listed zone', () => {
    const listed = new Set(listTimezones(new Date()).map((z) => z.label));
    for (const id of Intl.supportedValuesOf('timeZone')) {
      const c = canonicalTimezone(id);
      expect(c !== null && listed.has(c), `${id} → ${c}`).toBe(true);
    }
  });
});

describe('listTimezones', () => {
  const january = listTimezones(new Date('2024-01-15T12:00:00Z'));
  const july = listTimezones(new Date('2024-07-15T12:00:00Z'));
  const offsetOf = (list: { label: string; offset: string }[], label: string) =>
    list.find((z) => z.label === label)?.offset;

  it('gives current offsets', () => {
    expect(offsetOf(january, 'Europe/Paris')).toBe('+01:00');
    expect(offsetOf(july, 'Europe/Paris')).toBe('+02:00');
    expect(offsetOf(january, 'America/Los_Angeles')).toBe('-08:00');
    expect(offsetOf(july, 'America/Los_Angeles')).toBe('-07:00');
    expect(offsetOf(january, 'Asia/Kolkata')).toBe('+05:30');
    expect(offsetOf(january, 'Asia/Kathmandu')).toBe('+05:45');
    expect(offsetOf(january, 'Australia/Sydney')).toBe('+11:00');
    expect(offsetOf(july, 'Europe/London')).toBe('+01:00');
    expect(offsetOf(january, 'UTC')).toBe('+00:00');
    for (const { offset } of january) expect(offset).toMatch(/^[+-]\d{2}:\d{2}$/);
  });

  it('has unique, sorted labels with a single UTC and no aliases', () => {
    const labels = january.map((z) => z.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toEqual([...labels].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(labels.filter((l) => /^(Etc\/)?(UTC|UCT|GMT0?|Zulu|Universal|Greenwich)$/.test(l))).toEqual(['UTC']);
    for (const alias of ['US/Eastern', 'Asia/Calcutta', 'Europe/Kiev', 'Etc/UTC', 'GMT', 'PT']) {
      expect(labels).not.toContain(alias);
    }
    expect(labels).toContain('Asia/Kolkata');
    expect(labels).toContain('Europe/Kyiv');
    expect(labels).toEqual(july.map((z) => z.label));
  });
});
