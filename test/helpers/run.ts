import { spawn } from 'node:child_process';
import { track } from './children.js';

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** It ran past `timeoutMs` and was killed (a hang, not a failure it reported). */
  timedOut: boolean;
}

/**
 * Runs an external program without blocking the event loop: the server under test lives in
 * this process, so spawnSync would leave the client's requests unanswered.
 */
export function run(
  cmd: string, args: string[], opts: { input?: string; cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = track(spawn(cmd, args, {
      cwd: opts.cwd,
      // The server is on loopback: never through a proxy.
      env: { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', PYTHONDONTWRITEBYTECODE: '1', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    }));
    let timedOut = false;
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 60_000);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr, timedOut }); });
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs and insists on exit status 0, with the program's output in the failure message. */
export async function runOk(cmd: string, args: string[], opts: Parameters<typeof run>[2] = {}): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} ${r.timedOut ? 'timed out' : `exited ${r.status}`}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r;
}
