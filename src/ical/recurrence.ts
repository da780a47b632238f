import ICAL from 'ical.js';
import { DAY, formatValue, makeResolver, readProp, type Resolve } from './instants.js';
import { masterSet, rdateSpan, shapeOf, spanAt, type Kind, type MasterSet, type Span } from './recurrence-set.js';
import { PAUSE, WalkTooLong, periodOf, ruleSteps, ruleWalls, untilPredicate, untilWall } from './rule-walls.js';
import { overlapsRange } from './overlaps.js';
import type { Occurrence } from './occurrence.js';
import { walkRefused } from './instance-limit.js';

// Occurrences and time bounds of one stored calendar object, as instants (unix seconds).

export { overlapsRange };
export type { Kind, Occurrence };

export interface Bounds { firstStart: number; lastEnd: number; recurring: boolean }

/** 9999-12-31T23:59:59Z: the upper bound of unbounded rules (no 2038 cap). */
export const FOREVER = 253_402_300_799;
/** 0001-01-01T00:00:00Z: the lower bound of a VTODO without dates. */
export const BEGINNING = -62_135_596_800;

/** Walks longer than this give up on tightness and fall back to safe wide bounds. */
const SCAN_CAP = 20_000;

interface Model {
  kind: Kind;
  resolve: Resolve;
  master: ICAL.Component | null;
  overrides: ICAL.Component[];
}

function load(vcalendar: ICAL.Component, floatingZone: string): Model | null {
  const comps = vcalendar.name === 'vcalendar' ? vcalendar.getAllSubcomponents() : [vcalendar];
  let kind: Kind | null = null;
  let master: ICAL.Component | null = null;
  const overrides: ICAL.Component[] = [];
  for (const c of comps) {
    const name = c.name.toUpperCase();
    if (name !== 'VEVENT' && name !== 'VTODO' && name !== 'VJOURNAL') continue;
    if (kind !== null && name !== kind) continue; // one component type per object (RFC 4791 §4.1)
    kind = name;
    if (c.hasProperty('recurrence-id')) overrides.push(c);
    else master ??= c;
  }
  return kind ? { kind, resolve: makeResolver(vcalendar, floatingZone), master, overrides } : null;
}

/** Extent of one rule's accepted instances; a rule too costly to walk gets safe wide bounds. */
function ruleExtent(set: MasterSet, rule: ICAL.Recur, resolve: Resolve, take: (s: Span) => void): void {
  try {
    walkExtent(set, rule, resolve, take);
  } catch (err) {
    if (!(err instanceof WalkTooLong)) throw err;
    take({ start: resolve(set.shape.start.anchor, set.shape.start.wall) - DAY, end: FOREVER });
  }
}

/** Extent of one rule's accepted instances; walks only the head and the tail where it can. */
function walkExtent(set: MasterSet, rule: ICAL.Recur, resolve: Resolve, take: (s: Span) => void): void {
  const start = set.shape.start;
  const untilOk = untilPredicate(rule, start, resolve);
  let n = 0;
  let found = false;
  for (const wall of ruleWalls(rule, start, untilOk)) {
    if (++n > SCAN_CAP) {
      if (!found) take({ start: resolve(start.anchor, start.wall) - DAY, end: FOREVER });
      take({ start: FOREVER, end: FOREVER });
      return;
    }
    const span = set.accept(wall);
    if (!span) continue;
    take(span);
    found = true;
    if (!rule.count) break; // unbounded or UNTIL: the head is enough, the tail follows
  }
  if (!found || rule.count) return; // COUNT rules were walked to the end above
  const until = untilWall(rule);
  if (until === null) return take({ start: FOREVER, end: FOREVER });
  // UNTIL: fast-forward to the last periods before UNTIL; if they are all excluded, walk it all.
  for (const skipTo of [until - periodOf(rule) - 2 * DAY, undefined]) {
    let tailFound = false;
    n = 0;
    for (const wall of ruleWalls(rule, start, untilOk, skipTo)) {
      if (++n > SCAN_CAP) return take({ start: FOREVER, end: FOREVER });
      const span = set.accept(wall);
      if (span) { take(span); tailFound = true; }
    }
    if (tailFound) return;
  }
}

function overrideSpan(m: Model, o: ICAL.Component): Span | null {
  const shape = shapeOf(o, m.kind, m.resolve);
  if (shape === 'none') return null;
  return shape === 'open' ? { start: BEGINNING, end: FOREVER } : spanAt(shape, shape.start.wall, m.resolve);
}

