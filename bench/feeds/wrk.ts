import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Where the load runs: wrk on core 1, the server under test on core 0 (see setup.ts). */
export const CLIENT_CORE = '1';

export interface WrkResult { requests: number; rps: number; p50: number; p99: number; non2xx3xx: number }

export interface Load { url: string; method: 'GET' | 'HEAD'; headers: Record<string, string> }

/**
 * One wrk run (one thread, `connections` connections), pinned to its own core so the client
 * does not steal the server's. HEAD goes to head-load.ts instead, on the same core: wrk waits
 * for the body a HEAD answer announces and never completes one.
 */
export function wrk(load: Load, connections: number, seconds: number): WrkResult {
  if (load.method === 'HEAD') {
    const script = fileURLToPath(new URL('./head-load.ts', import.meta.url));
    const headerArgs = Object.entries(load.headers).map(([k, v]) => `${k}: ${v}`);
    const out = execFileSync('taskset', ['-c', CLIENT_CORE, process.execPath, '--import', 'tsx', script, load.url, String(connections), String(seconds), ...headerArgs], { encoding: 'utf8' });
    return JSON.parse(out) as WrkResult;
  }
  const args = [
    '-c', CLIENT_CORE, 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency',
    ...Object.entries(load.headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]), load.url,
  ];
  const out = execFileSync('taskset', args, { encoding: 'utf8' });
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN);
  const latency = (p: string) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out);
    if (!m) return NaN;
    return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[m[2]!]!;
  };
  return {
    requests: num(/(\d+) requests in/), rps: num(/Requests\/sec:\s+([\d.]+)/),
    p50: latency('50'), p99: latency('99'), non2xx3xx: num(/Non-2xx or 3xx responses: (\d+)/) || 0,
  };
}
