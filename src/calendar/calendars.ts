import { reindexForZone } from '../entries/reindex.js';
import { StoreConflict, StorePreconditionFailed, type Calendar, type CalendarPatch, type NewCalendar } from '../store/types.js';
import { feedKey, randomId } from '../util/ids.js';
import { DomainError, conflict, notFound } from './errors.js';
import { mainCalendarId } from './main-calendar.js';
import { checkSegment } from './names.js';
import type { ServiceDeps } from './service-deps.js';

/** A new calendar's fields; the service picks its id and feed key. */
export type CalendarInput = Omit<NewCalendar, 'id' | 'feedKey' | 'slug'> & { slug?: string };

export function calendarCommands(deps: ServiceDeps) {
  const { store } = deps;
  const written = <T>(write: Promise<T>) => write.finally(deps.notify);

  return {
    /** Creates a calendar at `slug` (its id when none is given); a taken slug is a conflict. */
    async createCalendar(input: CalendarInput): Promise<Calendar> {
      const id = randomId();
      if (input.slug !== undefined) checkSegment(input.slug, 'slug');
      try {
        return await written(store.createCalendar({ ...input, id, slug: input.slug ?? id, feedKey: feedKey() }));
      } catch (err) {
        if (err instanceof StoreConflict) throw conflict('a calendar exists at this name', { field: 'slug', rule: 'resource-must-be-null' });
        throw err;
      }
    },

    /**
     * Applies a patch of calendar properties (JSON PATCH, DAV PROPPATCH). A new time zone moves
     * floating and all-day times, so every object is re-derived under it, in the same
     * transaction; if anything was written to the calendar since `calendar` was read, the
     * re-derived columns would be stale and the update is refused as a conflict.
     */
    async updateCalendar(calendar: Calendar, patch: CalendarPatch): Promise<Calendar> {
      const moved = patch.timezone !== undefined && patch.timezone !== calendar.timezone;
      const reindexed = moved ? await reindexForZone(store, calendar, patch.timezone!) : [];
      try {
        const updated = await written(store.updateCalendar(calendar.id, patch, reindexed, calendar.syncToken));
        if (!updated) throw notFound('calendar');
        return updated;
      } catch (err) {
        if (err instanceof StorePreconditionFailed) {
          throw new DomainError('conflict', 'the calendar changed while it was being updated; retry');
        }
        throw err;
      }
    },

    /**
     * Deletes a calendar. With `keepMain`, the account's main calendar (its first) is refused:
     * AddEvent's rule, for the scripts that rely on one calendar always being there.
     */
    async deleteCalendar(calendar: Calendar, opts: { keepMain?: boolean } = {}): Promise<void> {
      if (opts.keepMain && mainCalendarId(await store.listCalendars(calendar.ownerId)) === calendar.id) {
        throw conflict('the main calendar cannot be deleted', { field: 'calendar_id' });
      }
      if (!(await written(store.deleteCalendar(calendar.id)))) throw notFound('calendar');
    },

    /** A new shared URL; the old one answers 410 Gone from now on. Personal URLs are unchanged. */
    async rotateFeedKey(calendar: Calendar): Promise<Calendar> {
      const rotated = await written(store.rotateFeedKey(calendar.id, feedKey()));
      if (!rotated) throw notFound('calendar');
      return rotated;
    },
  };
}
