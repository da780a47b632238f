/**
 * bench/scale: does a second Calcast instance on the same PostgreSQL add throughput? Four
 * setups over fresh stores with the same data (setups.ts): 1× SQLite, 1× PostgreSQL direct,
 * 1× PostgreSQL behind nginx, 2× PostgreSQL behind the same nginx. Four loads by wrk
 * (workloads.ts): feed 304 polls, full gzip feed GETs, CalDAV multigets, API creates. Every
 * answer's status is counted and sample bodies checked; after the creates, the calendar must
 * hold every write wrk saw acknowledged. CPU per process group is read from /proc around each
 * timed run, to say which resource ran out. See bench/README.md, "Scale-out".
 *
 *   npm run bench:scale [-- --seconds 10 --warmup 2 --rounds 2 --connections 32 --events 1000 --multiget 50 --spread 8
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
import { wrkSlice, type WrkSlice } from '../lib/wrk-lua.js';
import { cpuGroupsMeter, type CpuGroups } from './cpu-groups.js';
import { countEvents, createScaleData, type ScaleData } from './data.js';
import { startCluster, type Cluster, type Statement } from './postgres.js';
import { SETUPS, startSetup, type RunningSetup, type SetupId } from './setups.js';
import { workloads, type Workload } from './workloads.js';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '2' },
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
const ROUNDS = Number(opts.rounds);
for (const [name, v] of [['seconds', SECONDS], ['warmup', WARMUP], ['rounds', ROUNDS], ['connections', CONNECTIONS], ['events', Number(opts.events)], ['multiget', Number(opts.multiget)]] as const) {
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
const running: RunningSetup[] = [];
let work = '';
async function cleanUp(): Promise<void> {
  await Promise.all(running.splice(0).map((s) => s.stop()));
  cluster?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
}
/**
 * Ctrl-C reaches this process twice under `npm run`: from the terminal, and relayed by tsx's
 * CLI. A `once` handler let the second one kill the process halfway through stopping the
 * cluster, so the handler stays, and the signals after the first are ignored.
 */
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: stopping the servers and the PostgreSQL cluster…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

const cores = (n: number) => fmt(n, 2);
const cpuText = (c: CpuGroups) =>
  `Calcast ${c.calcast.map(cores).join(' + ')}, PG ${cores(c.postgres)}, nginx ${cores(c.nginx)}, wrk ${cores(c.wrk)}, softirq ${cores(c.softirq)}, other ${cores(c.others)}, idle ${cores(c.idle)}`;

/** One setup's runs of one workload, summed over the rounds. */
class Tally {
  requests = 0;
  seconds = 0;
  errors = 0;
  acknowledged = 0;
  lat: number[] = [];
  failures: string[] = [];
  cpu: CpuGroups | null = null;
  statements = new Map<string, Statement>();

  add(warm: WrkSlice, run: WrkSlice, cpu: CpuGroups, statements: Statement[], wrong: string[]): void {
    const weigh = (a: number, b: number) => (a * this.seconds + b * run.seconds) / (this.seconds + run.seconds);
    const c = this.cpu;
    this.cpu = !c ? cpu : {
      calcast: cpu.calcast.map((v, i) => weigh(c.calcast[i]!, v)), postgres: weigh(c.postgres, cpu.postgres), nginx: weigh(c.nginx, cpu.nginx),
      wrk: weigh(c.wrk, cpu.wrk), softirq: weigh(c.softirq, cpu.softirq), others: weigh(c.others, cpu.others), idle: weigh(c.idle, cpu.idle),
    };
    this.requests += run.requests;
    this.seconds += run.seconds;
    this.errors += run.errors;
    this.acknowledged += (warm.statuses[201] ?? 0) + (run.statuses[201] ?? 0);
    for (const v of run.lat) this.lat.push(v);
    this.failures.push(...wrong);
    for (const st of statements) {
      const t = this.statements.get(st.query) ?? { ...st, calls: 0, totalMs: 0, rows: 0 };
      t.calls += st.calls;
      t.totalMs += st.totalMs;
      t.rows += st.rows;
      t.meanMs = t.totalMs / t.calls;
      this.statements.set(st.query, t);
    }
  }

  measured(): Measured {
    const statements = [...this.statements.values()].sort((a, b) => b.totalMs - a.totalMs).slice(0, 6);
    return {
      rps: this.requests / this.seconds, p50: percentile(this.lat, 50), p99: percentile(this.lat, 99), requests: this.requests,
      errors: this.errors, cpu: this.cpu!, failures: this.failures, ...(statements.length ? { statements } : {}),
    };
  }
}

