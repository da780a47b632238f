import type { Calendar } from '../store/types.js';

/**
 * The account's main calendar: the first it made (the store lists an owner's calendars oldest
 * first). Calcast keeps no separate flag, so there is always exactly one while any exist.
 */
export const mainCalendarId = (calendars: readonly Calendar[]): string | null => calendars[0]?.id ?? null;
