import { describe, expect, it } from 'vitest';
import { parseCalendarDataSpec } from '../../../src/dav/calendar-data-spec.js';
import { renderCalendarData } from '../../../src/ical/calendar-data.js';
import type { CalendarDataSpec } from '../../../src/ical/query.js';
import { HttpError } from '../../../src/errors.js';
import { parseXml } from '../../../src/xml/parse.js';
import { B1 } from '../dav/rfc4791-data.js';

const spec = (inner: string, attrs = '', prefix = 'C'): CalendarDataSpec => {
  const p = prefix ? `${prefix}:` : '';
  const decl = prefix ? `xmlns:${prefix}="urn:ietf:params:xml:ns:caldav"` : 'xmlns="urn:ietf:params:xml:ns:caldav"';
  return parseCalendarDataSpec(parseXml(`<${p}calendar-data ${decl} ${attrs}>${inner.replace(/<(\/?)C:/g, `<$1${p}`)}</${p}calendar-data>`));
};
const crlf = (...lines: string[]): string => lines.join('\r\n') + '\r\n';
/** The VEVENT blocks of a text, each as its list of lines. */
const events = (text: string): string[][] =>
  [...text.matchAll(/BEGIN:VEVENT\r\n([\s\S]*?)END:VEVENT\r\n/g)].map((m) => (m[1] as string).trimEnd().split('\r\n'));
