import type { EventKey, ReplyTimes } from './event-json.js';

/** A parameter only some products take, beyond the ones both share. */
export type EventExtra = 'rrule' | 'transp' | 'custom_data';

/**
 * What one product's events differ in; everything else about reading their parameters
 * (event-fields.ts) and writing their replies (event-json.ts) is the same for both.
 */
export interface EventDialect extends ReplyTimes {
  /** The colour parameter: AddEvent's `color`, CalendarX's `color_id`. */
  colorParam: string;
  /** The parameters this product takes beyond the shared ones. */
  extras: readonly EventExtra[];
  /** Native values an empty parameter, or one left out of a create, stands for; null (none) when not named. */
  defaults: { timezone?: string; transparency?: 'busy' | 'free' };
  /** The reply's keys, in order: an event in a list, and an event a create or save answers. */
  listed: readonly EventKey[];
  written: readonly EventKey[];
}
