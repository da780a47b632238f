import ICAL from 'ical.js';
import { DAY, dayOf, wallOf, wallToTime, type Resolve, type TimeValue } from './instants.js';

// RRULE expansion in wall time (RFC 5545 §3.3.10: the rule steps in DTSTART's local time), with
// UNTIL applied by us and a fast-forward for far windows (ical.js 2.2's RecurIterator has no
// start hint: it always walks from DTSTART).

/**
 * ical.js steps a rule one FREQ unit at a time until every BYxxx limit matches (RFC 5545
 * §3.3.10's "limit" parts), inside RecurIterator.next() and without a bound: for
 * FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30 next() never returns. Every step ends in
 * check_contracting_rules(), so counting its calls bounds a walk: at most MAX_STEPS steps
 * (a few tenths of a second).
 */
export const MAX_STEPS = 100_000;
/** Failed steps between two pauses of `ruleSteps`: a few milliseconds of ical.js work. */
const STEP_SLICE = 500;

/** Thrown when one rule walk exceeds MAX_STEPS. */
export class WalkTooLong extends Error {
  constructor() {
    super(`the rule needs more than ${MAX_STEPS} iterator steps`);
  }
}

/** Yielded by `ruleSteps` between slices of steps that found no instance. */
export const PAUSE = Symbol('pause');
const SLICE_END = Symbol('slice end');
const PAST_END = Symbol('past the end');

type Limit = [part: string, value: (t: ICAL.Time, wkst: ICAL.Recur['wkst']) => number | string];
/** The parts check_contracting_rules() tests, with the value each compares. */
const LIMITS: Limit[] = [
  ['BYSECOND', (t) => t.second], ['BYMINUTE', (t) => t.minute], ['BYHOUR', (t) => t.hour],
  ['BYDAY', (t) => ICAL.Recur.numericDayToIcalDay(t.dayOfWeek())], ['BYWEEKNO', (t, wkst) => t.weekNumber(wkst)],
  ['BYMONTHDAY', (t) => t.day], ['BYMONTH', (t) => t.month], ['BYYEARDAY', (t) => t.dayOfYear()],
];

/**
 * Replaces the iterator's step check with the same test, counted. ical.js computes the week
 * number and day of year on every step even when the rule has no such part; here only the
 * rule's own parts are tested (a part it lacks passes in ical.js too). After STEP_SLICE failed
 * checks it throws SLICE_END: that candidate fails, so next()'s loop would skip it anyway, and
 * the next call of next() resumes from the iterator's position. A failed candidate at or past
 * `stopAt` throws PAST_END: the iterator only moves forward, so no instance is left before it.
 */
function countSteps(iterator: ICAL.RecurIterator, stopAt: number): void {
  const limits = LIMITS.filter(([part]) => iterator.has_by_data(part));
  const check = function (this: ICAL.RecurIterator): boolean {
    return limits.every(([part, value]) => this.check_contract_restriction(part, value(this.last, this.rule.wkst)));
  };
  let total = 0;
  let failed = 0;
  iterator.check_contracting_rules = function (this: ICAL.RecurIterator) {
    const ok = check.call(this);
    if (++total > MAX_STEPS) throw new WalkTooLong();
    if (!ok && wallOf(this.last) >= stopAt) throw PAST_END;
    if (!ok && ++failed >= STEP_SLICE) {
      failed = 0;
      throw SLICE_END;
    }
    return ok;
  };
}

const FIXED: Record<string, number> = { SECONDLY: 1, MINUTELY: 60, HOURLY: 3600, DAILY: DAY, WEEKLY: 7 * DAY };

/** An upper bound of one rule period (INTERVAL included) in wall seconds. */
export function periodOf(rule: ICAL.Recur): number {
  const interval = Math.max(1, rule.interval || 1);
  const unit = FIXED[rule.freq] ?? (rule.freq === 'MONTHLY' ? 31 * DAY : 366 * DAY);
  return unit * interval;
}

