import { canonicalTimezone } from '../ical/timezones.js';

/**
 * Line-level work on stored iCalendar text for the feed: splitting an object into its
 * components, dropping what a feed must not carry, and normalising time zones. Objects are
 * stored canonical when they come through the API; this handles what CalDAV clients send.
 * Working on lines (not an ical.js parse per object) keeps a 10,000-event render cheap.
 */

export interface ObjectBlocks {
  /** VTIMEZONE blocks by TZID, as the client sent them. */
  timezones: Map<string, string[]>;
  /** VEVENT/VTODO/VJOURNAL blocks (masters and overrides), unfolded logical lines. */
  entries: string[][];
}

/** Logical lines: CRLF-separated, continuation lines (leading space or tab) joined. */
export function unfold(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
    const first = clean.charCodeAt(0);
    if ((first === 0x20 || first === 0x09) && out.length > 0) out[out.length - 1] += clean.slice(1);
    else if (clean !== '') out.push(clean);
  }
  return out;
}

export function splitObject(text: string): ObjectBlocks {
  const timezones = new Map<string, string[]>();
  const entries: string[][] = [];
  let current: string[] | null = null;
  let depth = 0;
  for (const line of unfold(text)) {
    const c = line.charCodeAt(0) | 0x20; // lower-cased first letter: only b/e lines can open or close
    const begins = c === 0x62 && /^BEGIN:/i.test(line);
    const ends = c === 0x65 && /^END:/i.test(line);
    if (begins) {
      depth++;
      if (depth === 2) current = [];
    }
    if (current) current.push(line);
    if (ends) {
      if (depth === 2 && current) {
        const name = line.slice(4).toUpperCase();
        if (name !== 'VTIMEZONE') entries.push(current);
        else {
          const tzid = current.find((l) => /^TZID[:;]/i.test(l))?.replace(/^TZID[^:]*:/i, '');
          if (tzid) timezones.set(tzid, current);
        }
        current = null;
      }
      depth--;
    }
  }
  return { timezones, entries };
}

const TIME_PROPS = /^(DTSTART|DTEND|DUE|RECURRENCE-ID|EXDATE|RDATE)([;:])/i;

/** Splits `NAME;P=1;TZID=x:VALUE` at the first colon outside quotes. */
function splitProperty(line: string): { head: string; value: string } {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === ':' && !quoted) return { head: line.slice(0, i), value: line.slice(i + 1) };
  }
  return { head: line, value: '' };
}

/**
 * DESIGN.md §5.3: canonical IANA TZIDs, `Z` instead of TZID=UTC, and no floating timed
 * events (Outlook and Google place them in the viewer's zone): floating values get the
 * calendar's zone. Returns the line unchanged when there is nothing to fix.
 */
export function normaliseTimeLine(line: string, calendarZone: string): string {
  if (!TIME_PROPS.test(line)) return line;
  const { head, value } = splitProperty(line);
  if (/;VALUE=(DATE|PERIOD)(;|$)/i.test(head)) return line;
  const tzMatch = /;TZID=("[^"]*"|[^;]*)/i.exec(head);
  const isDateTime = /^\d{8}T\d{6}Z?(,\d{8}T\d{6}Z?)*$/.test(value);
  if (!isDateTime) return line;
  if (!tzMatch) {
    if (value.split(',').every((v) => v.endsWith('Z'))) return line;
    if (calendarZone === 'UTC') return `${head}:${value.split(',').map((v) => (v.endsWith('Z') ? v : `${v}Z`)).join(',')}`;
    return `${head};TZID=${calendarZone}:${value}`;
  }
  const raw = tzMatch[1]!.replace(/^"|"$/g, '');
  const zone = canonicalTimezone(raw);
  if (zone === null) return line; // a custom zone: its own VTIMEZONE travels with it
  if (zone === 'UTC') {
    return `${head.replace(tzMatch[0], '')}:${value.split(',').map((v) => (v.endsWith('Z') ? v : `${v}Z`)).join(',')}`;
  }
  return zone === raw ? line : `${head.replace(tzMatch[0], `;TZID=${zone}`)}:${value}`;
}

/** The TZID a normalised line uses, if any. */
export function tzidOf(line: string): string | null {
  const m = /^[^:]*;TZID=("[^"]*"|[^;:]*)/i.exec(line);
  return m ? m[1]!.replace(/^"|"$/g, '') : null;
}

/** Drops VALARM sub-blocks and ATTENDEE lines unless the feed settings include them. */
export function filterEvent(lines: string[], opts: { reminders: boolean; attendees: boolean }): string[] {
  const out: string[] = [];
  let inAlarm = false;
  for (const line of lines) {
    if (!opts.reminders && /^BEGIN:VALARM$/i.test(line)) inAlarm = true;
    if (!inAlarm && (opts.attendees || !/^ATTENDEE[;:]/i.test(line))) out.push(line);
    if (inAlarm && /^END:VALARM$/i.test(line)) inAlarm = false;
  }
  return out;
}
