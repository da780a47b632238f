import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc times are in ticks of 10 ms on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

/** Fields of /proc/PID/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null; // exited
  }
}

/** The processes whose parent is `pid` (nginx's worker under its master). */
export function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number)
    .filter((p) => Number(statFields(p)?.[1]) === pid);
}

/** CPU seconds (user + system, every thread) the processes have used so far. */
export function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const f = statFields(pid);
    // utime and stime are fields 14 and 15 of stat(5); f starts at field 3.
    if (f) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks / TICKS_PER_SECOND;
}

/**
 * The server's CPU time per answered request over a run: unlike requests per second, it does
 * not drop when other processes take the server's core, so it compares code on a shared machine.
 */
export function cpuPerRequestUs<T extends { requests: number }>(pids: number[], run: () => T): T & { cpuUs: number } {
  const before = cpuSeconds(pids);
  const result = run();
  return { ...result, cpuUs: ((cpuSeconds(pids) - before) * 1e6) / result.requests };
}

/**
 * CPU seconds of a process and its children, including children that have exited and been
 * reaped (their time moves to the parent's cutime/cstime): PostgreSQL's backends under the
 * postmaster, nginx's workers under the master. Monotonic, so a difference is what the tree
 * used in between, even when a pooled backend closed meanwhile.
 */
export function treeCpuSeconds(pid: number): number {
  const own = (p: number, reaped: boolean) => {
    const f = statFields(p);
    // cutime and cstime are fields 16 and 17: the time of waited-for children.
    return f ? Number(f[11]) + Number(f[12]) + (reaped ? Number(f[13]) + Number(f[14]) : 0) : 0;
  };
  return (own(pid, true) + childrenOf(pid).reduce((n, c) => n + own(c, true), 0)) / TICKS_PER_SECOND;
}
