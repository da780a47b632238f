import ICAL from 'ical.js';
import { usedTzids } from './embed-timezones.js';
import { PRODID } from './prodid.js';
import { canonicalTimezone } from './timezones.js';

/**
 * What a calendar object must satisfy before it is stored, so that nothing a client sent can
 * make a feed or a GET invalid for the apps that read it. Each rule answers the reason it was
 * broken, or null.
 */

/** RFC 5545 §3.1: a content line holds no control character but HTAB; a lone CR is one too. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|\r(?!\n)/;

export function controlCharacterProblem(text: string): string | null {
  const m = CONTROL.exec(text);
  if (!m) return null;
  const line = text.slice(text.lastIndexOf('\n', m.index) + 1, m.index);
  const name = /^[A-Za-z0-9-]+/.exec(line)?.[0] ?? 'a line';
  const code = m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return `control character U+${code} in ${name} (RFC 5545 §3.1 allows none but tab)`;
}

/**
 * Every TZID must be resolvable by the apps that read the object: a VTIMEZONE in the object,
 * or a name that maps to an IANA zone (Windows names, /mozilla.org/… prefixes). An unknown
 * TZID without its VTIMEZONE is read as UTC by some apps and as floating by others.
 */
export function unknownTimezoneProblem(root: ICAL.Component): string | null {
  const own = new Set(root.getAllSubcomponents('vtimezone').map((z) => String(z.getFirstPropertyValue('tzid'))));
  const unknown = [...usedTzids(root)].filter((tzid) => !own.has(tzid) && canonicalTimezone(tzid) === null);
  return unknown.length === 0 ? null : `TZID ${unknown.join(', ')} has no VTIMEZONE and is not a known time zone`;
}

/**
 * The text with the VCALENDAR properties RFC 5545 §3.6 requires (VERSION, PRODID) added when a
 * client left them out; unchanged otherwise.
 */
export function withRequiredCalendarProperties(text: string, root: ICAL.Component): string {
  const missing = [
    ...(root.hasProperty('version') ? [] : ['VERSION:2.0']),
    ...(root.hasProperty('prodid') ? [] : [`PRODID:${PRODID}`]),
  ];
  if (missing.length === 0) return text;
  return text.replace(/^BEGIN:VCALENDAR\r?\n/i, (begin) => `${begin}${missing.join('\r\n')}\r\n`);
}
