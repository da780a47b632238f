import ICAL from 'ical.js';
import { serializeComponent } from './serialize.js';

// Pure iCalendar helpers for implicit scheduling (RFC 6638 §3.2): who a scheduling object's
// organizer is, which attendees the server schedules, and the parameters the server owns.

/** The parameters RFC 6638 §7 adds to ORGANIZER and ATTENDEE; none may appear in an iTIP message. */
const SCHEDULE_PARAMS = ['schedule-agent', 'schedule-status', 'schedule-force-send'];

/** A calendar user address as compared: the e-mail of a mailto: URI, lower-cased. */
export const addressOf = (value: unknown): string => String(value).replace(/^mailto:/i, '').trim().toLowerCase();

/** The components of the one UID a scheduling object holds: the master and its overrides (RFC 6638 §3.1). */
export function schedulingComponents(root: ICAL.Component): ICAL.Component[] {
  const first = ['vevent', 'vtodo'].map((n) => root.getFirstSubcomponent(n)).find((c) => c !== null);
  return first ? root.getAllSubcomponents(first.name) : [];
}

/** The organizer's address of the object, or null when it has no ORGANIZER. */
export function organizerOf(root: ICAL.Component): string | null {
  for (const c of schedulingComponents(root)) {
    const organizer = c.getFirstPropertyValue('organizer');
    if (organizer) return addressOf(organizer);
  }
  return null;
}

const agentOf = (p: ICAL.Property) => String(p.getParameter('schedule-agent') ?? 'SERVER').toUpperCase();

/**
 * The attendees the server delivers to (RFC 6638 §7.1): every ATTENDEE of any component but the
 * organizer, unless its SCHEDULE-AGENT hands it to the client (CLIENT) or to nobody (NONE).
 */
export function scheduledAttendees(root: ICAL.Component): string[] {
  const organizer = organizerOf(root);
  const out = new Set<string>();
  for (const c of schedulingComponents(root)) {
    for (const p of c.getAllProperties('attendee')) {
      const address = addressOf(p.getFirstValue());
      if (address.includes('@') && address !== organizer && agentOf(p) === 'SERVER') out.add(address);
    }
  }
  return [...out];
}

/** Attendees the organizer's client asked a REQUEST for whatever changed (RFC 6638 §7.3 SCHEDULE-FORCE-SEND). */
export function forcedAttendees(root: ICAL.Component): string[] {
  return schedulingComponents(root).flatMap((c) => c.getAllProperties('attendee'))
    .filter((p) => String(p.getParameter('schedule-force-send') ?? '').toUpperCase() === 'REQUEST')
    .map((p) => addressOf(p.getFirstValue()));
}

/** Cancelled as a whole: the master (or only) component's STATUS. */
export function isCancelled(root: ICAL.Component): boolean {
  const master = schedulingComponents(root)[0];
  return String(master?.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED';
}

const copyOf = (root: ICAL.Component) => new ICAL.Component(ICAL.parse(serializeComponent(root)) as never);

/** A copy without the server's scheduling parameters: what goes out as iTIP (RFC 6638 §7.1–7.3). */
export function withoutScheduleParams(root: ICAL.Component): ICAL.Component {
  const copy = copyOf(root);
  for (const c of schedulingComponents(copy)) {
    for (const p of [...c.getAllProperties('attendee'), ...c.getAllProperties('organizer')]) {
      for (const name of SCHEDULE_PARAMS) p.removeParameter(name);
    }
  }
  return copy;
}

/**
 * What attendees are told about, for "did anything they see change?": the components without
 * the stamps every save changes (DTSTAMP, LAST-MODIFIED), alarms, client X- properties and the
 * scheduling parameters. A client that PUTs back what it got (with SCHEDULE-STATUS) changes nothing.
 */
export function schedulingDigest(root: ICAL.Component): string {
  const copy = withoutScheduleParams(root);
  return schedulingComponents(copy).map((c) => {
    for (const alarm of [...c.getAllSubcomponents('valarm')]) c.removeSubcomponent(alarm);
    for (const p of [...c.getAllProperties()]) {
      if (p.name === 'dtstamp' || p.name === 'last-modified' || p.name.startsWith('x-')) c.removeProperty(p);
    }
    return c.toString();
  }).join('\n');
}

/**
 * Writes SCHEDULE-STATUS on each ATTENDEE whose address has one in `statuses`, and removes it
 * from the others (RFC 6638 §3.2.9: the server sets it, a client's own value means nothing).
 * Returns whether anything changed.
 */
export function writeScheduleStatus(root: ICAL.Component, statuses: ReadonlyMap<string, string>): boolean {
  let changed = false;
  for (const c of schedulingComponents(root)) {
    for (const p of c.getAllProperties('attendee')) {
      const want = statuses.get(addressOf(p.getFirstValue()));
      const has = p.getParameter('schedule-status');
      if ((has ?? undefined) === want) continue;
      changed = true;
      if (want === undefined) p.removeParameter('schedule-status');
      else p.setParameter('schedule-status', want);
    }
  }
  return changed;
}

/** The SCHEDULE-STATUS each attendee carries now, by address. */
export function scheduleStatuses(root: ICAL.Component): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of schedulingComponents(root)) {
    for (const p of c.getAllProperties('attendee')) {
      const status = p.getParameter('schedule-status');
      if (typeof status === 'string') out.set(addressOf(p.getFirstValue()), status);
    }
  }
  return out;
}
