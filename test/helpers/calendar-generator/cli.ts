/**
 * The calendar generator from a shell, for scripts outside Node:
 *
 *   node --import tsx test/helpers/calendar-generator/cli.ts N OUTDIR [--seed 42] [--start 2024-01-01] [--days 1096] [--first K]
 *
 * Prints the manifest as JSON.
 */
import { parseArgs } from 'node:util';
import { generateCalendar } from './index.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { seed: { type: 'string' }, start: { type: 'string' }, days: { type: 'string' }, first: { type: 'string' } },
});
const [n, dir] = positionals;
if (positionals.length !== 2 || !/^\d+$/.test(n!)) {
  console.error('usage: cli.ts N OUTDIR [--seed S] [--start YYYY-MM-DD] [--days D] [--first K]');
  process.exit(2);
}
const number = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const manifest = generateCalendar(Number(n), dir!, {
  seed: values.seed, start: values.start, days: number(values.days), first: number(values.first),
});
console.log(JSON.stringify(manifest));
