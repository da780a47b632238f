import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Summarises a V8 .cpuprofile (node --cpu-prof) for one phase of the run: the samples are
 * sliced by timestamp (V8's clock and process.hrtime are both CLOCK_MONOTONIC on Linux).
 * It reports self time by function and by area (package or src/ file), and, to say why a
 * library function is hot, the src/ function nearest on its stack and inclusive time per
 * src/ function.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

type Ranked = { name: string; ms: number; pct: number };
export interface PhaseSummary {
  phase: string;
  wallMs: number;
  busyMs: number;
  /** Self time per function, with the src/ function nearest on the stack (the caller in our code). */
  topFunctions: (Ranked & { from: string })[];
  byArea: Ranked[];
  /** Time with the src/ function anywhere on the stack. */
  srcInclusive: Ranked[];
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Where a function lives: a package, a file of ours, Node's internals, or V8's pseudo-frames. */
function areaOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node:internals';
  const path = url.replace(/^file:\/\//, '').replace(repoRoot, '');
  return path.startsWith('src/') ? path : 'other';
}

const shortUrl = (url: string) => url.replace(/^file:\/\//, '').replace(repoRoot, '').replace(/^.*node_modules\//, '');
const isSrc = (url: string) => shortUrl(url).startsWith('src/');
const label = (n: ProfileNode) => {
  const { functionName, url, lineNumber } = n.callFrame;
  return `${functionName || '(anonymous)'}${url ? ` ${shortUrl(url)}:${lineNumber + 1}` : ''}`;
};

/**
 * The main thread's profile among those `node --cpu-prof` wrote to `dir`: tsx's module loader
 * runs in a worker thread, which writes a profile of its own (CPU.<date>.<time>.<pid>.<thread>.<n>).
 * Thread 0 is the main one; failing that, the largest file.
 */
export function mainThreadProfile(dir: string): string | null {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const main = files.find((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f))
    ?? files.sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size)[0];
  return main ? join(dir, main) : null;
}

/**
 * Summaries for the samples taken between `fromUs` and `toUs` (monotonic µs) of each phase; a
 * phase listed more than once (bench/caldav's servers take turns) sums its intervals.
 */
export function summarizeProfile(file: string, phases: { phase: string; fromUs: number; toUs: number }[], top = 15): PhaseSummary[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const times: number[] = [];
  let t = profile.startTime;
  for (const d of profile.timeDeltas) times.push((t += d));
  const stackOf = (id: number) => {
    const out: ProfileNode[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) out.push(byId.get(cur)!);
    return out;
  };

  const intervals = new Map<string, [number, number][]>();
  for (const { phase, fromUs, toUs } of phases) (intervals.get(phase) ?? intervals.set(phase, []).get(phase)!).push([fromUs, toUs]);
  return [...intervals].map(([phase, spans]) => {
    const self = new Map<string, number>();
    const from = new Map<string, Map<string, number>>();
    const areas = new Map<string, number>();
    const inclusive = new Map<string, number>();
    let busy = 0;
    const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
    for (let i = 0; i < profile.samples.length; i++) {
      const at = times[i]!;
      if (!spans.some(([from, to]) => at >= from && at <= to)) continue;
      const node = byId.get(profile.samples[i]!);
      if (!node || node.callFrame.functionName === '(idle)') continue;
      const dur = ((times[i + 1] ?? at) - at) / 1000;
      busy += dur;
      const name = label(node);
      add(self, name, dur);
      add(areas, areaOf(node.callFrame.url, node.callFrame.functionName), dur);
      const stack = stackOf(node.id);
      const caller = stack.find((n) => isSrc(n.callFrame.url));
      const callers = from.get(name) ?? from.set(name, new Map()).get(name)!;
      add(callers, caller ? label(caller) : '-', dur);
      for (const k of new Set(stack.filter((n) => isSrc(n.callFrame.url)).map(label))) add(inclusive, k, dur);
    }
    const rank = (m: Map<string, number>, n: number): Ranked[] =>
      [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, ms]) => ({ name, ms, pct: busy ? (100 * ms) / busy : 0 }));
    return {
      phase,
      wallMs: spans.reduce((sum, [from, to]) => sum + (to - from), 0) / 1000,
      busyMs: busy,
      topFunctions: rank(self, top).map((r) => {
        const [caller, ms] = [...from.get(r.name)!].sort((a, b) => b[1] - a[1])[0]!;
        const share = r.ms ? Math.round((100 * ms) / r.ms) : 0;
        return { ...r, from: caller === '-' || caller === r.name ? '' : `${caller} (${share}%)` };
      }),
      byArea: rank(areas, 12),
      srcInclusive: rank(inclusive, top),
    };
  });
}

export function printSummary(s: PhaseSummary): void {
  const f = (r: Ranked) => `${r.ms.toFixed(0).padStart(7)} ms ${r.pct.toFixed(1).padStart(5)}%`;
  console.log(`\nServer CPU profile, phase "${s.phase}": ${s.busyMs.toFixed(0)} ms busy of ${s.wallMs.toFixed(0)} ms wall`);
  console.log('  self time by area:');
  for (const a of s.byArea) console.log(`    ${f(a)}  ${a.name}`);
  console.log('  top functions by self time  [nearest src/ caller]:');
  for (const fn of s.topFunctions) console.log(`    ${f(fn)}  ${fn.name}${fn.from ? `  [${fn.from}]` : ''}`);
  console.log('  src/ functions by inclusive time:');
  for (const r of s.srcInclusive) console.log(`    ${f(r)}  ${r.name}`);
}
