import { createHash } from 'node:crypto';
import type ICAL from 'ical.js';
import { objectBounds } from '../ical/recurrence.js';
import { serializeComponent } from '../ical/serialize.js';
import type { ComponentType, ObjectWrite } from '../store/types.js';
import { readTime, timeContext } from './times.js';

/** A calendar object that breaks RFC 4791 §4.1's rules; `rule` names the DAV precondition. */
export class InvalidObject extends Error {
  constructor(
    readonly rule: 'valid-calendar-object-resource' | 'supported-calendar-component',
    message: string,
  ) {
    super(message);
  }
}

const TYPES: readonly ComponentType[] = ['VEVENT', 'VTODO', 'VJOURNAL', 'VAVAILABILITY'];

/**
 * One object = one UID and one component type (plus its VTIMEZONEs), RFC 4791 §4.1.
 * Returns the component type and the master (or, for an orphan override, the first instance).
 */
export function objectShape(root: ICAL.Component): { type: ComponentType; uid: string; main: ICAL.Component } {
  const entries = root.getAllSubcomponents().filter((c) => c.name !== 'vtimezone');
  if (entries.length === 0) throw new InvalidObject('valid-calendar-object-resource', 'the calendar holds no component');
  const types = new Set(entries.map((c) => c.name.toUpperCase()));
  if (types.size > 1) {
    throw new InvalidObject('valid-calendar-object-resource', `one object holds one component type, got ${[...types].join(', ')}`);
  }
  const type = [...types][0] as ComponentType;
  if (!TYPES.includes(type)) throw new InvalidObject('supported-calendar-component', `${type} is not a supported component`);
  const uids = new Set(entries.map((c) => c.getFirstPropertyValue('uid')));
  const uid = [...uids][0];
  if (uids.size !== 1 || typeof uid !== 'string' || uid === '') {
    throw new InvalidObject('valid-calendar-object-resource', 'every component of an object needs the same, non-empty UID');
  }
  const main = entries.find((c) => !c.hasProperty('recurrence-id')) ?? entries[0]!;
  return { type, uid, main };
}

export function etagOf(data: string): string {
  return createHash('sha256').update(data).digest('base64url').slice(0, 27);
}

/**
 * The columns the store keeps beside the text: identity, the time envelope used to
 * prefilter range queries, and the fields the JSON API filters on.
 */
export function describeObject(
  root: ICAL.Component, calendarZone: string, ids: { id: string; uri: string },
  customData: ObjectWrite['customData'], text?: string,
): ObjectWrite {
  const { type, uid, main } = objectShape(root);
  // A CalDAV client's text is kept as sent, so its X- properties survive byte for byte and
  // the ETag it is given matches what it uploaded (RFC 4791 §5.3.4).
  const data = text ?? serializeComponent(root);
  const bounds = objectBounds(root, calendarZone);
  // A single instance's envelope is exactly its start and end. A series sorts by its
  // master's start, which overrides moved earlier do not change.
  const master = bounds.recurring ? readTime(main, 'dtstart', timeContext(root, calendarZone)) : null;
  const startAt = master ? Math.floor(master.dt.toSeconds()) : bounds.firstStart;
  const endAt = bounds.recurring ? startAt : bounds.lastEnd;
  const searchText = ['summary', 'description', 'location']
    .map((p) => main.getFirstPropertyValue(p))
    .filter((v) => v !== null && v !== undefined)
    .join('\n')
    .toLowerCase();
  const sequence = Number(main.getFirstPropertyValue('sequence') ?? 0);
  return {
    id: ids.id,
    uri: ids.uri,
    uid,
    componentType: type,
    data,
    etag: etagOf(data),
    startAt,
    endAt,
    firstStart: bounds.firstStart,
    lastEnd: bounds.lastEnd,
    recurring: bounds.recurring,
    sequence: Number.isFinite(sequence) ? sequence : 0,
    status: (main.getFirstPropertyValue('status') as string | null) ?? null,
    searchText,
    customData,
  };
}
