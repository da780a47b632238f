import { describe, it, expect } from 'vitest';
import { parseCalendar } from '../../../src/ical/parse.js';
import { FOREVER, objectBounds, occurrenceWalk, occurrences } from '../../../src/ical/recurrence.js';
import { MAX_WALK, TooManyInstances } from '../../../src/ical/instance-limit.js';

// Rules whose BYxxx limits never meet (February 30th) make ical.js's RecurIterator.next() loop
// for ever; sparse ones make it loop for years of steps. Every walk is bounded and sliced.

const event = (dtstart: string, rule: string) => parseCalendar([
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//walk//EN', 'BEGIN:VEVENT', 'UID:walk@test.invalid',
  'DTSTAMP:20260101T000000Z', `DTSTART:${dtstart}`, 'DURATION:PT1H', `RRULE:${rule}`, 'SUMMARY:walk', 'END:VEVENT', 'END:VCALENDAR', '',
].join('\r\n'));

const at = (iso: string) => Date.parse(iso) / 1000;
const YEAR_2027 = { from: at('2027-01-01T00:00:00Z'), to: at('2028-01-01T00:00:00Z') };

describe('rules that never or rarely match', () => {
  for (const rule of ['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30', 'FREQ=HOURLY;BYMONTH=4;BYMONTHDAY=31', 'FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30']) {
    it(`${rule}: the extent is wide and an expansion gives DTSTART alone`, () => {
      const root = event('20260101T090000Z', rule);
      // A prefilter must not drop an instance it could not rule out.
      expect(objectBounds(root, 'UTC').lastEnd).toBe(FOREVER);
      const first = occurrences(root, { from: at('2025-12-31T00:00:00Z'), to: at('2026-01-02T00:00:00Z'), floatingZone: 'UTC', maxWalk: MAX_WALK });
      expect(first.map((o) => o.start)).toEqual([at('2026-01-01T09:00:00Z')]);
      expect(occurrences(root, { ...YEAR_2027, floatingZone: 'UTC' })).toEqual([]);
    });
  }

  it('a window ical.js reaches in a few steps is answered; one a year of seconds away is refused when bounded', () => {
    const daily = event('20260101T090000Z', 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30');
    expect(occurrences(daily, { ...YEAR_2027, floatingZone: 'UTC', maxWalk: MAX_WALK })).toEqual([]);
    const secondly = event('20260101T090000Z', 'FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30');
    expect(() => occurrences(secondly, { ...YEAR_2027, floatingZone: 'UTC', max: 11, maxWalk: MAX_WALK })).toThrow(TooManyInstances);
  });

  it('a satisfiable but sparse limit still finds its instances', () => {
    const root = event('20260101T090000Z', 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29');
    const found = occurrences(root, { from: at('2027-01-01T00:00:00Z'), to: at('2029-01-01T00:00:00Z'), floatingZone: 'UTC' });
    expect(found.map((o) => o.start)).toEqual([at('2028-02-29T09:00:00Z')]);
  });
});

describe('occurrenceWalk', () => {
  it('pauses through a long walk and ends with what occurrences() gives', () => {
    const root = event('20260101T000000', 'FREQ=MINUTELY');
    const opts = { from: at('2027-03-01T00:00:00Z'), to: at('2027-03-02T00:00:00Z'), floatingZone: 'Europe/Berlin', max: 5000 };
    const walk = occurrenceWalk(root, opts);
    let pauses = 0;
    let step = walk.next();
    for (; !step.done; step = walk.next()) pauses++;
    // Two days of walls before the window, then the day's, 256 walls a slice.
    expect(pauses).toBeGreaterThan(10);
    expect(step.value).toEqual(occurrences(root, opts));
    // The day's 1,440 starts, and the 59 hour-long instances started before midnight.
    expect(step.value).toHaveLength(1440 + 59);
  });

  it('pauses while ical.js steps without finding an instance', () => {
    const root = event('20260101T090000Z', 'FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30');
    const walk = occurrenceWalk(root, { ...YEAR_2027, floatingZone: 'UTC', maxWalk: MAX_WALK });
    let pauses = 0;
    expect(() => {
      for (let step = walk.next(); !step.done; step = walk.next()) pauses++;
    }).toThrow(TooManyInstances);
    expect(pauses).toBeGreaterThanOrEqual(100);
  });
});
