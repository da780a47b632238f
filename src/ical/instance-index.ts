import type ICAL from 'ical.js';
import { drain, occurrenceWalk, type Occurrence } from './recurrence.js';
import { MAX_WALK, TooManyInstances } from './instance-limit.js';

const YEAR = 365 * 86_400;

/** A series' instances as [start, end, start, end, …] sorted by start, and its longest instance. */
interface Series {
  spans: Float64Array;
  longest: number;
}
/** Series with more instances than this in the horizon are always expanded afresh. */
const MAX_INSTANCES = 5_000;

/** The horizon's instances, or null when the walk stopped at its bound: a series cut short
 *  is not an index of it. */
function* horizonWalk(root: ICAL.Component, horizon: { from: number; to: number }, zone: string): Generator<void, Occurrence[] | null> {
  try {
    return yield* occurrenceWalk(root, { ...horizon, floatingZone: zone, max: MAX_INSTANCES + 1, maxWalk: MAX_WALK });
  } catch (err) {
    if (err instanceof TooManyInstances) return null;
    throw err;
  }
}

/**
 * Instances of recurring objects, expanded once per object version and kept in memory:
 * a time-range query then tests a series with a binary search instead of walking its rule
 * (ical.js's iterator dominates a one-week query over 10,000 events otherwise). Entries are
 * keyed by ETag and zone, so an edit is simply a new key; the map is an LRU.
 */
export function createInstanceIndex(now: () => number, maxEntries = 20_000) {
  /** By ETag, then zone: an object version's expansions, least recently used first. */
  const entries = new Map<string, Map<string, Series | null>>();
  let horizon = { from: 0, to: 0 };

  const refreshHorizon = () => {
    const t = Math.floor(now() / 1000);
    // Five years each way, moved a year at a time (clearing the cache when it moves).
    if (t - horizon.from > 6 * YEAR || t - horizon.from < 4 * YEAR) {
      horizon = { from: t - 5 * YEAR, to: t + 5 * YEAR };
      entries.clear();
    }
  };

  /** The series if indexed (and marked recently used), else undefined. */
  const indexed = (etag: string, zone: string): Series | null | undefined => {
    const zones = entries.get(etag);
    if (!zones) return undefined;
    entries.delete(etag);
    entries.set(etag, zones);
    return zones.get(zone);
  };

  /** Indexes what a walk found (null: past its bounds, so expanded afresh each time). */
  const keep = (etag: string, zone: string, found: Occurrence[] | null): Series | null => {
    const zones = entries.get(etag);
    let series: Series | null = null;
    if (found && found.length <= MAX_INSTANCES) {
      const spans = new Float64Array(found.length * 2);
      let longest = 0;
      found.forEach((o, i) => {
        spans[2 * i] = o.start;
        spans[2 * i + 1] = o.end;
        longest = Math.max(longest, o.end - o.start);
      });
      series = { spans, longest };
    }
    if (!zones && entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    entries.set(etag, (zones ?? new Map()).set(zone, series));
    return series;
  };

  /** The series, expanded now if `root` is given; undefined when not indexed and no root. */
  const seriesOf = (etag: string, root: (() => ICAL.Component) | null, zone: string): Series | null | undefined => {
    const hit = indexed(etag, zone);
    if (hit !== undefined || !root) return hit;
    return keep(etag, zone, drain(horizonWalk(root(), horizon, zone)));
  };

  /**
   * Whether some instance starting in [from - longest, to] passes `test(start, end)`, or
   * undefined when the index cannot say (the window leaves the horizon, the series is too
   * long, or it is not indexed yet and no `root` was given to expand it): the caller then
   * expands the series itself.
   */
  const someInstance = (
    key: string, root: (() => ICAL.Component) | null, zone: string, from: number, to: number,
    test: (start: number, end: number) => boolean,
  ): boolean | undefined => {
    refreshHorizon();
    const series = seriesOf(key, root, zone);
    if (!series) return undefined;
    const { spans, longest } = series;
    // Beyond the horizon only a match found inside it is an answer.
    const partial = from < horizon.from || to > horizon.to;
    from = Math.max(from, horizon.from);
    to = Math.min(to, horizon.to);
    // Instances are sorted by start: find the first starting after `to`, then look back.
    let lo = 0;
    let hi = spans.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spans[2 * mid]! <= to) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0; i--) {
      const start = spans[2 * i]!;
      // Ends are not sorted; an instance starting before from - longest cannot reach from.
      if (start < from - longest) break;
      if (test(start, spans[2 * i + 1]!)) return true;
    }
    return partial ? undefined : false;
  };

  /** Indexes a series in slices (see occurrenceWalk), for a caller that drives the walk
   *  between other work; then someInstance answers without `root`. */
  function* indexWalk(etag: string, root: () => ICAL.Component, zone: string): Generator<void, void> {
    refreshHorizon();
    if (indexed(etag, zone) !== undefined) return;
    const walked = horizon;
    const found = yield* horizonWalk(root(), walked, zone);
    if (horizon === walked) keep(etag, zone, found); // a horizon moved meanwhile cleared the index
  }

  return {
    someInstance,
    indexWalk,
    /** Frees an object version's expansions once it is replaced or deleted. */
    forget: (etag: string) => void entries.delete(etag),
    /** RFC 4791 §9.9 for VEVENT over [from, to): a zero-length instance matches when it starts inside. */
    eventOverlaps: (key: string, root: (() => ICAL.Component) | null, zone: string, from: number, to: number) =>
      someInstance(key, root, zone, from, to, (start, end) => (end > start ? start < to && end > from : start >= from && start < to)),
  };
}
export type InstanceIndex = ReturnType<typeof createInstanceIndex>;