/** Tight bounds over every instance, overrides included (a moved instance may lie outside the rule). */
export function objectBounds(vcalendar: ICAL.Component, floatingZone: string): Bounds {
  const m = load(vcalendar, floatingZone);
  // Other component types (VAVAILABILITY…) are never dropped by a prefilter.
  if (!m) return { firstStart: BEGINNING, lastEnd: FOREVER, recurring: false };
  let lo = Infinity;
  let hi = -Infinity;
  const take = (s: Span): void => { lo = Math.min(lo, s.start); hi = Math.max(hi, s.end); };
  let recurring = m.overrides.length > 0;
  for (const o of m.overrides) {
    const span = overrideSpan(m, o);
    if (span) take(span);
  }
  const shape = m.master ? shapeOf(m.master, m.kind, m.resolve) : 'none';
  if (shape === 'open') take({ start: BEGINNING, end: FOREVER });
  else if (m.master && shape !== 'none') {
    const set = masterSet(m.master, shape, m.overrides, m.resolve);
    recurring ||= set.rules.length > 0 || set.rdates.length > 0;
    if (set.rules.length === 0) {
      const span = set.accept(shape.start.wall);
      if (span) take(span);
    }
    for (const rule of set.rules) ruleExtent(set, rule, m.resolve, take);
    for (const r of set.rdates) {
      const span = rdateSpan(set, r, m.resolve);
      if (span) take(span);
    }
  }
  // No instance at all (VJOURNAL without DTSTART, everything excluded): an empty extent at the
  // lowest sentinel, so `last_end > from` never matches.
  if (lo === Infinity) return { firstStart: BEGINNING, lastEnd: BEGINNING, recurring };
  return { firstStart: lo, lastEnd: Math.min(FOREVER, hi), recurring };
}

export interface WalkOptions { from: number; to: number; floatingZone: string; max?: number; maxWalk?: number }

/** Walls walked between two pauses of `occurrenceWalk`. */
const PAUSE_WALLS = 64;

/** Instances overlapping [from, to) per RFC 4791 §9.9, in start order, at most `max`.
 *  With `maxWalk`, throws TooManyInstances once one rule walks more values than that, or more
 *  iterator steps than MAX_STEPS; without, such a rule gives the instances found before. */
export function occurrences(vcalendar: ICAL.Component, opts: WalkOptions): Occurrence[] {
  return drain(occurrenceWalk(vcalendar, opts));
}

/** Runs a sliced walk to its end at once. */
export function drain<T>(walk: Generator<void, T>): T {
  for (;;) {
    const step = walk.next();
    if (step.done) return step.value;
  }
}

/** `occurrences` in slices: yields between slices of work, so an async caller can let other
 *  requests run during a long expansion; returns the instances. */
export function* occurrenceWalk(vcalendar: ICAL.Component, opts: WalkOptions): Generator<void, Occurrence[]> {
  const { from, to, floatingZone, max = 10_000, maxWalk } = opts;
  const m = load(vcalendar, floatingZone);
  if (!m || max <= 0) return [];
  const out: Occurrence[] = [];
  const consider = (occ: Occurrence): boolean => overlapsRange(m.kind, occ, from, to) && out.push(occ) > 0;
  for (const o of m.overrides) {
    const span = overrideSpan(m, o);
    const rid = readProp(o, 'recurrence-id');
    const allDay = readProp(o, 'dtstart')?.isDate ?? false;
    const ridText = rid ? formatValue(rid.wall, rid.isDate, rid.anchor.kind === 'utc') : null;
    if (span) consider({ ...span, allDay, recurrenceId: ridText, component: o });
  }
  const master = m.master;
  const shape = master ? shapeOf(master, m.kind, m.resolve) : 'none';
  if (master && shape === 'open') {
    consider({ start: BEGINNING, end: FOREVER, allDay: false, recurrenceId: null, component: master });
  } else if (master && shape !== 'none' && shape !== 'open') {
    const set = masterSet(master, shape, m.overrides, m.resolve);
    const recurring = m.overrides.length > 0 || set.rules.length > 0 || set.rdates.length > 0;
    const { wall: startWall, isDate, anchor } = shape.start;
    const reach = Math.max(0, shape.length.days * DAY + shape.length.secs);
    // Wall and instant differ by < 2 days; for a UTC start they are equal, and a narrow margin
    // keeps a FREQ=SECONDLY rule from walking four days of seconds around every window.
    const slack = anchor.kind === 'utc' ? 60 : 2 * DAY;
    const skipTo = from - reach - slack;
    const seen = new Set<number>();
    const sources = set.rules.length
      ? set.rules.map((r) => ruleSteps(r, shape.start, untilPredicate(r, shape.start, m.resolve), skipTo, to + slack))
      : [[startWall]];
    for (const walls of sources) {
      let matched = 0;
      let walked = 0;
      try {
        for (const wall of walls) {
          if (wall === PAUSE) {
            yield;
            continue;
          }
          if (wall >= to + slack || matched >= max) break;
          if (++walked > (maxWalk ?? Infinity)) throw walkRefused(max);
          if (walked % PAUSE_WALLS === 0) yield;
          const span = set.accept(wall);
          if (!span || seen.has(span.start)) continue;
          seen.add(span.start);
          const occ: Occurrence = { ...span, allDay: isDate, recurrenceId: null, component: master };
          if (!consider(occ)) continue;
          // Formatted only for instances kept: most walked ones fall outside the window.
          if (recurring) occ.recurrenceId = formatValue(wall, isDate, anchor.kind === 'utc');
          matched++;
        }
      } catch (err) {
        if (!(err instanceof WalkTooLong)) throw err;
        if (maxWalk !== undefined) throw walkRefused(max);
      }
    }
    for (const r of set.rdates) {
      const span = rdateSpan(set, r, m.resolve);
      if (!span || seen.has(span.start)) continue;
      seen.add(span.start);
      const recurrenceId = formatValue(r.value.wall, r.value.isDate, r.value.anchor.kind === 'utc');
      consider({ ...span, allDay: r.value.isDate, recurrenceId, component: master });
    }
  }
  out.sort((a, b) => a.start - b.start || a.end - b.end);
  return out.length > max ? out.slice(0, max) : out;
}
