import type { ApiToken, User } from '../types.js';
import type { Db } from './db.js';
import { toUser } from './users.js';
import { randomId } from '../../util/ids.js';

export interface TokenRow { id: string; user_id: number; name: string; created_at: number; last_used_at: number | null }

export function toToken(r: TokenRow): ApiToken {
  return { id: r.id, userId: r.user_id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at };
}

export function tokenQueries(db: Db, now: () => number) {
  const insert = db.prepare(
    'INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
  );
  const find = db.prepare(
    `SELECT t.id, t.user_id, t.name, t.token_hash, t.created_at, t.last_used_at,
            u.id AS u_id, u.username, u.password_hash, u.email, u.created_at AS u_created_at
       FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`,
  );
  const touch = db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?');
  const list = db.prepare('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at, id');
  const revoke = db.prepare('DELETE FROM api_tokens WHERE user_id = ? AND id = ?');
  return {
    create: (userId: number, name: string, hash: string) =>
      toToken(insert.get(randomId(9), userId, name, hash, now()) as TokenRow),
    find: (hash: string): { token: ApiToken; tokenHash: string; user: User } | null => {
      const r = find.get(hash) as (TokenRow & { token_hash: string; u_id: number; username: string;
        password_hash: string; email: string | null; u_created_at: number }) | undefined;
      if (!r) return null;
      return {
        token: toToken(r),
        tokenHash: r.token_hash,
        user: toUser({ id: r.u_id, username: r.username, password_hash: r.password_hash, email: r.email, created_at: r.u_created_at }),
      };
    },
    touch: (id: string, at: number) => void touch.run(at, id),
    list: (userId: number) => (list.all(userId) as TokenRow[]).map(toToken),
    revoke: (userId: number, id: string) => revoke.run(userId, id).changes > 0,
  };
}
