import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { recurrenceText } from '../../../src/ical/rrule-text.js';

// A Tuesday, 2027-03-02.
const START = { weekday: 2, day: 2, month: 3 };
const words = (rule: string, until: string | null = null) => recurrenceText(ICAL.Recur.fromString(rule), START, until);

describe('recurrence rules in words', () => {
  it.each([
    ['FREQ=WEEKLY;BYDAY=TU', 'every Tuesday'],
    ['FREQ=WEEKLY', 'every Tuesday'],
    ['FREQ=WEEKLY;BYDAY=MO,WE,FR', 'every Monday, Wednesday and Friday'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH', 'every 2 weeks on Monday and Thursday'],
    ['FREQ=DAILY', 'every day'],
    ['FREQ=DAILY;INTERVAL=3;COUNT=10', 'every 3 days, 10 times'],
    ['FREQ=MONTHLY', 'every month on the 2nd'],
    ['FREQ=MONTHLY;BYMONTHDAY=11,-1', 'every month on the 11th and the last day'],
    ['FREQ=MONTHLY;BYDAY=-1FR', 'every month on the last Friday'],
    ['FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2', 'every month on the second Tuesday'],
    ['FREQ=YEARLY', 'every year on 2 March'],
    ['FREQ=YEARLY;BYMONTH=11;BYDAY=4TH', 'every year on the fourth Thursday of November'],
    ['FREQ=HOURLY;INTERVAL=6;COUNT=1', 'every 6 hours, once'],
  ])('%s reads "%s"', (rule, text) => {
    expect(words(rule)).toBe(text);
  });

  it('ends with the caller’s UNTIL label', () => {
    expect(words('FREQ=WEEKLY;BYDAY=TU;UNTIL=20270630T000000Z', '30 June 2027')).toBe('every Tuesday until 30 June 2027');
  });

  it.each(['FREQ=DAILY;BYHOUR=9,17', 'FREQ=YEARLY;BYWEEKNO=20', 'FREQ=MONTHLY;BYDAY=TU,TH;BYSETPOS=-1,1', 'FREQ=MONTHLY;BYDAY=+7MO'])(
    'has no short phrase for %s', (rule) => {
      expect(words(rule)).toBeNull();
    });
});
