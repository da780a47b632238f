import type ICAL from 'ical.js';
import { etagOf } from '../entries/describe.js';
import {
  forcedAttendees, isCancelled, organizerOf, scheduleStatuses, scheduledAttendees, schedulingDigest,
  withoutScheduleParams, writeScheduleStatus,
} from '../ical/scheduling.js';
import { composeMail, itip, type Method } from '../mail/compose.js';
import { serializeComponent } from '../ical/serialize.js';
import { parseCalendar } from '../ical/parse.js';
import type { Calendar, CalendarObject, NewDelivery, NewMail } from '../store/types.js';
import { randomId } from '../util/ids.js';
import type { ServiceDeps } from './service-deps.js';

/**
 * RFC 6638 §3.2.9 request statuses the server writes on each ATTENDEE it scheduled: delivered
 * into a Calcast user's inbox at commit; queued for iMIP (pending until the mail worker sends);
 * not deliverable, because no SMTP server is configured for a recipient outside Calcast.
 */
export const STATUS = { delivered: '1.2', pending: '1.0', undeliverable: '5.1' } as const;

/** What an organizer's write sends, and the text to store in its place (null: store it as sent). */
export interface Scheduled {
  text: string | null;
  mail: NewMail[];
  deliveries: NewDelivery[];
}

const NOTHING: Scheduled = { text: null, mail: [], deliveries: [] };

interface Message { method: Method; root: ICAL.Component; to: string[] }

/**
 * The iTIP messages an organizer's change sends (RFC 6638 §3.2.1–3.2.3): REQUEST to new
 * attendees and, when what they see changed (or the client forces it), to the others; CANCEL
 * to attendees removed, and to all of them when the object is cancelled or deleted.
 */
function messagesFor(before: ICAL.Component | null, after: ICAL.Component | null): Message[] {
  const had = before && !isCancelled(before) ? scheduledAttendees(before) : [];
  if (!after || isCancelled(after)) return had.length ? [{ method: 'CANCEL', root: (after ?? before)!, to: had }] : [];
  const has = scheduledAttendees(after);
  const changed = !before || schedulingDigest(before) !== schedulingDigest(after);
  const forced = new Set(forcedAttendees(after));
  const out: Message[] = [];
  const request = has.filter((a) => changed || !had.includes(a) || forced.has(a));
  const removed = had.filter((a) => !has.includes(a));
  if (request.length) out.push({ method: 'REQUEST', root: after, to: request });
  if (removed.length && before) out.push({ method: 'CANCEL', root: before, to: removed });
  return out;
}

/**
 * Implicit scheduling for a write of a scheduling object (RFC 6638 §3.1: its ORGANIZER is the
 * calendar owner's address). Attendees who are Calcast users get the message in their schedule
 * inbox, written in the write's transaction; everyone else gets it by iMIP through the mail
 * outbox. `before` is the stored object (null on create); `after` (null on delete) gets each
 * scheduled attendee's SCHEDULE-STATUS.
 */
export async function scheduleChange(
  deps: ServiceDeps, calendar: Calendar, before: CalendarObject | null, after: ICAL.Component | null,
): Promise<Scheduled> {
  const owner = await deps.store.getUser(calendar.ownerId);
  if (!owner?.email) return NOTHING;
  const own = (root: ICAL.Component) => (organizerOf(root) === owner.email ? root : null);
  const now = after ? own(after) : null;
  if (after && !now) return NOTHING;
  // The stored text is parsed only for a scheduling object: most writes are not one.
  const was = before ? own(parseCalendar(before.data)) : null;
  if (!now && !was) return NOTHING;

  const statuses = was ? scheduleStatuses(was) : new Map<string, string>();
  const mail: NewMail[] = [];
  const deliveries: NewDelivery[] = [];
  for (const { method, root, to } of messagesFor(was, now)) {
    const outgoing = withoutScheduleParams(root);
    const message = itip(outgoing, method, null);
    const uid = String(message.event.getFirstPropertyValue('uid'));
    const external: string[] = [];
    for (const address of to) {
      const user = await deps.store.getUserByEmail(address);
      if (user && user.id !== owner.id) {
        deliveries.push({ userId: user.id, uri: `${randomId()}.ics`, uid, method, data: message.text, etag: etagOf(message.text) });
        statuses.set(address, STATUS.delivered);
      } else {
        external.push(address);
        statuses.set(address, deps.sender ? STATUS.pending : STATUS.undeliverable);
      }
    }
    if (external.length && deps.sender) mail.push(...composeMail(outgoing, method, external, deps.sender, calendar.timezone));
  }
  if (!now) return { text: null, mail, deliveries };
  const scheduled = new Set(scheduledAttendees(now));
  for (const address of statuses.keys()) if (!scheduled.has(address)) statuses.delete(address);
  const text = writeScheduleStatus(now, statuses) ? serializeComponent(now) : null;
  return { text, mail, deliveries };
}
