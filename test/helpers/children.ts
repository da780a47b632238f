import type { ChildProcess } from 'node:child_process';

// Every process a test spawns is tracked, so that none outlives its test: an orphaned server
// keeps its port and its data folder, and the next run trips over them. test/setup.ts kills
// what is left after a failed test and after each file; the worker's own exit does too.
const live = new Set<ChildProcess>();

/** Tracks `child` until it exits, and returns it. */
export function track<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** SIGKILLs every tracked child still running. */
export function killChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}

process.once('exit', killChildren);
