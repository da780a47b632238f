/**
 * Property values checked against their RFC 5545 §3.3 grammar on the raw text, before ical.js
 * reads it: ical.js turns an unreadable value into a different one without a word
 * (`PRIORITY:high` becomes 0, `DTSTART:2025-13-45T99` a mangled string), and the text a client
 * sent is what feeds serve on. Each check answers the reason a value is wrong, or null.
 */

type ValueType = 'date-time' | 'date' | 'duration' | 'integer' | 'float' | 'period' | 'utc-offset' | 'recur';

/** The default value type of the properties whose values have a grammar (RFC 5545 §3.8). */
const DEFAULT_TYPES: Record<string, ValueType> = {
  DTSTART: 'date-time', DTEND: 'date-time', DUE: 'date-time', EXDATE: 'date-time',
  RDATE: 'date-time', DTSTAMP: 'date-time', CREATED: 'date-time', 'LAST-MODIFIED': 'date-time',
  COMPLETED: 'date-time', 'RECURRENCE-ID': 'date-time',
  DURATION: 'duration', PRIORITY: 'integer', SEQUENCE: 'integer', 'PERCENT-COMPLETE': 'integer',
  REPEAT: 'integer', TZOFFSETFROM: 'utc-offset', TZOFFSETTO: 'utc-offset', RRULE: 'recur', EXRULE: 'recur',
};
// Properties whose type is fixed: a VALUE parameter cannot make them something else.
const FIXED: Record<string, readonly ValueType[]> = {
  DTSTAMP: ['date-time'], CREATED: ['date-time'], 'LAST-MODIFIED': ['date-time'], COMPLETED: ['date-time'],
  DURATION: ['duration'], PRIORITY: ['integer'], SEQUENCE: ['integer'], 'PERCENT-COMPLETE': ['integer'],
  REPEAT: ['integer'], RRULE: ['recur'], DTSTART: ['date-time', 'date'], DTEND: ['date-time', 'date'],
  DUE: ['date-time', 'date'], 'RECURRENCE-ID': ['date-time', 'date'], EXDATE: ['date-time', 'date'],
  RDATE: ['date-time', 'date', 'period'],
};
/** Integer properties with a range (RFC 5545 §3.8.1.8, §3.8.1.9, §3.8.7.4). */
const INTEGER_RANGES: Record<string, [number, number]> = {
  PRIORITY: [0, 9], 'PERCENT-COMPLETE': [0, 100], SEQUENCE: [0, 2 ** 31 - 1], REPEAT: [0, 2 ** 31 - 1],
};

const leap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A calendar date that exists, years 0001–9999 (RFC 5545 §3.3.4). */
function realDate(y: number, m: number, d: number): boolean {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  return d <= MONTH_DAYS[m - 1]! + (m === 2 && leap(y) ? 1 : 0);
}

const DATE = /^(\d{4})(\d{2})(\d{2})$/;
const DATE_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z?$/;
// RFC 5545 §3.3.6: dur-week, or dur-date with an optional dur-time, or dur-time alone.
const DURATION = /^[+-]?P(?:\d+W|(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+S)?)?)$/;

const checks: Record<Exclude<ValueType, 'recur'>, (v: string) => boolean> = {
  date: (v) => {
    const m = DATE.exec(v);
    return m !== null && realDate(+m[1]!, +m[2]!, +m[3]!);
  },
  'date-time': (v) => {
    const m = DATE_TIME.exec(v);
    // A leap second (60) is in the grammar.
    return m !== null && realDate(+m[1]!, +m[2]!, +m[3]!) && +m[4]! < 24 && +m[5]! < 60 && +m[6]! <= 60;
  },
  duration: (v) => DURATION.test(v) && v !== 'P' && !v.endsWith('P'),
  integer: (v) => /^[+-]?\d{1,10}$/.test(v),
  float: (v) => /^[+-]?\d{1,20}(\.\d{1,20})?$/.test(v),
  period: (v) => {
    const [start, end, extra] = v.split('/');
    return extra === undefined && start !== undefined && end !== undefined && checks['date-time'](start)
      && (checks['date-time'](end) || checks.duration(end));
  },
  'utc-offset': (v) => /^[+-](?:[01]\d|2[0-3])[0-5]\d(?:[0-5]\d)?$/.test(v),
};

