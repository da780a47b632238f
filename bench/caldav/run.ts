/**
 * CalDAV benchmark: Calcast against Radicale and Xandikos (Debian's packages), in one run, on
 * the same calendar of 10,000 events from test/helpers/calendar-generator (and its first 1,000).
 * Each measure is taken sequentially (one connection, c=1) on every server: by wrk, the servers
 * taking turns in 1 s slices, or by a Node client for servers slower than 50 ms a request. Its
 * answer is checked (the calendar-query against a truth computed without any server's code),
 * and Calcast is compared with the peer its target names. See bench/README.md.
 *
 *   npm run bench:caldav [-- --duration 5 --budget 20 --quiet-wait 120 --peers radicale,xandikos --profile --strict]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpuMeter, percentile, type CpuUse, type RawReply } from '../api/client.js';
import { Phases, REPO, codeVersion, fmt, ms, printTable, waitForQuiet } from '../api/harness.js';
import { mainThreadProfile, printSummary, summarizeProfile, type PhaseSummary } from '../api/profile.js';
import { UID_DOMAIN, generateCalendar } from '../../test/helpers/calendar-generator/index.js';
import { bodies, parseMultistatus, type Multistatus } from './dav.js';
import { wrkSlice } from '../lib/wrk-lua.js';
import {
  missingPeers, startCalcast, startRadicale, startXandikos, type DavServer, type ServerName, type Size,
} from './servers.js';

const RESULTS_FILE = fileURLToPath(new URL('./last-results.json', import.meta.url));
const TRUTH_PY = fileURLToPath(new URL('./truth.py', import.meta.url));
const TRUTH_JS = fileURLToPath(new URL('./truth-icaljs.ts', import.meta.url));

const { values: opts } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    small: { type: 'string', default: '1000' },
    peers: { type: 'string', default: 'radicale,xandikos' },
    duration: { type: 'string', default: '5' },
    budget: { type: 'string', default: '20' },
    'min-requests': { type: 'string', default: '3' },
    'multiget-size': { type: 'string', default: '50' },
    'load-concurrency': { type: 'string', default: '4' },
    'quiet-wait': { type: 'string', default: '120' },
    profile: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const N_BIG = Number(opts.events);
const N_SMALL = Number(opts.small);
const DURATION_S = Number(opts.duration);
const BUDGET_S = Number(opts.budget);
const MIN_REQUESTS = Number(opts['min-requests']);
const MULTIGET = Number(opts['multiget-size']);
const LOAD_CONCURRENCY = Number(opts['load-concurrency']);
const QUIET_WAIT_S = Number(opts['quiet-wait']);
for (const [name, v] of [['events', N_BIG], ['small', N_SMALL], ['min-requests', MIN_REQUESTS], ['multiget-size', MULTIGET], ['load-concurrency', LOAD_CONCURRENCY]] as const) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
}
if (N_SMALL > N_BIG || MULTIGET > N_SMALL) throw new Error('need --multiget-size <= --small <= --events');
if (!Number.isInteger(DURATION_S) || !(DURATION_S > 0) || !(BUDGET_S >= DURATION_S) || !(QUIET_WAIT_S >= 0)) throw new Error('need --duration a whole number of seconds > 0, --budget >= --duration, --quiet-wait >= 0');
const PEER_NAMES: Record<string, ServerName> = { radicale: 'Radicale', xandikos: 'Xandikos' };
const PEERS = opts.peers === 'none' || opts.peers === '' ? [] : opts.peers.split(',').map((p) => {
  const name = PEER_NAMES[p.trim().toLowerCase()];
  if (!name) throw new Error(`--peers: unknown peer ${p} (radicale, xandikos or none)`);
  return name;
});
/** Untimed requests Calcast gets before each series, for its JIT. */
const CALCAST_WARMUP_S = 3;
/** Servers that answered the warm-up within this are timed by wrk; slower ones by the Node client. */
const WRK_MAX_MS = 50;
/** wrk's turns: each server fast enough for it gets --duration in slices of this many seconds. */
const SLICE_S = 1;
/** The Node client stops after this many requests in a measure. */
const MAX_REQUESTS = 20_000;
/** Xandikos builds a property index for a collection once a filter key has been asked for more
 * than INDEXING_THRESHOLD = 5 times (xandikos/store/index.py): from the 7th query on it answers
 * from that index. Its steady state is the indexed one, so it gets 7 untimed queries first. */
const XANDIKOS_QUERY_WARMUPS = 7;

/** Wrong answers: Calcast's fail the run (exit 1); peers' are marked as such in the table. */
const calcastFailures: string[] = [];

const human = (n: number) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : fmt(n));
const big = human(N_BIG);
const small = human(N_SMALL);

// ---------------------------------------------------------------- data and truth

