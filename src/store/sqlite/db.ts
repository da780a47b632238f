import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { makeDirectory } from '../../util/make-directory.js';

export type Db = Database.Database;

/** Opens the database file with the pragmas every connection needs. */
export function openDb(file: string): Db {
  if (file !== ':memory:') makeDirectory(dirname(file));
  const db = new Database(file);
  // WAL lets feed reads proceed while a write commits; NORMAL is durable across
  // application crashes in WAL mode and avoids an fsync per write.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}
