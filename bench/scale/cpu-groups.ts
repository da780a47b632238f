import { readFileSync } from 'node:fs';
import { treeCpuSeconds } from '../lib/cpu.js';

/**
 * Where the two cores went during a run, in cores (CPU seconds / wall seconds): each Calcast
 * instance, PostgreSQL (postmaster + backends), nginx (master + workers), wrk (this process's
 * reaped children: wrk is the only child that exits during a run), the kernel's interrupt
 * work (loopback TCP is mostly softirq time, which Linux charges to no process), and every
 * other process (this runner, other people's work). A sum near 2.0 (idle near 0) means the
 * machine is the bottleneck, not one process.
 */
export interface CpuGroups { calcast: number[]; postgres: number; nginx: number; wrk: number; softirq: number; others: number; idle: number }

/** Busy seconds of all cores from /proc/stat, split into interrupt time and the rest. */
function machineSeconds(): { irq: number; rest: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  // cpu user nice system idle iowait irq softirq steal …
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  return { irq: (irq + softirq) / 100, rest: (user + nice + system + steal) / 100 };
}

function reapedChildrenSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) / 100; // cutime, cstime
}

export function cpuGroupsMeter(pids: { calcast: number[]; postgres: number | null; nginx: number | null }, cores: number): () => CpuGroups {
  const read = () => ({
    calcast: pids.calcast.map(treeCpuSeconds),
    postgres: pids.postgres === null ? 0 : treeCpuSeconds(pids.postgres),
    nginx: pids.nginx === null ? 0 : treeCpuSeconds(pids.nginx),
    wrk: reapedChildrenSeconds(),
    machine: machineSeconds(),
    t: performance.now(),
  });
  const a = read();
  return () => {
    const b = read();
    const wall = (b.t - a.t) / 1000;
    const per = (x: number, y: number) => (y - x) / wall;
    const calcast = b.calcast.map((v, i) => per(a.calcast[i]!, v));
    const postgres = per(a.postgres, b.postgres);
    const nginx = per(a.nginx, b.nginx);
    const wrk = per(a.wrk, b.wrk);
    const softirq = per(a.machine.irq, b.machine.irq);
    const rest = per(a.machine.rest, b.machine.rest);
    const ours = calcast.reduce((n, v) => n + v, 0) + postgres + nginx + wrk;
    return { calcast, postgres, nginx, wrk, softirq, others: Math.max(0, rest - ours), idle: Math.max(0, cores - rest - softirq) };
  };
}
