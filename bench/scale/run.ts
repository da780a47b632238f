/**
 * bench/scale: does a second Calcast instance on the same PostgreSQL add throughput? Four
 * setups over fresh stores with the same data (setups.ts): 1× SQLite, 1× PostgreSQL direct,
 * 1× PostgreSQL behind nginx, 2× PostgreSQL behind the same nginx. Four loads by wrk
 * (workloads.ts): feed 304 polls, full gzip feed GETs, CalDAV multigets, API creates. Every
 * answer's status is counted and sample bodies checked; after the creates, the calendar must
 * hold every write wrk saw acknowledged. CPU per process group is read from /proc around each
 * timed run, to say which resource ran out. See bench/README.md, "Scale-out".
 *
 *   npm run bench:scale [-- --seconds 10 --warmup 3 --connections 32 --events 1000 --multiget 50 --spread 8
 *                           --pool N --nginx-workers auto --quiet-wait 30 --pg-statements
 *                           --setups REGEX --workloads REGEX]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { percentile } from '../api/client.js';
import { codeVersion, fmt, printTable, waitForQuiet } from '../api/harness.js';
import { generateFeedFile } from '../feeds/setup.js';
import { wrkSlice } from '../lib/wrk-lua.js';
import { cpuGroupsMeter, type CpuGroups } from './cpu-groups.js';
import { countEvents, createScaleData } from './data.js';
import { startCluster, type Cluster, type Statement } from './postgres.js';
import { SETUPS, startSetup, type RunningSetup, type SetupId } from './setups.js';
import { workloads, type Workload } from './workloads.js';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    events: { type: 'string', default: '1000' },
    'dav-events': { type: 'string', default: '200' },
    multiget: { type: 'string', default: '50' },
    spread: { type: 'string', default: '8' },
    pool: { type: 'string' },
    'nginx-workers': { type: 'string', default: 'auto' },
    'quiet-wait': { type: 'string', default: '30' },
    'pg-statements': { type: 'boolean', default: false },
    setups: { type: 'string' },
    workloads: { type: 'string' },
  },
});
const SECONDS = Number(opts.seconds);
const WARMUP = Number(opts.warmup);
const CONNECTIONS = Number(opts.connections);
const QUIET = Number(opts['quiet-wait']);
for (const [name, v] of [['seconds', SECONDS], ['warmup', WARMUP], ['connections', CONNECTIONS], ['events', Number(opts.events)], ['multiget', Number(opts.multiget)]] as const) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive whole number`);
}
const CORES = cpus().length;
const setups = SETUPS.filter((s) => !opts.setups || new RegExp(opts.setups).test(s.id));
const serverEnv: NodeJS.ProcessEnv = opts.pool ? { CALCAST_DB_POOL: opts.pool } : {};

interface Measured {
  rps: number; p50: number; p99: number; requests: number; errors: number; cpu: CpuGroups; failures: string[];
  /** --pg-statements: the statements that took PostgreSQL longest during the timed run. */
  statements?: Statement[];
}
type Results = Partial<Record<SetupId, Record<string, Measured>>>;

