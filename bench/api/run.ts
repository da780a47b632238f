/**
 * API benchmark: 10,000 event creates over HTTP, then time-filtered list pages of 50 over them.
 * Each result is printed beside a ceiling measured in the same run (see bench/README.md):
 *   - HTTP ceiling: the same server answering a trivial authenticated GET /api/v1/tokens;
 *   - storage ceiling: store.importObjects of the same events in one transaction, in-process.
 * The answers are checked too: every create, the final count, and every listed page.
 *
 *   npm run bench:api [-- --concurrency 8 --events 10000 --list-requests 600 --profile --strict --quiet-wait 300]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ApiClient, cpuMeter, percentile, runPool, type CpuUse } from './client.js';
import {
  CALENDAR_ZONE, generateEvents, generateWindows, inWindow, instantOf, iso, type GeneratedEvent, type Window,
} from './data.js';
import {
  ADMIN_TOKEN as TOKEN, Phases, REPO, codeVersion, fmt, ms, printTable, startServer, stopServer, waitForQuiet,
} from './harness.js';
import { mainThreadProfile, printSummary, summarizeProfile, type PhaseSummary } from './profile.js';
import { storageCeiling } from './storage.js';

const RESULTS_FILE = fileURLToPath(new URL('./last-results.json', import.meta.url));
const TARGET_CREATES_PER_S = 1500;
const TARGET_LIST_P50_MS = 10;
const PAGE = 50;

const { values: opts } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '8' },
    events: { type: 'string', default: '10000' },
    'list-requests': { type: 'string', default: '600' },
    profile: { type: 'boolean', default: false },
    'quiet-wait': { type: 'string', default: '300' },
    strict: { type: 'boolean', default: false },
  },
});
const CONCURRENCY = Number(opts.concurrency);
const N_EVENTS = Number(opts.events);
const LIST_REQUESTS = Number(opts['list-requests']);
const QUIET_WAIT_S = Number(opts['quiet-wait']);
for (const [name, v] of [['concurrency', CONCURRENCY], ['events', N_EVENTS], ['list-requests', LIST_REQUESTS]] as const) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
}
if (!(QUIET_WAIT_S >= 0)) throw new Error('--quiet-wait must be a number of seconds');

/** Problems with the answers; any of them fails the run whatever the speed. */
const failures: string[] = [];
const check = (ok: boolean, message: string) => {
  if (!ok && failures.length < 50) failures.push(message);
  return ok;
};

const phases = new Phases();
const phase = <T>(name: string, fn: () => Promise<T>) => phases.run(name, fn);

interface Created { id: string }
interface ListItem { id: string; start: string; rrule: string | null; title: string }
interface ListPage { data: ListItem[]; next_cursor: string | null }

async function createAll(client: ApiClient, calendarId: string, events: GeneratedEvent[], concurrency: number) {
  const ids: string[] = new Array<string>(events.length);
  const path = `/api/v1/calendars/${calendarId}/events`;
  const run = await runPool(events.length, concurrency, async (i) => {
    const r = await client.request('POST', path, events[i]!.json);
    if (!check(r.status === 201, `create #${i}: status ${r.status}: ${r.body.slice(0, 200)}`)) return;
    ids[i] = (JSON.parse(r.body) as Created).id;
  });
  return { ...run, ids };
}

/** Every page of one window, each request timed; checks each page against the generated data. */
async function listWindow(
  client: ApiClient, calendarId: string, w: Window, events: GeneratedEvent[], indexOf: Map<string, number>,
  onPage?: (ms: number, size: number, bytes: number) => void,
): Promise<{ pages: number; count: number }> {
  const base = `/api/v1/calendars/${calendarId}/events?start_after=${iso(w.from)}&start_before=${iso(w.to)}&page_limit=${PAGE}`;
  const seen = new Set<string>();
  let cursor: string | null = null;
  let last = -Infinity;
  let pages = 0;
  const where = `window ${iso(w.from)}..${iso(w.to)}`;
  do {
    const path: string = cursor ? `${base}&page_cursor=${encodeURIComponent(cursor)}` : base;
    const t0 = performance.now();
    const r = await client.request('GET', path);
    const ms = performance.now() - t0;
    pages++;
    if (!check(r.status === 200, `${where}: status ${r.status}: ${r.body.slice(0, 200)}`)) break;
    const page = JSON.parse(r.body) as ListPage;
    onPage?.(ms, page.data.length, Buffer.byteLength(r.body));
    check(page.data.length <= PAGE, `${where}: a page of ${page.data.length} events`);
    check(page.next_cursor === null || page.data.length === PAGE, `${where}: a short page with a next cursor`);
    for (const item of page.data) {
      const i = indexOf.get(item.id);
      const e = i === undefined ? undefined : events[i];
      if (!check(e !== undefined, `${where}: unknown event id ${item.id}`) || !e) continue;
      check(!seen.has(item.id), `${where}: ${item.id} listed twice`);
      seen.add(item.id);
      const start = instantOf(item.start);
      check(start === e.starts[0], `${where}: ${item.id} starts at ${item.start}, created with ${e.body.start}`);
      // A single event starts inside the window; a series has an occurrence that does.
      check(inWindow(e, w), `${where}: ${item.id} (${item.start}, ${item.rrule ?? 'single'}) has no start in the window`);
      check(start >= last, `${where}: ${item.id} (${item.start}) is listed after a later start`);
      last = start;
    }
    cursor = page.next_cursor;
  } while (cursor);
  const expected = events.filter((e) => inWindow(e, w)).length;
  check(seen.size === expected, `${where}: ${seen.size} events through ${pages} pages, expected ${expected}`);
  return { pages, count: seen.size };
}

