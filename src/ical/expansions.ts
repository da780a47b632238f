import type ICAL from 'ical.js';
import { parseCalendar } from './parse.js';
import { drain, occurrenceWalk, type Occurrence, type WalkOptions } from './recurrence.js';

/**
 * The parses and expansions of one evaluation (a report member's filter test or calendar-data),
 * each computed once. With `deferred`, an expansion not computed yet is not walked on the spot:
 * `expansionOf` throws ExpansionNeeded, the async caller walks it in slices (other requests run
 * between them) and evaluates again, finding it this time. The evaluation code itself stays
 * synchronous and pure.
 */
export interface Expansions {
  deferred: boolean;
  parsed: Map<string, ICAL.Component>;
  done: WeakMap<ICAL.Component, Map<string, Occurrence[]>>;
}

export const expansions = (deferred: boolean): Expansions => ({ deferred, parsed: new Map(), done: new WeakMap() });

/** Thrown (not an Error: nothing went wrong) for an expansion a deferred evaluation needs. */
export class ExpansionNeeded {
  constructor(readonly walk: Generator<void, Occurrence[]>, readonly keep: (found: Occurrence[]) => void) {}
}

/** The object parsed once per evaluation: expansions refer to its components. */
export function parsedOf(x: Expansions, text: string): ICAL.Component {
  let root = x.parsed.get(text);
  if (!root) x.parsed.set(text, (root = parseCalendar(text)));
  return root;
}

export function expansionOf(x: Expansions, root: ICAL.Component, opts: WalkOptions): Occurrence[] {
  let byKey = x.done.get(root);
  if (!byKey) x.done.set(root, (byKey = new Map()));
  const key = `${opts.from}|${opts.to}|${opts.max}|${opts.maxWalk}|${opts.floatingZone}`;
  const hit = byKey.get(key);
  if (hit) return hit;
  const keep = (found: Occurrence[]) => byKey.set(key, found);
  if (x.deferred) throw new ExpansionNeeded(occurrenceWalk(root, opts), keep);
  const found = drain(occurrenceWalk(root, opts));
  keep(found);
  return found;
}
