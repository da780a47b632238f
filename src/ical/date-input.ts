import { DateTime, FixedOffsetZone, type Zone } from 'luxon';
import { zoneOf } from './zone-cache.js';

/** A date/time string from the JSON API, read but not yet placed in a zone. */
export type DateInput =
  | { kind: 'date'; year: number; month: number; day: number }
  | { kind: 'local'; year: number; month: number; day: number; hour: number; minute: number; second: number }
  | { kind: 'instant'; epochMs: number };

interface Clock { hour: number; minute: number; second: number; millisecond: number }

// ISO 8601 extended (`2024-04-02T09:00:00.123+02:00`) and basic (`20240402T090000Z`) forms.
// A date-time separator is `T` or one space; an offset is `Z`, `±HH`, `±HH:MM` or `±HHMM`.
const ISO_EXTENDED =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}(?:\d{2})?)?)?$/i;

// The AddEvent numeric forms: three numbers with one repeated separator, then an optional
// time, with AM/PM allowed only after a time (and only for the slash forms, see below). After a
// four-digit year the space may be missing: AddEvent's own example sends `04/02/202411:00`.
const NUMERIC = /^(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})(?:(?:\s+|T|(?<=[/.-]\d{4}))(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap]m))?)?$/i;

/**
 * Reads one input string; returns null when it is unreadable OR impossible (e.g. 2024-02-30,
 * 13/45/2024, 25:00). With `offsets: 'ignore'` a written offset or `Z` is dropped and the
 * time read as wall time, for dialects whose rule is that a separate zone field wins.
 */
export function parseDateInput(text: string, offsets: 'read' | 'ignore' = 'read'): DateInput | null {
  const s = text.trim();
  const iso = ISO_EXTENDED.exec(s) ?? ISO_BASIC.exec(s);
  if (iso) {
    const [, y, mo, d, h, mi, sec, frac, offset] = iso;
    // Fractional seconds are truncated to milliseconds; a 'local' input keeps whole seconds only.
    const clock = h === undefined ? null : { hour: +h, minute: +mi!, second: +(sec ?? 0), millisecond: fraction(frac) };
    return build(+y!, +mo!, +d!, clock, offsets === 'read' ? offset : undefined);
  }
  const m = NUMERIC.exec(s);
  if (!m) return null;
  const [, a = '', sep, b = '', c = '', h, mi, sec, meridiem] = m;
  let ymd: [number, number, number] | null = null;
  // AddEvent: "if the separator is a slash (/), then the American m/d/y is assumed; whereas if the
  // separator is a dash (-) or a dot (.), then the European d-m-y format is assumed. If, however, the
  // year is given in a two digit format and the separator is a dash (-), the date string is parsed as
  // y-m-d." A four-digit year first with slashes (`2024/11/30`) is y/m/d, as in AddEvent's examples.
  if (sep === '/') {
    if (a.length <= 2 && c.length === 4) ymd = [+c, +a, +b]; // MM/DD/YYYY
    else if (a.length === 4 && c.length <= 2) ymd = [+a, +b, +c]; // YYYY/MM/DD
  } else if (a.length <= 2 && c.length === 4) {
    ymd = [+c, +b, +a]; // DD-MM-YYYY, DD.MM.YYYY
  } else if (sep === '-' && a.length === 2 && b.length === 2 && c.length === 2) {
    ymd = [twoDigitYear(+a), +b, +c]; // YY-MM-DD
  }
  if (!ymd) return null;
  if (meridiem !== undefined && sep !== '/') return null; // 12-hour clock only in the American forms
  let clock: Clock | null = null;
  if (h !== undefined) {
    let hour = +h;
    if (meridiem !== undefined) {
      if (hour < 1 || hour > 12) return null; // 12 AM = 00h, 12 PM = 12h, 13 PM is an error
      hour = (hour % 12) + (meridiem.toLowerCase() === 'pm' ? 12 : 0);
    }
    clock = { hour, minute: +mi!, second: +(sec ?? 0), millisecond: 0 };
  }
  return build(...ymd, clock, undefined);
}

/**
 * Turns a parsed input into a luxon DateTime in `zone` (an IANA name). 'local' is wall time in
 * `zone`; 'instant' is that instant shown in `zone`; 'date' is midnight in `zone`.
 * DST follows RFC 5545 §3.3.5: a wall time inside a gap (02:30 on 2024-03-31 in Europe/Paris) is
 * read with the offset from before the gap, so it moves forward (→ 03:30+02:00, luxon's own rule); a
 * wall time inside an overlap means its first occurrence (02:30 on 2024-10-27 in Paris → +02:00).
 * Throws a RangeError for an unknown zone.
 */
export function toZonedDateTime(input: DateInput, name: string): DateTime {
  const zone = zoneOf(name);
  if (!zone.isValid) throw new RangeError(`Unknown time zone: ${name}`);
  switch (input.kind) {
    case 'instant':
      return DateTime.fromMillis(input.epochMs, { zone });
    case 'date':
      return atWallTime({ year: input.year, month: input.month, day: input.day }, zone);
    case 'local': {
      const { year, month, day, hour, minute, second } = input;
      return atWallTime({ year, month, day, hour, minute, second }, zone);
    }
  }
}

/** A wall time in `zone`; in an overlap, the first occurrence (luxon alone picks by today's offset). */
function atWallTime(fields: Partial<Clock> & { year: number; month: number; day: number }, zone: Zone): DateTime {
  const [first, ...others] = DateTime.fromObject(fields, { zone }).getPossibleOffsets();
  return others.reduce((a, b) => (b.toMillis() < a.toMillis() ? b : a), first!);
}

/** Checks the fields are a real date and clock time, then says which kind of input it is. */
function build(year: number, month: number, day: number, clock: Clock | null, offset: string | undefined): DateInput | null {
  // RFC 5545 §3.3.4 years have four digits, and year 0 is one no client can read back.
  if (year < 1 || year > 9999) return null;
  // Luxon knows month lengths and leap years; it also accepts 24:00, which we do not.
  if (clock && (clock.hour > 23 || clock.minute > 59 || clock.second > 59)) return null;
  const fields = { year, month, day, ...clock };
  if (!DateTime.fromObject(fields, { zone: 'UTC' }).isValid) return null;
  if (!clock) return { kind: 'date', year, month, day };
  if (offset === undefined) return { kind: 'local', year, month, day, hour: clock.hour, minute: clock.minute, second: clock.second };
  const offsetMinutes = parseOffset(offset);
  if (offsetMinutes === null) return null;
  const epochMs = DateTime.fromObject(fields, { zone: FixedOffsetZone.instance(offsetMinutes) }).toMillis();
  return { kind: 'instant', epochMs };
}

/** `Z`, `±HH`, `±HH:MM` or `±HHMM` as minutes east of UTC; null when out of range. */
function parseOffset(offset: string): number | null {
  if (offset.toUpperCase() === 'Z') return 0;
  const hours = +offset.slice(1, 3);
  const minutes = +(offset.slice(3).replace(':', '') || 0);
  if (hours > 23 || minutes > 59) return null;
  return (offset[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** Digits after the decimal point as whole milliseconds (truncated). */
function fraction(digits: string | undefined): number {
  return digits === undefined ? 0 : +digits.slice(0, 3).padEnd(3, '0');
}

/** Two-digit years pivot like POSIX strptime's %y: 00–68 → 2000–2068, 69–99 → 1969–1999. */
function twoDigitYear(yy: number): number {
  return yy <= 68 ? 2000 + yy : 1900 + yy;
}
