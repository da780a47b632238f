import type { ApiToken, User } from '../types.js';
import { toToken, type TokenRow } from '../sqlite/tokens.js';
import { toUser } from '../sqlite/users.js';
import { randomId } from '../../util/ids.js';
import { changed, one, rows, type Queryable } from './db.js';

type FoundRow = TokenRow & { token_hash: string; u_id: number; username: string; password_hash: string; email: string | null; u_created_at: number };

export function tokenQueries(db: Queryable, now: () => number) {
  return {
    create: async (userId: number, name: string, hash: string) => toToken((await one<TokenRow>(db,
      'INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [randomId(9), userId, name, hash, now()]))!),
    find: async (hash: string): Promise<{ token: ApiToken; tokenHash: string; user: User } | null> => {
      const r = await one<FoundRow>(db,
        `SELECT t.id, t.user_id, t.name, t.token_hash, t.created_at, t.last_used_at,
                u.id AS u_id, u.username, u.password_hash, u.email, u.created_at AS u_created_at
           FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`, [hash]);
      if (!r) return null;
      return {
        token: toToken(r), tokenHash: r.token_hash,
        user: toUser({ id: r.u_id, username: r.username, password_hash: r.password_hash, email: r.email, created_at: r.u_created_at }),
      };
    },
    touch: async (id: string, at: number) => void await changed(db, 'UPDATE api_tokens SET last_used_at = $1 WHERE id = $2', [at, id]),
    list: async (userId: number) =>
      (await rows<TokenRow>(db, 'SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id', [userId])).map(toToken),
    revoke: async (userId: number, id: string) => (await changed(db, 'DELETE FROM api_tokens WHERE user_id = $1 AND id = $2', [userId, id])) > 0,
  };
}
