import ICAL from 'ical.js';
import { DAY, FLOATING, makeResolver, readProp, type Resolve, type TimeValue } from './instants.js';
import type { CalendarDataSpec, CompSelection, TimeRange } from './query.js';
import type { Occurrence } from './recurrence.js';
import { expansionOf, expansions, parsedOf, type Expansions } from './expansions.js';
import { serializeComponent } from './serialize.js';
import { MAX_WALK, TooManyInstances } from './instance-limit.js';

// A CALDAV:calendar-data request (RFC 4791 §9.6) applied to one stored object: the parts a REPORT
// returns, with recurrences expanded (§9.6.5) or the override set limited (§9.6.6).

type JProp = [string, Record<string, unknown>, string, ...unknown[]];
type JComp = [string, JProp[], JComp[]];

const INSTANCE_KINDS: ReadonlySet<string> = new Set(['vevent', 'vtodo', 'vjournal']);
/** Not part of an expanded instance (§9.6.5: each instance stands alone). */
const RECURRENCE_PROPS: ReadonlySet<string> = new Set(['rrule', 'rdate', 'exdate', 'exrule']);
/** VCALENDAR properties RFC 5545 §3.6 requires: kept whatever the selection, as in RFC 4791 §7.8.1. */
const REQUIRED_CALENDAR_PROPS = ['version', 'prodid'];
const MAX_INSTANCES = 10_000;

// ---- jCal helpers (components are edited as jCal arrays, then serialized once) ----

const isoDate = (wall: number): string => new Date(wall * 1000).toISOString().slice(0, 10);
const utcDateTime = (t: number): string => `${new Date(t * 1000).toISOString().slice(0, 19)}Z`;
const dateWall = (text: string): number => Date.parse(`${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}T00:00:00Z`) / 1000;

function withoutTzid(params: Record<string, unknown>): Record<string, unknown> {
  const { tzid: _tzid, ...rest } = params;
  return rest;
}
/** The property re-valued: a DATE shifted by `shift` seconds of wall time, a DATE-TIME as UTC. */
function retimed(p: JProp, instant: number, shift: number): JProp {
  if (p[2] === 'date') return shift ? [p[0], p[1], 'date', isoDate(Date.parse(String(p[3])) / 1000 + shift)] : p;
  return [p[0], withoutTzid(p[1]), 'date-time', utcDateTime(instant)];
}

/** One expanded instance (§9.6.5): RECURRENCE-ID, DTSTART/DTEND/DUE in UTC (DATE stays DATE),
 *  no RRULE/RDATE/EXDATE; an override keeps its own properties and alarms. */
function instanceOf(occ: Occurrence, masterStart: TimeValue | null, resolve: Resolve): JComp {
  const [name, props, comps] = structuredClone(occ.component.toJSON()) as JComp;
  const isOverride = occ.component.hasProperty('recurrence-id');
  // A master instance of an all-day series: its date is the RECURRENCE-ID's.
  const shift = !isOverride && occ.allDay && occ.recurrenceId && masterStart ? dateWall(occ.recurrenceId) - masterStart.wall : 0;
  const out: JProp[] = [];
  for (const p of props) {
    if (RECURRENCE_PROPS.has(p[0])) continue;
    if (p[0] === 'dtstart') {
      out.push(retimed(p, occ.start, shift));
      if (!isOverride && occ.recurrenceId) {
        out.push(occ.allDay
          ? ['recurrence-id', {}, 'date', isoDate(dateWall(occ.recurrenceId))]
          : ['recurrence-id', {}, 'date-time', utcDateTime(occ.start)]);
      }
    } else if (p[0] === 'dtend' || p[0] === 'due') {
      out.push(retimed(p, occ.end, shift));
    } else if (p[0] === 'recurrence-id' && p[2] !== 'date') {
      // RFC 5545 §3.8.4.4: an override's RECURRENCE-ID is in the master's zone when it has no TZID.
      const rid = readProp(occ.component, 'recurrence-id', masterStart?.anchor ?? FLOATING);
      out.push(rid ? retimed(p, resolve(rid.anchor, rid.wall), 0) : p);
    } else out.push(p);
  }
  return [name, out, comps];
}

