import { StoreConflict, type User } from '../types.js';
import type { Db } from './db.js';

export interface UserRow { id: number; username: string; password_hash: string; email: string | null; created_at: number }

export function toUser(r: UserRow): User {
  return { id: r.id, username: r.username, passwordHash: r.password_hash, email: r.email, createdAt: r.created_at };
}

export function userQueries(db: Db, now: () => number) {
  const insert = db.prepare('INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, ?) RETURNING *');
  const byName = db.prepare('SELECT * FROM users WHERE username = ?');
  const byId = db.prepare('SELECT * FROM users WHERE id = ?');
  const all = db.prepare('SELECT * FROM users ORDER BY username');
  const setHash = db.prepare('UPDATE users SET password_hash = ? WHERE id = ?');
  const count = db.prepare('SELECT count(*) AS n FROM users');
  const byEmail = db.prepare('SELECT * FROM users WHERE email = ?');
  const setEmail = db.prepare('UPDATE users SET email = ? WHERE id = ? RETURNING *');
  return {
    create: (username: string, hash: string) => toUser(insert.get(username, hash, now()) as UserRow),
    byName: (username: string) => {
      const r = byName.get(username) as UserRow | undefined;
      return r ? toUser(r) : null;
    },
    byId: (id: number) => {
      const r = byId.get(id) as UserRow | undefined;
      return r ? toUser(r) : null;
    },
    all: () => (all.all() as UserRow[]).map(toUser),
    setPassword: (id: number, hash: string) => setHash.run(hash, id).changes > 0,
    count: () => (count.get() as { n: number }).n,
    byEmail: (email: string) => {
      const r = byEmail.get(email.toLowerCase()) as UserRow | undefined;
      return r ? toUser(r) : null;
    },
    setEmail: db.transaction((id: number, email: string | null) => {
      const address = email?.toLowerCase() ?? null;
      const holder = address === null ? undefined : (byEmail.get(address) as UserRow | undefined);
      if (holder && holder.id !== id) throw new StoreConflict('email');
      const r = setEmail.get(address, id) as UserRow | undefined;
      return r ? toUser(r) : null;
    }),
  };
}