/** Runs everything; resolves whether every target was met (wrong answers exit 1 before). */
async function main(): Promise<boolean> {
  const events = generateEvents(N_EVENTS);
  const warmEvents = generateEvents(500, 1);
  const windows = generateWindows(2000);
  const dataDir = mkdtempSync(join(tmpdir(), 'calcast-bench-'));
  // Kept after the run (its path is printed) for a closer look in Chrome DevTools or speedscope.
  const profileDir = opts.profile ? mkdtempSync(join(tmpdir(), 'calcast-bench-profile-')) : null;
  const code = codeVersion();
  console.log(`Calcast API bench: ${fmt(N_EVENTS)} events, create concurrency ${CONCURRENCY}, ` +
    `${cpus().length} cores, node ${process.version}${opts.profile ? ', server CPU profile on' : ''}`);
  console.log(`Code: commit ${code.commit}${code.dirty ? ' with uncommitted changes' : ''}, src+migrations hash ${code.srcHash}`);

  await waitForQuiet(QUIET_WAIT_S);
  const server = await startServer(join(dataDir, 'data'), profileDir);
  const client = new ApiClient('127.0.0.1', server.port, TOKEN, CONCURRENCY);
  const cpu: Record<string, CpuUse> = {};
  let targetsMet = false;
  const pid = server.child.pid!;
  try {
    // Warm-up (not timed): JIT the auth, create and list paths on a scratch calendar, then drop it.
    await phase('warm-up', async () => {
      await runPool(2000, CONCURRENCY, async () => { await client.json('GET', '/api/v1/tokens', 200); });
      const warm = await client.json<Created>('POST', '/api/v1/calendars', 201, { title: 'Warm-up', timezone: CALENDAR_ZONE });
      const created = await createAll(client, warm.id, warmEvents, CONCURRENCY);
      const warmIndex = new Map<string, number>();
      created.ids.forEach((id, i) => warmIndex.set(id, i));
      for (const w of windows.slice(0, 40)) await listWindow(client, warm.id, w, warmEvents, warmIndex);
      await client.json('GET', `/api/v1/calendars/${warm.id}`, 200);
      const del = await client.request('DELETE', `/api/v1/calendars/${warm.id}`);
      check(del.status === 204, `deleting the warm-up calendar: ${del.status}`);
    });

    // (1) HTTP ceiling: the trivial authenticated GET at the same concurrency, as many requests as
    // creates; measured before and after the creates, and the better of the two is the ceiling.
    const measureCeiling = async (name: string) => {
      await waitForQuiet(QUIET_WAIT_S);
      return phase(name, async () => {
        const meter = cpuMeter(pid);
        const run = await runPool(N_EVENTS, CONCURRENCY, async (i) => {
          const r = await client.request('GET', '/api/v1/tokens');
          check(r.status === 200, `GET /tokens #${i}: ${r.status}`);
        });
        cpu[name] = meter();
        return run;
      });
    };
    const ceilingBefore = await measureCeiling('http-ceiling');

    // The creates.
    const calendar = await client.json<Created>('POST', '/api/v1/calendars', 201, { title: 'Bench', timezone: CALENDAR_ZONE });
    await waitForQuiet(QUIET_WAIT_S);
    const creates = await phase('creates', async () => {
      const meter = cpuMeter(pid);
      const run = await createAll(client, calendar.id, events, CONCURRENCY);
      cpu.creates = meter();
      return run;
    });
    const indexOf = new Map<string, number>();
    creates.ids.forEach((id, i) => indexOf.set(id, i)); // skips the holes failed creates leave

    // The final count, twice: the calendar's events_total and a walk through every page.
    const cal = await client.json<{ events_total: number }>('GET', `/api/v1/calendars/${calendar.id}`, 200);
    check(cal.events_total === N_EVENTS, `events_total is ${cal.events_total}, expected ${N_EVENTS}`);
    const all = new Set<string>();
    let cursor: string | null = null;
    do {
      const path: string = `/api/v1/calendars/${calendar.id}/events?page_limit=500${cursor ? `&page_cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page: ListPage = await client.json<ListPage>('GET', path, 200);
      for (const item of page.data) {
        const i = indexOf.get(item.id);
        check(i !== undefined && instantOf(item.start) === events[i]!.starts[0], `full listing: ${item.id} is not an event we created as such`);
        all.add(item.id);
      }
      cursor = page.next_cursor;
    } while (cursor);
    check(all.size === N_EVENTS && indexOf.size === N_EVENTS, `full listing: ${all.size} distinct events, expected ${N_EVENTS}`);

    const ceilingAfter = await measureCeiling('http-ceiling-after');
    const ceiling = ceilingAfter.elapsedMs < ceilingBefore.elapsedMs ? ceilingAfter : ceilingBefore;

    // HTTP latency floor for the list: the trivial GET, sequential.
    const floor: number[] = [];
    for (let i = 0; i < 100; i++) await client.request('GET', '/api/v1/tokens');
    for (let i = 0; i < 500; i++) {
      const t0 = performance.now();
      await client.request('GET', '/api/v1/tokens');
      floor.push(performance.now() - t0);
    }

    // The lists: sequential (c=1), every page of each window, until enough requests.
    for (const w of windows.slice(0, 20)) await listWindow(client, calendar.id, w, events, indexOf); // warm-up
    await waitForQuiet(QUIET_WAIT_S);
    const list = await phase('list', async () => {
      const meter = cpuMeter(pid);
      const latencies: number[] = [];
      const full: number[] = [];
      const first: number[] = [];
      const windowCounts: number[] = [];
      let items = 0;
      let bytes = 0;
      let used = 0;
      for (const w of windows) {
        if (latencies.length >= LIST_REQUESTS) break;
        let firstPage = true;
        const { count } = await listWindow(client, calendar.id, w, events, indexOf, (t, size, length) => {
          latencies.push(t);
          items += size;
          bytes += length;
          if (size === PAGE) full.push(t);
          if (firstPage) first.push(t);
          firstPage = false;
        });
        windowCounts.push(count);
        used++;
      }
      cpu.list = meter();
      return { latencies, full, first, windowCounts, items, bytes, windows: windows.slice(0, used) };
    });

    client.close();
    await stopServer(server);

    let profile: PhaseSummary[] = [];
    if (profileDir) {
      const file = mainThreadProfile(profileDir);
      if (file) {
        profile = summarizeProfile(file, phases.list.filter((p) => p.phase !== 'warm-up' && p.phase !== 'http-ceiling-after'));
        console.log(`Server CPU profile: ${file}`);
      } else {
        console.log('(no .cpuprofile was written by the server)');
      }
    }

    // (2) Storage ceiling, in this process, with the server stopped so it has the machine.
    console.log('HTTP phases done; measuring the storage ceiling in-process…');
    await waitForQuiet(QUIET_WAIT_S);
    const storageMeter = cpuMeter(pid); // the server is gone: this is the bench process and the rest
    const storage = await storageCeiling(events, list.windows, Infinity);
    cpu.storage = storageMeter();
    const sameCounts = storage.windowCounts.length === list.windowCounts.length
      && storage.windowCounts.every((c, i) => c === list.windowCounts[i]);
    check(sameCounts, 'store.listObjects counts differ from the HTTP listing for the same windows');

    // Results.
    const createRate = N_EVENTS / (creates.elapsedMs / 1000);
    const ceilingRate = N_EVENTS / (ceiling.elapsedMs / 1000);
    const importRate = N_EVENTS / (storage.importMs / 1000);
    const buildRate = N_EVENTS / (storage.buildMs / 1000);
    const oneByOneRate = N_EVENTS / (storage.createOneByOneMs / 1000);
    const pipelineRate = N_EVENTS / ((storage.buildMs + storage.importMs) / 1000);
    const p = (xs: ArrayLike<number>, q: number) => percentile(xs, q);
    const listP50 = p(list.latencies, 50);
    const listP99 = p(list.latencies, 99);
    const fullP50 = p(list.full, 50);
    const fullP99 = p(list.full, 99);
    const floorP50 = p(floor, 50);
    const floorP99 = p(floor, 99);
    const storeP50 = p(storage.listLatenciesMs, 50);
    const storeP99 = p(storage.listLatenciesMs, 99);
    const storeFullP50 = p(storage.listFullPageLatenciesMs, 50);
    const passCreates = createRate >= TARGET_CREATES_PER_S;
    const passList = listP50 < TARGET_LIST_P50_MS;
    const passFull = list.full.length === 0 || fullP50 < TARGET_LIST_P50_MS; // small runs may have no full page
    const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

    const rows: [string, string, string, string, string, string][] = [
      ['measure', 'value', 'ceiling', 'ratio', 'target', 'pass?'],
      [`HTTP creates, c=${CONCURRENCY}`, `${fmt(createRate)} ev/s`, `GET /tokens: ${fmt(ceilingRate)} req/s`,
        `${fmt(createRate / ceilingRate, 3)}`, `≥ ${fmt(TARGET_CREATES_PER_S)} ev/s`, pass(passCreates)],
      ['HTTP creates vs storage', `${fmt(createRate)} ev/s`, `importObjects: ${fmt(importRate)} ev/s`,
        `${fmt(createRate / importRate, 3)}`, '-', '-'],
      ['HTTP creates vs in-process create path', `${fmt(createRate)} ev/s`, `build+createObject: ${fmt(N_EVENTS / ((storage.buildMs + storage.createOneByOneMs) / 1000))} ev/s`,
        `${fmt(createRate / (N_EVENTS / ((storage.buildMs + storage.createOneByOneMs) / 1000)), 3)}`, '-', '-'],
      [`create latency p50 / p99, c=${CONCURRENCY}`, `${ms(p(creates.latencies, 50))} / ${ms(p(creates.latencies, 99))}`,
        `GET /tokens: ${ms(p(ceiling.latencies, 50))} / ${ms(p(ceiling.latencies, 99))}`,
        `${fmt(p(creates.latencies, 50) / p(ceiling.latencies, 50), 2)}`, '-', '-'],
      [`list p50, all pages (n=${list.latencies.length})`, ms(listP50), `GET /tokens c=1: ${ms(floorP50)}`,
        `${fmt(listP50 / floorP50, 2)}`, `< ${TARGET_LIST_P50_MS} ms`, pass(passList)],
      ['list p99, all pages', ms(listP99), `GET /tokens c=1: ${ms(floorP99)}`, `${fmt(listP99 / floorP99, 2)}`, '-', '-'],
      [`list p50, full pages of 50 (n=${list.full.length})`, ms(fullP50), `listObjects: ${ms(storeFullP50)}`,
        `${fmt(fullP50 / storeFullP50, 2)}`, `< ${TARGET_LIST_P50_MS} ms`, pass(passFull)],
      ['list p99, full pages of 50', ms(fullP99), '-', '-', '-', '-'],
      [`list p50, first page of each window (n=${list.first.length})`, ms(p(list.first, 50)),
        `listObjects: ${ms(p(storage.listFirstPageLatenciesMs, 50))}`, `${fmt(p(list.first, 50) / p(storage.listFirstPageLatenciesMs, 50), 2)}`, '-', '-'],
      ['list p50 / p99 vs storage, all pages', `${ms(listP50)} / ${ms(listP99)}`, `listObjects: ${ms(storeP50)} / ${ms(storeP99)}`,
        `${fmt(listP50 / storeP50, 2)}`, '-', '-'],
      [`build ${fmt(N_EVENTS)} writes (parse, validate, iCal, describe)`, `${fmt(storage.buildMs)} ms`, `${fmt(buildRate)} ev/s`, '-', '-', '-'],
      [`importObjects ${fmt(N_EVENTS)} (one transaction)`, `${fmt(storage.importMs)} ms`, `${fmt(importRate)} ev/s`, '-', '-', '-'],
      [`createObject x${fmt(N_EVENTS)} (one transaction each)`, `${fmt(storage.createOneByOneMs)} ms`, `${fmt(oneByOneRate)} ev/s`, '-', '-', '-'],
    ];
    console.log();
    printTable(rows);

    const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(0)}%`);
    console.log();
    for (const [name, u] of Object.entries(cpu)) {
      const who = u.server === null ? `bench process ${pct(u.client)}` : `server ${pct(u.server)}, client ${pct(u.client)}`;
      console.log(`CPU during ${name}: ${who}, other processes ${pct(u.others)} (of one core)`);
    }
    const noisy = Object.entries(cpu).filter(([, u]) => (u.others ?? 0) > 0.15).map(([name]) => name);
    if (noisy.length) console.log(`NOTE: other processes used over 15% of a core during ${noisy.join(', ')}; those numbers are noisy.`);
    console.log(`HTTP ceiling: ${fmt(N_EVENTS / (ceilingBefore.elapsedMs / 1000))} req/s before the creates, ` +
      `${fmt(N_EVENTS / (ceilingAfter.elapsedMs / 1000))} req/s after; the table uses the better one.`);
    const pages = list.latencies.length;
    console.log(`List phase: ${list.windows.length} windows of 7-32 days, ${pages} pages, ${fmt(list.items / pages, 1)} events/page ` +
      `(${fmt(list.bytes / pages / 1024, 1)} KiB of JSON), ` +
      `${fmt(list.windowCounts.reduce((a, b) => a + b, 0) / list.windowCounts.length, 1)} events/window.`);
    if (failures.length) console.log(`Checks: ${failures.length} WRONG ANSWERS, listed at the end.`);
    else console.log(`Checks: ${fmt(N_EVENTS)} creates answered 201, events_total = ${fmt(cal.events_total)}, ` +
      `${fmt(all.size)} distinct events through every page; ${list.windows.length} windows matched the generated data ` +
      `(count, bounds, order, starts); store.listObjects counts ${sameCounts ? 'agree' : 'DISAGREE'}.`);
    if (!passCreates) console.log(`TARGET MISSED: creates at ${fmt(createRate)} ev/s, ${fmt(100 * (1 - createRate / TARGET_CREATES_PER_S), 1)}% below ${TARGET_CREATES_PER_S}/s.`);
    if (!passList || !passFull) {
      console.log(`TARGET MISSED: list p50 ${ms(listP50)} (full pages ${ms(fullP50)}), target < ${TARGET_LIST_P50_MS} ms.`);
    }
    for (const s of profile) printSummary(s);

    const results = {
      date: new Date().toISOString(),
      machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
      code,
      settings: { events: N_EVENTS, concurrency: CONCURRENCY, pageLimit: PAGE, listRequests: pages, listWindows: list.windows.length },
      creates: {
        eventsPerSecond: createRate, elapsedMs: creates.elapsedMs, latencyP50Ms: p(creates.latencies, 50), latencyP99Ms: p(creates.latencies, 99),
        target: TARGET_CREATES_PER_S, pass: passCreates,
      },
      httpCeiling: { route: 'GET /api/v1/tokens', requestsPerSecond: ceilingRate, beforeCreates: N_EVENTS / (ceilingBefore.elapsedMs / 1000), afterCreates: N_EVENTS / (ceilingAfter.elapsedMs / 1000), latencyP50Ms: p(ceiling.latencies, 50), latencyP99Ms: p(ceiling.latencies, 99), sequentialP50Ms: floorP50, sequentialP99Ms: floorP99 },
      storageCeiling: { buildMs: storage.buildMs, buildEventsPerSecond: buildRate, importMs: storage.importMs, importEventsPerSecond: importRate, buildPlusImportEventsPerSecond: pipelineRate, createOneByOneMs: storage.createOneByOneMs, createOneByOneEventsPerSecond: oneByOneRate, listP50Ms: storeP50, listP99Ms: storeP99, listFullPageP50Ms: storeFullP50, listFirstPageP50Ms: p(storage.listFirstPageLatenciesMs, 50) },
      list: { p50Ms: listP50, p99Ms: listP99, fullPageP50Ms: fullP50, fullPageP99Ms: fullP99, firstPageP50Ms: p(list.first, 50), pages, fullPages: list.full.length, eventsPerPage: list.items / pages, bytesPerPage: list.bytes / pages, target: TARGET_LIST_P50_MS, pass: passList && passFull },
      ratios: { createsVsHttpCeiling: createRate / ceilingRate, createsVsImport: createRate / importRate, listP50VsTrivialGet: listP50 / floorP50, listP50VsListObjects: listP50 / storeP50 },
      cpu,
      checks: { ok: failures.length === 0, failures },
      ...(profile.length ? { profile } : {}),
    };
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nResults written to ${RESULTS_FILE.replace(REPO, '')}`);
    targetsMet = passCreates && passList && passFull;
  } catch (err) {
    console.error(`server output:\n${server.output()}`);
    throw err;
  } finally {
    client.close();
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (failures.length) {
    console.error(`\nWRONG ANSWERS (${failures.length}${failures.length === 50 ? '+' : ''}):`);
    for (const f of failures) console.error(`  ${f}`);
    process.exit(1);
  }
  return targetsMet;
}

const targetsMet = await main();
if (opts.strict && !targetsMet) process.exit(2);
