import {
  WEEKDAYS, addDays, addMonths, formatDate, nthWeekday, weekday,
} from './content-lines.js';
import type { Random } from './random.js';

/** A generated RRULE, its (possibly moved) first start, and its k-th instance's start. */
export interface Rule {
  rrule: string;
  start: Date;
  instance(k: number): Date;
}

/**
 * A recurrence for a series first starting at `start` (day of month ≤ 28): weekly on one to
 * three days, every week or every other; monthly by day of month or by nth weekday; or daily on
 * working days (FREQ=DAILY with BYDAY as a filter, RFC 5545 §3.3.10's table). Bounded by COUNT,
 * by UNTIL (UTC, as §3.3.10 requires with a TZID start) or not at all. instance(k) for k ≤ 4 is
 * always a real instance, whatever the bound: the EXDATEs and overrides pick from those.
 */
export function pickRule(rng: Random, start: Date): Rule {
  const shape = rng.next();
  let rule: Rule;
  if (shape < 0.5) {
    const interval = rng.pick([1, 1, 1, 2]);
    const others = rng.sample([0, 1, 2, 3, 4, 5, 6].filter((d) => d !== weekday(start)), rng.pick([0, 0, 1, 2]));
    const days = [weekday(start), ...others].sort((a, b) => a - b).map((d) => WEEKDAYS[d]);
    rule = {
      rrule: `FREQ=WEEKLY;BYDAY=${days.join(',')}${interval > 1 ? `;INTERVAL=${interval}` : ''}`,
      start,
      instance: (k) => addDays(start, 7 * k * interval),
    };
  } else if (shape < 0.7) {
    rule = { rrule: `FREQ=MONTHLY;BYMONTHDAY=${start.getUTCDate()}`, start, instance: (k) => addMonths(start, k) };
  } else if (shape < 0.9) {
    const n = Math.min(Math.floor((start.getUTCDate() - 1) / 7) + 1, 4);
    const wd = weekday(start);
    const first = nthWeekday(start, wd, n);
    rule = {
      rrule: `FREQ=MONTHLY;BYDAY=${n}${WEEKDAYS[wd]}`,
      start: first,
      instance: (k) => nthWeekday(addMonths(addDays(first, 1 - first.getUTCDate()), k), wd, n),
    };
  } else {
    const first = weekday(start) < 5 ? start : addDays(start, 7 - weekday(start));
    rule = {
      rrule: 'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR',
      start: first,
      instance: (k) => {
        let t = first;
        for (let left = k; left > 0;) {
          t = addDays(t, 1);
          if (weekday(t) < 5) left--;
        }
        return t;
      },
    };
  }
  const bound = rng.next();
  if (bound < 0.3) rule.rrule += `;COUNT=${rng.int(20, 52)}`;
  else if (bound < 0.6) rule.rrule += `;UNTIL=${formatDate(addDays(rule.start, rng.int(180, 720)))}T235959Z`;
  return rule;
}
