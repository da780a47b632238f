import { readFile } from 'node:fs/promises';
import { DomainError } from '../calendar/errors.js';
import { positional, type CliDeps, type CommandArgs, type Out } from './common.js';

/** A file-system error as a short reason: "no such file", or Node's message without the path. */
function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return err instanceof Error ? err.message : String(err);
}

/** `import <calendar-id> <file.ics>`: upserts by UID into an existing calendar, all or nothing. */
export async function importFile({ store, service }: CliDeps, args: CommandArgs, out: Out): Promise<void> {
  const calendarId = positional(args, 0);
  const file = positional(args, 1);
  const calendar = await store.getCalendar(calendarId);
  if (!calendar) throw new Error(`no calendar with id "${calendarId}"`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${readFailure(err)}`);
  }
  let result: { created: number; updated: number };
  try {
    result = await service.importObjects(calendar, text);
  } catch (err) {
    if (err instanceof DomainError) throw new Error(`${file}: ${err.message} (nothing was imported)`);
    throw err;
  }
  out(`created ${result.created}, updated ${result.updated}`);
}
