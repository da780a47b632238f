import { changed, rows, type Queryable } from './db.js';

export function eventAddQueries(db: Queryable) {
  return {
    record: async (calendarId: string, objectId: string, app: string, at: number) => void await changed(db,
      `INSERT INTO event_adds (calendar_id, object_id, app, count, last_at) VALUES ($1, $2, $3, 1, $4)
       ON CONFLICT (calendar_id, object_id, app) DO UPDATE SET count = event_adds.count + 1, last_at = excluded.last_at`,
      [calendarId, objectId, app, at]),
    counts: async (calendarId: string, objectId: string): Promise<Record<string, number>> => Object.fromEntries(
      (await rows<{ app: string; count: number }>(db,
        'SELECT app, count FROM event_adds WHERE calendar_id = $1 AND object_id = $2 ORDER BY app', [calendarId, objectId]))
        .map((r) => [r.app, r.count])),
  };
}