/** Everything started that must be stopped, also on Ctrl-C. */
let cluster: Cluster | null = null;
let running: RunningSetup | null = null;
let work = '';
async function cleanUp(): Promise<void> {
  await running?.stop();
  running = null;
  cluster?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the servers and the PostgreSQL cluster…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const cores = (n: number) => fmt(n, 2);
const cpuText = (c: CpuGroups) =>
  `Calcast ${c.calcast.map(cores).join(' + ')}, PG ${cores(c.postgres)}, nginx ${cores(c.nginx)}, wrk ${cores(c.wrk)}, softirq ${cores(c.softirq)}, other ${cores(c.others)}, idle ${cores(c.idle)}`;

async function measureSetup(s: RunningSetup, feedIcs: string, results: Results, failures: string[]): Promise<void> {
  const data = await createScaleData(s.api, `http://127.0.0.1:${s.instances[0]!.port}`, feedIcs, Number(opts['dav-events']), Number(opts.multiget), Number(opts.spread));
  const out: Record<string, Measured> = {};
  results[s.id] = out;
  for (const w of workloads(data, CONNECTIONS).filter((x) => !opts.workloads || new RegExp(opts.workloads).test(x.id))) {
    const req = w.request(s.port);
    await waitForQuiet(QUIET);
    const warm = await wrkSlice(req, WARMUP, work, w.options);
    if (s.id !== 'sqlite') await cluster!.resetStatements();
    const meter = cpuGroupsMeter({ calcast: s.instances.map((i) => i.child.pid!), postgres: s.id === 'sqlite' ? null : cluster!.pid, nginx: s.nginx?.pids[0] ?? null }, CORES);
    const run = await wrkSlice(req, SECONDS, work, w.options);
    const cpu = meter();
    const statements = s.id === 'sqlite' ? [] : await cluster!.topStatements(6);
    const wrong = [...w.check(warm), ...w.check(run)];
    out[w.id] = { rps: run.requests / run.seconds, p50: percentile(run.lat, 50), p99: percentile(run.lat, 99), requests: run.requests, errors: run.errors, cpu, failures: wrong, ...(statements.length ? { statements } : {}) };
    failures.push(...wrong.map((f) => `${s.id}, ${w.id}: ${f}`));
    console.log(`  ${w.id.padEnd(9)} ${fmt(out[w.id]!.rps).padStart(7)} req/s, p99 ${fmt(out[w.id]!.p99, 2)} ms${run.errors ? `, ${run.errors} socket errors` : ''}; cores: ${cpuText(cpu)}${wrong.length ? `; WRONG: ${wrong.join('; ')}` : ''}`);
    if (w.writes) await checkWrites(s, w, (warm.statuses[201] ?? 0) + (run.statuses[201] ?? 0), out[w.id]!, failures);
    for (const st of statements) {
      console.log(`      ${fmt(st.calls / run.requests, 2)}/req ${fmt(st.meanMs * 1000)} µs ${fmt(st.totalMs / 1000 / run.seconds, 2)} s/s  ${st.query.slice(0, 150)}`);
    }
  }
}

/**
 * After a write load, its calendars must hold every create wrk saw acknowledged (201). wrk does
 * not count the answers still in flight when it stops: those writes may be stored too, at most
 * one a connection per wrk run (warm-up and timed).
 */
async function checkWrites(s: RunningSetup, w: Workload, acknowledged: number, m: Measured, failures: string[]): Promise<void> {
  let stored = 0;
  for (const id of w.writes!) stored += await countEvents(s.api, id);
  const ok = stored >= acknowledged && stored - acknowledged <= 2 * CONNECTIONS;
  if (!ok) {
    m.failures.push(`${stored} entries stored, ${acknowledged} creates acknowledged`);
    failures.push(`${s.id}, ${w.id}: ${stored} entries stored after ${acknowledged} acknowledged creates`);
  }
  console.log(`      ${fmt(acknowledged)} acknowledged (201), ${fmt(stored)} stored: ${stored < acknowledged ? 'LOST WRITES' : ok ? `none lost (${stored - acknowledged} in flight when wrk stopped)` : 'TOO MANY'}`);
}

async function main(): Promise<void> {
  const code = codeVersion();
  console.log(`Calcast scale-out bench: ${setups.map((s) => s.title).join(', ')}; wrk 1 thread, c=${CONNECTIONS}, ${WARMUP} s warm-up + ${SECONDS} s a run; ` +
    `${CORES} cores, nothing pinned; pool ${opts.pool ?? 'default'}; commit ${code.commit}${code.dirty ? ' (dirty)' : ''}`);
  work = mkdtempSync(join(tmpdir(), 'calcast-bench-scale-'));
  const results: Results = {};
  const failures: string[] = [];
  try {
    const feedIcs = generateFeedFile(work, Number(opts.events));
    if (setups.some((s) => s.postgres)) {
      cluster = await startCluster(opts['pg-statements']);
      console.log(`PostgreSQL ${cluster.version}: ${Object.entries(cluster.settings).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    }
    for (const def of setups) {
      console.log(`\n${def.title}:`);
      running = await startSetup(def.id, work, cluster, serverEnv, opts['nginx-workers']);
      try {
        await measureSetup(running, feedIcs, results, failures);
      } finally {
        await running.stop();
        running = null;
      }
    }
  } finally {
    await cleanUp();
  }
  report(results, failures, code);
}

function report(results: Results, failures: string[], code: ReturnType<typeof codeVersion>): void {
  const ids = Object.keys(Object.values(results)[0] ?? {});
  const cell = (s: SetupId, w: string) => {
    const m = results[s]?.[w];
    return m ? `${fmt(m.rps)} / ${fmt(m.p99, 1)} ms${m.failures.length ? ' WRONG' : ''}` : '–';
  };
  const ratio = (a: SetupId, b: SetupId, w: string) => {
    const x = results[a]?.[w];
    const y = results[b]?.[w];
    return x && y ? `${fmt(x.rps / y.rps, 2)}×` : '–';
  };
  console.log(`\nreq/s / p99, c=${CONNECTIONS}, ${SECONDS} s a run:`);
  printTable([
    ['workload', ...setups.map((s) => s.title), 'PG / SQLite', '2×PG / 1×PG direct', '2×PG / 1×PG via nginx'],
    ...ids.map((w) => [w, ...setups.map((s) => cell(s.id, w)), ratio('pg', 'sqlite', w), ratio('pg2-nginx', 'pg', w), ratio('pg2-nginx', 'pg-nginx', w)]),
  ]);
  console.log('\nCores used during each timed run (of 2.00):');
  printTable([
    ['workload', ...setups.map((s) => s.title)],
    ...ids.map((w) => [w, ...setups.map((s) => {
      const c = results[s.id]?.[w]?.cpu;
      return c ? `C ${c.calcast.map(cores).join('+')} PG ${cores(c.postgres)} N ${cores(c.nginx)} W ${cores(c.wrk)} S ${cores(c.softirq)} O ${cores(c.others)} I ${cores(c.idle)}` : '–';
    })]),
  ]);
  console.log('(C Calcast per instance, PG PostgreSQL, N nginx, W wrk, S kernel softirq (loopback networking, on the whole box), O other processes (this runner, other people), I idle)');
  writeFileSync(new URL('./last-results.json', import.meta.url), JSON.stringify({
    date: new Date().toISOString(), code, cores: CORES,
    options: { seconds: SECONDS, warmup: WARMUP, connections: CONNECTIONS, events: Number(opts.events), davEvents: Number(opts['dav-events']), multiget: Number(opts.multiget), pool: opts.pool ?? null, nginxWorkers: opts['nginx-workers'] },
    postgres: cluster ? { version: cluster.version, settings: cluster.settings } : null,
    results, failures,
  }, null, 2));
  if (failures.length) {
    console.error(`\nWRONG ANSWERS (${failures.length}):\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  }
}

await main();
