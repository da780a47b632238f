import { ExpansionNeeded, expansions, type Expansions } from '../ical/expansions.js';

/** The end of the queue of walks that did not finish in their first slice. */
let lastLong: Promise<void> = Promise.resolve();

/**
 * Runs a sliced walk, calling `pause` (a yield point) between its slices. A walk that needs more
 * than one slice waits for the long walks before it and then runs alone: four hostile queries
 * then cost a feed poll one slice per event-loop turn, not four.
 */
export async function drive<T>(walk: Generator<void, T>, pause: () => Promise<void>): Promise<T> {
  let step = walk.next();
  if (step.done) return step.value;
  const before = lastLong;
  let done!: () => void;
  lastLong = new Promise((resolve) => (done = resolve));
  try {
    await before;
    for (; !step.done; step = walk.next()) await pause();
    return step.value;
  } finally {
    done();
  }
}

/**
 * Evaluates with deferred expansions: each recurrence expansion the evaluation needs is walked
 * in slices, then the evaluation runs again. A hostile rule (FREQ=SECONDLY) then delays a feed
 * poll by a slice, not by its whole walk up to the bound.
 */
export async function evaluateSliced<T>(evaluate: (x: Expansions) => T, pause: () => Promise<void>): Promise<T> {
  const x = expansions(true);
  for (;;) {
    try {
      return evaluate(x);
    } catch (need) {
      if (!(need instanceof ExpansionNeeded)) throw need;
      need.keep(await drive(need.walk, pause));
    }
  }
}
