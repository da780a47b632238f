import { setImmediate as nextTurn } from 'node:timers/promises';

/** Longest stretch a report loop runs before it lets other requests (a feed poll) through. */
const SLICE_MS = 2;

/**
 * A loop calls the returned function once per item: after SLICE_MS of work it yields to the
 * event loop, so one large report delays other requests by milliseconds, not by its whole run.
 */
export function yieldPoint(): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < SLICE_MS) return;
    await nextTurn();
    since = performance.now();
  };
}
