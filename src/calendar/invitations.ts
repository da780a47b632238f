import type { NotificationMode } from '../entries/schemas.js';
import type ICAL from 'ical.js';
import { composeMail, recipientsOf, type MailOptions, type Sender } from '../mail/compose.js';
import { serializeComponent } from '../ical/serialize.js';
import type { NewMail } from '../store/types.js';

export type { NotificationMode };

/** What the API reply says of a change's mail: no SMTP, nobody to tell, asked not to, or queued. */
export type Notifications = 'disabled' | 'none' | 'suppressed' | 'queued';

export interface Invitations {
  mail: NewMail[];
  notifications: Notifications;
}

const master = (root: ICAL.Component | null) => root?.getFirstSubcomponent('vevent') ?? null;
const cancelled = (e: ICAL.Component | null) => String(e?.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED';

/**
 * The iMIP messages (RFC 6047) a change of an event sends: REQUEST to its attendees on create
 * and update, CANCEL to those removed, and CANCEL to everyone when it is cancelled or deleted.
 */
export function invitationsFor(
  before: ICAL.Component | null, after: ICAL.Component | null, mode: NotificationMode, sender: Sender | null, zone: string,
  opts: MailOptions = {},
): Invitations {
  if (!sender) return { mail: [], notifications: 'disabled' };
  if (mode === 'NO_NOTIFICATION') return { mail: [], notifications: 'suppressed' };
  const was = master(before);
  const now = master(after);
  const had = was && !cancelled(was) ? recipientsOf(was) : [];
  const mail: NewMail[] = [];
  if (!now || cancelled(now)) {
    if (had.length) mail.push(...composeMail((after ?? before)!, 'CANCEL', had, sender, zone, opts));
  } else {
    const has = recipientsOf(now);
    const removed = had.filter((r) => !has.includes(r));
    if (has.length) mail.push(...composeMail(after!, 'REQUEST', has, sender, zone, opts));
    if (removed.length && before) mail.push(...composeMail(before, 'CANCEL', removed, sender, zone, opts));
  }
  return { mail, notifications: mail.length ? 'queued' : 'none' };
}

/**
 * Prepares an updated event for the REQUEST it will send: SEQUENCE above the last one sent
 * (RFC 5546 §2.1.4, or clients ignore the update), and with RESET_NOTIFICATION every
 * attendee but the organizer asked to answer again. Returns the new text.
 */
export function prepareUpdate(root: ICAL.Component, beforeSequence: number, mode: NotificationMode): string {
  const event = master(root);
  if (!event) return serializeComponent(root);
  if (mode === 'RESET_NOTIFICATION') {
    const organizer = String(event.getFirstPropertyValue('organizer') ?? '').toLowerCase();
    for (const a of event.getAllProperties('attendee')) {
      if (String(a.getFirstValue()).toLowerCase() === organizer) continue;
      a.setParameter('partstat', 'NEEDS-ACTION');
      a.setParameter('rsvp', 'TRUE');
    }
  }
  const sequence = Number(event.getFirstPropertyValue('sequence') ?? 0);
  if (sequence <= beforeSequence) event.updatePropertyWithValue('sequence', beforeSequence + 1);
  return serializeComponent(root);
}
