import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The shared generator of realistic calendars (time zones, recurrences, overrides, non-ASCII). */
export const GENERATOR = fileURLToPath(new URL('../../../shared/bench/gen_calendar.py', import.meta.url));

/** Writes N generated events into `dir` (dir/events/*.ics and dir/calendar.ics). */
export function generateCalendar(n: number, dir: string, extra: string[] = []): void {
  const r = spawnSync('python3', [GENERATOR, String(n), dir, ...extra], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`gen_calendar.py failed: ${r.stderr}`);
}