/** Whether a MONTHLY rule can have an instance in the month starting at `first`. */
function monthHasInstance(r: ICAL.Recur, first: Date): boolean {
  const { BYMONTH, BYMONTHDAY, BYDAY } = r.parts;
  if (BYMONTH && !BYMONTH.includes(first.getUTCMonth() + 1)) return false;
  if (BYDAY || !BYMONTHDAY) return true; // ical.js itself looks ahead for a 5th weekday
  const days = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return BYMONTHDAY.some((d) => Math.abs(d) <= days);
}

/**
 * Where to restart a rule so that it reaches `skipTo` quickly: the start of a whole number of
 * periods (INTERVAL phase kept) at or before `skipTo`, or null when the rule must be walked from
 * DTSTART (COUNT counts from DTSTART; YEARLY with BYWEEKNO has week-of-year defaults). Shifting
 * by whole seconds…weeks keeps the DTSTART-derived defaults (time of day, weekday); MONTHLY and
 * YEARLY restart on the 1st of the month / Jan 1, which is safe because `normalized` spelled the
 * day defaults out.
 */
function shiftedStart(r: ICAL.Recur, startWall: number, skipTo: number): number | null {
  if (r.count || skipTo <= startWall) return null;
  const interval = Math.max(1, r.interval || 1);
  const fixed = FIXED[r.freq];
  if (fixed) {
    const k = Math.floor((skipTo - startWall) / (fixed * interval));
    return k >= 2 ? startWall + k * fixed * interval : null;
  }
  const s = new Date(startWall * 1000);
  const g = new Date(skipTo * 1000);
  const timeOfDay = startWall - dayOf(startWall);
  if (r.freq === 'MONTHLY') {
    const months = (g.getUTCFullYear() - s.getUTCFullYear()) * 12 + g.getUTCMonth() - s.getUTCMonth();
    const top = Math.floor(months / interval) * interval;
    // ical.js's iterator cannot start in a month without an instance (it gives up after 3 empty
    // months, or skips the next month): step back to a month that has one, within a year's cycle.
    for (let k = top; k >= 2 * interval && k > top - 12 * interval; k -= interval) {
      const first = Date.UTC(s.getUTCFullYear(), s.getUTCMonth() + k, 1);
      if (first / 1000 + timeOfDay <= skipTo && monthHasInstance(r, new Date(first))) return first / 1000 + timeOfDay;
    }
    return null;
  }
  if (r.freq === 'YEARLY' && !r.parts.BYWEEKNO) {
    let k = Math.floor((g.getUTCFullYear() - s.getUTCFullYear()) / interval) * interval;
    const jan1 = (): number => Date.UTC(s.getUTCFullYear() + k, 0, 1) / 1000 + timeOfDay;
    if (jan1() > skipTo) k -= interval; // the restart must not pass skipTo (it is not yielded)
    return k >= 2 * interval ? jan1() : null;
  }
  return null;
}

/** A copy of the rule that ical.js expands as RFC 5545 §3.3.10 means it. UNTIL is dropped (the
 *  caller applies it on instants: ical.js would compare a floating wall with a UTC value). The
 *  DTSTART-derived day defaults of MONTHLY/YEARLY rules are spelled out: ical.js's implicit
 *  default turns Feb 29 into Mar 1 in common years instead of skipping them, and the explicit
 *  form lets `shiftedStart` restart on the 1st. */
function normalized(rule: ICAL.Recur, startWall: number): ICAL.Recur {
  const r = rule.clone();
  r.until = null;
  const p = r.parts;
  const d = new Date(startWall * 1000);
  if (r.freq === 'MONTHLY' && !p.BYDAY && !p.BYMONTHDAY) p.BYMONTHDAY = [d.getUTCDate()];
  if (r.freq === 'YEARLY' && !p.BYDAY && !p.BYMONTHDAY && !p.BYYEARDAY && !p.BYWEEKNO) {
    p.BYMONTHDAY = [d.getUTCDate()];
    p.BYMONTH ??= [d.getUTCMonth() + 1];
  }
  return r;
}

