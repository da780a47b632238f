import { HttpError } from '../errors.js';
import { CALDAV, clark } from '../xml/namespaces.js';
import type { XmlElement } from '../xml/parse.js';
import { COLLATIONS, parseUtcTime, type CompFilter, type ParamFilter, type PropFilter, type TextMatch, type TimeRange } from '../ical/query.js';

// CALDAV:filter (RFC 4791 §9.7) parsed from XML into the query model of ical/query.ts.

/** Where RFC 4791 §9.9 (and RFC 7953 §7.2.2 for VAVAILABILITY) defines a component time-range:
 *  component → the parents it may appear under. */
const TIME_RANGE_PARENTS: Readonly<Record<string, readonly string[]>> = {
  VEVENT: ['VCALENDAR'], VTODO: ['VCALENDAR'], VJOURNAL: ['VCALENDAR'], VFREEBUSY: ['VCALENDAR'],
  VAVAILABILITY: ['VCALENDAR'], VALARM: ['VEVENT', 'VTODO'],
};
/** Time-ranges the RFCs define but Calcast does not evaluate: refused with supported-filter. */
const UNSUPPORTED_TIME_RANGE: ReadonlySet<string> = new Set(['AVAILABLE']);

const invalidFilter = (msg: string): HttpError =>
  new HttpError(403, 'FORBIDDEN', msg, { precondition: clark(CALDAV, 'valid-filter') });
const unsupportedFilter = (msg: string): HttpError =>
  new HttpError(403, 'FORBIDDEN', msg, { precondition: clark(CALDAV, 'supported-filter') });

/**
 * A time-range element (RFC 4791 §9.9): at least one attribute, start < end. A malformed value is
 * an invalid filter (403 valid-filter); an empty or inverted range is a 400 with the same
 * precondition element, so clients still see which part of the request was wrong.
 */
export function parseTimeRange(el: XmlElement, what = 'time-range'): TimeRange {
  const read = (attr: 'start' | 'end'): number | null => {
    const raw = el.attrs[attr];
    if (raw === undefined) return null;
    const t = parseUtcTime(raw);
    if (t === null) throw invalidFilter(`${what} ${attr}="${raw}" is not a UTC date-time like 20060104T000000Z`);
    return t;
  };
  const start = read('start');
  const end = read('end');
  const precondition = clark(CALDAV, 'valid-filter');
  if (start === null && end === null) {
    throw new HttpError(400, 'INVALID_TIME_RANGE', `${what} needs a start or an end attribute`, { precondition });
  }
  if (start !== null && end !== null && start >= end) {
    throw new HttpError(400, 'INVALID_TIME_RANGE', `${what} start must be before its end`, { precondition });
  }
  return { start, end };
}

/** CALDAV children only: elements of other namespaces are ignored (RFC 4918 §17 extensibility). */
function caldavChildren(el: XmlElement, where: string, allowed: readonly string[]): XmlElement[] {
  const out = el.children.filter((c) => c.ns === CALDAV);
  for (const c of out) {
    if (!allowed.includes(c.local)) throw invalidFilter(`CALDAV:${c.local} is not allowed in ${where}`);
  }
  return out;
}

function nameOf(el: XmlElement): string {
  const name = el.attrs.name?.trim();
  if (!name) throw invalidFilter(`CALDAV:${el.local} needs a name attribute`);
  return name.toUpperCase();
}

/** At most one element of a kind, and is-not-defined alone (the RFC 4791 §9.7.1–§9.7.3 DTDs). */
function single(kids: XmlElement[], local: string, where: string): XmlElement | null {
  const found = kids.filter((c) => c.local === local);
  if (found.length > 1) throw invalidFilter(`${where} holds more than one CALDAV:${local}`);
  return found[0] ?? null;
}
function checkNotDefined(kids: XmlElement[], where: string): boolean {
  const isNotDefined = single(kids, 'is-not-defined', where) !== null;
  if (isNotDefined && kids.length > 1) throw invalidFilter(`${where}: is-not-defined cannot be combined with other tests`);
  return isNotDefined;
}