/** One warmed-up, timed wrk run of `w` against `s`, with its CPU groups and PostgreSQL statements. */
async function slice(s: RunningSetup, w: Workload, seconds: number, tally: Tally): Promise<void> {
  const req = w.request(s.port);
  const warm = await wrkSlice(req, WARMUP, work, w.options);
  const pg = s.id === 'sqlite' ? null : cluster!;
  await pg?.resetStatements();
  const meter = cpuGroupsMeter({ calcast: s.instances.map((i) => i.child.pid!), postgres: pg?.pid ?? null, nginx: s.nginx?.pids[0] ?? null }, CORES);
  const run = await wrkSlice(req, seconds, work, w.options);
  const cpu = meter();
  tally.add(warm, run, cpu, (await pg?.topStatements(8)) ?? [], [...w.check(warm), ...w.check(run)]);
}

/**
 * After a write load, its calendars must hold every create wrk saw acknowledged (201). wrk does
 * not count the answers still in flight when it stops: those writes may be stored too, at most
 * one a connection per wrk run (warm-ups and timed runs).
 */
async function checkWrites(s: RunningSetup, w: Workload, tally: Tally): Promise<string> {
  let stored = 0;
  for (const id of w.writes!) stored += await countEvents(s.api, id);
  const slack = 2 * ROUNDS * CONNECTIONS;
  const ok = stored >= tally.acknowledged && stored - tally.acknowledged <= slack;
  if (!ok) tally.failures.push(`${stored} entries stored after ${tally.acknowledged} acknowledged creates`);
  return `${fmt(tally.acknowledged)} acknowledged (201), ${fmt(stored)} stored: ${stored < tally.acknowledged ? 'LOST WRITES' : ok ? `none lost (${stored - tally.acknowledged} in flight when wrk stopped)` : 'TOO MANY'}`;
}

/**
 * Every setup runs at once, idle but for the one under load, and the setups take turns at each
 * workload, ROUNDS times, each round starting with the next setup: on a shared machine whose
 * speed drifts within minutes, each setup then sees the same conditions.
 */
async function measureAll(datas: ScaleData[], results: Results, failures: string[]): Promise<void> {
  const perSetup = running.map((_, i) => workloads(datas[i]!, CONNECTIONS).filter((x) => !opts.workloads || new RegExp(opts.workloads).test(x.id)));
  const seconds = Math.max(1, Math.round(SECONDS / ROUNDS));
  for (const [wi, first] of perSetup[0]!.entries()) {
    console.log(`\n${first.title}:`);
    const tallies = running.map(() => new Tally());
    for (let round = 0; round < ROUNDS; round++) {
      if (interrupted) return;
      await waitForQuiet(QUIET);
      for (let k = 0; k < running.length && !interrupted; k++) {
        const i = (round + k) % running.length;
        await slice(running[i]!, perSetup[i]![wi]!, seconds, tallies[i]!);
      }
    }
    for (const [i, s] of running.entries()) {
      const w = perSetup[i]![wi]!;
      const writes = w.writes ? await checkWrites(s, w, tallies[i]!) : '';
      const m = tallies[i]!.measured();
      (results[s.id] ??= {})[w.id] = m;
      failures.push(...m.failures.map((f) => `${s.id}, ${w.id}: ${f}`));
      const title = SETUPS.find((d) => d.id === s.id)!.title;
      console.log(`  ${title.padEnd(14)} ${fmt(m.rps).padStart(7)} req/s, p99 ${fmt(m.p99, 2)} ms${m.errors ? `, ${m.errors} socket errors` : ''}; cores: ${cpuText(m.cpu)}${m.failures.length ? `; WRONG: ${m.failures.join('; ')}` : ''}`);
      if (writes) console.log(`      ${writes}`);
      for (const st of m.statements ?? []) {
        console.log(`      ${fmt(st.calls / m.requests, 2)}/req, mean ${fmt(st.meanMs * 1000)} µs, ${fmt(st.totalMs / 1000 / tallies[i]!.seconds, 2)} s/s: ${st.query.slice(0, 140)}`);
      }
    }
  }
}

async function main(): Promise<void> {
  const code = codeVersion();
  console.log(`Calcast scale-out bench: ${setups.map((s) => s.title).join(', ')}; wrk 1 thread, c=${CONNECTIONS}; per setup and workload ` +
    `${ROUNDS} rounds of ${WARMUP} s warm-up + ${Math.max(1, Math.round(SECONDS / ROUNDS))} s timed, setups taking turns; ` +
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
    const datas: ScaleData[] = [];
    for (const def of setups) {
      const s = await startSetup(def.id, work, cluster, serverEnv, opts['nginx-workers']);
      running.push(s);
      datas.push(await createScaleData(s.api, `http://127.0.0.1:${s.instances[0]!.port}`, feedIcs, Number(opts['dav-events']), Number(opts.multiget), Number(opts.spread)));
    }
    await measureAll(datas, results, failures);
  } catch (err) {
    // A wrk or server killed by the same Ctrl-C fails its run: the handler is cleaning up.
    if (!interrupted) throw err;
  } finally {
    if (!interrupted) await cleanUp();
  }
  if (interrupted) await new Promise(() => {}); // process.exit(130) comes from the handler
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