/**
 * Predicate "this instance is not past UNTIL" (RFC 5545 §3.3.10: UNTIL is inclusive).
 * - DATE UNTIL (also Evolution's `UNTIL=20240630` on a DATE-TIME DTSTART): the whole day counts,
 *   compared in DTSTART's wall time.
 * - UTC UNTIL: compared as instants; walls far from it are decided without a zone conversion
 *   (a wall differs from its instant by at most ~26 h: offsets −12…+14 h plus a DST gap).
 * - floating UNTIL (sloppy): compared as walls.
 */
export function untilPredicate(rule: ICAL.Recur, start: TimeValue, resolve: Resolve): ((wall: number) => boolean) | null {
  const until = rule.until;
  if (!until) return null;
  const u = wallOf(until);
  if (until.isDate) return (wall) => wall < u + DAY;
  const utc = until.zone === ICAL.Timezone.utcTimezone || until.zone?.tzid === 'UTC';
  if (!utc || start.anchor.kind === 'utc') return (wall) => wall <= u;
  const margin = 26 * 3600;
  return (wall) => (wall <= u - margin ? true : wall > u + margin ? false : resolve(start.anchor, wall) <= u);
}

/**
 * Wall starts of the rule's instances in order, DTSTART first as ical.js yields it (RFC 5545
 * §3.8.5.3), with PAUSE between slices of fruitless steps so a caller can let other work run.
 * With `skipTo` (a wall), iteration may restart at a period start at or before `skipTo` (see
 * `shiftedStart`); that synthetic start is not yielded (it might not match the rule), so callers
 * pass a `skipTo` at least one period before anything they need. The walk ends before
 * `stopAt` (a wall), and throws WalkTooLong past MAX_STEPS.
 */
export function* ruleSteps(
  rule: ICAL.Recur,
  start: TimeValue,
  untilOk: ((wall: number) => boolean) | null,
  skipTo?: number,
  stopAt = Infinity,
): Generator<number | typeof PAUSE> {
  const r = normalized(rule, start.wall);
  const days = r.parts.BYMONTHDAY;
  // ical.js rolls invalid dates over (April 31 → May 1); RFC 5545 §3.3.10 says to ignore them.
  const dayCheck = (r.freq === 'MONTHLY' || r.freq === 'YEARLY') && !r.parts.BYDAY && days?.every((d) => d > 0) ? days : null;
  const shifted = skipTo === undefined ? null : shiftedStart(r, start.wall, skipTo);
  const synthetic = shifted !== null;
  const first = shifted ?? start.wall;
  let iterator: ICAL.RecurIterator;
  try {
    iterator = r.iterator(wallToTime(first, start.isDate));
  } catch {
    return; // invalid BYxxx combination: no rule instances (DTSTART alone is handled by callers)
  }
  countSteps(iterator, stopAt);
  let previous = -Infinity;
  for (let n = 0; ; n++) {
    let t: ICAL.Time | null;
    try {
      t = iterator.next();
    } catch (err) {
      if (err === SLICE_END) {
        yield PAUSE;
        continue;
      }
      if (err === PAST_END) return;
      if (err instanceof WalkTooLong) throw err;
      return; // ical.js rejects some malformed rules only while iterating
    }
    if (!t) return;
    const wall = wallOf(t);
    if (synthetic && n === 0 && wall === first) continue;
    if (wall <= previous) continue; // ical.js can repeat an instance after a restart; a set has no duplicates
    previous = wall;
    if (dayCheck && wall !== start.wall && !dayCheck.includes(new Date(wall * 1000).getUTCDate())) continue;
    if (untilOk && !untilOk(wall)) return;
    yield wall;
  }
}

/** `ruleSteps` without the pauses, for callers that run to the end at once. */
export function* ruleWalls(
  rule: ICAL.Recur,
  start: TimeValue,
  untilOk: ((wall: number) => boolean) | null,
  skipTo?: number,
): Generator<number> {
  for (const step of ruleSteps(rule, start, untilOk, skipTo)) if (step !== PAUSE) yield step;
}

/** A wall lower bound for the UNTIL of a rule, used to fast-forward to the last instances. */
export function untilWall(rule: ICAL.Recur): number | null {
  return rule.until ? wallOf(rule.until) : null;
}
