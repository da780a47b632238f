import { HttpError } from '../../errors.js';
import { ALL } from '../../store/types.js';
import { freeBusyWalk } from '../../ical/free-busy.js';
import { parseCalendar } from '../../ical/parse.js';
import { CALDAV, clark } from '../../xml/namespaces.js';
import { child, type XmlElement } from '../../xml/parse.js';
import type { DavRequest } from '../context.js';
import { admitted } from '../resources.js';
import { parseTimeRange } from '../filter.js';
import { withinLimits } from './members.js';
import { drive } from '../slices.js';
import { yieldPoint } from '../yield-point.js';

/** free-busy-query (RFC 4791 §7.10): a VFREEBUSY for the range, as text/calendar. */
export async function freeBusyQuery(req: DavRequest, body: XmlElement) {
  const { deps } = req;
  const rangeEl = child(body, CALDAV, 'time-range');
  if (!rangeEl) throw new HttpError(400, 'VALIDATION_FAILED', 'free-busy-query needs a time-range', { precondition: clark(CALDAV, 'valid-filter') });
  const range = parseTimeRange(rangeEl);
  if (range.start === null || range.end === null) {
    throw new HttpError(400, 'VALIDATION_FAILED', 'free-busy-query needs a start and an end', { precondition: clark(CALDAV, 'valid-filter') });
  }
  const { calendar } = admitted(req.resource, 'calendar');
  const { objects } = await deps.store.listObjects({
    calendarIds: [calendar.id], componentType: 'VEVENT', overlapping: { from: range.start, to: range.end },
    order: 'START_DATE_ASC', limit: ALL,
  });
  const now = Math.floor(deps.clock.now() / 1000);
  const window = { start: range.start, end: range.end };
  const parsed = objects.map((o) => parseCalendar(o.data));
  const walk = freeBusyWalk(parsed, window, calendar.timezone, now, deps.config.davMaxInstances);
  return { calendar: await withinLimits(() => drive(walk, yieldPoint())) };
}
