import type { DashboardSession, User } from '../types.js';
import type { Db } from './db.js';
import { toUser } from './users.js';
import { randomId } from '../../util/ids.js';

export interface SessionRow { id: string; user_id: number; token_hash: string; created_at: number; expires_at: number }

export const toSession = (r: SessionRow): DashboardSession =>
  ({ id: r.id, userId: r.user_id, createdAt: r.created_at, expiresAt: r.expires_at });

/** Dashboard sessions (hashed secrets) and the failed-login counters that guard the form. */
export function sessionQueries(db: Db, now: () => number) {
  const insert = db.prepare(
    'INSERT INTO dashboard_sessions (id, user_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
  );
  const find = db.prepare(
    `SELECT s.*, u.id AS u_id, u.username, u.password_hash, u.email, u.created_at AS u_created_at
       FROM dashboard_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`,
  );
  const remove = db.prepare('DELETE FROM dashboard_sessions WHERE id = ?');
  const removeOthers = db.prepare('DELETE FROM dashboard_sessions WHERE user_id = ? AND id <> ?');
  const prune = db.prepare('DELETE FROM dashboard_sessions WHERE expires_at <= ?');
  const failure = db.prepare(
    `INSERT INTO login_failures (key, window_start, failures) VALUES (?, ?, 1)
     ON CONFLICT(key) DO UPDATE SET
       failures = CASE WHEN window_start <= ? THEN 1 ELSE failures + 1 END,
       window_start = CASE WHEN window_start <= ? THEN excluded.window_start ELSE window_start END
     RETURNING failures`,
  );
  const failures = db.prepare('SELECT failures FROM login_failures WHERE key = ? AND window_start > ?');
  const clear = db.prepare('DELETE FROM login_failures WHERE key = ?');
  return {
    create: (userId: number, tokenHash: string, expiresAt: number) => db.transaction(() => {
      prune.run(now());
      return toSession(insert.get(randomId(12), userId, tokenHash, now(), expiresAt) as SessionRow);
    })(),
    find: (tokenHash: string): { session: DashboardSession; tokenHash: string; user: User } | null => {
      const r = find.get(tokenHash, now()) as (SessionRow & { u_id: number; username: string;
        password_hash: string; email: string | null; u_created_at: number }) | undefined;
      if (!r) return null;
      return {
        session: toSession(r), tokenHash: r.token_hash,
        user: toUser({ id: r.u_id, username: r.username, password_hash: r.password_hash, email: r.email, created_at: r.u_created_at }),
      };
    },
    remove: (id: string) => void remove.run(id),
    removeOthers: (userId: number, keepId: string) => removeOthers.run(userId, keepId).changes,
    /** Counts one failure in the window that started after `windowStart`; returns the count. */
    recordFailure: (key: string, windowStart: number) =>
      (failure.get(key, now(), windowStart, windowStart) as { failures: number }).failures,
    failures: (key: string, windowStart: number) =>
      (failures.get(key, windowStart) as { failures: number } | undefined)?.failures ?? 0,
    clearFailures: (key: string) => void clear.run(key),
  };
}
