import type { Calendar, CalendarPatch, NewCalendar } from '../types.js';
import {
  PATCH_COLUMNS, PERSONAL_FEED_SQL, toCalendar, toPersonalFeedState, type CalendarRow, type PersonalFeedRow,
} from '../sqlite/calendars.js';
import { changed, named, one, rows, type Queryable } from './db.js';

const SELECT = 'SELECT * FROM calendars';
const calendar = (r: CalendarRow | null) => (r ? toCalendar(r) : null);

/** Calendar rows; each function takes the pool or the connection of the caller's transaction. */
export function calendarQueries(now: () => number) {
  const get = async (db: Queryable, id: string) => calendar(await one<CalendarRow>(db, `${SELECT} WHERE id = $1`, [id]));
  /**
   * The next sync token of a write to this calendar. The UPDATE locks the calendar's row until
   * the caller's transaction ends, so concurrent writers of one calendar (on any instance) take
   * turns and the tokens they commit grow by one without gaps; a rolled-back write gives its
   * number back. Null when the calendar does not exist.
   */
  const bump = async (db: Queryable, id: string): Promise<number | null> => (await one<{ sync_token: number }>(db,
    'UPDATE calendars SET sync_token = sync_token + 1, updated_at = $1 WHERE id = $2 RETURNING sync_token', [now(), id]))?.sync_token ?? null;

  return {
    get,
    bump,
    /** The row locked until the transaction ends: reads inside it see what the lock holder committed. */
    lock: async (db: Queryable, id: string) => calendar(await one<CalendarRow>(db, `${SELECT} WHERE id = $1 FOR UPDATE`, [id])),
    syncTokenByFeedKey: async (db: Queryable, key: string) =>
      (await one<{ sync_token: number }>(db, 'SELECT sync_token FROM calendars WHERE feed_key = $1', [key]))?.sync_token ?? null,
    personalFeedState: async (db: Queryable, key: string, hash: string) => {
      const { text, values } = named(PERSONAL_FEED_SQL, { key, hash });
      const r = await one<PersonalFeedRow>(db, text, values);
      return r ? toPersonalFeedState(r) : null;
    },
    byFeedKey: async (db: Queryable, key: string) => calendar(await one<CalendarRow>(db, `${SELECT} WHERE feed_key = $1`, [key])),
    bySlug: async (db: Queryable, ownerId: number, slug: string) =>
      calendar(await one<CalendarRow>(db, `${SELECT} WHERE owner_id = $1 AND slug = $2`, [ownerId, slug])),
    byOwner: async (db: Queryable, ownerId: number) =>
      (await rows<CalendarRow>(db, `${SELECT} WHERE owner_id = $1 ORDER BY created_at, id`, [ownerId])).map(toCalendar),
    slugTaken: async (db: Queryable, ownerId: number, slug: string) =>
      (await one(db, 'SELECT 1 FROM calendars WHERE owner_id = $1 AND slug = $2', [ownerId, slug])) !== null,
    create: async (db: Queryable, c: NewCalendar): Promise<Calendar> => toCalendar((await one<CalendarRow>(db,
      `INSERT INTO calendars (id, owner_id, slug, feed_key, title, description, timezone, color,
         weekday_begin, custom_data, published, components, settings, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING *`,
      [c.id, c.ownerId, c.slug, c.feedKey, c.title, c.description, c.timezone, c.color, c.weekdayBegin,
        c.customData === null ? null : JSON.stringify(c.customData), c.published ? 1 : 0, c.components.join(','),
        JSON.stringify(c.settings), now()]))!),
    /** Applies the patch and bumps the sync token: calendar properties are part of what clients sync. */
    update: async (db: Queryable, id: string, patch: CalendarPatch) => {
      const sets: string[] = [];
      const values: unknown[] = [];
      for (const [field, value] of Object.entries(patch)) {
        const column = PATCH_COLUMNS[field as keyof CalendarPatch];
        if (!column || value === undefined) continue;
        values.push((column[1] as (v: unknown) => unknown)(value));
        sets.push(`${column[0]} = $${values.length}`);
      }
      if (sets.length > 0) await changed(db, `UPDATE calendars SET ${sets.join(', ')} WHERE id = $${values.length + 1}`, [...values, id]);
      await bump(db, id);
      return get(db, id);
    },
    remove: async (db: Queryable, id: string) => (await changed(db, 'DELETE FROM calendars WHERE id = $1', [id])) > 0,
    /** Inside the caller's transaction: the old key is remembered as retired. */
    rotateFeedKey: async (db: Queryable, current: Calendar, newKey: string) => {
      await changed(db, 'INSERT INTO retired_feed_keys (feed_key, calendar_id, retired_at) VALUES ($1, $2, $3)', [current.feedKey, current.id, now()]);
      await changed(db, 'UPDATE calendars SET feed_key = $1 WHERE id = $2', [newKey, current.id]);
      await bump(db, current.id);
      return get(db, current.id);
    },
    isRetired: async (db: Queryable, key: string) => (await one(db, 'SELECT 1 FROM retired_feed_keys WHERE feed_key = $1', [key])) !== null,
  };
}
