/**
 * Thrown when expanding one object would exceed the caller's instance bound. Expansion stops
 * at bound + 1 instances, so the cost of a hostile rule (FREQ=SECONDLY) is the bound, not the rule.
 */
export class TooManyInstances extends Error {
  constructor(readonly max: number, message = `the expansion exceeds ${max} instances (CALDAV:max-instances)`) {
    super(message);
  }
}

/** The refusal of a rule that walks past its bound before the range is decided. */
export const walkRefused = (max: number): TooManyInstances =>
  new TooManyInstances(max, 'a recurrence rule walks too far to decide this range');

/**
 * Rule values one expansion may walk before it is refused. A zoned or floating FREQ=SECONDLY
 * rule walks two days of seconds before any window (wall and instant differ by < 2 days), so
 * the instance bound alone does not bound the work.
 */
export const MAX_WALK = 100_000;