function generate(dir: string): { events: string; week: { start: string; end: string } } {
  return { events: join(dir, 'events'), week: generateCalendar(N_BIG, dir).query_week };
}

interface Truth { count: number; matches: string[]; instances: number; by: string; ms: number }

/** Runs a truth script in a child process (so it can overlap the servers' preparation). */
function runTruth(cmd: string, args: string[], by: string): Promise<Truth | { error: string; code: number | null }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    child.on('error', (e) => resolve({ error: e.message, code: null }));
    child.on('close', (code) => {
      if (code !== 0) return resolve({ error: err.trim() || `exit ${code}`, code });
      resolve({ ...(JSON.parse(out) as Omit<Truth, 'by' | 'ms'>), by, ms: performance.now() - t0 });
    });
  });
}

/** The Python with icalendar + recurring_ical_events (Debian's python3 has them as packages). */
function truthPython(): string | null {
  for (const py of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(py, ['-c', 'import icalendar, recurring_ical_events'], { stdio: 'ignore' });
      return py;
    } catch { /* next */ }
  }
  return null;
}

// ---------------------------------------------------------------- measures

interface Answer { ok: boolean; summary: string; detail?: string }

interface MeasureDef {
  id: string;
  title: string;
  size: Size;
  method: 'REPORT' | 'PROPFIND';
  depth: '0' | '1' | null;
  body: (s: DavServer) => string;
  check: (m: Multistatus, s: DavServer) => Answer;
}

interface Series {
  server: ServerName;
  measure: string;
  requests: number;
  wallMs: number;
  /** What timed it: wrk, or the Node client for slow servers. */
  timedBy: 'wrk' | 'node';
  reqPerS: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
  warmups: number[];
  /** Mean length of a response body, in characters. */
  responseBytes: number;
  answer: Answer;
  cpu: CpuUse;
}

/** Compares the member names an answer lists with the expected ones. */
function sameNames(got: string[], want: Set<string>, what: string): Answer {
  const gotSet = new Set(got);
  const missing = [...want].filter((n) => !gotSet.has(n));
  const extra = got.filter((n) => !want.has(n));
  const dup = got.length - gotSet.size;
  const ok = missing.length === 0 && extra.length === 0 && dup === 0;
  const problems = [
    missing.length ? `${fmt(missing.length)} missing (e.g. ${missing.slice(0, 3).join(', ')})` : '',
    extra.length ? `${fmt(extra.length)} not expected (e.g. ${extra.slice(0, 3).join(', ')})` : '',
    dup ? `${dup} listed twice` : '',
  ].filter(Boolean).join('; ');
  return {
    ok,
    summary: ok ? `${fmt(gotSet.size)} ${what}` : `${fmt(gotSet.size)} of ${fmt(want.size)} ${what} WRONG`,
    ...(problems ? { detail: problems } : {}),
  };
}

const isMember = (name: string) => name.endsWith('.ics');

interface Part { def: MeasureDef; path: string; body: string }

/** One server's share of a group of measures: its warm-up, and what its timed requests gave. */
interface Plan {
  s: DavServer;
  name: string;
  parts: Part[];
  warmups: number[][];
  viaWrk: boolean;
  lat: number[][];
  replies: RawReply[][];
  bytes: number[];
  /** Under wrk: requests completed and the seconds they took (wrk's Requests/sec is the ratio). */
  wrk: { requests: number; seconds: number }[];
  errors: number;
  /** Seconds timed, and CPU seconds over them. */
  wall: number;
  cpu: { server: number | null; client: number; others: number | null };
}

/**
 * The Node client's timed loop, for servers too slow for wrk's slices: the parts alternate
 * request by request until each has MIN_REQUESTS and `seconds` have passed, or `budget` has.
 */
async function nodeLoop(s: DavServer, parts: Part[], seconds: number, budget: number) {
  const lat: number[][] = parts.map(() => []);
  const replies: RawReply[][] = parts.map(() => []);
  const lastLength = parts.map(() => -1);
  const bytes = parts.map(() => 0);
  const start = performance.now();
  for (;;) {
    for (const [i, { def, path, body }] of parts.entries()) {
      const t0 = performance.now();
      const r = await s.client.xmlRaw(def.method, path, body, def.depth);
      lat[i]!.push(performance.now() - t0);
      bytes[i]! += r.bytes.length;
      // Keep the first reply, and any that differs in length from the one before (to check).
      if (r.status !== 207 || r.bytes.length !== lastLength[i]) replies[i]!.push(r);
      lastLength[i] = r.bytes.length;
    }
    const n = lat[0]!.length;
    const elapsed = (performance.now() - start) / 1000;
    if ((n >= MIN_REQUESTS && elapsed >= seconds) || elapsed >= budget || n * parts.length >= MAX_REQUESTS) break;
  }
  return { lat, replies, bytes };
}

