import type { Calendar, CalendarPatch, ComponentType, NewCalendar, PersonalFeedState } from '../types.js';
import type { Db } from './db.js';

export interface CalendarRow {
  id: string; owner_id: number; slug: string; feed_key: string; title: string;
  description: string | null; timezone: string; color: string | null; weekday_begin: string | null;
  custom_data: string | null; published: number; components: string; sync_token: number;
  settings: string; created_at: number; updated_at: number;
}

const SELECT = 'SELECT c.* FROM calendars c';

export function toCalendar(r: CalendarRow): Calendar {
  return {
    id: r.id, ownerId: r.owner_id, slug: r.slug, feedKey: r.feed_key, title: r.title,
    description: r.description, timezone: r.timezone, color: r.color, weekdayBegin: r.weekday_begin,
    customData: r.custom_data === null ? null : JSON.parse(r.custom_data),
    published: r.published === 1,
    components: r.components.split(',') as ComponentType[],
    syncToken: r.sync_token, settings: JSON.parse(r.settings),
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/**
 * A personal feed poll's one statement, SQL both stores run: the calendar by its feed key and,
 * through the UNIQUE token_hash index, the subscriber of that calendar with this token.
 */
export const PERSONAL_FEED_SQL = `SELECT c.sync_token, s.id AS subscriber_id, s.blocked, s.deleted
  FROM calendars c LEFT JOIN subscribers s ON s.calendar_id = c.id AND s.token_hash = @hash
  WHERE c.feed_key = @key`;

export interface PersonalFeedRow {
  sync_token: number; subscriber_id: string | null; blocked: number | null; deleted: number | null;
}

export function toPersonalFeedState(r: PersonalFeedRow): PersonalFeedState {
  return {
    syncToken: r.sync_token,
    subscriber: r.subscriber_id === null ? null : { id: r.subscriber_id, blocked: r.blocked === 1, deleted: r.deleted === 1 },
  };
}

/** Column for each patchable field, and how its value is stored. */
export const PATCH_COLUMNS: { [K in keyof Required<CalendarPatch>]: [string, (v: CalendarPatch[K]) => unknown] } = {
  title: ['title', (v) => v],
  description: ['description', (v) => v],
  timezone: ['timezone', (v) => v],
  color: ['color', (v) => v],
  weekdayBegin: ['weekday_begin', (v) => v],
  customData: ['custom_data', (v) => (v === null || v === undefined ? null : JSON.stringify(v))],
  published: ['published', (v) => (v ? 1 : 0)],
  settings: ['settings', (v) => JSON.stringify(v ?? {})],
  feedKey: ['feed_key', (v) => v],
};

export function calendarQueries(db: Db, now: () => number) {
  const insert = db.prepare(
    `INSERT INTO calendars (id, owner_id, slug, feed_key, title, description, timezone, color,
       weekday_begin, custom_data, published, components, settings, created_at, updated_at)
     VALUES (@id, @owner_id, @slug, @feed_key, @title, @description, @timezone, @color,
       @weekday_begin, @custom_data, @published, @components, @settings, @now, @now)`,
  );
  const byId = db.prepare(`${SELECT} WHERE c.id = ?`);
  const byFeedKey = db.prepare(`${SELECT} WHERE c.feed_key = ?`);
  const tokenByFeedKey = db.prepare('SELECT sync_token FROM calendars WHERE feed_key = ?').pluck();
  const personalFeed = db.prepare(PERSONAL_FEED_SQL);
  const byOwner = db.prepare(`${SELECT} WHERE c.owner_id = ? ORDER BY c.created_at, c.id`);
  const bySlug = db.prepare(`${SELECT} WHERE c.owner_id = ? AND c.slug = ?`);
  const slugTaken = db.prepare('SELECT 1 FROM calendars WHERE owner_id = ? AND slug = ?');
  const remove = db.prepare('DELETE FROM calendars WHERE id = ?');
  const retire = db.prepare('INSERT INTO retired_feed_keys (feed_key, calendar_id, retired_at) VALUES (?, ?, ?)');
  const retired = db.prepare('SELECT 1 FROM retired_feed_keys WHERE feed_key = ?');
  const bump = db.prepare('UPDATE calendars SET sync_token = sync_token + 1, updated_at = ? WHERE id = ? RETURNING sync_token');

  const get = (id: string) => {
    const r = byId.get(id) as CalendarRow | undefined;
    return r ? toCalendar(r) : null;
  };

  return {
    get,
    syncTokenByFeedKey: (key: string) => (tokenByFeedKey.get(key) as number | undefined) ?? null,
    personalFeedState: (key: string, hash: string) => {
      const r = personalFeed.get({ key, hash }) as PersonalFeedRow | undefined;
      return r ? toPersonalFeedState(r) : null;
    },
    byFeedKey: (key: string) => {
      const r = byFeedKey.get(key) as CalendarRow | undefined;
      return r ? toCalendar(r) : null;
    },
    bySlug: (ownerId: number, slug: string) => {
      const r = bySlug.get(ownerId, slug) as CalendarRow | undefined;
      return r ? toCalendar(r) : null;
    },
    byOwner: (ownerId: number) => (byOwner.all(ownerId) as CalendarRow[]).map(toCalendar),
    slugTaken: (ownerId: number, slug: string) => slugTaken.get(ownerId, slug) !== undefined,
    create: (c: NewCalendar) => {
      insert.run({
        id: c.id, owner_id: c.ownerId, slug: c.slug, feed_key: c.feedKey, title: c.title,
        description: c.description, timezone: c.timezone, color: c.color,
        weekday_begin: c.weekdayBegin, custom_data: c.customData === null ? null : JSON.stringify(c.customData),
        published: c.published ? 1 : 0, components: c.components.join(','),
        settings: JSON.stringify(c.settings), now: now(),
      });
      return get(c.id)!;
    },
    /** Applies the patch and bumps the sync token: calendar properties are part of what clients sync. */
    update: (id: string, patch: CalendarPatch) => {
      const sets: string[] = [];
      const values: unknown[] = [];
      for (const [field, value] of Object.entries(patch)) {
        const column = PATCH_COLUMNS[field as keyof CalendarPatch];
        if (!column || value === undefined) continue;
        sets.push(`${column[0]} = ?`);
        values.push((column[1] as (v: unknown) => unknown)(value));
      }
      if (sets.length > 0) db.prepare(`UPDATE calendars SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
      bump.get(now(), id);
      return get(id);
    },
    remove: (id: string) => remove.run(id).changes > 0,
    rotateFeedKey: db.transaction((id: string, newKey: string) => {
      const current = get(id);
      if (!current) return null;
      retire.run(current.feedKey, id, now());
      db.prepare('UPDATE calendars SET feed_key = ? WHERE id = ?').run(newKey, id);
      bump.get(now(), id);
      return get(id);
    }),
    isRetired: (key: string) => retired.get(key) !== undefined,
    /** Next sync token for a write to this calendar (the caller is inside the write's transaction). */
    bump: (id: string) => (bump.get(now(), id) as { sync_token: number }).sync_token,
  };
}
