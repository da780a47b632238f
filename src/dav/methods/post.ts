import { HttpError } from '../../errors.js';
import { freeBusyReply, readFreeBusyRequest, type FreeBusyRequest } from '../../ical/free-busy-request.js';
import { freeBusyOfSources } from '../../ical/free-busy.js';
import { CalendarParseError, parseCalendar } from '../../ical/parse.js';
import { addressOf } from '../../ical/scheduling.js';
import { ALL, type User } from '../../store/types.js';
import { CALDAV, DAV, clark } from '../../xml/namespaces.js';
import { el, type XmlNode } from '../../xml/write.js';
import { readCalendarBody } from '../calendar-body.js';
import { sendXml, type DavDeps, type MethodHandler } from '../context.js';
import { withinLimits } from '../reports/members.js';
import { admitted, hrefs } from '../resources.js';
import { drive } from '../slices.js';
import { yieldPoint } from '../yield-point.js';

const c = (local: string) => clark(CALDAV, local);
/** One POST answers for at most this many recipients: each costs a walk of their calendars. */
const MAX_RECIPIENTS = 50;

const refuse = (status: number, precondition: string, message: string) =>
  new HttpError(status, status === 400 ? 'VALIDATION_FAILED' : 'FORBIDDEN', message, { field: 'body', precondition: c(precondition) });

/** The recipient's busy time over every calendar they own, each anchoring floating times in its zone. */
async function busyTimeOf(deps: DavDeps, user: User, request: FreeBusyRequest): Promise<string> {
  const calendars = await deps.store.listCalendars(user.id);
  const zones = new Map(calendars.map((cal) => [cal.id, cal.timezone]));
  const { objects } = await deps.store.listObjects({
    calendarIds: [...zones.keys()], componentType: 'VEVENT', overlapping: { from: request.start, to: request.end },
    order: 'START_DATE_ASC', limit: ALL,
  });
  const sources = objects.map((o) => ({ object: parseCalendar(o.data), zone: zones.get(o.calendarId)! }));
  const walk = freeBusyOfSources(sources, { start: request.start, end: request.end }, Math.floor(deps.clock.now() / 1000), deps.config.davMaxInstances);
  return withinLimits(() => drive(walk, yieldPoint()));
}

/** One CALDAV:response of the schedule-response (RFC 6638 §10.2). */
const answer = (recipient: string, status: string, data?: string): XmlNode =>
  el(c('response'), el(c('recipient'), el(clark(DAV, 'href'), recipient)), el(c('request-status'), status), data ? el(c('calendar-data'), data) : null);

/**
 * POST of a VFREEBUSY REQUEST to the schedule outbox (RFC 6638 §5): the busy time of each
 * attendee who is a Calcast user, found by e-mail; others answer 3.7 (invalid calendar user),
 * as Calcast cannot see their calendars. Only the outbox's owner may ask, as the organizer.
 */
export const post: MethodHandler = async ({ ctx, deps, resource }) => {
  const { user: owner } = admitted(resource, 'schedule-outbox');
  const text = await readCalendarBody(ctx);
  let request: ReturnType<typeof readFreeBusyRequest>;
  try {
    request = readFreeBusyRequest(parseCalendar(text));
  } catch (err) {
    if (err instanceof CalendarParseError) throw refuse(400, 'valid-calendar-data', err.message);
    throw err;
  }
  if ('problem' in request) throw refuse(400, 'valid-scheduling-message', request.problem);
  const organizer = addressOf(request.organizer);
  if (organizer !== owner.email && !organizer.endsWith(hrefs.principal(owner).toLowerCase())) {
    throw refuse(403, 'organizer-allowed', `the ORGANIZER must be one of your addresses (${owner.email ? `mailto:${owner.email}` : hrefs.principal(owner)})`);
  }
  if (request.attendees.length > MAX_RECIPIENTS) throw refuse(403, 'max-attendees-per-instance', `at most ${MAX_RECIPIENTS} attendees a request`);
  const responses: XmlNode[] = [];
  for (const attendee of request.attendees) {
    const address = addressOf(attendee);
    const target = address.includes('@') ? await deps.store.getUserByEmail(address) : null;
    responses.push(target
      ? answer(attendee, '2.0;Success', freeBusyReply(await busyTimeOf(deps, target, request), request, attendee))
      : answer(attendee, '3.7;Invalid calendar user'));
  }
  sendXml(ctx, 200, el(c('schedule-response'), ...responses));
};
