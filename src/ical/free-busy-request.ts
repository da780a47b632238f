import ICAL from 'ical.js';
import { serializeComponent } from './serialize.js';

// The iTIP VFREEBUSY REQUEST a client POSTs to its schedule outbox, and the REPLY each
// recipient's answer carries (RFC 6638 §5.1, RFC 5546 §3.3.2 and §3.3.3).

export interface FreeBusyRequest {
  uid: string;
  /** ORGANIZER and ATTENDEE values as written (calendar user addresses). */
  organizer: string;
  attendees: string[];
  /** Unix seconds. */
  start: number;
  end: number;
}

/** Reads a VFREEBUSY REQUEST, or says what is wrong with it. */
export function readFreeBusyRequest(root: ICAL.Component): FreeBusyRequest | { problem: string } {
  if (String(root.getFirstPropertyValue('method') ?? '').toUpperCase() !== 'REQUEST') return { problem: 'METHOD must be REQUEST' };
  const requests = root.getAllSubcomponents('vfreebusy');
  if (requests.length !== 1) return { problem: 'the request must hold exactly one VFREEBUSY' };
  const fb = requests[0]!;
  const start = fb.getFirstPropertyValue('dtstart');
  const end = fb.getFirstPropertyValue('dtend');
  if (!(start instanceof ICAL.Time) || !(end instanceof ICAL.Time)) return { problem: 'VFREEBUSY needs DTSTART and DTEND' };
  if (end.compare(start) <= 0) return { problem: 'DTEND must be after DTSTART' };
  const organizer = fb.getFirstPropertyValue('organizer');
  if (typeof organizer !== 'string' || organizer === '') return { problem: 'VFREEBUSY needs an ORGANIZER' };
  const attendees = fb.getAllProperties('attendee').map((p) => String(p.getFirstValue()));
  if (attendees.length === 0) return { problem: 'VFREEBUSY needs at least one ATTENDEE' };
  return { uid: String(fb.getFirstPropertyValue('uid') ?? ''), organizer, attendees, start: start.toUnixTime(), end: end.toUnixTime() };
}

/**
 * The REPLY for one attendee: the VFREEBUSY free-busy.ts computed for the range, with METHOD,
 * the request's UID and ORGANIZER, and the attendee it describes (RFC 5546 §3.3.3).
 */
export function freeBusyReply(computed: string, request: FreeBusyRequest, attendee: string): string {
  const root = new ICAL.Component(ICAL.parse(computed) as never);
  root.addPropertyWithValue('method', 'REPLY');
  const fb = root.getFirstSubcomponent('vfreebusy')!;
  if (request.uid) fb.addPropertyWithValue('uid', request.uid);
  fb.addPropertyWithValue('organizer', request.organizer);
  fb.addPropertyWithValue('attendee', attendee);
  return serializeComponent(root);
}
