import { HttpError } from '../../errors.js';
import { matchesFilter } from '../../ical/filter-match.js';
import { parseCalendar } from '../../ical/parse.js';
import type { CalendarObject } from '../../store/types.js';
import { CALDAV, DAV, clark } from '../../xml/namespaces.js';
import { child, type XmlElement } from '../../xml/parse.js';
import type { DavRequest } from '../context.js';
import { parseFilter, prefilterOf, type CompFilter, type TimeRange } from '../filter.js';
import { multistatus } from '../multistatus.js';
import { memberResponse, propRequestOf } from './members.js';

/**
 * The shape most clients send (VCALENDAR > VEVENT with only a time-range). For a
 * non-recurring event the stored first_start/last_end are exactly its start and end, so
 * the RFC 4791 §9.9 test runs on columns without parsing the object.
 */
function simpleEventRange(filter: CompFilter): TimeRange | null {
  if (filter.propFilters.length || filter.compFilters.length !== 1) return null;
  const c = filter.compFilters[0]!;
  if (c.name !== 'VEVENT' || c.isNotDefined || !c.timeRange || c.propFilters.length || c.compFilters.length) return null;
  return c.timeRange;
}

function overlaps(o: CalendarObject, range: TimeRange): boolean {
  const from = range.start ?? -Infinity;
  const to = range.end ?? Infinity;
  // RFC 4791 §9.9 VEVENT: a zero-length event matches when it starts inside the range.
  return o.lastEnd > o.firstStart ? o.firstStart < to && o.lastEnd > from : from <= o.firstStart && o.firstStart < to;
}

/** calendar-query (RFC 4791 §7.8): SQL prefilter on the time envelope, then an exact test. */
export async function calendarQuery(req: DavRequest, body: XmlElement) {
  const { deps, user, resource } = req;
  if (resource.kind !== 'calendar' && resource.kind !== 'object') return multistatus([]);
  const { calendar, readOnly } = resource;
  const filterEl = child(body, CALDAV, 'filter');
  if (!filterEl) throw new HttpError(403, 'FORBIDDEN', 'calendar-query needs a filter', { precondition: clark(CALDAV, 'valid-filter') });
  const filter = parseFilter(filterEl);
  const prop = propRequestOf(child(body, DAV, 'prop'));
  const { componentType, range } = prefilterOf(filter);
  const { objects } = await deps.store.listObjects({
    calendarIds: [calendar.id], order: 'START_DATE_ASC', limit: Number.MAX_SAFE_INTEGER,
    ...(componentType ? { componentType } : {}),
    ...(range ? { overlapping: { from: range.start, to: range.end } } : {}),
  });
  const simple = simpleEventRange(filter);
  const candidates = resource.kind === 'object' ? objects.filter((o) => o.uri === resource.uri) : objects;
  const exact = (o: CalendarObject) => matchesFilter(parseCalendar(o.data), filter, calendar.timezone);
  const matches = candidates.filter((o) => {
    if (!simple || o.componentType !== 'VEVENT') return exact(o);
    if (!o.recurring) return overlaps(o, simple);
    return deps.instances.eventOverlaps(o.etag, () => parseCalendar(o.data), calendar.timezone,
      simple.start ?? -Infinity, simple.end ?? Infinity) ?? exact(o);
  });
  return multistatus(matches.map((o) => memberResponse(calendar, readOnly, user, o, prop)));
}