/** RFC 4791 §9.7.5: text-match, default collation i;ascii-casemap. */
function parseTextMatch(el: XmlElement): TextMatch {
  const collation = el.attrs.collation?.trim() || 'i;ascii-casemap';
  if (!COLLATIONS.has(collation)) {
    throw new HttpError(403, 'FORBIDDEN', `collation "${collation}" is not supported (i;ascii-casemap, i;octet, i;unicode-casemap are)`,
      { precondition: clark(CALDAV, 'supported-collation') });
  }
  const negateRaw = (el.attrs['negate-condition'] ?? 'no').trim();
  if (negateRaw !== 'yes' && negateRaw !== 'no') throw invalidFilter(`negate-condition must be "yes" or "no", not "${negateRaw}"`);
  // Surrounding whitespace is XML indentation, not part of the needle.
  return { value: el.text.trim(), collation: collation as TextMatch['collation'], negate: negateRaw === 'yes' };
}

function parseParamFilter(el: XmlElement): ParamFilter {
  const name = nameOf(el);
  const where = `param-filter ${name}`;
  const kids = caldavChildren(el, where, ['is-not-defined', 'text-match']);
  const isNotDefined = checkNotDefined(kids, where);
  const tm = single(kids, 'text-match', where);
  return { name, isNotDefined, textMatch: tm ? parseTextMatch(tm) : null };
}

function parsePropFilter(el: XmlElement): PropFilter {
  const name = nameOf(el);
  const where = `prop-filter ${name}`;
  const kids = caldavChildren(el, where, ['is-not-defined', 'time-range', 'text-match', 'param-filter']);
  const isNotDefined = checkNotDefined(kids, where);
  const tr = single(kids, 'time-range', where);
  const tm = single(kids, 'text-match', where);
  if (tr && tm) throw invalidFilter(`${where} holds both a time-range and a text-match`);
  return {
    name, isNotDefined,
    timeRange: tr ? parseTimeRange(tr, `${where} time-range`) : null,
    textMatch: tm ? parseTextMatch(tm) : null,
    paramFilters: kids.filter((c) => c.local === 'param-filter').map(parseParamFilter),
  };
}

function parseCompFilter(el: XmlElement, parent: string | null): CompFilter {
  const name = nameOf(el);
  const where = `comp-filter ${name}`;
  const kids = caldavChildren(el, where, ['is-not-defined', 'time-range', 'prop-filter', 'comp-filter']);
  const isNotDefined = checkNotDefined(kids, where);
  const tr = single(kids, 'time-range', where);
  if (tr) {
    if (UNSUPPORTED_TIME_RANGE.has(name)) throw unsupportedFilter(`a time-range on ${name} is not supported`);
    // Liberal in what we accept: RFC 4791 §9.9 defines no time-range on VCALENDAR, but python
    // caldav's search(start, end) with no component type sends one there (Radicale answers it).
    // It is read as "some VEVENT, VTODO or VJOURNAL in range" (ical/filter-match.ts).
    const rootRange = !parent && name === 'VCALENDAR';
    if (!rootRange && (!parent || !TIME_RANGE_PARENTS[name]?.includes(parent))) {
      throw invalidFilter(`a time-range is not defined on ${name}${parent ? ` inside ${parent}` : ''} (RFC 4791 §9.9)`);
    }
  }
  return {
    name, isNotDefined,
    timeRange: tr ? parseTimeRange(tr, `${where} time-range`) : null,
    propFilters: kids.filter((c) => c.local === 'prop-filter').map(parsePropFilter),
    compFilters: kids.filter((c) => c.local === 'comp-filter').map((c) => parseCompFilter(c, name)),
  };
}

/** The CALDAV:filter element → its root comp-filter, which must name VCALENDAR (RFC 4791 §9.7). */
export function parseFilter(filter: XmlElement): CompFilter {
  if (filter.ns !== CALDAV || filter.local !== 'filter') throw invalidFilter('expected a CALDAV:filter element');
  const kids = caldavChildren(filter, 'filter', ['comp-filter']);
  if (kids.length !== 1) throw invalidFilter('CALDAV:filter must hold exactly one comp-filter');
  const root = parseCompFilter(kids[0] as XmlElement, null);
  if (root.name !== 'VCALENDAR') throw invalidFilter(`the top comp-filter must name VCALENDAR, not ${root.name}`);
  return root;
}