/** RFC 5545 §3.3.10 rule parts and the ranges of their values. */
const RULE_RANGES: Record<string, [number, number, 'signed' | 'unsigned']> = {
  BYSECOND: [0, 60, 'unsigned'], BYMINUTE: [0, 59, 'unsigned'], BYHOUR: [0, 23, 'unsigned'],
  BYMONTHDAY: [1, 31, 'signed'], BYYEARDAY: [1, 366, 'signed'], BYWEEKNO: [1, 53, 'signed'],
  BYMONTH: [1, 12, 'unsigned'], BYSETPOS: [1, 366, 'signed'],
};
const FREQS = new Set(['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);
const WEEKDAY = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/;

function rangeText([min, max, sign]: [number, number, string]): string {
  return sign === 'signed' ? `between ${-max} and -${min} or ${min} and ${max}` : `between ${min} and ${max}`;
}

/** Why an RRULE value (without the `RRULE:` name) breaks RFC 5545 §3.3.10, or null. */
export function recurProblem(rule: string): string | null {
  const seen = new Set<string>();
  for (const part of rule.split(';')) {
    const [name = '', value, extra] = part.split('=');
    const key = name.toUpperCase();
    if (value === undefined || value === '' || extra !== undefined) return `rule part "${part}" must be NAME=value`;
    if (seen.has(key)) return `rule part ${key} appears twice`;
    seen.add(key);
    const range = RULE_RANGES[key];
    if (key === 'FREQ') {
      if (!FREQS.has(value.toUpperCase())) return `FREQ must be one of ${[...FREQS].join(', ')}, got "${value}"`;
    } else if (key === 'INTERVAL' || key === 'COUNT') {
      if (!/^\d{1,9}$/.test(value) || +value < 1) return `${key} must be a whole number of 1 or more, got "${value}"`;
    } else if (key === 'UNTIL') {
      if (!checks.date(value) && !checks['date-time'](value)) return `UNTIL must be a date or a date-time, got "${value}"`;
    } else if (key === 'WKST') {
      if (!/^(MO|TU|WE|TH|FR|SA|SU)$/i.test(value)) return `WKST must be a weekday (MO … SU), got "${value}"`;
    } else if (key === 'BYDAY') {
      for (const day of value.split(',')) {
        const m = WEEKDAY.exec(day.toUpperCase());
        if (!m) return `BYDAY must list weekdays such as MO, 2TU or -1FR, got "${day}"`;
        if (m[1] !== undefined && (Math.abs(+m[1]) < 1 || Math.abs(+m[1]) > 53)) return `BYDAY offsets must be between -53 and -1 or 1 and 53, got "${day}"`;
      }
    } else if (range) {
      for (const n of value.split(',')) {
        const signed = range[2] === 'signed';
        const ok = (signed ? /^[+-]?\d{1,3}$/ : /^\+?\d{1,3}$/).test(n) && Math.abs(+n) >= range[0] && Math.abs(+n) <= range[1];
        if (!ok) return `${key} values must be ${rangeText(range)}, got "${n}"`;
      }
    } else if (!key.startsWith('X-')) {
      return `unknown rule part ${key}`;
    }
  }
  if (!seen.has('FREQ')) return 'a rule needs FREQ';
  if (seen.has('COUNT') && seen.has('UNTIL')) return 'a rule takes COUNT or UNTIL, not both';
  return null;
}

/** One unfolded content line as name, parameters and raw value (RFC 5545 §3.1). */
function splitLine(line: string): { name: string; value: string; valueType: string | null } | null {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) {
      const head = line.slice(0, i);
      const name = (head.split(';')[0] ?? '').toUpperCase();
      const type = /;VALUE=([A-Za-z-]+)/i.exec(head)?.[1]?.toLowerCase() ?? null;
      return { name, value: line.slice(i + 1), valueType: type };
    }
  }
  return null;
}

/** Why one property's value breaks its type's grammar, or null. */
function propertyProblem(name: string, value: string, valueType: string | null): string | null {
  const fixed = FIXED[name];
  const type = (valueType ?? DEFAULT_TYPES[name]) as ValueType | undefined;
  if (fixed && type && !fixed.includes(type)) return `${name} cannot have VALUE=${type.toUpperCase()}`;
  if (name === 'GEO') {
    const [lat, lon, extra] = value.split(';');
    const ok = extra === undefined && lat !== undefined && lon !== undefined && checks.float(lat) && checks.float(lon)
      && Math.abs(+lat) <= 90 && Math.abs(+lon) <= 180;
    return ok ? null : `GEO must be latitude;longitude in degrees, got "${value}"`;
  }
  if (!type || !(type in checks || type === 'recur')) return null;
  if (type === 'recur') {
    const problem = recurProblem(value);
    return problem ? `${name}: ${problem}` : null;
  }
  for (const item of value.split(',')) {
    // Year 0 fits the grammar's four digits but no calendar: python-icalendar and Outlook fail on it.
    if (/^0000/.test(item) && type !== 'duration') return `${name} has year 0; years run from 0001 to 9999`;
    if (!checks[type as keyof typeof checks](item)) return `${name} value "${item}" is not a valid ${type.toUpperCase()}`;
  }
  const range = INTEGER_RANGES[name];
  if (range && (+value < range[0] || +value > range[1])) return `${name} must be between ${range[0]} and ${range[1]}, got ${value}`;
  return null;
}

/** Why some property value of the object text breaks RFC 5545 §3.3, or null. */
export function valueProblem(text: string): string | null {
  const lines = text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  for (const line of lines) {
    if (line === '') continue;
    const parsed = splitLine(line);
    if (!parsed) continue; // no colon at all: the parser refuses the line with its own message
    const problem = propertyProblem(parsed.name, parsed.value, parsed.valueType);
    if (problem) return problem;
  }
  return null;
}
