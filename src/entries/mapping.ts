import type ICAL from 'ical.js';
import type { ComponentType } from '../store/types.js';
import type { TimeContext } from './times.js';

/**
 * How one kind of entry (event, to-do, journal) maps between its JSON fields and its
 * iCalendar component. The JSON is a view: properties the mapping does not know (X-
 * properties, overrides, other clients' alarms) stay as they are.
 */
export interface EntryMapping<Input> {
  type: ComponentType;
  /** The API collection name: /calendars/:id/<path>. */
  path: 'events' | 'todos' | 'journals';
  /** Fields that are written together: changing one rewrites all (and bumps SEQUENCE). */
  timeKeys: readonly string[];
  /** Writes the fields named in `keys` from `input` into the component. */
  apply(component: ICAL.Component, input: Input, keys: FieldFilter, calendarZone: string): void;
  /** Adjusts the stored view before a merge patch applies (e.g. keep an event's duration). */
  prepareMerge?(view: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown>;
  /** The JSON view of the component, without the fields every entry shares (ids, dates of record). */
  present(component: ICAL.Component, ctx: TimeContext): Record<string, unknown>;
}

/** Which fields a write touches: all of them on create, the patched ones on PATCH. */
export interface FieldFilter {
  has(field: string): boolean;
}
