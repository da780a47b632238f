import { describe, it, expect, afterEach } from 'vitest';
import { Settings } from 'luxon';
import { parseDateInput, toZonedDateTime, type DateInput } from '../../../src/ical/date-input.js';

const date = (year: number, month: number, day: number): DateInput => ({ kind: 'date', year, month, day });
const local = (year: number, month: number, day: number, hour: number, minute: number, second = 0): DateInput =>
  ({ kind: 'local', year, month, day, hour, minute, second });
const instant = (iso: string): DateInput => ({ kind: 'instant', epochMs: Date.parse(iso) });

describe('parseDateInput', () => {
  it.each<[string, DateInput]>([
    // ISO 8601, extended
    ['2024-04-02', date(2024, 4, 2)],
    ['2024-04-02T09:00', local(2024, 4, 2, 9, 0)],
    ['2024-04-02T09:00:00', local(2024, 4, 2, 9, 0)],
    ['2024-04-02 17:30:00', local(2024, 4, 2, 17, 30)],
    ['2024-04-02T23:59:59', local(2024, 4, 2, 23, 59, 59)],
    ['2024-04-02T09:00:00.5', local(2024, 4, 2, 9, 0)], // a 'local' keeps whole seconds only
    ['2024-04-02T09:00:00Z', instant('2024-04-02T09:00:00Z')],
    ['2024-04-02T09:00:00.123+02:00', instant('2024-04-02T07:00:00.123Z')],
    ['2024-04-02T09:00:00.123456Z', instant('2024-04-02T09:00:00.123Z')], // truncated to ms
    ['2024-04-02T09:00:00+0200', instant('2024-04-02T07:00:00Z')],
    ['2024-04-02T09:00-05:30', instant('2024-04-02T14:30:00Z')],
    ['2024-04-02 09:00+02', instant('2024-04-02T07:00:00Z')],
    ['2024-04-02T09:00:00-00:00', instant('2024-04-02T09:00:00Z')],
    ['  2024-04-02t09:00:00z\n', instant('2024-04-02T09:00:00Z')], // trimmed, case-insensitive
    // ISO 8601, basic
    ['20240402', date(2024, 4, 2)],
    ['20240402T0900', local(2024, 4, 2, 9, 0)],
    ['20240402T090000Z', instant('2024-04-02T09:00:00Z')],
    ['20240402T090000+0200', instant('2024-04-02T07:00:00Z')],
    // AddEvent: slash → American m/d/y
    ['03/19/2024 03:00 PM', local(2024, 3, 19, 15, 0)],
    ['3/9/2024', date(2024, 3, 9)],
    ['11/30/2024 03:05pm', local(2024, 11, 30, 15, 5)],
    ['12/25/2024 23:59', local(2024, 12, 25, 23, 59)], // 24-hour clock without AM/PM
    ['12/25/2024 9:05:30 am', local(2024, 12, 25, 9, 5, 30)],
    ['12/25/2024 12:00 AM', local(2024, 12, 25, 0, 0)], // midnight
    ['12/25/2024 12:30:15 Am', local(2024, 12, 25, 0, 30, 15)],
    ['12/25/2024 12:00 pm', local(2024, 12, 25, 12, 0)], // noon
    ['12/25/2024 12:45PM', local(2024, 12, 25, 12, 45)],
    // the seeds' own end_date examples glue the time to a four-digit year
    ['02/05/202511:00', local(2025, 2, 5, 11, 0)],
    ['04/02/20249:30 pm', local(2024, 4, 2, 21, 30)],
    // four-digit year first with slashes → y/m/d
    ['2024/11/30 09:37am', local(2024, 11, 30, 9, 37)],
    ['2024/3/9', date(2024, 3, 9)],
    // AddEvent: dash or dot → European d-m-y
    ['19-03-2024 15:00', local(2024, 3, 19, 15, 0)],
    ['31-10-2024 11:00:00', local(2024, 10, 31, 11, 0)],
    ['1-2-2024', date(2024, 2, 1)],
    ['19.03.2024', date(2024, 3, 19)],
    ['19.03.2024 08:05', local(2024, 3, 19, 8, 5)],
    // AddEvent: two-digit year with dashes → y-m-d; pivot 00–68 → 20xx, 69–99 → 19xx
    ['24-03-19', date(2024, 3, 19)],
    ['24-03-19 07:15', local(2024, 3, 19, 7, 15)],
    ['68-01-01', date(2068, 1, 1)],
    ['69-01-01', date(1969, 1, 1)],
    ['99-12-31', date(1999, 12, 31)],
    // leap years
    ['2024-02-29', date(2024, 2, 29)],
    ['29.02.2024', date(2024, 2, 29)],
    ['02/29/2024 10:00', local(2024, 2, 29, 10, 0)],
    ['04/02/202411:00', local(2024, 4, 2, 11, 0)], // AddEvent's example: no space after the year
    ['2000-02-29', date(2000, 2, 29)],
  ])('reads %j', (text, expected) => {
    expect(parseDateInput(text)).toEqual(expected);
  });

  it.each([
    '',
    '   ',
    'tomorrow',
    'next tuesday 3pm',
    // impossible dates: null, never rolled over
    '2024-13-01',
    '2024-00-10',
    '2024-02-30',
    '2023-02-29',
    '1900-02-29',
    '02/29/2023',
    '29-02-2023',
    '23-02-29', // y-m-d 2023-02-29
    '2024-04-31',
    '2024/11/31 09:37am', // AddEvent's own example; November has 30 days
    '2024/11/3009:37', // a time glued only to a four-digit year that ends the date
    '24-03-1907:15',
    '11/31/2024 03:05pm', // likewise
    '31-11-2024 11:00:00', // likewise
    '13/45/2024',
    '19/03/2024', // slash means m/d/y, and there is no month 19
    '00/10/2024',
    // impossible times
    '2024-04-02T25:00',
    '2024-04-02T24:00', // luxon would accept 24:00; we do not
    '2024-04-02T09:60',
    '2024-04-02T09:00:60',
    '24:00',
    '09:00',
    // 12-hour clock misuse
    '12/25/2024 13:00 PM',
    '12/25/2024 00:30 AM',
    '12/25/2024 PM',
    '19-03-2024 03:00 PM', // AM/PM only in the slash forms
    '2024-04-02 03:00 PM',
    // bad offsets
    '2024-04-02T09:00:00+24:00',
    '2024-04-02T09:00+02:60',
    '2024-04-02+02:00', // an offset needs a time
    '2024-04-02T09:00:00ZZ',
    // ambiguous or malformed shapes
    '1/2/3',
    '1-2-3',
    '19/03/24',
    '19.03.24',
    '2024-4-2',
    '2024.04.02',
    '2024-04-02T9:00',
    '2024-04-02T09:00:00.',
    '19-03/2024',
    '2024-04-02TT09:00',
    '04/02/2411:00', // no space is read only after a four-digit year
    '2024/04/0211:00',
    '２０２４-04-02', // full-width digits
  ])('rejects %j', (text) => {
    expect(parseDateInput(text)).toBeNull();
  });
});

