import type pg from 'pg';
import type { DashboardSession, User } from '../types.js';
import { toSession, type SessionRow } from '../sqlite/sessions.js';
import { toUser } from '../sqlite/users.js';
import { randomId } from '../../util/ids.js';
import { changed, one, transaction } from './db.js';

type FoundRow = SessionRow & { u_id: number; username: string; password_hash: string; email: string | null; u_created_at: number };

/** Dashboard sessions and failed-login counters: in the database, so every instance sees the same ones. */
export function sessionQueries(pool: pg.Pool, now: () => number) {
  return {
    create: (userId: number, tokenHash: string, expiresAt: number) => transaction(pool, async (db) => {
      await changed(db, 'DELETE FROM dashboard_sessions WHERE expires_at <= $1', [now()]);
      return toSession((await one<SessionRow>(db,
        'INSERT INTO dashboard_sessions (id, user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING *',
        [randomId(12), userId, tokenHash, now(), expiresAt]))!);
    }),
    find: async (tokenHash: string): Promise<{ session: DashboardSession; tokenHash: string; user: User } | null> => {
      const r = await one<FoundRow>(pool,
        `SELECT s.*, u.id AS u_id, u.username, u.password_hash, u.email, u.created_at AS u_created_at
           FROM dashboard_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2`,
        [tokenHash, now()]);
      if (!r) return null;
      return {
        session: toSession(r), tokenHash: r.token_hash,
        user: toUser({ id: r.u_id, username: r.username, password_hash: r.password_hash, email: r.email, created_at: r.u_created_at }),
      };
    },
    remove: async (id: string) => void await changed(pool, 'DELETE FROM dashboard_sessions WHERE id = $1', [id]),
    removeOthers: (userId: number, keepId: string) =>
      changed(pool, 'DELETE FROM dashboard_sessions WHERE user_id = $1 AND id <> $2', [userId, keepId]),
    /** One upsert: instances counting the same key at once each add one (the row lock orders them). */
    recordFailure: async (key: string, windowStart: number) => (await one<{ failures: number }>(pool,
      `INSERT INTO login_failures (key, window_start, failures) VALUES ($1, $2, 1)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN login_failures.window_start <= $3 THEN 1 ELSE login_failures.failures + 1 END,
         window_start = CASE WHEN login_failures.window_start <= $3 THEN excluded.window_start ELSE login_failures.window_start END
       RETURNING failures`, [key, now(), windowStart]))!.failures,
    failures: async (key: string, windowStart: number) => (await one<{ failures: number }>(pool,
      'SELECT failures FROM login_failures WHERE key = $1 AND window_start > $2', [key, windowStart]))?.failures ?? 0,
    clearFailures: async (key: string) => void await changed(pool, 'DELETE FROM login_failures WHERE key = $1', [key]),
  };
}