function expandObject(root: ICAL.Component, range: TimeRange, zone: string, max: number, x: Expansions): JComp {
  const [name, props, comps] = root.toJSON() as JComp;
  if (!comps.some((c) => INSTANCE_KINDS.has(c[0]))) return [name, props, comps]; // VAVAILABILITY…: no instances
  const resolve = makeResolver(root, zone);
  const master = root.getAllSubcomponents().find((c) => INSTANCE_KINDS.has(c.name) && !c.hasProperty('recurrence-id'));
  const masterStart = master ? readProp(master, 'dtstart') : null;
  const instances = expansionOf(x, root, { from: range.start ?? -Infinity, to: range.end ?? Infinity, floatingZone: zone, max: max + 1, maxWalk: MAX_WALK });
  if (instances.length > max) throw new TooManyInstances(max);
  // VTIMEZONEs go: every time left is UTC or floating DATE.
  return [name, props, instances.map((o) => instanceOf(o, masterStart, resolve))];
}

/** Seconds from DTSTART to DTEND/DUE (or DURATION); all-day without end = 1 day (RFC 5545 §3.6.1). */
function masterLength(master: ICAL.Component, resolve: Resolve): number {
  const s = readProp(master, 'dtstart');
  if (!s) return 0;
  const e = readProp(master, master.name === 'vtodo' ? 'due' : 'dtend');
  if (e) return Math.max(0, resolve(e.anchor, e.wall) - resolve(s.anchor, s.wall));
  const d = master.getFirstPropertyValue('duration');
  if (d instanceof ICAL.Duration) return Math.max(0, d.toSeconds());
  return s.isDate && master.name !== 'vtodo' ? DAY : 0;
}

/** §9.6.6: the master and only the overrides that impact the range — by their current times or
 *  by the original ones (RECURRENCE-ID plus the master's length). */
function limitObject(root: ICAL.Component, range: TimeRange, zone: string, max: number, x: Expansions): JComp {
  const [name, props, comps] = root.toJSON() as JComp;
  const from = range.start ?? -Infinity;
  const to = range.end ?? Infinity;
  const found = expansionOf(x, root, { from, to, floatingZone: zone, max: max + 1, maxWalk: MAX_WALK });
  if (found.length > max) throw new TooManyInstances(max);
  const current = new Set(found.map((o) => o.component));
  const resolve = makeResolver(root, zone);
  const subs = root.getAllSubcomponents();
  const master = subs.find((c) => INSTANCE_KINDS.has(c.name) && !c.hasProperty('recurrence-id'));
  const anchor = (master && readProp(master, 'dtstart')?.anchor) || FLOATING;
  const length = master ? masterLength(master, resolve) : 0;
  const impacts = (c: ICAL.Component): boolean => {
    if (current.has(c)) return true;
    const rid = readProp(c, 'recurrence-id', anchor);
    if (!rid) return false;
    const at = resolve(rid.anchor, rid.wall);
    return length > 0 ? at < to && at + length > from : from <= at && at < to;
  };
  const kept = comps.filter((_, i) => {
    const c = subs[i];
    return !c || !INSTANCE_KINDS.has(c.name) || !c.hasProperty('recurrence-id') || impacts(c);
  });
  return [name, props, kept];
}

/** §9.6.1–§9.6.4: only the named components and properties. */
function select(j: JComp, sel: CompSelection, isRoot: boolean): JComp {
  const [name, props, comps] = j;
  const keep = sel.allProps ? null : new Set([...sel.props.map((p) => p.toLowerCase()), ...(isRoot ? REQUIRED_CALENDAR_PROPS : [])]);
  const byName = new Map(sel.comps.map((c) => [c.name.toLowerCase(), c]));
  return [
    name,
    keep ? props.filter((p) => keep.has(p[0])) : props,
    sel.allComps ? comps : comps.flatMap((c) => {
      const s = byName.get(c[0]);
      return s ? [select(c, s, false)] : [];
    }),
  ];
}

/** A spec that asks for the object as it is: no selection, no expansion. */
export const isWholeObject = (spec: CalendarDataSpec): boolean => !spec.comp && !spec.expand && !spec.limitRecurrenceSet;

/**
 * Applies the spec to a stored object's text; an all-null spec returns `text` itself, unparsed.
 * Throws TooManyInstances when expand or limit-recurrence-set would pass `max` instances.
 * Parses and expansions come from `x` (deferred by an async caller, see expansions.ts).
 */
export function renderCalendarData(text: string, spec: CalendarDataSpec, zone: string, max = MAX_INSTANCES, x = expansions(false)): string {
  if (isWholeObject(spec)) return text;
  const root = parsedOf(x, text);
  let j: JComp;
  if (spec.expand) j = expandObject(root, spec.expand, zone, max, x);
  else if (spec.limitRecurrenceSet) j = limitObject(root, spec.limitRecurrenceSet, zone, max, x);
  else j = root.toJSON() as JComp;
  if (spec.comp) j = select(j, spec.comp, true);
  return serializeComponent(new ICAL.Component(j as never));
}
