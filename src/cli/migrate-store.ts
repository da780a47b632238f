import { resolve } from 'node:path';
import { postgresUrlProblem } from '../config.js';
import { postgresLabel } from '../store/postgres/db.js';
import { copySqliteToPostgres } from '../store/migrate-store.js';
import { table, type CommandArgs, type Out } from './common.js';

/** `sqlite:<path>`, `sqlite://<path>` or a plain path, as an absolute file name. */
function sourceFile(raw: string): string {
  if (/^postgres(ql)?:/.test(raw)) throw new Error('--from must be a SQLite file (sqlite:<path>): migrate-store copies from SQLite to PostgreSQL');
  return resolve(raw.replace(/^sqlite:(\/\/)?/, ''));
}

/**
 * `migrate-store --from sqlite:<path> --to postgres://…`: copies a SQLite database into an
 * empty PostgreSQL one (src/store/migrate-store.ts) and prints the rows of each table.
 */
export async function migrateStore(args: Omit<CommandArgs, 'databaseFile'>, out: Out): Promise<void> {
  const from = sourceFile(args.options.from ?? '');
  const to = args.options.to ?? '';
  const problem = postgresUrlProblem('--to', to);
  if (problem) throw new Error(problem);
  const report = await copySqliteToPostgres(from, to);
  out(`copied ${from} to ${postgresLabel(to)} (schema version ${report.version})`);
  for (const line of table(['TABLE', 'ROWS'], report.tables.map((t) => [t.name, String(t.rows)]))) out(`  ${line}`);
  for (const t of report.skipped) out(`skipped ${t.name}: ${t.reason}`);
  for (const name of report.unknown) out(`not copied ${name}: migrate-store does not know this table`);
}
