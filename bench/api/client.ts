import http from 'node:http';
import { readFileSync } from 'node:fs';

/**
 * A small keep-alive HTTP/1.1 client on node:http: cheaper per request than fetch/undici, so
 * the client's own cost stays small next to the server's.
 */
export interface Reply {
  status: number;
  body: string;
}

/** A reply whose body is left undecoded: decoding ~75 KB of non-ASCII UTF-8 costs the client
 *  ~0.4 ms, which a timed loop must not add to the server's latency (wrk does not decode). */
export interface RawReply {
  status: number;
  bytes: Buffer;
}

export class ApiClient {
  readonly agent: http.Agent;

  /**
   * `authorization` is the Authorization header sent when a request asks for auth: a bearer
   * token by default, a Basic one for CalDAV, or null to send none.
   */
  constructor(
    readonly host: string, readonly port: number, readonly token: string, sockets: number,
    readonly authorization: string | null = `Bearer ${token}`,
  ) {
    // The server drops connections idle for 5 s (Node's keepAliveTimeout); the agent drops its
    // idle ones after 4 s so it never sends a request down a socket the server is closing.
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets, timeout: 4000 });
  }

  /** One request; `extra` headers are added last (e.g. a content-type other than JSON, Depth). */
  async request(method: string, path: string, body?: string | Buffer, auth = true, extra?: http.OutgoingHttpHeaders): Promise<Reply> {
    const r = await this.requestRaw(method, path, body, auth, extra);
    return { status: r.status, body: r.bytes.toString('utf8') };
  }

  requestRaw(method: string, path: string, body?: string | Buffer, auth = true, extra?: http.OutgoingHttpHeaders): Promise<RawReply> {
    const headers: http.OutgoingHttpHeaders = {};
    if (auth && this.authorization !== null) headers.authorization = this.authorization;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    if (extra) Object.assign(headers, extra);
    return new Promise((resolve, reject) => {
      const req = http.request({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** A JSON request that must answer `expect`; returns the parsed body. */
  async json<T = unknown>(method: string, path: string, expect: number, body?: unknown): Promise<T> {
    const r = await this.request(method, path, body === undefined ? undefined : JSON.stringify(body));
    if (r.status !== expect) throw new Error(`${method} ${path}: expected ${expect}, got ${r.status}: ${r.body.slice(0, 300)}`);
    return JSON.parse(r.body) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs task(0..n-1) with at most `concurrency` in flight; returns the wall time and each latency (ms). */
export async function runPool(
  n: number, concurrency: number, task: (i: number) => Promise<void>,
): Promise<{ elapsedMs: number; latencies: Float64Array }> {
  const latencies = new Float64Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const t0 = performance.now();
      await task(i);
      latencies[i] = performance.now() - t0;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return { elapsedMs: performance.now() - t0, latencies };
}

export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

/** CPU seconds (user + system) a process has used so far, from /proc; null off Linux. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** CPU seconds the whole machine has been busy (every core, steal included), from /proc/stat. */
export function machineCpuSeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    // cpu user nice system idle iowait irq softirq steal …
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return (user! + nice! + system! + irq! + softirq! + steal!) / 100;
  } catch {
    return null;
  }
}

export interface CpuUse {
  /** Cores' worth of CPU over the phase (1.0 = one core busy all along). */
  server: number | null;
  client: number;
  /** Everything else on the machine: other people's work makes a run noisy. */
  others: number | null;
}

/** CPU seconds of this process's children that have exited (a client such as wrk), from /proc. */
function reapedChildrenCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime, cstime (fields 16 and 17)
  } catch {
    return 0;
  }
}

/** Measures server, client (this process and the clients it ran) and other CPU use over a phase. */
export function cpuMeter(serverPid: number): () => CpuUse {
  const s0 = processCpuSeconds(serverPid);
  const m0 = machineCpuSeconds();
  const c0 = process.cpuUsage();
  const k0 = reapedChildrenCpuSeconds();
  const t0 = performance.now();
  return () => {
    const wall = (performance.now() - t0) / 1000;
    const s1 = processCpuSeconds(serverPid);
    const m1 = machineCpuSeconds();
    const c = process.cpuUsage(c0);
    const server = s0 === null || s1 === null ? null : (s1 - s0) / wall;
    const client = ((c.user + c.system) / 1e6 + reapedChildrenCpuSeconds() - k0) / wall;
    const machine = m0 === null || m1 === null ? null : (m1 - m0) / wall;
    return { server, client, others: machine === null ? null : Math.max(0, machine - (server ?? 0) - client) };
  };
}
