import type ICAL from 'ical.js';
import type { InstanceIndex } from '../ical/instance-index.js';
import { FOREVER, BEGINNING, occurrences, type Occurrence } from '../ical/recurrence.js';

/** The API's time filters, unix seconds, all inclusive (seed 002). */
export interface TimeFilter {
  startAfter?: number;
  startBefore?: number;
  endAfter?: number;
  endBefore?: number;
}

export function hasTimeFilter(f: TimeFilter): boolean {
  return f.startAfter !== undefined || f.startBefore !== undefined || f.endAfter !== undefined || f.endBefore !== undefined;
}

function matches(o: { start: number; end: number }, f: TimeFilter): boolean {
  return (f.startAfter === undefined || o.start >= f.startAfter)
    && (f.startBefore === undefined || o.start <= f.startBefore)
    && (f.endAfter === undefined || o.end >= f.endAfter)
    && (f.endBefore === undefined || o.end <= f.endBefore);
}

/**
 * Instances of the object that pass the filter, in start order. The window handed to the
 * expander is widened by a second on each side because it tests overlap of [from, to),
 * while the filters are inclusive and may meet zero-length instances on the edge.
 */
export function matchingInstances(root: ICAL.Component, zone: string, f: TimeFilter, max = 10_000): Occurrence[] {
  const from = Math.max(f.startAfter ?? BEGINNING, f.endAfter ?? BEGINNING) - 1;
  const to = Math.min(f.startBefore ?? FOREVER, f.endBefore ?? FOREVER) + 1;
  return occurrences(root, { from, to, floatingZone: zone, max }).filter((o) => matches(o, f));
}

/**
 * Whether a stored series has an instance passing the filter, answered from the instance
 * index when it can (no expansion), else by expanding the parsed object.
 */
export function seriesMatches(
  index: InstanceIndex, object: { etag: string }, root: () => ICAL.Component, zone: string, f: TimeFilter,
): boolean {
  const from = Math.max(f.startAfter ?? -Infinity, f.endAfter ?? -Infinity);
  const to = Math.min(f.startBefore ?? Infinity, f.endBefore ?? Infinity);
  const indexed = index.someInstance(object.etag, root, zone, from, to, (start, end) => matches({ start, end }, f));
  return indexed ?? matchingInstances(root(), zone, f, 100).length > 0;
}
