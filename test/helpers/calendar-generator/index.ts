import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from './content-lines.js';
import { makeEvent, type EventKind } from './event.js';

export { UID_DOMAIN } from './event.js';
import { seededRandom } from './random.js';
import { vtimezone } from './zones.js';

// Calcast's generator of realistic calendars, for the tests and the benches: timed events in
// IANA, Windows and invented zones and in UTC, some with DURATION; all-day events over one to
// five days, some yearly; weekly, monthly and daily series bounded by COUNT, UNTIL or nothing,
// with EXDATEs on real instances and RECURRENCE-ID overrides; multi-script text that makes
// 75-octet folding split lines among multi-byte characters. Deterministic from its seed.

export interface GenerateOptions {
  /** Same seed, same calendar (default '42'). */
  seed?: string;
  /** First day events may fall on, YYYY-MM-DD (default 2024-01-01). */
  start?: string;
  /** Events spread over this many days from `start` (default 1096: 2024 to 2026). */
  days?: number;
  /** Write only events first..n-1, e.g. fresh events for a PUT test (default 0). */
  first?: number;
}

export interface Manifest {
  n: number;
  first: number;
  seed: string;
  start: string;
  days: number;
  kinds: Partial<Record<EventKind, number>>;
  vevents: number;
  timezones: string[];
  combined_bytes: number;
  combined_sha256: string;
  event_files_bytes: number;
  /** A week the CalDAV bench queries (2025-06-02 to 06-09). */
  query_week: { start: string; end: string };
}

const HEAD = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Calcast//calendar generator//EN', 'CALSCALE:GREGORIAN'];

/**
 * Writes events first..n-1 into `dir`: dir/events/<uid local part>.ics, one VCALENDAR per event
 * with only the VTIMEZONE it uses and no METHOD (a CalDAV PUT body, RFC 4791 §4.1);
 * dir/calendar.ics, all of them in one METHOD:PUBLISH feed with each VTIMEZONE once; and
 * dir/manifest.json, what was written.
 */
export function generateCalendar(n: number, dir: string, options: GenerateOptions = {}): Manifest {
  const { seed = '42', start = '2024-01-01', days = 1096, first = 0 } = options;
  const from = new Date(`${start}T00:00:00Z`);
  if (!Number.isInteger(n) || !Number.isInteger(first) || first < 0 || first > n) throw new Error(`need 0 <= first <= n, got ${first}, ${n}`);
  if (Number.isNaN(from.getTime()) || !Number.isInteger(days) || days < 1) throw new Error(`bad start ${start} or days ${days}`);
  const eventsDir = join(dir, 'events');
  mkdirSync(eventsDir, { recursive: true });
  for (const f of readdirSync(eventsDir)) if (f.endsWith('.ics')) unlinkSync(join(eventsDir, f));

  const kinds: Manifest['kinds'] = {};
  const zones = new Set<string>();
  const allVevents: string[] = [];
  let eventBytes = 0;
  for (let i = first; i < n; i++) {
    const e = makeEvent(seededRandom(`${seed}:${i}`), i, from, days);
    kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;
    if (e.tzid) zones.add(e.tzid);
    const vevents = e.vevents.flat();
    const data = Buffer.from(render([...HEAD, ...(e.tzid ? vtimezone(e.tzid) : []), ...vevents, 'END:VCALENDAR']));
    eventBytes += data.length;
    writeFileSync(join(eventsDir, `${e.name}.ics`), data);
    allVevents.push(...vevents);
  }
  const combined = Buffer.from(render([
    ...HEAD, 'METHOD:PUBLISH', `X-WR-CALNAME:Generated calendar\\, ${n - first} events`, 'X-WR-TIMEZONE:Europe/Paris',
    ...[...zones].sort().flatMap(vtimezone), ...allVevents, 'END:VCALENDAR',
  ]));
  writeFileSync(join(dir, 'calendar.ics'), combined);
  const manifest: Manifest = {
    n: n - first, first, seed, start, days, kinds,
    vevents: allVevents.filter((l) => l === 'BEGIN:VEVENT').length,
    timezones: [...zones].sort(),
    combined_bytes: combined.length,
    combined_sha256: createHash('sha256').update(combined).digest('hex'),
    event_files_bytes: eventBytes,
    query_week: { start: '20250602T000000Z', end: '20250609T000000Z' },
  };
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}
