import { parseCalendar } from '../ical/parse.js';
import { ALL, type Calendar, type ComponentType, type ObjectWrite, type Store } from '../store/types.js';
import { describeObject } from './describe.js';

const TYPES: ComponentType[] = ['VEVENT', 'VTODO', 'VJOURNAL'];

/**
 * Every object's columns as they are under a new calendar zone: floating times and all-day
 * dates are read in the calendar's zone, so their instants (and the SQL envelope) move.
 */
export async function reindexForZone(store: Store, calendar: Calendar, zone: string): Promise<ObjectWrite[]> {
  const writes: ObjectWrite[] = [];
  for (const componentType of TYPES) {
    const { objects } = await store.listObjects({
      calendarIds: [calendar.id], componentType, order: 'CREATED_ASC', limit: ALL,
    });
    for (const o of objects) writes.push(describeObject(parseCalendar(o.data), zone, o, o.customData));
  }
  return writes;
}
