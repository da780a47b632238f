import { randomUUID } from 'node:crypto';
import { InvalidObject, describeObject, objectShape } from '../entries/describe.js';
import { embedTimezones } from '../ical/embed-timezones.js';
import type ICAL from 'ical.js';
import { controlCharacterProblem, unknownTimezoneProblem, withRequiredCalendarProperties } from '../ical/object-rules.js';
import { valueProblem } from '../ical/value-rules.js';
import { CalendarParseError, parseCalendar } from '../ical/parse.js';
import { splitByUid } from '../ical/split.js';
import {
  StoreConflict, StorePreconditionFailed, type Calendar, type CalendarObject, type NewDelivery, type NewMail, type ObjectWrite,
} from '../store/types.js';
import { randomId } from '../util/ids.js';
import { DomainError, conflict, invalid, notFound } from './errors.js';
import { staleError, type Expected } from './expected.js';
import { checkSegment } from './names.js';
import { invitationsFor, type NotificationMode, type Notifications } from './invitations.js';
import { scheduleChange } from './scheduling.js';
import type { ServiceDeps } from './service-deps.js';

const refuseData = (message: string) => invalid(message, { rule: 'valid-calendar-data', field: 'body' });

/** What every stored object must satisfy, whatever surface it came through (ical/object-rules.ts). */
function checkContent(root: ICAL.Component): void {
  const problem = unknownTimezoneProblem(root);
  if (problem) throw refuseData(problem);
}

/** What the raw text must satisfy before ical.js reads it, which would hide the problem. */
const textProblem = (text: string) => controlCharacterProblem(text) ?? valueProblem(text);

/**
 * Parses and checks one calendar object resource (RFC 4791 §4.1, §5.3.2.1). The text is kept
 * byte for byte, except that a missing VERSION or PRODID is added so every GET and feed of it
 * is valid iCalendar.
 */
function readObject(calendar: Calendar, text: string) {
  const problem = textProblem(text);
  if (problem) throw refuseData(problem);
  try {
    const root = parseCalendar(text);
    const shape = objectShape(root);
    if (!calendar.components.includes(shape.type)) {
      throw invalid(`this calendar does not take ${shape.type}`, { rule: 'supported-calendar-component' });
    }
    checkContent(root);
    return { root, shape, text: withRequiredCalendarProperties(text, root) };
  } catch (err) {
    if (err instanceof CalendarParseError) throw refuseData(err.message);
    if (err instanceof InvalidObject) throw invalid(err.message, { rule: err.rule, field: 'body' });
    throw err;
  }
}

/** API ids double as member names; a client's name becomes the id when it is a valid, free one. */
function idFor(uri: string): string {
  const base = uri.replace(/\.ics$/i, '');
  return /^[A-Za-z0-9_.-]{1,128}$/.test(base) ? base : randomId();
}

const uidTaken = (uid: string, existingUri: string) =>
  conflict(`UID ${uid} is already used by ${existingUri}`, { rule: 'no-uid-conflict', existingUri });

/**
 * A write of a member through the store's compare-and-set: a stale `expected` (or a name or
 * UID taken between our read and our write) refuses it and changes nothing.
 */
export async function writeMember(
  deps: ServiceDeps, calendar: Calendar, write: ObjectWrite, existing: CalendarObject | null, expected: Expected,
  mail: NewMail[] = [], deliveries: NewDelivery[] = [],
): Promise<CalendarObject> {
  try {
    const saved = existing
      ? await deps.store.updateObject(calendar.id, write, existing.etag, mail, deliveries)
      : await deps.store.createObject(calendar.id, write, mail, deliveries);
    if (!saved) throw staleError(expected);
    return saved;
  } catch (err) {
    if (err instanceof StorePreconditionFailed) throw staleError(expected);
    if (err instanceof StoreConflict && err.key === 'uid' && err.existing) throw uidTaken(write.uid, err.existing.uri);
    if (err instanceof StoreConflict && err.key !== 'uid') throw staleError(expected);
    throw err;
  } finally {
    deps.notify();
  }
}

