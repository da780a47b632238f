import { StoreConflict, type User } from '../types.js';
import { toUser, type UserRow } from '../sqlite/users.js';
import { changed, one, rows, type Queryable } from './db.js';

export function userQueries(db: Queryable, now: () => number) {
  const user = (r: UserRow | null) => (r ? toUser(r) : null);
  return {
    create: async (username: string, hash: string): Promise<User> => toUser((await one<UserRow>(db,
      'INSERT INTO users (username, password_hash, created_at) VALUES ($1, $2, $3) RETURNING *', [username, hash, now()]))!),
    byName: async (username: string) => user(await one<UserRow>(db, 'SELECT * FROM users WHERE username = $1', [username])),
    byId: async (id: number) => user(await one<UserRow>(db, 'SELECT * FROM users WHERE id = $1', [id])),
    all: async () => (await rows<UserRow>(db, 'SELECT * FROM users ORDER BY username')).map(toUser),
    setPassword: async (id: number, hash: string) => (await changed(db, 'UPDATE users SET password_hash = $1 WHERE id = $2', [hash, id])) > 0,
    count: async () => (await one<{ n: number }>(db, 'SELECT count(*) AS n FROM users'))!.n,
    byEmail: async (email: string) => user(await one<UserRow>(db, 'SELECT * FROM users WHERE email = $1', [email.toLowerCase()])),
    // The unique index decides between two instances setting one address at once.
    setEmail: async (id: number, email: string | null) => {
      try {
        return user(await one<UserRow>(db, 'UPDATE users SET email = $1 WHERE id = $2 RETURNING *', [email?.toLowerCase() ?? null, id]));
      } catch (err) {
        if ((err as { code?: string }).code === '23505') throw new StoreConflict('email');
        throw err;
      }
    },
  };
}
