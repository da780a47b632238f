import { randomUUID } from 'node:crypto';
import { HttpError } from '../errors.js';
import { embedTimezones } from '../ical/embed-timezones.js';
import { CalendarParseError, parseCalendar } from '../ical/parse.js';
import { splitByUid } from '../ical/split.js';
import type { Calendar, Store } from '../store/types.js';
import { randomId } from '../util/ids.js';
import { InvalidObject, describeObject } from './describe.js';

/**
 * Imports an iCalendar file: one object per UID, upserted by UID in one transaction, so an
 * unreadable file or a bad object writes nothing.
 */
export async function importCalendar(store: Store, calendar: Calendar, text: string): Promise<{ created: number; updated: number }> {
  let writes;
  try {
    const objects = splitByUid(parseCalendar(text), () => `${randomUUID()}@calcast`);
    writes = objects.map((root) => {
      embedTimezones(root);
      const id = randomId();
      return describeObject(root, calendar.timezone, { id, uri: `${id}.ics` }, null);
    });
  } catch (err) {
    if (err instanceof CalendarParseError || err instanceof InvalidObject) {
      throw new HttpError(400, 'VALIDATION_FAILED', err.message, { field: 'body' });
    }
    throw err;
  }
  return store.importObjects(calendar.id, writes);
}