export function objectCommands(deps: ServiceDeps) {
  const { store } = deps;
  /** The stored version must be the expected one; without an expectation, the one read now. */
  const checkExpected = (existing: CalendarObject | null, expected: Expected | undefined): Expected => {
    const current = existing?.etag ?? null;
    if (expected && expected.etag !== current) throw staleError(expected);
    return expected ?? { etag: current, source: 'read' };
  };

  /** The messages a delete sends, by the surface's rule (see deleteObject). */
  const cancellationsFor = async (calendar: Calendar, existing: CalendarObject, notification?: NotificationMode | 'scheduling') => {
    if (notification === 'scheduling') {
      const { mail, deliveries } = await scheduleChange(deps, calendar, existing, null);
      return { mail, deliveries, notifications: 'none' as const };
    }
    const { mail, notifications } = notification && existing.componentType === 'VEVENT'
      ? invitationsFor(parseCalendar(existing.data), null, notification, deps.sender, calendar.timezone)
      : { mail: [], notifications: 'none' as const };
    return { mail, deliveries: [], notifications };
  };

  return {
    /**
     * PUT of a member by name (RFC 4791 §5.3.2), with implicit scheduling when it is an
     * organizer's scheduling object (RFC 6638 §3.2). `altered` says the stored text is not the
     * one sent (a VERSION was added, SCHEDULE-STATUS written), so no ETag may be returned for
     * it (RFC 4791 §5.3.4, RFC 6638 §3.2.10).
     */
    async putObject(calendar: Calendar, input: { uri: string; text: string; expected?: Expected }) {
      checkSegment(input.uri, 'uri');
      const { root, shape, text: sent } = readObject(calendar, input.text);
      const existing = await store.getObjectByUri(calendar.id, input.uri);
      const expected = checkExpected(existing, input.expected);
      const sameUid = await store.getObjectByUid(calendar.id, shape.uid);
      if (sameUid && sameUid.uri !== input.uri) throw uidTaken(shape.uid, sameUid.uri);
      const scheduled = await scheduleChange(deps, calendar, existing, root);
      const text = scheduled.text ? withRequiredCalendarProperties(scheduled.text, root) : sent;
      let write: ObjectWrite;
      if (existing) {
        write = describeObject(root, calendar.timezone, existing, existing.customData, text);
      } else {
        let id = idFor(input.uri);
        if (await store.getObject(calendar.id, id)) id = randomId();
        write = describeObject(root, calendar.timezone, { id, uri: input.uri }, null, text);
      }
      const object = await writeMember(deps, calendar, write, existing, expected, scheduled.mail, scheduled.deliveries);
      return { object, created: !existing, altered: text !== input.text };
    },

    /**
     * Deletes a member, found by name or by id. With a `notification` mode (the API's entries),
     * its attendees are sent a CANCEL; with 'scheduling' (CalDAV), an organizer's scheduling
     * object cancels by RFC 6638 §3.2.3. Either is queued in the delete's own transaction.
     */
    async deleteObject(
      calendar: Calendar, key: { uri: string } | { id: string }, expected?: Expected, notification?: NotificationMode | 'scheduling',
    ): Promise<Notifications> {
      const existing = 'uri' in key ? await store.getObjectByUri(calendar.id, key.uri) : await store.getObject(calendar.id, key.id);
      if (!existing) throw expected?.source === 'if-match' ? staleError(expected) : notFound('calendar object');
      const want = checkExpected(existing, expected);
      const { mail, deliveries, notifications } = await cancellationsFor(calendar, existing, notification);
      try {
        if (!(await store.deleteObject(calendar.id, existing.id, existing.etag, mail, deliveries))) throw staleError(want);
        return notifications;
      } catch (err) {
        if (err instanceof StorePreconditionFailed) throw staleError(want);
        throw err;
      } finally {
        deps.notify();
      }
    },

    /**
     * Imports an iCalendar file: one object per UID, upserted by UID in one transaction, so an
     * unreadable file or a bad object writes nothing.
     */
    async importObjects(calendar: Calendar, text: string): Promise<{ created: number; updated: number }> {
      let writes: ObjectWrite[];
      const problem = textProblem(text);
      if (problem) throw invalid(problem, { field: 'body' });
      try {
        writes = splitByUid(parseCalendar(text), () => `${randomUUID()}@calcast`).map((root) => {
          embedTimezones(root);
          checkContent(root);
          const id = randomId();
          return describeObject(root, calendar.timezone, { id, uri: `${id}.ics` }, null);
        });
      } catch (err) {
        if (err instanceof CalendarParseError || err instanceof InvalidObject) throw invalid(err.message, { field: 'body' });
        if (err instanceof DomainError) throw invalid(err.message, { field: 'body' });
        throw err;
      }
      try {
        return await store.importObjects(calendar.id, writes);
      } catch (err) {
        if (err instanceof StoreConflict) throw new DomainError('conflict', `the ${err.key} was taken meanwhile; retry the import`);
        throw err;
      } finally {
        deps.notify();
      }
    },
  };
}
