import ICAL from 'ical.js';
import type { CompFilter, ParamFilter, PropFilter, TextMatch, TimeRange } from './query.js';
import { makeResolver, readTime, type Resolve } from './instants.js';
import type { Occurrence } from './recurrence.js';
import { expansionOf, expansions, type Expansions } from './expansions.js';
import { MAX_WALK } from './instance-limit.js';

// RFC 4791 §9.7 filter evaluation against one stored object (a VCALENDAR: master + overrides).
// Time-ranges use RFC 4791 §9.9 through `occurrences` (recurrence expansion with overrides);
// VFREEBUSY follows §9.9's table, VAVAILABILITY RFC 7953 §7.2.2. AVAILABLE time-ranges are refused
// at parse time (dav/filter.ts).

/** Per-call state: the resolver and the expansions, computed once per object and window. */
interface Ctx {
  root: ICAL.Component;
  zone: string;
  resolver: Resolve | null;
  expansions: Expansions;
}

const INSTANCE_KINDS: ReadonlySet<string> = new Set(['VEVENT', 'VTODO', 'VJOURNAL']);
/** Enough instances to see every component of an object in a window (overrides are never capped). */
const MAX_INSTANCES = 10_000;
/** REPEAT beyond this is treated as this many (RFC 5545 §3.8.6.2 gives no bound). */
const MAX_REPEAT = 1000;

const resolverOf = (ctx: Ctx): Resolve => (ctx.resolver ??= makeResolver(ctx.root, ctx.zone));
const lo = (r: TimeRange): number => r.start ?? -Infinity;
const hi = (r: TimeRange): number => r.end ?? Infinity;

const expand = (ctx: Ctx, from: number, to: number, max: number): Occurrence[] =>
  expansionOf(ctx.expansions, ctx.root, { from, to, floatingZone: ctx.zone, max, maxWalk: MAX_WALK });

// ---- text-match (RFC 4791 §9.7.5, RFC 4790 §9.2–§9.3, RFC 5051) ----

const ASCII_LOWER = /[a-z]+/g;
/** i;ascii-casemap folds a–z only: 'é' and 'ß' compare octet by octet. */
const asciiUpper = (s: string): string => s.replace(ASCII_LOWER, (m) => m.toUpperCase());
/** i;unicode-casemap (RFC 5051 §2): case-map then NFKD. JS upper-casing uses the full mappings
 *  (ß → SS) where RFC 5051 uses simple titlecase: slightly more lenient, never stricter. */
const unicodeFold = (s: string): string => s.normalize('NFKD').toUpperCase().normalize('NFKD');
const FOLD: Record<TextMatch['collation'], (s: string) => string> = {
  'i;octet': (s) => s,
  'i;ascii-casemap': asciiUpper,
  'i;unicode-casemap': unicodeFold,
};
const needles = new WeakMap<TextMatch, string>();

/** Substring match of any of the values under the collation, then negate-condition. */
function textMatches(tm: TextMatch, values: readonly string[]): boolean {
  const fold = FOLD[tm.collation];
  let needle = needles.get(tm);
  if (needle === undefined) needles.set(tm, (needle = fold(tm.value)));
  const found = values.some((v) => fold(v).includes(needle));
  return found !== tm.negate;
}

/** A property's values as text: TEXT unescaped, others in their iCalendar form (RFC 5545 §3.3). */
function valueTexts(prop: ICAL.Property): string[] {
  return prop.getValues().map((v: unknown) => {
    if (typeof v === 'string') return v;
    const ical = (v as { toICALString?: () => string } | null)?.toICALString;
    return ical ? ical.call(v) : String(v);
  });
}

// ---- param-filter / prop-filter (RFC 4791 §9.7.2, §9.7.3) ----

function paramMatches(prop: ICAL.Property, f: ParamFilter): boolean {
  const raw = prop.getParameter(f.name.toLowerCase()) as string | string[] | undefined;
  if (f.isNotDefined) return raw === undefined;
  if (raw === undefined) return false;
  return f.textMatch ? textMatches(f.textMatch, Array.isArray(raw) ? raw : [raw]) : true;
}

/** RFC 4791 §9.9 for properties: a DATE-TIME value is a point (start <= value < end); a DATE covers
 *  its whole day in the calendar's zone. Multi-valued properties (EXDATE, RDATE) match on any value. */
