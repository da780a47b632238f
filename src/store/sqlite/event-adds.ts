import type { Db } from './db.js';

export function eventAddQueries(db: Db) {
  const bump = db.prepare(
    `INSERT INTO event_adds (calendar_id, object_id, app, count, last_at) VALUES (?, ?, ?, 1, ?)
     ON CONFLICT (calendar_id, object_id, app) DO UPDATE SET count = count + 1, last_at = excluded.last_at`,
  );
  const counts = db.prepare('SELECT app, count FROM event_adds WHERE calendar_id = ? AND object_id = ? ORDER BY app');
  return {
    record: (calendarId: string, objectId: string, app: string, at: number) => void bump.run(calendarId, objectId, app, at),
    counts: (calendarId: string, objectId: string): Record<string, number> =>
      Object.fromEntries((counts.all(calendarId, objectId) as { app: string; count: number }[]).map((r) => [r.app, r.count])),
  };
}