describe('toZonedDateTime', () => {
  const isoIn = (text: string, zone: string) => toZonedDateTime(parseDateInput(text)!, zone).toISO();
  const realNow = Settings.now;
  afterEach(() => {
    Settings.now = realNow;
  });

  it.each([
    ['a date is midnight in the zone', '2024-04-02', 'America/New_York', '2024-04-02T00:00:00.000-04:00'],
    ['a local time is wall time in the zone', '2024-04-02T09:00', 'Europe/Paris', '2024-04-02T09:00:00.000+02:00'],
    ['an AddEvent local time', '03/19/2024 03:00 PM', 'America/Chicago', '2024-03-19T15:00:00.000-05:00'],
    ['an instant is shown in the zone', '2024-04-02T16:00:00Z', 'America/Los_Angeles', '2024-04-02T09:00:00.000-07:00'],
    ['an instant with an offset', '2024-04-02T09:00:00.123+02:00', 'UTC', '2024-04-02T07:00:00.123Z'],
    // DST gap: 02:00–03:00 does not exist in Paris that night; 02:30 is read at +01:00 → 03:30+02:00.
    ['a local time in a DST gap moves forward', '2024-03-31T02:30', 'Europe/Paris', '2024-03-31T03:30:00.000+02:00'],
    // Santiago skips 00:00–01:00 on 2024-09-08, so that day starts at 01:00.
    ['a date whose midnight is in a DST gap', '2024-09-08', 'America/Santiago', '2024-09-08T01:00:00.000-03:00'],
    // DST overlap: 02:00–03:00 happens twice in Paris that night; we take the first one.
    ['a local time in a DST overlap is its first occurrence', '2024-10-27T02:30', 'Europe/Paris', '2024-10-27T02:30:00.000+02:00'],
    ['likewise west of UTC', '11/03/2024 1:30 AM', 'America/New_York', '2024-11-03T01:30:00.000-04:00'],
  ])('%s', (_label, text, zone, expected) => {
    expect(isoIn(text, zone)).toBe(expected);
  });

  it.each([
    ['winter', Date.UTC(2026, 0, 15)],
    ['summer', Date.UTC(2026, 6, 15)],
  ])('resolves overlaps the same whatever today is (%s)', (_season, now) => {
    // Luxon alone picks an overlap offset from today's offset; ours must not depend on it.
    Settings.now = () => now;
    expect(isoIn('2024-10-27T02:30', 'Europe/Paris')).toBe('2024-10-27T02:30:00.000+02:00');
    expect(isoIn('2024-11-03T01:30', 'America/New_York')).toBe('2024-11-03T01:30:00.000-04:00');
    expect(isoIn('2024-03-31T02:30', 'Europe/Paris')).toBe('2024-03-31T03:30:00.000+02:00');
  });

  it('keeps the instant of an instant input', () => {
    const input = parseDateInput('2024-04-02T16:00:00Z')!;
    expect(toZonedDateTime(input, 'Asia/Tokyo').toMillis()).toBe(Date.UTC(2024, 3, 2, 16));
  });

  it('throws on an unknown zone', () => {
    expect(() => toZonedDateTime(parseDateInput('2024-04-02')!, 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
