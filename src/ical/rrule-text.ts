import type ICAL from 'ical.js';

/**
 * An RRULE (RFC 5545 §3.3.10) in English words, as event pages show it: "every Tuesday until
 * 30 June 2027", "every month on the last Friday", "every 2 weeks on Monday and Thursday, 10
 * times". Rules with parts that have no short phrase (BYHOUR, BYWEEKNO, BYYEARDAY, …) get null,
 * and the caller says "repeats" without pretending to be exact.
 */

export interface SeriesStart {
  /** ISO weekday of DTSTART, 1 = Monday. */
  weekday: number;
  /** Day of the month and month (1–12) of DTSTART. */
  day: number;
  month: number;
}

const DAYS: Record<string, string> = {
  MO: 'Monday', TU: 'Tuesday', WE: 'Wednesday', TH: 'Thursday', FR: 'Friday', SA: 'Saturday', SU: 'Sunday',
};
const ISO_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'];
const ORDINALS: Record<number, string> = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', 5: 'fifth', [-1]: 'last', [-2]: 'second to last' };
const UNITS: Record<string, [string, string]> = {
  SECONDLY: ['second', 'seconds'], MINUTELY: ['minute', 'minutes'], HOURLY: ['hour', 'hours'],
  DAILY: ['day', 'days'], WEEKLY: ['week', 'weeks'], MONTHLY: ['month', 'months'], YEARLY: ['year', 'years'],
};
// The parts a phrase below covers; any other part makes the rule "custom".
const PHRASED = new Set(['BYDAY', 'BYMONTHDAY', 'BYMONTH', 'BYSETPOS']);

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function nth(n: number): string {
  const tail = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${tail}`;
}

/** "Tuesday", "second Tuesday", "last Friday"; null for offsets with no plain word. */
function dayWord(byDay: string, setPos: number | undefined): string | null {
  const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(byDay);
  if (!m) return null;
  const pos = m[1] ? Number(m[1]) : setPos;
  if (pos === undefined) return DAYS[m[2]!]!;
  const ord = ORDINALS[pos];
  return ord ? `${ord} ${DAYS[m[2]!]}` : null;
}

function monthDay(day: number): string | null {
  if (day > 0) return `the ${nth(day)}`;
  return ORDINALS[day] ? `the ${ORDINALS[day]} day` : null;
}

function numbers(v: unknown): number[] {
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(Number);
}

/** What the rule repeats on within its period, or null when no short phrase fits. */
function within(freq: string, parts: Record<string, unknown[]>, start: SeriesStart): string | null {
  const byDay = (parts.BYDAY ?? []).map(String);
  const setPos = numbers(parts.BYSETPOS);
  if (setPos.length > 1 || (setPos.length === 1 && byDay.length !== 1)) return null;
  const months = numbers(parts.BYMONTH);
  const monthDays = numbers(parts.BYMONTHDAY);
  if (byDay.length && monthDays.length) return null;
  const days = byDay.map((d) => dayWord(d, setPos[0]));
  if (days.includes(null)) return null;
  const dayList = list(days as string[]);
  const dates = monthDays.map(monthDay);
  if (dates.includes(null)) return null;
  if (freq === 'WEEKLY') return months.length || monthDays.length ? null : dayList || DAYS[ISO_DAYS[start.weekday - 1]!]!;
  if (freq === 'MONTHLY') {
    if (months.length) return null;
    return byDay.length ? `the ${dayList}` : list(dates.length ? dates as string[] : [`the ${nth(start.day)}`]);
  }
  if (freq === 'YEARLY') {
    const monthNames = list((months.length ? months : [start.month]).map((m) => MONTHS[m - 1] ?? '?'));
    if (byDay.length) return `the ${dayList} of ${monthNames}`;
    const day = monthDays.length ? monthDays : [start.day];
    return day.length === 1 && day[0]! > 0 ? `${day[0]} ${monthNames}` : null;
  }
  // Daily and finer: only a weekday filter reads naturally ("every day on weekdays" is rare).
  return byDay.length || months.length || monthDays.length ? null : '';
}

/**
 * The rule in words. `untilLabel` is UNTIL already formatted in the event's zone by the
 * caller, which knows the zone; this module stays free of time-zone data.
 */
export function recurrenceText(rule: ICAL.Recur, start: SeriesStart, untilLabel: string | null): string | null {
  const freq = String(rule.freq);
  const unit = UNITS[freq];
  if (!unit) return null;
  const parts = rule.parts as Record<string, unknown[]>;
  if (Object.keys(parts).some((p) => !PHRASED.has(p) && (parts[p]?.length ?? 0) > 0)) return null;
  const on = within(freq, parts, start);
  if (on === null) return null;
  const interval = rule.interval > 1 ? rule.interval : 1;
  let text: string;
  if (freq === 'WEEKLY' && interval === 1) text = `every ${on}`;
  else if (freq === 'WEEKLY') text = `every ${interval} weeks on ${on}`;
  else {
    text = interval === 1 ? `every ${unit[0]}` : `every ${interval} ${unit[1]}`;
    if (on) text += ` on ${on}`;
  }
  if (rule.count) text += rule.count === 1 ? ', once' : `, ${rule.count} times`;
  else if (untilLabel) text += ` until ${untilLabel}`;
  return text;
}
