import ICAL from 'ical.js';

/** Small builders for iCalendar fixtures written inline in tests. */
export const CRLF = '\r\n';

export const cal = (...components: string[]): ICAL.Component =>
  new ICAL.Component(ICAL.parse(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...components, 'END:VCALENDAR'].join(CRLF)) as never);

export const comp = (name: string, ...lines: string[]): string =>
  [`BEGIN:${name}`, 'UID:u1@test', 'DTSTAMP:20240101T000000Z', ...lines, `END:${name}`].join(CRLF);

export const vevent = (...lines: string[]): string => comp('VEVENT', ...lines);

/** Unix seconds of an ISO instant. */
export const t = (iso: string): number => Date.parse(iso) / 1000;
