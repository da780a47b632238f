/**
 * Thrown when expanding one object would exceed the caller's instance bound. Expansion stops
 * at bound + 1 instances, so the cost of a hostile rule (FREQ=SECONDLY) is the bound, not the rule.
 */
export class TooManyInstances extends Error {
  constructor(readonly max: number) {
    super(`the expansion exceeds ${max} instances`);
  }
}
