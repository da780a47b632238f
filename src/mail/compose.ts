import { randomBytes } from 'node:crypto';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { emailOf } from '../entries/ical-fields.js';
import { serializeComponent } from '../ical/serialize.js';
import { zoneOf } from '../ical/zone-cache.js';
import type { NewMail } from '../store/types.js';

/** Who sends: the From address, which is also the organizer of an event that names none. */
export interface Sender {
  from: string;
  /** The host that names Message-IDs (RFC 5322 §3.6.4): the public base URL's. */
  host: string;
}

export type Method = NewMail['method'];

/** The attendees to write to: everyone but the organizer, who sends the invitation. */
export function recipientsOf(event: ICAL.Component): string[] {
  const organizer = event.getFirstProperty('organizer');
  const own = organizer ? emailOf(organizer.getFirstValue()).toLowerCase() : null;
  const emails = event.getAllProperties('attendee').map((p) => emailOf(p.getFirstValue()))
    .filter((e) => e.includes('@') && e.toLowerCase() !== own);
  return [...new Set(emails.map((e) => e.toLowerCase()))];
}

/**
 * The iTIP object (RFC 5546 §3.2.2 REQUEST, §3.2.5 CANCEL) for the stored object: METHOD set,
 * an ORGANIZER (required by both; the sender when the event names none), and for CANCEL the
 * STATUS and a SEQUENCE above the last one sent.
 */
export function itip(root: ICAL.Component, method: Method | 'PUBLISH', sender: Sender | null): { text: string; event: ICAL.Component } {
  const copy = new ICAL.Component(ICAL.parse(serializeComponent(root)) as never);
  copy.removeAllProperties('method');
  copy.addPropertyWithValue('method', method);
  // The scheduling component: an event, or a to-do or journal entry that Convier sends too.
  const event = ['vevent', 'vtodo', 'vjournal'].map((n) => copy.getFirstSubcomponent(n)).find((c) => c !== null)!;
  if (!event.hasProperty('organizer') && sender) event.addPropertyWithValue('organizer', `mailto:${sender.from}`);
  if (method === 'CANCEL') {
    event.updatePropertyWithValue('status', 'CANCELLED');
    event.updatePropertyWithValue('sequence', Number(event.getFirstPropertyValue('sequence') ?? 0) + 1);
  }
  return { text: serializeComponent(copy), event };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function whenText(event: ICAL.Component, zone: string): string {
  const start = event.getFirstPropertyValue('dtstart');
  if (!(start instanceof ICAL.Time)) return '';
  const tzid = event.getFirstProperty('dtstart')?.getParameter('tzid');
  const shown = typeof tzid === 'string' ? tzid : start.zone?.tzid === 'UTC' ? 'UTC' : zone;
  if (start.isDate) return DateTime.fromObject({ year: start.year, month: start.month, day: start.day }).setLocale('en-GB').toFormat('cccc d LLLL yyyy');
  const dt = DateTime.fromSeconds(start.toUnixTime(), { zone: zoneOf(shown) }).setLocale('en-GB');
  return `${dt.toFormat("cccc d LLLL yyyy, HH:mm")} (${shown})`;
}

/** Subject and body lines a person reads before their mail app shows the invitation's buttons. */
function wording(event: ICAL.Component, method: Method, zone: string) {
  const title = String(event.getFirstPropertyValue('summary') ?? 'Untitled event');
  const location = event.getFirstPropertyValue('location');
  const sequence = Number(event.getFirstPropertyValue('sequence') ?? 0);
  const subject = method === 'CANCEL' ? `Cancelled: ${title}` : sequence > 0 ? `Updated invitation: ${title}` : `Invitation: ${title}`;
  const lines = [
    method === 'CANCEL' ? `This event has been cancelled: ${title}` : `You are invited to: ${title}`,
    `When: ${whenText(event, zone)}`,
    ...(typeof location === 'string' && location ? [`Where: ${location}`] : []),
  ];
  return { subject, lines };
}

export interface MailOptions {
  /** Subject and body the caller chose (Convier's email[subject] and email[body]). */
  subject?: string;
  body?: string;
  /** Where the request goes: inline (the default) and/or attached (Convier's email[inline], email[attach]). */
  inline?: boolean;
  attach?: boolean;
}

function partsOf(opts: MailOptions): NewMail['parts'] {
  const inline = opts.inline ?? !opts.attach;
  if (opts.attach && inline) return 'both';
  return opts.attach ? 'attachment' : 'inline';
}

/** One message per recipient, each with its own stable Message-ID. */
export function composeMail(
  root: ICAL.Component, method: Method, recipients: string[], sender: Sender, zone: string, opts: MailOptions = {},
): NewMail[] {
  const { text: ics, event } = itip(root, method, sender);
  const words = wording(event, method, zone);
  const subject = opts.subject ?? words.subject;
  const lines = opts.body ? [opts.body, '', ...words.lines] : words.lines;
  const text = `${lines.join('\n')}\n`;
  const html = `<!doctype html><html><body>${lines.map((l) => `<p>${escape(l)}</p>`).join('')}</body></html>`;
  return recipients.map((recipient) => {
    const id = randomBytes(12).toString('base64url');
    return { id, messageId: `<${id}@${sender.host}>`, method, recipient, subject, text, html, ics, parts: partsOf(opts) };
  });
}
