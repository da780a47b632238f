// Writing iCalendar text (RFC 5545 §3.1, §3.3.11) and wall-clock times. A wall time is a Date
// whose UTC fields are the local clock reading; the zone is written beside it, never applied.

export const CRLF = '\r\n';
const DAY_MS = 86_400_000;

/** TEXT escaping (§3.3.11). */
export function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets (§3.1), never inside a UTF-8 sequence. */
export function fold(line: string): string {
  if (Buffer.byteLength(line) <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (octets + n > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74; // a continuation line starts with a space
    }
    current += ch;
    octets += n;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

export const render = (lines: string[]): string => lines.map((l) => fold(l) + CRLF).join('');

export const wall = (y: number, m: number, d: number, h = 0, min = 0): Date => new Date(Date.UTC(y, m - 1, d, h, min));
export const addDays = (t: Date, days: number): Date => new Date(t.getTime() + days * DAY_MS);
export const addMinutes = (t: Date, minutes: number): Date => new Date(t.getTime() + minutes * 60_000);
/** Monday = 0 … Sunday = 6, as in RFC 5545's MO…SU order. */
export const weekday = (t: Date): number => (t.getUTCDay() + 6) % 7;
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** The same wall time `k` months later (callers keep the day of month at 28 or less). */
export function addMonths(t: Date, k: number): Date {
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + k, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes()));
}

/** The `n`th (1-4) `weekday` of t's month, at t's time of day. */
export function nthWeekday(t: Date, wd: number, n: number): Date {
  const first = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), 1, t.getUTCHours(), t.getUTCMinutes()));
  return addDays(first, ((wd - weekday(first) + 7) % 7) + 7 * (n - 1));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
export const formatDate = (t: Date): string => `${pad(t.getUTCFullYear(), 4)}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}`;
export const formatWall = (t: Date): string => `${formatDate(t)}T${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}00`;

/** A DATE-TIME property (DTSTART, DTEND, RECURRENCE-ID, EXDATE) of wall times in `tzid`. */
export function dateTimeProperty(name: string, times: Date[], tzid: string): string {
  if (tzid === 'UTC') return `${name}:${times.map((t) => `${formatWall(t)}Z`).join(',')}`;
  // Outlook writes `TZID=W. Europe Standard Time` bare: only `:` `;` `,` need quotes (§3.2).
  const param = /[:;,]/.test(tzid) ? `"${tzid}"` : tzid;
  return `${name};TZID=${param}:${times.map(formatWall).join(',')}`;
}