function propInRange(ctx: Ctx, prop: ICAL.Property, range: TimeRange): boolean {
  const tzid = prop.getParameter('tzid');
  for (const v of prop.getValues()) {
    const t = v instanceof ICAL.Period ? v.start : v;
    if (!(t instanceof ICAL.Time)) continue;
    const tv = readTime(t, tzid);
    const at = resolverOf(ctx)(tv.anchor, tv.wall);
    if (tv.isDate) {
      const next = resolverOf(ctx)(tv.anchor, tv.wall + 86_400);
      if (lo(range) < next && hi(range) > at) return true;
    } else if (lo(range) <= at && at < hi(range)) return true;
  }
  return false;
}

/** Matches when one property of the name passes the time-range/text-match and all param-filters. */
function propFilterMatches(ctx: Ctx, comp: ICAL.Component, f: PropFilter): boolean {
  const props = comp.getAllProperties(f.name.toLowerCase());
  if (f.isNotDefined) return props.length === 0;
  return props.some((p) =>
    (!f.timeRange || propInRange(ctx, p, f.timeRange))
    && (!f.textMatch || textMatches(f.textMatch, valueTexts(p)))
    && f.paramFilters.every((pf) => paramMatches(p, pf)));
}

// ---- component time-ranges (RFC 4791 §9.9) ----

/** The instant of a DATE-TIME property of the component, or null when it has none. */
function instantOf(ctx: Ctx, c: ICAL.Component, name: string): number | null {
  const p = c.getFirstProperty(name);
  const v = p?.getFirstValue();
  if (!p || !(v instanceof ICAL.Time)) return null;
  const tv = readTime(v, p.getParameter('tzid'));
  return resolverOf(ctx)(tv.anchor, tv.wall);
}

/** VFREEBUSY: DTSTART+DTEND → (start <= DTEND) AND (end > DTSTART); else any FREEBUSY period
 *  overlapping; else FALSE. */
function freeBusyInRange(ctx: Ctx, c: ICAL.Component, r: TimeRange): boolean {
  const s = instantOf(ctx, c, 'dtstart');
  const e = instantOf(ctx, c, 'dtend');
  if (s !== null && e !== null) return lo(r) <= e && hi(r) > s;
  for (const p of c.getAllProperties('freebusy')) {
    for (const v of p.getValues()) {
      if (!(v instanceof ICAL.Period)) continue;
      const ps = v.start.toUnixTime();
      const pe = v.end ? v.end.toUnixTime() : ps + (v.duration?.toSeconds() ?? 0);
      if (lo(r) < pe && hi(r) > ps) return true;
    }
  }
  return false;
}

/** VAVAILABILITY (RFC 7953 §7.2.2): (start < end-of-availability) AND (end > DTSTART), a missing
 *  DTSTART being -infinity and a missing DTEND/DURATION +infinity. */
function availabilityInRange(ctx: Ctx, c: ICAL.Component, r: TimeRange): boolean {
  const s = instantOf(ctx, c, 'dtstart');
  const dur = c.getFirstPropertyValue('duration');
  const e = instantOf(ctx, c, 'dtend') ?? (s !== null && dur instanceof ICAL.Duration ? s + dur.toSeconds() : null);
  return lo(r) < (e ?? Infinity) && hi(r) > (s ?? -Infinity);
}

interface Trigger { related: 'START' | 'END' | null; offset: number; repeat: number; every: number }

/** TRIGGER (RFC 5545 §3.8.6.3) with REPEAT/DURATION (§3.8.6.2); absolute triggers have related=null
 *  and the instant as offset. Nominal days in a duration count as 24 h. */
function triggerOf(ctx: Ctx, alarm: ICAL.Component): Trigger | null {
  const p = alarm.getFirstProperty('trigger');
  const v = p?.getFirstValue();
  const repeatRaw = Number(alarm.getFirstPropertyValue('repeat') ?? 0);
  const every = alarm.getFirstPropertyValue('duration');
  const rep = every instanceof ICAL.Duration && Number.isFinite(repeatRaw) ? Math.min(MAX_REPEAT, Math.max(0, repeatRaw)) : 0;
  const base = { repeat: rep, every: rep && every instanceof ICAL.Duration ? every.toSeconds() : 0 };
  if (v instanceof ICAL.Duration) {
    const related = String(p?.getParameter('related') ?? 'START').toUpperCase() === 'END' ? 'END' : 'START';
    return { related, offset: v.toSeconds(), ...base };
  }
  if (v instanceof ICAL.Time) {
    const tv = readTime(v, p?.getParameter('tzid'));
    return { related: null, offset: resolverOf(ctx)(tv.anchor, tv.wall), ...base };
  }
  return null;
}

