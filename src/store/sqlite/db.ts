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

/**
 * Opens an existing database file for reading only (`calcast migrate-store` copies from it and
 * must not change it, nor create a file where there was none). Integers come back as BigInt,
 * so none above 2^53 is rounded on its way to another store.
 */
export function openDbReadOnly(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.defaultSafeIntegers(true);
  db.pragma('busy_timeout = 5000');
  return db;
}
