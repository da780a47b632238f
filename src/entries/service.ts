import { randomUUID } from 'node:crypto';
import type ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { HttpError } from '../errors.js';
import { parseCalendar } from '../ical/parse.js';
import { zoneOf } from '../ical/zone-cache.js';
import type { Occurrence } from '../ical/recurrence.js';
import { StoreConflict, type Calendar, type CalendarObject, type Store } from '../store/types.js';
import type { Clock } from '../util/clock.js';
import { randomId } from '../util/ids.js';
import { describeObject, objectShape } from './describe.js';
import { eventMapping } from './event.js';
import { journalMapping } from './journal.js';
import { addToCalendarLinks } from './links.js';
import type { EntryMapping } from './mapping.js';
import { todoMapping } from './todo.js';
import { formatTime, readTime, timeContext, type TimeContext } from './times.js';
import { createEntryText, updateEntryText } from './write.js';

export interface EntryDeps {
  store: Store;
  clock: Clock;
  baseUrl: string;
}

/** The three kinds of entry, by API collection name. */
export const MAPPINGS = { events: eventMapping, todos: todoMapping, journals: journalMapping } as const;
export type AnyMapping = EntryMapping<object>;

const conflict = (message: string, field: string) => new HttpError(409, 'CONFLICT', message, { field });

/**
 * Creates an entry. A client `id` is an idempotency key (seed 002): replaying the create
 * returns the entry that exists, with `created: false`.
 */
export async function createEntry(
  deps: EntryDeps, calendar: Calendar, mapping: AnyMapping, input: { id?: string; custom_data?: unknown },
): Promise<{ object: CalendarObject; created: boolean; root?: ICAL.Component }> {
  const replay = async (id: string) => {
    const existing = await deps.store.getObject(calendar.id, id);
    if (existing && existing.componentType !== mapping.type) {
      throw conflict(`id ${id} is already used by a ${existing.componentType}`, 'id');
    }
    return existing;
  };
  if (input.id) {
    const existing = await replay(input.id);
    if (existing) return { object: existing, created: false };
  }
  const id = input.id ?? randomId();
  const built = createEntryText(mapping, input, `${randomUUID()}@calcast`, calendar.timezone, deps.clock.now());
  const write = describeObject(built.root, calendar.timezone, { id, uri: `${id}.ics` },
    (input.custom_data as CalendarObject['customData']) ?? null, built.text);
  try {
    return { object: await deps.store.createObject(calendar.id, write), created: true, root: built.root };
  } catch (err) {
    // Two replays of one create can race between the lookup and the insert.
    if (err instanceof StoreConflict && err.key === 'id' && input.id) {
      const existing = await replay(input.id);
      if (existing) return { object: existing, created: false };
    }
    if (err instanceof StoreConflict) throw conflict(`${err.key} is already in use in this calendar`, err.key);
    throw err;
  }
}

/** Writes the merged fields named in `keys` into the stored object. */
export async function updateEntry(
  deps: EntryDeps, calendar: Calendar, mapping: AnyMapping, object: CalendarObject,
  merged: { custom_data?: unknown }, keys: string[],
): Promise<{ object: CalendarObject; root: ICAL.Component }> {
  const built = updateEntryText(mapping, object.data, merged, keys, calendar.timezone, deps.clock.now());
  const customData = keys.includes('custom_data')
    ? (merged.custom_data as CalendarObject['customData']) ?? null
    : object.customData;
  const write = describeObject(built.root, calendar.timezone, object, customData, built.text);
  try {
    const updated = await deps.store.updateObject(calendar.id, write);
    if (!updated) throw new HttpError(404, 'NOT_FOUND', `${mapping.path.slice(0, -1)} not found`);
    return { object: updated, root: built.root };
  } catch (err) {
    if (err instanceof StoreConflict) throw conflict(`${err.key} is already in use in this calendar`, err.key);
    throw err;
  }
}

function eventLinks(deps: EntryDeps, calendar: Calendar, object: CalendarObject, c: ICAL.Component, ctx: TimeContext) {
  const start = readTime(c, 'dtstart', ctx);
  if (!start) return null;
  const end = readTime(c, 'dtend', ctx)?.dt ?? start.dt.plus(start.allDay ? { days: 1 } : { hours: 1 });
  const text = (name: string) => (c.getFirstPropertyValue(name) as string | null) ?? null;
  return {
    ics: `${deps.baseUrl}/feeds/${calendar.feedKey}/events/${encodeURIComponent(object.id)}.ics`,
    ...addToCalendarLinks({
      title: text('summary') ?? '', description: text('description'), location: text('location'),
      start: start.dt.toMillis(), end: end.toMillis(), allDay: start.allDay,
      startDate: start.dt.toISODate()!, endDate: end.toISODate()!, timezone: start.dt.zoneName ?? calendar.timezone,
    }),
  };
}

/**
 * The JSON view of a stored entry. With an occurrence (expand=true) it shows that instance:
 * the override's fields when it has one, and the instance's own start and end.
 */
export function presentEntry(
  deps: EntryDeps, calendar: Calendar, mapping: AnyMapping, object: CalendarObject, occurrence?: Occurrence,
  root: ICAL.Component = parseCalendar(object.data),
): Record<string, unknown> {
  const main = occurrence?.component ?? objectShape(root).main;
  const ctx = timeContext(root, calendar.timezone);
  const view = mapping.present(main, ctx);
  if (occurrence) {
    const zone = String(view.timezone);
    const at = (s: number) => formatTime({ dt: DateTime.fromSeconds(s, { zone: zoneOf(zone) }), allDay: occurrence.allDay });
    Object.assign(view, { start: at(occurrence.start), end: at(occurrence.end) });
  }
  return {
    id: object.id,
    calendar_id: calendar.id,
    uid: object.uid,
    ...(occurrence ? { recurrence_id: occurrence.recurrenceId } : {}),
    ...view,
    sequence: object.sequence,
    custom_data: object.customData,
    created_at: new Date(object.createdAt).toISOString(),
    updated_at: new Date(object.updatedAt).toISOString(),
    ...(mapping === eventMapping ? { links: eventLinks(deps, calendar, object, main, ctx) } : {}),
  };
}
