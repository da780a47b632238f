import type { EventKey } from './event-json.js';

/** A parameter only some products take, beyond the ones both share. */
export type EventExtra = 'rrule' | 'transp' | 'custom_data';

/**
 * What one product's events differ in; everything else about reading their parameters
 * (event-fields.ts) and writing their replies (event-json.ts) is the same for both.
 */
export interface EventDialect {
  /** The colour parameter: AddEvent's `color`, CalendarX's `color_id`. */
  colorParam: string;
  /** The parameters this product takes beyond the shared ones. */
  extras: readonly EventExtra[];
  /** Native values an empty parameter, or one left out of a create, stands for; null (none) when not named. */
  defaults: { timezone?: string; transparency?: 'busy' | 'free' };
  /** `*_time` on a 12-hour clock (next to `*_ampm`) or a 24-hour one. */
  clock: '12h' | '24h';
  /** `*_unix` as the real instant, or as the event's wall time read as if it were UTC. */
  unix: 'instant' | 'wall';
  /** The reply's keys, in order: an event in a list, and an event a create or save answers. */
  listed: readonly EventKey[];
  written: readonly EventKey[];
}
