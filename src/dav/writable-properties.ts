import { CalendarParseError, parseCalendar } from '../ical/parse.js';
import { canonicalTimezone } from '../ical/timezones.js';
import type { CalendarPatch, ComponentType } from '../store/types.js';
import { APPLE, CALDAV, DAV, clark } from '../xml/namespaces.js';
import type { XmlElement } from '../xml/parse.js';
import type { XmlNode } from '../xml/write.js';

/** A property value a client may not set; becomes a 403 propstat. */
export class PropertyRefused extends Error {}

/** A calendar patch being built from PROPPATCH, MKCALENDAR or MKCOL properties. */
export type PropPatch = CalendarPatch & { settings: Record<string, unknown>; components?: ComponentType[] };

/** What setting (value) or removing (null) one writable calendar property changes. */
export type Setter = (value: XmlElement | null, patch: PropPatch) => void;

function timezoneFrom(value: XmlElement): string {
  // RFC 4791 §5.2.2: a VCALENDAR holding exactly one VTIMEZONE; we keep its canonical name.
  let tzid: unknown;
  try {
    tzid = parseCalendar(value.text.trim()).getFirstSubcomponent('vtimezone')?.getFirstPropertyValue('tzid');
  } catch (err) {
    if (err instanceof CalendarParseError) throw new PropertyRefused(err.message);
    throw err;
  }
  const zone = typeof tzid === 'string' ? canonicalTimezone(tzid) : null;
  if (!zone) throw new PropertyRefused(`unknown time zone ${String(tzid)}`);
  return zone;
}

/**
 * Apple sends #RRGGBBAA: the calendar's colour (feed, API) drops the alpha channel, while the
 * text exactly as written is kept, because clients that sync properties (vdirsyncer metasync)
 * compare what they read back with what they wrote.
 */
function setColor(value: XmlElement | null, patch: PropPatch): void {
  if (!value) {
    patch.color = null;
    delete patch.settings.writtenColor;
    return;
  }
  const written = value.text.trim();
  const m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(written);
  if (!m) throw new PropertyRefused('calendar-color must be #RRGGBB or #RRGGBBAA');
  patch.color = `#${m[1]!.toLowerCase()}`;
  patch.settings.writtenColor = written;
}

/** The calendar-color text a DAV client wrote, unless the colour was changed since (API). */
export function writtenColor(calendar: { color: string | null; settings: Record<string, unknown> }): string | null {
  const written = calendar.settings.writtenColor;
  if (typeof written !== 'string' || !calendar.color) return null;
  return written.slice(0, 7).toLowerCase() === calendar.color.toLowerCase() ? written : null;
}

export const WRITABLE: ReadonlyMap<string, Setter> = new Map<string, Setter>([
  [clark(DAV, 'displayname'), (v, p) => { p.title = v?.text.trim() || 'Calendar'; }],
  [clark(CALDAV, 'calendar-description'), (v, p) => { p.description = v?.text.trim() || null; }],
  [clark(CALDAV, 'calendar-timezone'), (v, p) => { p.timezone = v ? timezoneFrom(v) : 'UTC'; }],
  [clark(APPLE, 'calendar-color'), setColor],
  [clark(APPLE, 'calendar-order'), (v, p) => {
    const n = v ? Number(v.text.trim()) : null;
    if (n !== null && !Number.isFinite(n)) throw new PropertyRefused('calendar-order must be a number');
    if (n === null) delete p.settings.order;
    else p.settings.order = n;
  }],
]);

/** Dead properties (RFC 4918 §4.2) a calendar keeps, at most this much JSON in all. */
const DEAD_LIMIT = 16 * 1024;

function toNode(e: XmlElement): XmlNode {
  const children = e.children.map(toNode);
  return { name: clark(e.ns, e.local), ...(Object.keys(e.attrs).length ? { attrs: e.attrs } : {}),
    ...(children.length ? { children } : { text: e.text }) };
}

/**
 * Properties no live definition claims are stored as they came (clients keep their own
 * settings there, e.g. Apple's schedule-calendar-transp) and returned by PROPFIND.
 */
export function deadPropertySetter(name: string): Setter {
  return (value, patch) => {
    const dead = { ...(patch.settings.dead as Record<string, XmlNode> | undefined) };
    if (value) dead[name] = toNode(value);
    else delete dead[name];
    if (JSON.stringify(dead).length > DEAD_LIMIT) throw new PropertyRefused('too many dead properties');
    patch.settings.dead = dead;
  };
}

/** A calendar's dead property, as stored. */
export function deadProperty(settings: Record<string, unknown>, name: string): XmlNode | null {
  return (settings.dead as Record<string, XmlNode> | undefined)?.[name] ?? null;
}

export function deadPropertyNames(settings: Record<string, unknown>): string[] {
  return Object.keys((settings.dead as Record<string, XmlNode> | undefined) ?? {});
}

const COMPONENTS: readonly ComponentType[] = ['VEVENT', 'VTODO', 'VJOURNAL'];

/** MKCALENDAR's supported-calendar-component-set (RFC 4791 §5.2.3). */
export function componentsFrom(value: XmlElement): ComponentType[] {
  const names = value.children.filter((c) => c.ns === CALDAV && c.local === 'comp').map((c) => (c.attrs.name ?? '').toUpperCase());
  const unsupported = names.find((n) => !COMPONENTS.includes(n as ComponentType));
  if (unsupported !== undefined || names.length === 0) {
    throw new PropertyRefused(`supported components are ${COMPONENTS.join(', ')}`);
  }
  return [...new Set(names)] as ComponentType[];
}
