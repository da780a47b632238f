import { randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { positional, type CliDeps, type CommandArgs, type Out } from './common.js';

/**
 * `backup <file>`: a consistent copy of the live database through SQLite's online backup API,
 * safe while the server runs (in WAL mode it reads alongside the server's writes). The copy is
 * written next to <file> and renamed over it, so <file> is always either what it was before
 * or a complete backup, never a partial one.
 */
export async function backupDatabase({ store }: CliDeps, args: CommandArgs, out: Out): Promise<void> {
  const target = resolve(positional(args, 0));
  const db = resolve(args.databaseFile);
  if ([db, `${db}-wal`, `${db}-shm`, `${db}-journal`].includes(target)) {
    throw new Error('the backup file must not be the database itself');
  }
  if ((await stat(target).catch(() => null))?.isDirectory()) throw new Error(`${target} is a directory`);
  const partial = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await store.backup(partial);
    await rename(partial, target);
  } catch (err) {
    await rm(partial, { force: true });
    throw new Error(`cannot write ${target}: ${err instanceof Error ? err.message : String(err)}`);
  }
  out(`backed up ${db} to ${target}`);
}