const anyFires = (t: Trigger, first: number, r: TimeRange): boolean => {
  for (let k = 0; k <= t.repeat; k++) {
    const at = first + k * t.every;
    if (lo(r) <= at && at < hi(r)) return true; // (start <= trigger-time) AND (end > trigger-time)
  }
  return false;
};

/** VALARM: any trigger of the alarm, for any instance of its parent (`parent` is the master or
 *  an override: each instance carries the alarms of the component it comes from). */
function alarmInRange(ctx: Ctx, parent: ICAL.Component, alarm: ICAL.Component, r: TimeRange): boolean {
  const t = triggerOf(ctx, alarm);
  if (!t) return false;
  if (t.related === null) return anyFires(t, t.offset, r);
  if (!parent.hasProperty('dtstart') && !parent.hasProperty('due')) return false; // no instant to relate to
  // Instances whose trigger can land in [start, end): widen the window by the offset and the repeats.
  const reach = Math.abs(t.offset) + t.repeat * Math.abs(t.every) + 1;
  for (const occ of expand(ctx, lo(r) - reach, hi(r) + reach, MAX_INSTANCES)) {
    if (occ.component !== parent) continue;
    if (anyFires(t, (t.related === 'END' ? occ.end : occ.start) + t.offset, r)) return true;
  }
  return false;
}

// ---- comp-filter (RFC 4791 §9.7.1) ----

/** Prop-filters and nested comp-filters of one candidate component, all ANDed. */
function bodyMatches(ctx: Ctx, comp: ICAL.Component, f: CompFilter): boolean {
  return f.propFilters.every((pf) => propFilterMatches(ctx, comp, pf))
    && f.compFilters.every((cf) => compFilterMatches(ctx, comp, cf));
}

/** `f` evaluated in the scope of `parent`: some component of that name matches (master OR override). */
function compFilterMatches(ctx: Ctx, parent: ICAL.Component, f: CompFilter): boolean {
  const candidates = parent.getAllSubcomponents(f.name.toLowerCase());
  if (f.isNotDefined) return candidates.length === 0;
  const r = f.timeRange;
  if (r && f.name === 'VALARM') return candidates.some((a) => alarmInRange(ctx, parent, a, r) && bodyMatches(ctx, a, f));
  if (r && f.name === 'VFREEBUSY') return candidates.some((c) => freeBusyInRange(ctx, c, r) && bodyMatches(ctx, c, f));
  if (r && f.name === 'VAVAILABILITY') return candidates.some((c) => availabilityInRange(ctx, c, r) && bodyMatches(ctx, c, f));
  const passing = candidates.filter((c) => bodyMatches(ctx, c, f));
  if (!r || passing.length === 0) return passing.length > 0;
  if (!INSTANCE_KINDS.has(f.name) || parent !== ctx.root) return false; // parse refuses these
  // The whole object is expanded once (overrides replace instances, EXDATEs remove them); the
  // filter matches when an instance in range comes from a component that passed the other tests.
  // When every component passed, any one instance decides: stop at the first.
  const all = passing.length === candidates.length;
  const instances = expand(ctx, lo(r), hi(r), all ? 1 : MAX_INSTANCES);
  return all ? instances.length > 0 : instances.some((o) => passing.includes(o.component));
}

function inRange(name: string, timeRange: TimeRange): CompFilter {
  return { name, isNotDefined: false, timeRange, propFilters: [], compFilters: [] };
}

/** Whether a stored object matches a parsed CALDAV:filter; `zone` anchors floating times (§7.3).
 *  Expansions come from `x` (deferred by an async caller, see expansions.ts). */
export function matchesFilter(vcalendar: ICAL.Component, filter: CompFilter, zone: string, x = expansions(false)): boolean {
  if (vcalendar.name.toUpperCase() !== filter.name) return filter.isNotDefined;
  if (filter.isNotDefined) return false;
  const ctx: Ctx = { root: vcalendar, zone, resolver: null, expansions: x };
  const r = filter.timeRange;
  // A time-range on VCALENDAR itself (accepted from clients that search without a type):
  // the object matches when a component of any instance kind is in range.
  if (r && ![...INSTANCE_KINDS].some((name) => compFilterMatches(ctx, vcalendar, inRange(name, r)))) return false;
  return bodyMatches(ctx, vcalendar, filter);
}
