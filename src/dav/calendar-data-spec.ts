import { HttpError } from '../errors.js';
import { parseUtcTime, type CalendarDataSpec, type CompSelection, type TimeRange } from '../ical/query.js';
import { CALDAV, clark } from '../xml/namespaces.js';
import type { XmlElement } from '../xml/parse.js';

// The CALDAV:calendar-data request element (RFC 4791 §9.6) parsed into the query model.

const badRequest = (msg: string): HttpError => new HttpError(400, 'VALIDATION_FAILED', msg);

function caldavKids(el: XmlElement, local: string): XmlElement[] {
  return el.children.filter((c) => c.ns === CALDAV && c.local === local);
}

/** expand / limit-recurrence-set / limit-freebusy-set: both attributes required, start < end. */
function parseRequiredRange(el: XmlElement): TimeRange {
  const read = (attr: 'start' | 'end'): number => {
    const raw = el.attrs[attr];
    const t = raw === undefined ? null : parseUtcTime(raw);
    if (t === null) throw badRequest(`CALDAV:${el.local} needs a UTC ${attr} attribute like 20060104T000000Z`);
    return t;
  };
  const range = { start: read('start'), end: read('end') };
  if (range.start >= range.end) throw badRequest(`CALDAV:${el.local} start must be before its end`);
  return range;
}

/** §9.6.1: a comp element. No prop element means every property, no comp element every
 *  subcomponent — the reading of RFC 4791's own examples (§7.8.1 `<C:comp name="VTIMEZONE"/>`). */
function parseComp(el: XmlElement): CompSelection {
  const name = el.attrs.name?.trim().toUpperCase();
  if (!name) throw badRequest('CALDAV:comp needs a name attribute');
  const props = caldavKids(el, 'prop').map((p) => {
    const n = p.attrs.name?.trim();
    if (!n) throw badRequest('CALDAV:prop needs a name attribute');
    return n.toUpperCase(); // novalue="yes" (§9.6.4) is not honoured: the value is returned anyway
  });
  const comps = caldavKids(el, 'comp').map(parseComp);
  const allProps = caldavKids(el, 'allprop').length > 0 || props.length === 0;
  const allComps = caldavKids(el, 'allcomp').length > 0 || comps.length === 0;
  return { name, allProps, props: allProps ? [] : props, allComps, comps: allComps ? [] : comps };
}

/** `el` is the request's CALDAV:calendar-data element; an empty one asks for the stored text. */
export function parseCalendarDataSpec(el: XmlElement): CalendarDataSpec {
  const type = (el.attrs['content-type'] ?? 'text/calendar').trim().toLowerCase();
  const version = (el.attrs.version ?? '2.0').trim();
  if (type !== 'text/calendar' || version !== '2.0') {
    throw new HttpError(403, 'FORBIDDEN', `calendar-data ${type} version ${version} is not supported (text/calendar 2.0 is)`,
      { precondition: clark(CALDAV, 'supported-calendar-data') });
  }
  const compEl = caldavKids(el, 'comp')[0];
  const comp = compEl ? parseComp(compEl) : null;
  if (comp && comp.name !== 'VCALENDAR') throw badRequest(`the top CALDAV:comp must name VCALENDAR, not ${comp.name}`);
  const expandEl = caldavKids(el, 'expand')[0];
  const limitEl = caldavKids(el, 'limit-recurrence-set')[0];
  if (expandEl && limitEl) throw badRequest('CALDAV:expand and CALDAV:limit-recurrence-set cannot be combined');
  // §9.6.7 limit-freebusy-set only trims VFREEBUSY components, which Calcast does not store:
  // validated, then nothing to do.
  for (const fb of caldavKids(el, 'limit-freebusy-set')) parseRequiredRange(fb);
  return {
    comp,
    expand: expandEl ? parseRequiredRange(expandEl) : null,
    limitRecurrenceSet: limitEl ? parseRequiredRange(limitEl) : null,
  };
}
