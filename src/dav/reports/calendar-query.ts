import { HttpError } from '../../errors.js';
import { matchesFilter } from '../../ical/filter-match.js';
import { parseCalendar } from '../../ical/parse.js';
import { parsedOf } from '../../ical/expansions.js';
import { ALL, type ObjectEnvelope } from '../../store/types.js';
import { CALDAV, DAV, clark } from '../../xml/namespaces.js';
import { child, type XmlElement } from '../../xml/parse.js';
import type { DavRequest } from '../context.js';
import { admitted } from '../resources.js';
import { prefilterOf, type CompFilter, type TimeRange } from '../../ical/query.js';
import { parseFilter } from '../filter.js';
import { multistatus } from '../multistatus.js';
import { memberResponder, propRequestOf, withinLimits, type Member } from './members.js';
import { reportLimits } from '../limits.js';
import { yieldPoint } from '../yield-point.js';
import { drive, evaluateSliced } from '../slices.js';

/**
 * The shape most clients send (VCALENDAR > VEVENT with only a time-range). For a
 * non-recurring event the stored first_start/last_end are exactly its start and end, so
 * the RFC 4791 §9.9 test runs on columns without parsing the object.
 */
function simpleEventRange(filter: CompFilter): TimeRange | null {
  if (filter.timeRange || filter.propFilters.length || filter.compFilters.length !== 1) return null;
  const c = filter.compFilters[0]!;
  if (c.name !== 'VEVENT' || c.isNotDefined || !c.timeRange || c.propFilters.length || c.compFilters.length) return null;
  return c.timeRange;
}

function overlaps(o: ObjectEnvelope, range: TimeRange): boolean {
  const from = range.start ?? -Infinity;
  const to = range.end ?? Infinity;
  // RFC 4791 §9.9 VEVENT: a zero-length event matches when it starts inside the range.
  return o.lastEnd > o.firstStart ? o.firstStart < to && o.lastEnd > from : from <= o.firstStart && o.firstStart < to;
}

/** calendar-query (RFC 4791 §7.8): SQL prefilter on the time envelope, then an exact test. */
export async function calendarQuery(req: DavRequest, body: XmlElement) {
  const { deps, user } = req;
  const resource = admitted(req.resource, 'calendar', 'object');
  const { calendar, readOnly } = resource;
  const filterEl = child(body, CALDAV, 'filter');
  if (!filterEl) throw new HttpError(403, 'FORBIDDEN', 'calendar-query needs a filter', { precondition: clark(CALDAV, 'valid-filter') });
  const filter = parseFilter(filterEl);
  const prop = propRequestOf(child(body, DAV, 'prop'));
  const { componentType, range } = prefilterOf(filter);
  const query = {
    calendarIds: [calendar.id],
    ...(componentType ? { componentType } : {}),
    ...(range ? { overlapping: { from: range.start, to: range.end } } : {}),
  };
  const simple = simpleEventRange(filter);
  const only = (uri: string) => resource.kind !== 'object' || uri === resource.uri;
  // A series whose rule walks past the bound (FREQ=SECONDLY) before the range is decided is refused.
  // The exact test parses each candidate: the pass yields between candidates and between slices
  // of an expansion, as the response loop does, so a large query delays a feed poll by milliseconds.
  const pause = yieldPoint();
  const exact = (text: string) => withinLimits(() => evaluateSliced((x) => matchesFilter(parsedOf(x, text), filter, calendar.timezone, x), pause));
  const keep = async <T>(items: T[], test: (item: T) => boolean | Promise<boolean>): Promise<T[]> => {
    const kept: T[] = [];
    for (const item of items) {
      if (await test(item)) kept.push(item);
      await pause();
    }
    return kept;
  };
  let matches: Member[];
  if (simple) {
    // Decide on envelopes and the instance index; read the texts of the matches only.
    const from = simple.start ?? -Infinity;
    const to = simple.end ?? Infinity;
    const heads = (await deps.store.listObjectEnvelopes(query)).filter((h) => only(h.uri));
    const undecided: string[] = [];
    const hits: string[] = [];
    for (const h of heads) {
      const answer = h.componentType !== 'VEVENT' ? false
        : !h.recurring ? overlaps(h, simple)
        : deps.instances.eventOverlaps(h.etag, null, calendar.timezone, from, to);
      if (answer === true) hits.push(h.uri);
      else if (answer === undefined) undecided.push(h.uri);
    }
    // The texts are needed for calendar-data, and to expand series not indexed yet.
    const needTexts = prop.calendarData !== null;
    const texts = await deps.store.getObjectTexts(calendar.id, needTexts ? [...hits, ...undecided] : undecided);
    const byUri = new Map(heads.map((h) => [h.uri, h]));
    const undecidedSet = new Set(undecided);
    // Series seen for the first time are expanded (in slices) and indexed for the next query here.
    const decided = await keep(texts, async (o) => {
      if (!undecidedSet.has(o.uri)) return true;
      const text = o.data.toString('utf8');
      await drive(deps.instances.indexWalk(o.etag, () => parseCalendar(text), calendar.timezone), pause);
      return deps.instances.eventOverlaps(o.etag, null, calendar.timezone, from, to) ?? exact(text);
    });
    matches = needTexts ? decided : [...hits.map((uri) => byUri.get(uri)!), ...decided];
  } else {
    const { objects } = await deps.store.listObjects({ ...query, order: 'START_DATE_ASC', limit: ALL });
    matches = await keep(objects, (o) => only(o.uri) && exact(o.data));
  }
  const members = memberResponder(calendar, readOnly, user, prop, reportLimits(deps.config));
  return multistatus(await members.responses(matches, members.response));
}
