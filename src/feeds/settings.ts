import { z } from 'zod';

/** Per-calendar feed settings, kept in calendars.settings.feed. */
export interface FeedSettings {
  /** Events that ended more than this many days ago are left out; the future is all. */
  pastDays: number;
  /** REFRESH-INTERVAL / X-PUBLISHED-TTL hint, in minutes. */
  refreshMinutes: number;
  /** VALARMs are opt-in: many clients strip them, and alarms from others annoy (DESIGN.md §5.8). */
  includeReminders: boolean;
  /** Off by default so a public feed does not leak e-mail addresses. */
  includeAttendees: boolean;
}

export const DEFAULT_FEED_SETTINGS: FeedSettings = {
  pastDays: 90,
  refreshMinutes: 60,
  includeReminders: false,
  includeAttendees: false,
};

/** The API shape (snake_case), every field optional on input. */
export const feedSettingsInput = z.strictObject({
  past_days: z.number().int().min(0).max(3650).nullish(),
  refresh_interval_minutes: z.number().int().min(15).max(10_080).nullish(),
  include_reminders: z.boolean().nullish(),
  include_attendees: z.boolean().nullish(),
});
export type FeedSettingsInput = z.infer<typeof feedSettingsInput>;

export function feedSettingsOf(settings: Record<string, unknown>): FeedSettings {
  const stored = (settings.feed ?? {}) as Partial<FeedSettings>;
  return { ...DEFAULT_FEED_SETTINGS, ...stored };
}

export function fromInput(input: FeedSettingsInput | null | undefined, current: FeedSettings): FeedSettings {
  const pick = <T>(v: T | null | undefined, fallback: T) => (v === null || v === undefined ? fallback : v);
  return {
    pastDays: pick(input?.past_days, current.pastDays),
    refreshMinutes: pick(input?.refresh_interval_minutes, current.refreshMinutes),
    includeReminders: pick(input?.include_reminders, current.includeReminders),
    includeAttendees: pick(input?.include_attendees, current.includeAttendees),
  };
}

export function presentFeedSettings(s: FeedSettings) {
  return {
    past_days: s.pastDays,
    refresh_interval_minutes: s.refreshMinutes,
    include_reminders: s.includeReminders,
    include_attendees: s.includeAttendees,
  };
}
