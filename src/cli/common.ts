import type { CalendarService } from '../calendar/service.js';
import type { Store } from '../store/types.js';

/** Where a command prints its report, one line per call; main wires it to stdout. */
export type Out = (line: string) => void;

/** A command's arguments after main has checked them against the command's declaration. */
export interface CommandArgs {
  positionals: readonly string[];
  /** Values of the command's declared string options; absent when not given. */
  options: Readonly<Record<string, string | undefined>>;
  /** The database file the store was opened on (absolute). */
  databaseFile: string;
}

/** What a command reads (the store) and writes through (the calendar service). */
export interface CliDeps {
  store: Store;
  service: CalendarService;
}

export type CommandFn = (deps: CliDeps, args: CommandArgs, out: Out) => Promise<void>;

/** A command that names its databases in its own arguments (migrate-store): main opens none. */
export type StandaloneFn = (args: Omit<CommandArgs, 'databaseFile'>, out: Out) => Promise<void>;

/** One entry of main's command table. */
export type Command = {
  /** Positional parameters in usage notation, e.g. ['<user>', '<token-id>']. */
  params: readonly string[];
  /** String options by name, with the value placeholder shown in the usage text. */
  options: Readonly<Record<string, string>>;
  /** Options that must be given (shown without brackets; missing is misuse). */
  required?: readonly string[];
  summary: string;
  /** More lines for `<command> --help`. */
  details?: readonly string[];
  /** Whether the command may run on a database that does not exist yet (and so create it). */
  createsDatabase?: boolean;
} & ({ run: CommandFn; standalone?: never } | { standalone: StandaloneFn; run?: never });

/** The i-th positional; main guarantees the arity, so a miss is a programming error. */
export function positional(args: CommandArgs, i: number): string {
  const value = args.positionals[i];
  if (value === undefined) throw new Error(`missing argument ${i + 1}`);
  return value;
}

/** Left-aligned columns separated by two spaces, for list output. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)];
}

/** A store timestamp (unix ms) as an ISO 8601 UTC time without milliseconds. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
