import { randomUUID } from 'node:crypto';
import type ICAL from 'ical.js';
import { describeObject } from '../entries/describe.js';
import type { AnyMapping } from '../entries/mappings.js';
import { createEntryText, updateEntryText } from '../entries/write.js';
import { StoreConflict, type Calendar, type CalendarObject } from '../store/types.js';
import { randomId } from '../util/ids.js';
import { conflict, notFound } from './errors.js';
import type { Expected } from './expected.js';
import { writeMember } from './objects.js';
import type { ServiceDeps } from './service-deps.js';
import { invitationsFor, prepareUpdate, type Invitations, type NotificationMode, type Notifications } from './invitations.js';
import { parseCalendar } from '../ical/parse.js';
import type { MailOptions } from '../mail/compose.js';

/** How a change's attendees are told: seed 002's mode, and the caller's own subject and body. */
export interface Notify {
  mode: NotificationMode;
  mail?: MailOptions;
  /** A new version of a scheduling request even when nobody is mailed (Convier's reused uid). */
  newVersion?: boolean;
}

type CustomData = CalendarObject['customData'];

/** The JSON API's entries: events, todos and journals built from fields, not from iCalendar text. */
export function entryCommands(deps: ServiceDeps) {
  const { store } = deps;
  const noun = (mapping: AnyMapping) => mapping.path.slice(0, -1);

  /** A replayed create finds the entry its id names; another kind under that id is a conflict. */
  const replay = async (calendar: Calendar, mapping: AnyMapping, id: string) => {
    const existing = await store.getObject(calendar.id, id);
    if (existing && existing.componentType !== mapping.type) {
      throw conflict(`id ${id} is already used by a ${existing.componentType}`, { field: 'id' });
    }
    return existing;
  };

  /** Events' attendees hear of a change by e-mail; to-dos and journals send nothing. */
  const invite = (calendar: Calendar, mapping: AnyMapping, before: ICAL.Component | null, after: ICAL.Component, notify?: Notify): Invitations =>
    mapping.type === 'VEVENT' && notify
      ? invitationsFor(before, after, notify.mode, deps.sender, calendar.timezone, notify.mail)
      : { mail: [], notifications: 'none' };

  return {
    /**
     * Creates an entry. A client `id` is an idempotency key (seed 002): replaying the create
     * returns the entry that exists, with `created: false`.
     */
    async createEntry(
      calendar: Calendar, mapping: AnyMapping, input: { id?: string; custom_data?: unknown }, notify?: Notify,
    ): Promise<{ object: CalendarObject; created: boolean; root?: ICAL.Component; notifications: Notifications }> {
      if (input.id) {
        const existing = await replay(calendar, mapping, input.id);
        if (existing) return { object: existing, created: false, notifications: 'none' };
      }
      const id = input.id ?? randomId();
      const built = createEntryText(mapping, input, `${randomUUID()}@calcast`, calendar.timezone, deps.clock.now());
      const write = describeObject(built.root, calendar.timezone, { id, uri: `${id}.ics` }, (input.custom_data as CustomData) ?? null, built.text);
      const invitations = invite(calendar, mapping, null, built.root, notify);
      try {
        const object = await store.createObject(calendar.id, write, invitations.mail);
        return { object, created: true, root: built.root, notifications: invitations.notifications };
      } catch (err) {
        // Two replays of one create can race between the lookup and the insert.
        if (err instanceof StoreConflict && err.key === 'id' && input.id) {
          const existing = await replay(calendar, mapping, input.id);
          if (existing) return { object: existing, created: false, notifications: 'none' };
        }
        if (err instanceof StoreConflict) throw conflict(`${err.key} is already in use in this calendar`, { field: err.key });
        throw err;
      } finally {
        deps.notify();
      }
    },

    /**
     * Writes the merged fields named in `keys` into `object`, the version the caller read. The
     * write is a compare-and-set on that version: a CalDAV PUT that landed in between is kept,
     * and this one refused (409, or 412 when the client sent If-Match).
     */
    async patchEntry(
      calendar: Calendar, mapping: AnyMapping, object: CalendarObject, merged: { custom_data?: unknown }, keys: string[],
      expected: Expected, notify?: Notify,
    ): Promise<{ object: CalendarObject; root: ICAL.Component; notifications: Notifications }> {
      const built = updateEntryText(mapping, object.data, merged, keys, calendar.timezone, deps.clock.now());
      const before = parseCalendar(object.data);
      let invitations = invite(calendar, mapping, before, built.root, notify);
      let text = built.text;
      if (notify && (invitations.mail.length > 0 || notify.newVersion)) {
        // What the attendees are sent must be what is stored: bump, reset, then compose again.
        text = prepareUpdate(built.root, object.sequence, notify.mode);
        invitations = invite(calendar, mapping, before, built.root, notify);
      }
      const customData = keys.includes('custom_data') ? (merged.custom_data as CustomData) ?? null : object.customData;
      const write = describeObject(built.root, calendar.timezone, object, customData, text);
      const saved = await writeMember(deps, calendar, write, object, expected, invitations.mail);
      return { object: saved, root: built.root, notifications: invitations.notifications };
    },

    /** The entry `id` of this kind, or not-found. */
    async entryOf(calendar: Calendar, mapping: AnyMapping, id: string): Promise<CalendarObject> {
      const object = await store.getObject(calendar.id, id);
      if (!object || object.componentType !== mapping.type) throw notFound(noun(mapping));
      return object;
    },
  };
}
