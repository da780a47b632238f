import ICAL from 'ical.js';
import { embedTimezones } from '../ical/embed-timezones.js';
import { parseCalendar } from '../ical/parse.js';
import { PRODID } from '../ical/prodid.js';
import { serializeComponent } from '../ical/serialize.js';
import type { EntryMapping, FieldFilter } from './mapping.js';


function utcNow(ms: number): ICAL.Time {
  return ICAL.Time.fromJSDate(new Date(Math.floor(ms / 1000) * 1000), true);
}

/** The master component: the one without RECURRENCE-ID (overrides carry one). */
export function masterOf(root: ICAL.Component, type: string): ICAL.Component | null {
  return root.getAllSubcomponents(type.toLowerCase()).find((c) => !c.hasProperty('recurrence-id')) ?? null;
}

/** Time properties whose change is a reschedule (RFC 5546 §2.1.4: SEQUENCE goes up). */
const RESCHEDULE_PROPS = ['dtstart', 'dtend', 'due', 'duration', 'rrule', 'rdate', 'exdate'];

function scheduleOf(c: ICAL.Component): string {
  return RESCHEDULE_PROPS.map((name) => c.getAllProperties(name).map((p) => p.toICALString()).join('|')).join('\n');
}

/** Every change stamps DTSTAMP and LAST-MODIFIED: Google and ICSx5 ignore edits without them. */
function stamp(c: ICAL.Component, now: number): void {
  c.updatePropertyWithValue('dtstamp', utcNow(now));
  c.updatePropertyWithValue('last-modified', utcNow(now));
}

const ALL_FIELDS: FieldFilter = { has: () => true };

function keysWithTimeGroup<I>(mapping: EntryMapping<I>, keys: Iterable<string>): Set<string> {
  const set = new Set(keys);
  if (mapping.timeKeys.some((k) => set.has(k))) for (const k of mapping.timeKeys) set.add(k);
  return set;
}

/** An object as built: its component tree and the text it serialises to (what is stored). */
export interface BuiltObject {
  root: ICAL.Component;
  text: string;
}

/** A new object: one VCALENDAR with the entry and the VTIMEZONEs it needs. */
export function createEntryText<I extends object>(
  mapping: EntryMapping<I>, input: I, uid: string, calendarZone: string, now: number,
): BuiltObject {
  const root = new ICAL.Component('vcalendar');
  root.addPropertyWithValue('version', '2.0');
  root.addPropertyWithValue('prodid', PRODID);
  const c = new ICAL.Component(mapping.type.toLowerCase());
  c.addPropertyWithValue('uid', uid);
  c.addPropertyWithValue('created', utcNow(now));
  c.addPropertyWithValue('sequence', 0);
  stamp(c, now);
  mapping.apply(c, input, ALL_FIELDS, calendarZone);
  root.addSubcomponent(c);
  embedTimezones(root);
  return { root, text: serializeComponent(root) };
}

/**
 * Applies the fields named in `keys` (the keys of a merge patch) to the stored object's
 * master component; everything else in the object (overrides, X- properties) is kept.
 */
export function updateEntryText<I extends object>(
  mapping: EntryMapping<I>, text: string, merged: I, keys: Iterable<string>, calendarZone: string, now: number,
): BuiltObject {
  const root = parseCalendar(text);
  const c = masterOf(root, mapping.type);
  if (!c) throw new Error(`stored object has no master ${mapping.type}`);
  const before = scheduleOf(c);
  mapping.apply(c, merged, keysWithTimeGroup(mapping, keys), calendarZone);
  if (scheduleOf(c) !== before) {
    const seq = Number(c.getFirstPropertyValue('sequence') ?? 0);
    c.updatePropertyWithValue('sequence', (Number.isFinite(seq) ? seq : 0) + 1);
  }
  stamp(c, now);
  embedTimezones(root);
  return { root, text: serializeComponent(root) };
}