async function main(): Promise<boolean> {
  const began = performance.now();
  const missing = missingPeers(PEERS);
  if (missing.length) {
    console.error('Cannot run the CalDAV bench:');
    for (const m of missing) console.error(`  - ${m}`);
    console.error('(or run without the missing one: --peers xandikos, --peers radicale or --peers none)');
    process.exit(3);
  }
  const work = mkdtempSync(join(tmpdir(), 'calcast-caldav-bench-'));
  const profileDir = opts.profile ? mkdtempSync(join(tmpdir(), 'calcast-caldav-profile-')) : null;
  const code = codeVersion();
  console.log(`Calcast CalDAV bench: ${fmt(N_BIG)} + ${fmt(N_SMALL)} events, peers: ${PEERS.join(', ') || 'none'}, ` +
    `${cpus().length} cores, node ${process.version}${opts.profile ? ', Calcast CPU profile on' : ''}`);
  console.log(`Code: commit ${code.commit}${code.dirty ? ' with uncommitted changes' : ''}, src+migrations hash ${code.srcHash}`);

  const data = generate(join(work, 'data'));
  const all = readdirSync(data.events).filter((n) => n.endsWith('.ics')).sort();
  if (all.length !== N_BIG) throw new Error(`the generator wrote ${all.length} event files, expected ${N_BIG}`);
  // Event i is generated from its own seed, so the first N_SMALL files are exactly the N_SMALL set.
  const names: Record<Size, string[]> = { big: all, small: all.slice(0, N_SMALL) };
  const nameSets: Record<Size, Set<string>> = { big: new Set(names.big), small: new Set(names.small) };
  const uidOf = (name: string) => `${name.replace(/\.ics$/, '')}@${UID_DOMAIN}`;
  const multigetNames = Array.from({ length: MULTIGET }, (_, i) => names.small[Math.floor((i * N_SMALL) / MULTIGET)]!);
  console.log(`Data: ${fmt(all.length)} event files; query week ${data.week.start} .. ${data.week.end}.`);

  const phases = new Phases();
  const servers: DavServer[] = [];
  const cpu: Record<string, CpuUse> = {};
  let profile: PhaseSummary[] = [];
  const series: Series[] = [];
  const notes: string[] = [];
  let targetsMet = false;
  try {
    // ---- Calcast, loaded alone (its PUT rate is printed for the record).
    await waitForQuiet(QUIET_WAIT_S);
    const calcast = await startCalcast(join(work, 'calcast'), profileDir, data.events, names, LOAD_CONCURRENCY);
    servers.push(calcast);
    console.log(`Calcast loaded: ${calcast.load.map((l) => `${l.how}: ${fmt(l.ms / 1000, 1)} s`).join('; ')}.`);

    // ---- The truth, in child processes, while the peers are prepared.
    const py = truthPython();
    const truthRuns = [
      ...(py ? [runTruth(py, [TRUTH_PY, data.events, data.week.start, data.week.end], 'python3-icalendar + recurring_ical_events')] : []),
      runTruth(process.execPath, ['--import', 'tsx', TRUTH_JS, data.events, data.week.start, data.week.end], 'ical.js expansion (bench/caldav/truth-icaljs.ts)'),
    ];
    if (!py) console.log('NOTE: python3 icalendar/recurring_ical_events are missing (apt-get install python3-recurring-ical-events); the truth comes from ical.js alone.');

    // ---- The peers, prepared in parallel (none of this is timed). Xandikos also gets its
    // query warm-up here (see XANDIKOS_QUERY_WARMUPS).
    const queryBody = bodies.calendarQuery(data.week.start, data.week.end);
    const queryWarmups = new Map<ServerName, number[]>();
    const prep: Promise<void>[] = [];
    if (PEERS.includes('Radicale')) {
      prep.push((async () => {
        const r = await startRadicale(join(work, 'radicale'), data.events, names);
        servers.push(r);
        for (const size of ['big', 'small'] as const) {
          const t0 = performance.now();
          const reply = await r.client.xml('PROPFIND', r.collections[size], bodies.propfindEtags, '1');
          r.load.push({ how: `first Depth 1 PROPFIND of ${human(names[size].length)}, filling .Radicale.cache`, ms: performance.now() - t0 });
          if (reply.status !== 207) throw new Error(`Radicale PROPFIND ${r.collections[size]}: ${reply.status} ${reply.body.slice(0, 300)}`);
        }
      })());
    }
    if (PEERS.includes('Xandikos')) {
      prep.push((async () => {
        const x = await startXandikos(join(work, 'xandikos'), data.events, names);
        servers.push(x);
        const lat: number[] = [];
        for (let i = 0; i < XANDIKOS_QUERY_WARMUPS; i++) {
          const t0 = performance.now();
          await x.client.xml('REPORT', x.collections.big, queryBody, '1');
          lat.push(performance.now() - t0);
        }
        queryWarmups.set('Xandikos', lat);
      })());
    }
    // allSettled: if one peer fails, the other is still registered in `servers` (and stopped) first.
    const settled = await Promise.allSettled(prep);
    for (const r of settled) if (r.status === 'rejected') throw r.reason;
    servers.sort((a, b) => ['Calcast', 'Xandikos', 'Radicale'].indexOf(a.name) - ['Calcast', 'Xandikos', 'Radicale'].indexOf(b.name));

    // ---- Every server: the count over CalDAV, and the sync tokens (initial sync-collection).
    const tokens = new Map<string, string>();
    await Promise.all(servers.map(async (s) => {
      for (const size of ['big', 'small'] as const) {
        const listing = await s.client.xml('PROPFIND', s.collections[size], bodies.propfindEtags, '1');
        const members = parseMultistatus(listing.body).responses.map((r) => r.name).filter(isMember);
        const a = sameNames(members, nameSets[size], 'members');
        if (listing.status !== 207 || !a.ok) throw new Error(`${s.name} ${s.collections[size]} after loading: ${listing.status}, ${a.summary} ${a.detail ?? ''}`);
        const t0 = performance.now();
        const initial = await s.client.xml('REPORT', s.collections[size], bodies.syncCollection(''), '0');
        const ms0 = parseMultistatus(initial.body);
        if (initial.status !== 207 || !ms0.syncToken) throw new Error(`${s.name}: initial sync-collection: ${initial.status} ${initial.body.slice(0, 300)}`);
        const synced = sameNames(ms0.responses.map((r) => r.name).filter(isMember), nameSets[size], 'members');
        if (!synced.ok) notes.push(`${s.name}: the initial sync-collection of ${human(names[size].length)} lists ${synced.summary} (${synced.detail})`);
        s.load.push({ how: `initial sync-collection of ${human(names[size].length)} (${fmt(ms0.responses.length)} responses)`, ms: performance.now() - t0 });
        tokens.set(`${s.name} ${size}`, ms0.syncToken);
      }
    }));
    for (const s of servers.slice(1)) {
      console.log(`${s.name} ${s.version} loaded: ${s.load.map((l) => `${l.how}: ${fmt(l.ms / 1000, 1)} s`).join('; ')}.`);
    }
    console.log(`Counts over CalDAV (Depth 1 PROPFIND): ${fmt(N_BIG)} and ${fmt(N_SMALL)} members on every server.`);

    // ---- The truth.
    const truths = await Promise.all(truthRuns);
    const good = truths.filter((t): t is Truth => !('error' in t));
    for (const t of truths) if ('error' in t) console.log(`NOTE: a truth script failed: ${t.error}`);
    if (!good.length) throw new Error('no truth for the calendar-query: both truth scripts failed');
    const truth = good[0]!;
    const truthSet = new Set(truth.matches);
    let truthAgrees: boolean | null = null;
    if (good.length > 1) {
      const other = new Set(good[1]!.matches);
      truthAgrees = other.size === truthSet.size && [...other].every((n) => truthSet.has(n));
      if (!truthAgrees) notes.push(`The two truths disagree: ${good[0]!.by} ${good[0]!.count}, ${good[1]!.by} ${good[1]!.count}; the first is used.`);
    }
    console.log(`Truth for the query week: ${truth.count} of ${fmt(N_BIG)} events (${truth.instances} instances) by ${truth.by}` +
      `${good.length > 1 ? `; ${good[1]!.by}: ${good[1]!.count}${truthAgrees ? ', the same events' : ', DIFFERENT events'}` : ''}.`);

    // ---- The measures.
    const collectionName = (s: DavServer, size: Size) => s.collections[size].split('/').filter(Boolean).pop()!;
    const measures: MeasureDef[] = [
      {
        id: 'calendar-query', title: `calendar-query, one week, ${big}`, size: 'big', method: 'REPORT', depth: '1',
        body: () => queryBody,
        check: (m) => sameNames(m.responses.map((r) => r.name), truthSet, 'events'),
      },
      ...(['big', 'small'] as const).map((size): MeasureDef => ({
        id: `sync-${size}`, title: `sync-collection, no changes, ${size === 'big' ? big : small}`, size, method: 'REPORT', depth: '0',
        body: (s) => bodies.syncCollection(tokens.get(`${s.name} ${size}`)!),
        check: (m, s) => {
          const sent = tokens.get(`${s.name} ${size}`);
          const changes = m.responses.filter((r) => r.name !== collectionName(s, size) || r.status !== 507).length;
          const ok = changes === 0 && m.syncToken !== null;
          return {
            ok, summary: ok ? '0 changes' : `${fmt(changes)} changes WRONG`,
            ...(m.syncToken !== sent ? { detail: `the token changed with no change: sent ${sent}, got ${m.syncToken}` } : {}),
          };
        },
      })),
      {
        id: 'multiget', title: `calendar-multiget of ${MULTIGET}, ${small}`, size: 'small', method: 'REPORT', depth: '1',
        body: (s) => bodies.multiget(multigetNames.map((n) => `${s.collections.small}${encodeURIComponent(n)}`)),
        check: (m) => {
          const a = sameNames(m.responses.map((r) => r.name), new Set(multigetNames), 'objects');
          const bad = m.responses.filter((r) => !r.propstats.includes(200) || !r.calendarData?.includes(`\nUID:${uidOf(r.name)}`));
          if (bad.length) return { ok: false, summary: `${fmt(m.responses.length - bad.length)} of ${MULTIGET} objects WRONG`, detail: `${bad.length} without their calendar data (e.g. ${bad[0]!.name})` };
          return a;
        },
      },
      {
        id: 'propfind-1', title: `PROPFIND Depth 1, getetag, ${big}`, size: 'big', method: 'PROPFIND', depth: '1',
        body: () => bodies.propfindEtags,
        check: (m) => {
          const members = m.responses.filter((r) => isMember(r.name));
          const a = sameNames(members.map((r) => r.name), nameSets.big, 'members');
          const noEtag = members.filter((r) => !r.propstats.includes(200)).length;
          return noEtag ? { ok: false, summary: `${a.summary}, ${noEtag} without getetag WRONG` } : a;
        },
      },
      {
        id: 'propfind-0', title: `PROPFIND Depth 0 on the collection, ${big}`, size: 'big', method: 'PROPFIND', depth: '0',
        body: () => bodies.propfindCollection,
        check: (m, s) => {
          const ok = m.responses.length === 1 && m.responses[0]!.name === collectionName(s, 'big') && m.responses[0]!.propstats.includes(200);
          return { ok, summary: ok ? '1 response' : `${m.responses.length} responses WRONG` };
        },
      },
    ];

    // Measures timed together alternate (slice by slice under wrk, request by request under the
    // Node client), so that both see the same server state (the 1k / 10k sync ratio is
    // otherwise skewed by what ran just before each series).
    const groups: MeasureDef[][] = [
      [measures[0]!], [measures[1]!, measures[2]!], [measures[3]!], [measures[4]!], [measures[5]!],
    ];
    for (const group of groups) {
      // The machine must be quiet before the warm-ups, not after them: waiting between the two
      // left a warmed server idle, and its first timed seconds slow again. The CPU meter still
      // flags a series during which other processes were busy.
      await waitForQuiet(QUIET_WAIT_S);
      const plans: Plan[] = [];
      for (const s of servers) {
        const parts = group.map((def) => ({ def, path: s.collections[def.size], body: def.body(s) }));
        // Untimed warm-up: one request of each for the peers (Xandikos's query was warmed
        // above), 20 for Calcast, whose first ones are cold. The fastest tells whether the
        // server is fast enough for wrk.
        const warmups = parts.map(({ def }) => (def.id === 'calendar-query' && queryWarmups.get(s.name) ? [...queryWarmups.get(s.name)!] : []));
        for (const [i, { def, path, body }] of parts.entries()) {
          for (let k = warmups[i]!.length; k < (s.name === 'Calcast' ? 20 : 1); k++) {
            const t0 = performance.now();
            await s.client.xmlRaw(def.method, path, body, def.depth);
            warmups[i]!.push(performance.now() - t0);
          }
        }
        const viaWrk = warmups.every((w) => Math.min(...w) < WRK_MAX_MS);
        // Calcast then gets CALCAST_WARMUP_S of each request for its JIT: V8 optimises a hot path
        // only after thousands of calls (after 200 requests the multiget ran 20-30 % slower
        // for its first seconds than later).
        if (s.name === 'Calcast') {
          for (const [i, { def, path, body }] of parts.entries()) {
            if (viaWrk) warmups[i]!.push(...(await wrkSlice(s.client.wrkRequest(def.method, path, body, def.depth), CALCAST_WARMUP_S, work)).lat);
            else await nodeLoop(s, [{ def, path, body }], CALCAST_WARMUP_S, Infinity);
          }
        }
        plans.push({
          s, parts, warmups, viaWrk, name: `${s.name}: ${group.map((d) => d.id).join(' + ')}`,
          lat: parts.map(() => []), replies: parts.map(() => []), bytes: parts.map(() => 0),
          wrk: parts.map(() => ({ requests: 0, seconds: 0 })), errors: 0, wall: 0,
          cpu: { server: 0, client: 0, others: 0 },
        });
      }
      // Timed. Servers fast enough for wrk take turns in slices of SLICE_S, so that every one
      // sees the same machine: its speed drifts by a third within minutes. Slower ones (whose
      // ratios to Calcast are in the hundreds) follow, timed by the Node client.
      const meterInto = async (p: Plan, fn: () => Promise<void>) => {
        const meter = cpuMeter(p.s.running.child.pid!);
        const t0 = performance.now();
        await phases.run(p.name, fn);
        const wall = (performance.now() - t0) / 1000;
        const use = meter();
        p.wall += wall;
        p.cpu.server = use.server === null || p.cpu.server === null ? null : p.cpu.server + use.server * wall;
        p.cpu.client += use.client * wall;
        p.cpu.others = use.others === null || p.cpu.others === null ? null : p.cpu.others + use.others * wall;
      };
      for (let slice = 0; slice < DURATION_S / SLICE_S; slice++) {
        for (const p of plans.filter((x) => x.viaWrk)) {
          for (const [i, { def, path, body }] of p.parts.entries()) {
            await meterInto(p, async () => {
              const r = await wrkSlice(p.s.client.wrkRequest(def.method, path, body, def.depth), SLICE_S, work);
              p.lat[i]!.push(...r.lat);
              p.replies[i]!.push(...r.replies);
              p.bytes[i]! += r.bytes;
              p.wrk[i]!.requests += r.requests;
              p.wrk[i]!.seconds += r.seconds;
              p.errors += r.errors;
            });
          }
        }
      }
      for (const p of plans.filter((x) => !x.viaWrk)) {
        await meterInto(p, async () => {
          const r = await nodeLoop(p.s, p.parts, DURATION_S, BUDGET_S);
          for (const i of p.parts.keys()) {
            p.lat[i] = r.lat[i]!;
            p.replies[i] = r.replies[i]!;
            p.bytes[i] = r.bytes[i]!;
          }
        });
      }
      for (const p of plans) {
        const perCore = (x: number | null) => (x === null ? null : x / p.wall);
        cpu[p.name] = { server: perCore(p.cpu.server), client: p.cpu.client / p.wall, others: perCore(p.cpu.others) };
        for (const [i, { def }] of p.parts.entries()) {
          // The answer: every distinct reply is checked; the measure's answer is the worst of them.
          const answers: Answer[] = p.replies[i]!.map((r) => (r.status !== 207
            ? { ok: false, summary: `status ${r.status} WRONG`, detail: r.bytes.toString('utf8', 0, 200) }
            : def.check(parseMultistatus(r.bytes.toString('utf8')), p.s)));
          if (p.errors) answers.push({ ok: false, summary: `${fmt(p.errors)} socket errors or timeouts WRONG` });
          const worst = answers.find((a) => !a.ok) ?? answers[0]!;
          const changed = [...new Set(answers.map((a) => a.summary))].filter((x) => x !== worst.summary);
          const answer: Answer = changed.length
            ? { ...worst, detail: `${worst.detail ?? ''} answers changed during the run: ${changed.join(', ')}`.trim() }
            : worst;
          if (p.s.name === 'Calcast' && !answer.ok) calcastFailures.push(`${def.title}: ${answer.summary}${answer.detail ? ` (${answer.detail})` : ''}`);
          const lat = p.lat[i]!;
          // wrk: its Requests/sec (requests over the slices' seconds). Node client: requests
          // over the time spent in them (the client's time between requests left out).
          const { requests, seconds } = p.viaWrk ? p.wrk[i]! : { requests: lat.length, seconds: lat.reduce((a, b) => a + b, 0) / 1000 };
          const one: Series = {
            server: p.s.name, measure: def.id, requests, wallMs: p.wall * 1000, timedBy: p.viaWrk ? 'wrk' : 'node',
            reqPerS: requests / seconds, p50: percentile(lat, 50), p99: percentile(lat, 99),
            mean: (1000 * seconds) / requests, max: lat.reduce((a, b) => Math.max(a, b), 0), warmups: p.warmups[i]!,
            responseBytes: p.bytes[i]! / requests, answer, cpu: cpu[p.name]!,
          };
          series.push(one);
          console.log(`  ${def.title.padEnd(42)} ${p.s.name.padEnd(8)} ${fmt(one.reqPerS, one.reqPerS < 10 ? 2 : 0).padStart(7)} req/s  ` +
            `p50 ${ms(one.p50).padStart(11)}  p99 ${ms(one.p99).padStart(11)}  n=${one.requests} (${one.timedBy})  ${one.answer.summary}`);
        }
      }
    }

    // ---- Stop everything, then the profile.
    for (const s of servers) await s.stop();
    if (profileDir) {
      const file = mainThreadProfile(profileDir);
      if (file) {
        profile = summarizeProfile(file, phases.list.filter((p) => p.phase.startsWith('Calcast: ')));
        console.log(`Calcast CPU profile: ${file}`);
      } else {
        console.log('(no .cpuprofile was written by Calcast)');
      }
    }

    // ---- The table.
    const get = (server: ServerName, measure: string) => series.find((x) => x.server === server && x.measure === measure);
    const cell = (x: Series | undefined, v: (x: Series) => string) =>
      x ? `${v(x)}${x.answer.ok ? '' : ` (wrong answer: ${x.answer.summary.replace(/ WRONG$/, '')})`}` : 'not run';
    const rps = (x: Series) => `${fmt(x.reqPerS, x.reqPerS < 10 ? 2 : 0)} req/s`;
    const p50 = (x: Series) => ms(x.p50);
    const p99 = (x: Series) => ms(x.p99);
    const growth = (a?: Series, b?: Series) => (a && b ? a.p50 / b.p50 : NaN);
    interface Target { measure: string; calcast: string; peer: string; ratio: string; target: string; pass: boolean | null }
    const verdict = (c: Series | undefined, ok: boolean | null): boolean | null => (c && !c.answer.ok ? false : ok);
    const q = get('Calcast', 'calendar-query');
    const qx = get('Xandikos', 'calendar-query');
    const sb = get('Calcast', 'sync-big');
    const ss = get('Calcast', 'sync-small');
    const xsb = get('Xandikos', 'sync-big');
    const xss = get('Xandikos', 'sync-small');
    const mg = get('Calcast', 'multiget');
    const mgr = get('Radicale', 'multiget');
    const p1 = get('Calcast', 'propfind-1');
    const p1x = get('Xandikos', 'propfind-1');
    const p0 = get('Calcast', 'propfind-0');
    const p0r = get('Radicale', 'propfind-0');
    const ratio = (a: number, b: number, digits = 1) => (Number.isFinite(a / b) ? `${fmt(a / b, digits)}×` : '-');
    const g = growth(sb, ss);
    const targets: Target[] = [
      { measure: `calendar-query, 1 week, ${big}: throughput`, calcast: cell(q, rps), peer: `Xandikos ${cell(qx, rps)}`,
        ratio: q && qx ? ratio(q.reqPerS, qx.reqPerS, 0) : '-', target: '≥ 100× Xandikos', pass: verdict(q, q && qx ? q.reqPerS >= 100 * qx.reqPerS : null) },
      { measure: `calendar-query, 1 week, ${big}: p99`, calcast: cell(q, p99), peer: `Xandikos ${cell(qx, p99)}`,
        ratio: q && qx ? ratio(qx.p99, q.p99, 0) : '-', target: '< 50 ms', pass: verdict(q, q ? q.p99 < 50 : null) },
      { measure: `sync-collection, no changes, ${big}: p50`, calcast: cell(sb, p50), peer: `Xandikos ${cell(xsb, p50)}`,
        ratio: sb && xsb ? ratio(xsb.p50, sb.p50, 0) : '-', target: '< 5 ms', pass: verdict(sb, sb ? sb.p50 < 5 : null) },
      { measure: `sync-collection p50, ${big} vs ${small}`, calcast: sb && ss ? `${ms(ss.p50)} → ${ms(sb.p50)} (${ratio(sb.p50, ss.p50, 2)})` : 'not run',
        peer: xsb && xss ? `Xandikos ${ms(xss.p50)} → ${ms(xsb.p50)} (${ratio(xsb.p50, xss.p50, 1)})` : 'Xandikos not run',
        ratio: '-', target: 'within 20 %', pass: verdict(ss, verdict(sb, Number.isFinite(g) ? Math.abs(g - 1) <= 0.2 : null)) },
      { measure: `calendar-multiget of ${MULTIGET}, ${small}: throughput`, calcast: cell(mg, rps), peer: `Radicale ${cell(mgr, rps)}`,
        ratio: mg && mgr ? ratio(mg.reqPerS, mgr.reqPerS, 1) : '-', target: '≥ 5× Radicale', pass: verdict(mg, mg && mgr ? mg.reqPerS >= 5 * mgr.reqPerS : null) },
      { measure: `PROPFIND Depth 1, getetag, ${big}: p50`, calcast: cell(p1, p50), peer: `Xandikos ${cell(p1x, p50)}`,
        ratio: p1 && p1x ? ratio(p1x.p50, p1.p50, 1) : '-', target: '< 100 ms', pass: verdict(p1, p1 ? p1.p50 < 100 : null) },
      { measure: `PROPFIND Depth 0, collection, ${big}: p50`, calcast: cell(p0, p50), peer: `Radicale ${cell(p0r, p50)}`,
        ratio: p0 && p0r ? ratio(p0r.p50, p0.p50, 0) : '-', target: '< 5 ms', pass: verdict(p0, p0 ? p0.p50 < 5 : null) },
    ];
    const passText = (t: Target) => (t.pass === null ? 'no peer' : t.pass ? 'PASS' : 'FAIL');

    console.log('\nEvery server, every measure (one connection; req/s = requests / time in requests; timed by wrk, or by the Node client for servers slower than 50 ms):');
    printTable([
      ['measure', 'server', 'req/s', 'p50', 'p99', 'requests', 'timed by', 'answer'],
      ...series.map((x) => [
        measures.find((m) => m.id === x.measure)!.title, x.server, fmt(x.reqPerS, x.reqPerS < 10 ? 2 : 0), ms(x.p50), ms(x.p99),
        String(x.requests), x.timedBy, x.answer.summary,
      ]),
    ]);
    console.log('\nTargets (ratio: how many times better Calcast is than the peer, in the same run):');
    printTable([
      ['measure', 'Calcast', 'peer, same run', 'ratio', 'target', 'pass?'],
      ...targets.map((t) => [t.measure, t.calcast, t.peer, t.ratio, t.target, passText(t)]),
    ]);

    console.log();
    const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(0)}%`);
    const noisy = Object.entries(cpu).filter(([, u]) => (u.others ?? 0) > 0.15);
    if (noisy.length) {
      console.log(`NOTE: other processes used over 15% of a core during ${noisy.map(([k, u]) => `${k} (${pct(u.others)})`).join(', ')}; those numbers are noisy.`);
    } else {
      console.log('Other processes stayed under 15% of a core during every timed measure.');
    }
    for (const x of series) if (x.answer.detail) console.log(`${x.server}, ${x.measure}: ${x.answer.detail}`);
    for (const n of notes) console.log(`NOTE: ${n}`);
    const xw = queryWarmups.get('Xandikos');
    if (xw) console.log(`Xandikos's untimed query warm-up: ${xw.map((t) => `${fmt(t / 1000, 2)} s`).join(', ')}.`);
    if (calcastFailures.length) console.log(`Checks: Calcast gave ${calcastFailures.length} WRONG ANSWERS, listed at the end.`);
    else console.log('Checks: every Calcast answer is right (query = the truth, 0 changes, all multiget objects, every member, one Depth 0 response).');
    for (const s of profile) printSummary(s);

    const results = {
      date: new Date().toISOString(),
      minutes: (performance.now() - began) / 60_000,
      machine: { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
      code,
      peers: Object.fromEntries(servers.map((s) => [s.name, { version: s.version, load: s.load }])),
      settings: {
        events: N_BIG, small: N_SMALL, multiget: MULTIGET, durationS: DURATION_S, budgetS: BUDGET_S, minRequests: MIN_REQUESTS,
        concurrency: 1, wrkMaxMs: WRK_MAX_MS, sliceS: SLICE_S, calcastWarmupS: CALCAST_WARMUP_S, loadConcurrency: LOAD_CONCURRENCY, queryWeek: data.week, xandikosQueryWarmups: XANDIKOS_QUERY_WARMUPS,
      },
      truth: { count: truth.count, instances: truth.instances, by: truth.by, ms: truth.ms, secondOpinion: good[1] ? { by: good[1].by, count: good[1].count, agrees: truthAgrees } : null },
      series: series.map(({ warmups, ...x }) => ({ ...x, warmupsMs: warmups.length > 20 ? `${warmups.length} requests` : warmups })),
      targets: targets.map((t) => ({ ...t, pass: passText(t) })),
      notes,
      checks: { ok: calcastFailures.length === 0, failures: calcastFailures },
      ...(profile.length ? { profile } : {}),
    };
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nResults written to ${RESULTS_FILE.replace(REPO, '')} (the run took ${fmt((performance.now() - began) / 60_000, 1)} min).`);
    targetsMet = targets.every((t) => t.pass !== false);
  } catch (err) {
    for (const s of servers) console.error(`${s.name} output (last lines):\n${s.running.output().split('\n').slice(-30).join('\n')}`);
    throw err;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    if (!opts.keep) rmSync(work, { recursive: true, force: true });
    else console.log(`Kept the data and the servers' folders in ${work}`);
  }
  if (calcastFailures.length) {
    console.error(`\nCALCAST WRONG ANSWERS (${calcastFailures.length}):`);
    for (const f of calcastFailures) console.error(`  ${f}`);
    process.exit(1);
  }
  return targetsMet;
}

const targetsMet = await main();
if (opts.strict && !targetsMet) process.exit(2);