function refusal(fn: () => unknown): { status: number; precondition?: string } {
  try { fn(); } catch (err) {
    if (err instanceof HttpError) return { status: err.status, precondition: err.options.precondition };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('parseCalendarDataSpec (RFC 4791 §9.6)', () => {
  it('an empty element asks for nothing special, whatever the prefix', () => {
    for (const prefix of ['C', 'cal', '']) expect(spec('', '', prefix)).toEqual({ comp: null, expand: null, limitRecurrenceSet: null });
  });
  it('reads comp/prop selections; no prop = all props, no comp = all comps', () => {
    const s = spec('<C:comp name="VCALENDAR"><C:prop name="VERSION"/><C:comp name="VEVENT"><C:prop name="summary"/><C:allcomp/></C:comp><C:comp name="VTIMEZONE"/></C:comp>');
    expect(s.comp).toEqual({
      name: 'VCALENDAR', allProps: false, props: ['VERSION'], allComps: false, comps: [
        { name: 'VEVENT', allProps: false, props: ['SUMMARY'], allComps: true, comps: [] },
        { name: 'VTIMEZONE', allProps: true, props: [], allComps: true, comps: [] },
      ],
    });
  });
  it('reads expand and limit-recurrence-set ranges', () => {
    expect(spec('<C:expand start="20060103T000000Z" end="20060105T000000Z"/>').expand).toEqual({ start: 1136246400, end: 1136419200 });
    expect(spec('<C:limit-recurrence-set start="20060103T000000Z" end="20060105T000000Z"/>').limitRecurrenceSet).toEqual({ start: 1136246400, end: 1136419200 });
  });
  it('refuses bad requests', () => {
    expect(refusal(() => spec('<C:expand start="20060103T000000Z"/>'))).toEqual({ status: 400, precondition: undefined });
    expect(refusal(() => spec('<C:expand start="20060105T000000Z" end="20060103T000000Z"/>')).status).toBe(400);
    expect(refusal(() => spec('<C:expand start="20060103T000000Z" end="20060105T000000Z"/><C:limit-recurrence-set start="20060103T000000Z" end="20060105T000000Z"/>')).status).toBe(400);
    expect(refusal(() => spec('<C:comp name="VEVENT"/>')).status).toBe(400);
    expect(refusal(() => spec('', 'content-type="application/calendar+json"')))
      .toEqual({ status: 403, precondition: '{urn:ietf:params:xml:ns:caldav}supported-calendar-data' });
  });
});

describe('renderCalendarData', () => {
  it('returns the stored text itself, unparsed, for an all-null spec', () => {
    const junk = 'not iCalendar at all';
    expect(renderCalendarData(junk, { comp: null, expand: null, limitRecurrenceSet: null }, 'UTC')).toBe(junk);
  });

  it('RFC 4791 §7.8.1: partial retrieval keeps only the named components and properties', () => {
    const s = spec(`<C:comp name="VCALENDAR"><C:prop name="VERSION"/>
      <C:comp name="VEVENT"><C:prop name="SUMMARY"/><C:prop name="UID"/><C:prop name="DTSTART"/><C:prop name="DTEND"/>
      <C:prop name="DURATION"/><C:prop name="RRULE"/><C:prop name="RDATE"/><C:prop name="EXRULE"/><C:prop name="EXDATE"/>
      <C:prop name="RECURRENCE-ID"/></C:comp><C:comp name="VTIMEZONE"/></C:comp>`);
    const out = renderCalendarData(B1.abcd3 as string, s, 'UTC');
    expect(out).toContain('BEGIN:VTIMEZONE\r\nLAST-MODIFIED:20040110T032845Z\r\nTZID:US/Eastern\r\nBEGIN:DAYLIGHT\r\n');
    expect(out.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example Corp.//CalDAV Client//EN\r\n')).toBe(true); // PRODID is required
    expect(events(out)).toEqual([[
      'DTSTART;TZID=US/Eastern:20060104T100000', 'DURATION:PT1H', 'SUMMARY:Event #3', 'UID:DC6C50A017428C5216A2F1CD@example.com',
    ]]);
  });

  it('drops unnamed components and keeps nested ones in full when none is named', () => {
    const text = crlf('BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', 'X-WR-CALNAME:Work', 'BEGIN:VEVENT', 'UID:a', 'DTSTART:20240101T100000Z',
      'SUMMARY:Hi', 'BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT5M', 'DESCRIPTION:x', 'END:VALARM', 'END:VEVENT', 'END:VCALENDAR');
    const only = renderCalendarData(text, spec('<C:comp name="VCALENDAR"><C:prop name="X-WR-CALNAME"/><C:comp name="VEVENT"><C:prop name="UID"/></C:comp></C:comp>'), 'UTC');
    expect(only).toBe(crlf('BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', 'X-WR-CALNAME:Work', 'BEGIN:VEVENT', 'UID:a',
      'BEGIN:VALARM', 'ACTION:DISPLAY', 'TRIGGER:-PT5M', 'DESCRIPTION:x', 'END:VALARM', 'END:VEVENT', 'END:VCALENDAR'));
    const noAlarm = renderCalendarData(text, spec('<C:comp name="VCALENDAR"><C:allprop/><C:comp name="VEVENT"><C:allprop/><C:comp name="VTODO"/></C:comp></C:comp>'), 'UTC');
    expect(noAlarm).toBe(crlf('BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', 'X-WR-CALNAME:Work', 'BEGIN:VEVENT', 'UID:a',
      'DTSTART:20240101T100000Z', 'SUMMARY:Hi', 'END:VEVENT', 'END:VCALENDAR'));
  });

  it('RFC 4791 §7.8.2: limit-recurrence-set keeps the master and the overrides in range', () => {
    const out = renderCalendarData(B1.abcd2 as string, spec('<C:limit-recurrence-set start="20060103T000000Z" end="20060105T000000Z"/>'), 'UTC');
    expect(out).toContain('BEGIN:VTIMEZONE');
    expect(events(out).map((e) => e.find((l) => l.startsWith('SUMMARY')))).toEqual(['SUMMARY:Event #2', 'SUMMARY:Event #2 bis']);
    // An override moved out of the range still impacts it through its original time.
    const moved = renderCalendarData(B1.abcd2 as string, spec('<C:limit-recurrence-set start="20060106T165000Z" end="20060106T171000Z"/>'), 'UTC');
    expect(events(moved).map((e) => e.find((l) => l.startsWith('SUMMARY')))).toEqual(['SUMMARY:Event #2', 'SUMMARY:Event #2 bis bis']);
  });

  it('RFC 4791 §7.8.3: expand gives one UTC instance per recurrence, overrides included', () => {
    const out = renderCalendarData(B1.abcd2 as string, spec('<C:comp name="VCALENDAR"><C:comp name="VEVENT"/></C:comp><C:expand start="20060103T000000Z" end="20060105T000000Z"/>'), 'UTC');
    expect(out).not.toContain('VTIMEZONE');
    expect(events(out)).toEqual([
      ['DTSTAMP:20060206T001121Z', 'DTSTART:20060103T170000Z', 'RECURRENCE-ID:20060103T170000Z', 'DURATION:PT1H', 'SUMMARY:Event #2', 'UID:00959BC664CA650E933C892C@example.com'],
      ['DTSTAMP:20060206T001121Z', 'DTSTART:20060104T190000Z', 'DURATION:PT1H', 'RECURRENCE-ID:20060104T170000Z', 'SUMMARY:Event #2 bis', 'UID:00959BC664CA650E933C892C@example.com'],
    ]);
  });

  it('expand: weekly in America/New_York across the DST change, with an EXDATE and a moved instance', () => {
    const text = crlf('BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN',
      'BEGIN:VEVENT', 'UID:w@t', 'DTSTAMP:20240101T000000Z', 'DTSTART;TZID=America/New_York:20241021T090000',
      'DTEND;TZID=America/New_York:20241021T100000', 'RRULE:FREQ=WEEKLY;COUNT=6', 'EXDATE;TZID=America/New_York:20241028T090000',
      'SUMMARY:Standup', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:w@t', 'DTSTAMP:20240101T000000Z', 'RECURRENCE-ID;TZID=America/New_York:20241111T090000',
      'DTSTART;TZID=America/New_York:20241113T150000', 'DTEND;TZID=America/New_York:20241113T160000',
      'SUMMARY:Standup (moved)', 'LOCATION:Room 2', 'END:VEVENT', 'END:VCALENDAR');
    const out = renderCalendarData(text, spec('<C:expand start="20241020T000000Z" end="20241120T000000Z"/>'), 'UTC');
    const base = ['UID:w@t', 'DTSTAMP:20240101T000000Z'];
    expect(events(out)).toEqual([
      [...base, 'DTSTART:20241021T130000Z', 'RECURRENCE-ID:20241021T130000Z', 'DTEND:20241021T140000Z', 'SUMMARY:Standup'],
      [...base, 'DTSTART:20241104T140000Z', 'RECURRENCE-ID:20241104T140000Z', 'DTEND:20241104T150000Z', 'SUMMARY:Standup'],
      [...base, 'RECURRENCE-ID:20241111T140000Z', 'DTSTART:20241113T200000Z', 'DTEND:20241113T210000Z', 'SUMMARY:Standup (moved)', 'LOCATION:Room 2'],
      [...base, 'DTSTART:20241118T140000Z', 'RECURRENCE-ID:20241118T140000Z', 'DTEND:20241118T150000Z', 'SUMMARY:Standup'],
    ]);
    expect(out).not.toMatch(/RRULE|EXDATE|TZID/);
  });

  it('expand keeps all-day instances as DATE values', () => {
    const text = crlf('BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', 'BEGIN:VEVENT', 'UID:d', 'DTSTART;VALUE=DATE:20240101',
      'DTEND;VALUE=DATE:20240103', 'RRULE:FREQ=YEARLY', 'SUMMARY:Holiday', 'END:VEVENT', 'END:VCALENDAR');
    const out = renderCalendarData(text, spec('<C:expand start="20250101T000000Z" end="20251231T000000Z"/>'), 'Europe/Paris');
    expect(events(out)).toEqual([[
      'UID:d', 'DTSTART;VALUE=DATE:20250101', 'RECURRENCE-ID;VALUE=DATE:20250101', 'DTEND;VALUE=DATE:20250103', 'SUMMARY:Holiday',
    ]]);
  });

  it('expand converts a single event to UTC without RECURRENCE-ID and folds long lines', () => {
    const long = 'x'.repeat(120);
    const text = crlf('BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', 'BEGIN:VEVENT', 'UID:s', 'DTSTART:20240110T090000',
      'DURATION:PT30M', `DESCRIPTION:${long}`, 'END:VEVENT', 'END:VCALENDAR');
    const out = renderCalendarData(text, spec('<C:expand start="20240101T000000Z" end="20240201T000000Z"/>'), 'Asia/Tokyo');
    expect(out).toContain('\r\nDTSTART:20240110T000000Z\r\n');
    expect(out).not.toContain('RECURRENCE-ID');
    expect(out.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    expect(renderCalendarData(text, spec('<C:expand start="20250101T000000Z" end="20250201T000000Z"/>'), 'UTC'))
      .toBe(crlf('BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN', 'END:VCALENDAR'));
  });
});
