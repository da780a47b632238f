/**
 * The operator CLI: `npm run calcast -- <command>`. Commands work on the database named by the
 * server's configuration (CALCAST_DATABASE_URL, else CALCAST_DATA_DIR), and are safe while the
 * server runs; migrate-store instead names its two databases in its arguments.
 *
 * Exit codes: 0 done, 1 the command failed (one line `calcast: <message>` on stderr),
 * 2 misuse (unknown command, bad arguments; usage on stderr).
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { createCalendarService } from '../calendar/service.js';
import { openStore } from '../startup.js';
import type { Store } from '../store/types.js';
import { systemClock } from '../util/clock.js';
import { backupDatabase } from './backup.js';
import type { Command, Out } from './common.js';
import { importFile } from './import.js';
import { migrateStore } from './migrate-store.js';
import { tokensCreate, tokensList, tokensRevoke } from './tokens.js';
import { usersAdd, usersEmail, usersList, usersPasswd } from './users.js';

const commands = new Map<string, Command>([
  ['users add', {
    params: ['<name>'], options: { password: '<pw>' }, createsDatabase: true, run: usersAdd,
    summary: 'create a user; prints a generated password unless one is given',
  }],
  ['users passwd', {
    params: ['<name>'], options: { password: '<pw>' }, run: usersPasswd,
    summary: "set a user's password; prints a generated one unless one is given",
  }],
  ['users list', { params: [], options: {}, run: usersList, summary: 'list the users' }],
  ['users email', {
    params: ['<name>', '<address|none>'], options: {}, run: usersEmail,
    summary: "set a user's e-mail, their address for CalDAV scheduling (none clears it)",
  }],
  ['tokens create', {
    params: ['<user>'], options: { name: '<label>' }, run: tokensCreate,
    summary: 'create an API token for a user and print it (shown once)',
  }],
  ['tokens list', { params: ['<user>'], options: {}, run: tokensList, summary: "list a user's API tokens" }],
  ['tokens revoke', { params: ['<user>', '<token-id>'], options: {}, run: tokensRevoke, summary: 'revoke an API token' }],
  ['import', {
    params: ['<calendar-id>', '<file.ics>'], options: {}, run: importFile,
    summary: 'import an iCalendar file into an existing calendar (upsert by UID)',
  }],
  ['backup', {
    params: ['<file>'], options: {}, run: backupDatabase,
    summary: 'write a consistent copy of the database to <file> (safe while the server runs)',
  }],
  ['migrate-store', {
    params: [], options: { from: 'sqlite:<path>', to: 'postgres://…' }, required: ['from', 'to'], standalone: migrateStore,
    summary: 'copy a SQLite database into an empty PostgreSQL one (stop the server first)',
    details: [
      'Copies users, API tokens, dashboard sessions, calendars, events, changes, subscribers,',
      'the sync log and its rollups, event adds, mail and schedule inboxes, in one transaction:',
      'feed URLs, ETags, CalDAV sync tokens, API tokens and passwords keep working.',
      'Stop the server first: writes made during the copy would not be copied.',
      'PostgreSQL is migrated first; both must be at the same schema version, and it must be empty.',
      'Not copied: failed sign-in counts and rate limits (transient).',
      '--from also takes a plain path. Then start Calcast with CALCAST_DATABASE_URL set to --to.',
    ],
  }],
]);

/** Words that take a subcommand. */
const groups = new Set([...commands.keys()].filter((k) => k.includes(' ')).map((k) => k.split(' ')[0]));

function synopsis(name: string, command: Command): string {
  const options = Object.entries(command.options)
    .map(([o, value]) => (command.required?.includes(o) ? `--${o} ${value}` : `[--${o} ${value}]`));
  return [name, ...command.params, ...options].join(' ');
}

