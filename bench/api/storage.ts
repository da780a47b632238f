import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseInput } from '../../src/api/validate.js';
import { describeObject } from '../../src/entries/describe.js';
import { eventMapping } from '../../src/entries/event.js';
import { hasTimeFilter, matchingInstances, type TimeFilter } from '../../src/entries/instances.js';
import { filteredPage } from '../../src/entries/filtered-page.js';
import { eventInput } from '../../src/entries/schemas.js';
import { createEntryText } from '../../src/entries/write.js';
import { parseCalendar } from '../../src/ical/parse.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { Calendar, CalendarObject, Keyset, ObjectWrite, Store } from '../../src/store/types.js';
import { systemClock } from '../../src/util/clock.js';
import { feedKey, randomId } from '../../src/util/ids.js';
import { percentile } from './client.js';
import { CALENDAR_ZONE, type GeneratedEvent, type Window } from './data.js';

/**
 * The storage ceiling, in this process: the same events built the way a create builds them
 * (JSON parse, validation, iCalendar text, parse back, derived columns), then written by
 * store.importObjects in one transaction. No HTTP, no Koa, no per-request transaction.
 */
export interface StorageResult {
  buildMs: number;
  importMs: number;
  /** store.createObject one at a time (one transaction each), on a fresh database. */
  createOneByOneMs: number;
  listLatenciesMs: number[];
  listFullPageLatenciesMs: number[];
  listFirstPageLatenciesMs: number[];
  /** Events counted through all pages of each window, to cross-check the HTTP listing. */
  windowCounts: number[];
}

async function freshStore(dir: string, name: string): Promise<{ store: Store; calendar: Calendar }> {
  const store = createSqliteStore(join(dir, name), systemClock);
  const user = await store.createUser('bench', 'not-a-real-hash');
  const id = randomId();
  const calendar = await store.createCalendar({
    id, ownerId: user.id, slug: id, feedKey: feedKey(), title: 'Bench', description: null, timezone: CALENDAR_ZONE,
    color: null, weekdayBegin: null, customData: null, published: true, components: ['VEVENT', 'VTODO', 'VJOURNAL'],
    settings: {},
  });
  return { store, calendar };
}

/**
 * What POST /calendars/:id/events does between reading the body and calling the store; it
 * mirrors createEntry in src/entries/service.ts (readJson, parseInput, createEntryText,
 * describeObject) and must follow it when that changes.
 */
export function buildWrite(json: string, zone: string): ObjectWrite {
  const input = parseInput(eventInput, JSON.parse(json));
  const built = createEntryText(eventMapping, input, `${randomUUID()}@calcast`, zone, Date.now());
  const id = randomId();
  return describeObject(built.root, zone, { id, uri: `${id}.ics` }, null, built.text);
}

export async function storageCeiling(events: GeneratedEvent[], windows: Window[], listRequests: number): Promise<StorageResult> {
  const dir = mkdtempSync(join(tmpdir(), 'calcast-bench-store-'));
  try {
    // Warm the JIT on a slice so the timed build is steady-state, like the warmed server.
    for (const e of events.slice(0, 500)) buildWrite(e.json, CALENDAR_ZONE);

    const t0 = performance.now();
    const writes = events.map((e) => buildWrite(e.json, CALENDAR_ZONE));
    const buildMs = performance.now() - t0;

    const { store, calendar } = await freshStore(dir, 'import.sqlite');
    const t1 = performance.now();
    const result = await store.importObjects(calendar.id, writes);
    const importMs = performance.now() - t1;
    if (result.created !== events.length || result.updated !== 0) {
      throw new Error(`importObjects created ${result.created} and updated ${result.updated}, expected ${events.length} creates`);
    }

    const one = await freshStore(dir, 'one-by-one.sqlite');
    const t2 = performance.now();
    for (const w of writes) await one.store.createObject(one.calendar.id, w);
    const createOneByOneMs = performance.now() - t2;
    await one.store.close();

    // The list query the API runs (SQL prefilter + exact recurrence check), without HTTP or JSON.
    const listLatenciesMs: number[] = [];
    const listFullPageLatenciesMs: number[] = [];
    const listFirstPageLatenciesMs: number[] = [];
    const windowCounts: number[] = [];
    const page = async (filter: TimeFilter, after?: Keyset) => {
      const roots = new Map<string, ReturnType<typeof parseCalendar>>();
      const root = (o: CalendarObject) => roots.get(o.id) ?? roots.set(o.id, parseCalendar(o.data)).get(o.id)!;
      const query = { calendarIds: [calendar.id], componentType: 'VEVENT' as const, ...filter, order: 'START_DATE_ASC' as const, limit: 50, ...(after ? { after } : {}) };
      return hasTimeFilter(filter)
        ? filteredPage(store, query, (o) => !o.recurring || matchingInstances(root(o), CALENDAR_ZONE, filter, 100).length > 0)
        : store.listObjects(query);
    };
    for (const w of windows.slice(0, 20)) await page({ startAfter: w.from, startBefore: w.to }); // warm-up
    for (const w of windows) {
      if (listLatenciesMs.length >= listRequests) break;
      const filter = { startAfter: w.from, startBefore: w.to };
      let after: Keyset | undefined;
      let count = 0;
      do {
        const t = performance.now();
        const p = await page(filter, after);
        const ms = performance.now() - t;
        listLatenciesMs.push(ms);
        if (p.objects.length === 50) listFullPageLatenciesMs.push(ms);
        if (!after) listFirstPageLatenciesMs.push(ms);
        count += p.objects.length;
        after = p.next ?? undefined;
      } while (after);
      windowCounts.push(count);
    }
    await store.close();
    return { buildMs, importMs, createOneByOneMs, listLatenciesMs, listFullPageLatenciesMs, listFirstPageLatenciesMs, windowCounts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export { percentile };