export function usage(): string {
  const lines = [...commands].map(([name, c]) => [synopsis(name, c), c.summary] as const);
  lines.push(['help', 'show this text']);
  const width = Math.max(...lines.map(([s]) => s.length));
  return [
    'usage: npm run calcast -- <command> [arguments]',
    '',
    'commands:',
    ...lines.map(([s, summary]) => `  ${s.padEnd(width)}  ${summary}`),
    '',
    'The database is $CALCAST_DATA_DIR/calcast.sqlite (CALCAST_DATA_DIR defaults to ./data).',
  ].join('\n');
}

/** An error as one line: commands and libraries may put newlines in messages. */
function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.trim().replace(/\s*\n\s*/g, ' ') || 'unknown error';
}

/** Runs one invocation and answers the exit code; never throws. */
export async function runCli(argv: readonly string[], env: Record<string, string | undefined>, out: Out, err: Out): Promise<number> {
  const [first, second] = argv;
  if (first === undefined) {
    err(usage());
    return 2;
  }
  if (first === 'help' || first === '--help' || first === '-h') {
    err(usage());
    return 0;
  }
  const name = groups.has(first) && second !== undefined && !second.startsWith('-') ? `${first} ${second}` : first;
  const command = commands.get(name);
  if (!command) {
    err(groups.has(first) && second === undefined ? `calcast: "${first}" needs a subcommand` : `calcast: unknown command "${name}"`);
    err('');
    err(usage());
    return 2;
  }

  const misuse = (message: string) => {
    err(`calcast: ${message}`);
    err(`usage: npm run calcast -- ${synopsis(name, command)}`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.slice(name.split(' ').length),
      options: {
        ...Object.fromEntries(Object.keys(command.options).map((o) => [o, { type: 'string' as const }])),
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    // Node's unknown-option message goes on about positionals starting with '-'.
    return misuse(oneLine(e).replace(/\. To specify a positional argument.*$/, ''));
  }
  if (parsed.values.help === true) {
    err(`usage: npm run calcast -- ${synopsis(name, command)}`);
    err(`  ${command.summary}`);
    for (const line of command.details ?? []) err(`  ${line}`);
    return 0;
  }
  if (parsed.positionals.length !== command.params.length) {
    return misuse(command.params.length === 0
      ? `${name} takes no arguments`
      : `${name} expects ${command.params.join(' ')}`);
  }
  const values: Record<string, string | boolean | undefined> = parsed.values;
  const options: Record<string, string | undefined> = {};
  for (const o of Object.keys(command.options)) {
    const value = values[o];
    if (typeof value === 'string') options[o] = value;
  }
  const missing = command.required?.find((o) => options[o] === undefined);
  if (missing !== undefined) return misuse(`${name} needs --${missing}`);

  if (command.standalone) {
    try {
      await command.standalone({ positionals: parsed.positionals, options }, out);
      return 0;
    } catch (e) {
      err(`calcast: ${oneLine(e)}`);
      return 1;
    }
  }

  let store: Store | undefined;
  try {
    const config = loadConfig(env);
    const { databaseFile } = config;
    if (!config.databaseUrl && !command.createsDatabase && !existsSync(databaseFile)) {
      throw new Error(`no database at ${databaseFile} (is CALCAST_DATA_DIR set?)`);
    }
    store = await openStore(config, systemClock);
    // Running servers see this process's writes through the outbox they poll.
    const service = createCalendarService({ store, clock: systemClock, baseUrl: config.baseUrl, sender: null, defaultCalendar: config.defaultCalendar, notify: () => {} });
    await command.run({ store, service }, { positionals: parsed.positionals, options, databaseFile }, out);
    return 0;
  } catch (e) {
    err(`calcast: ${e instanceof ConfigError ? e.message : oneLine(e)}`);
    return 1;
  } finally {
    try {
      await store?.close();
    } catch {
      // Closing cannot lose committed work; the command's outcome stands.
    }
  }
}

// Lines go out through the streams (no process.exit) so that nothing is cut off when piped.
process.stdout.on('error', () => {}); // e.g. EPIPE from `| head`
const write = (stream: NodeJS.WriteStream): Out => (line) => void stream.write(`${line}\n`);
process.exitCode = await runCli(process.argv.slice(2), process.env, write(process.stdout), write(process.stderr));
