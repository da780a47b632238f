import { spawn, type ChildProcess } from 'node:child_process';
import { track } from './children.js';
import { START_ARGS } from './start-command.js';

/** The real entry point, as `npm start` runs it (built by test/global-setup.ts), in its own process. */
export const MAIN = START_ARGS;

export interface Instance {
  child: ChildProcess;
  url: string;
  /** Everything it printed so far, stdout and stderr. */
  output: () => string;
}

/**
 * Starts the built server on a free port (PORT=0) and resolves once it printed its URL and the
 * curl hint (the admin is bootstrapped by then). Tracked, so a failed test never leaves it running.
 */
export function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = track(spawn(process.execPath, MAIN, { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] }));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no start: ${output}`));
    }, 20_000);
    const read = (d: Buffer) => {
      output += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m && output.includes('Try:')) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, output: () => output });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
}

/** Resolves with the exit code once `child` has exited (at once if it already has). */
export const exited = (child: ChildProcess) => new Promise<number | null>((r) => {
  if (child.exitCode !== null || child.signalCode !== null) r(child.exitCode);
  else child.on('exit', (code) => r(code));
});

/** SIGTERM (drains, flushes the sync log) and waits for the exit. */
export async function stopInstance(i: Instance): Promise<number | null> {
  const code = exited(i.child);
  i.child.kill('SIGTERM');
  return code;
}

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

/** A JSON API request to an instance with a bearer token; the body parsed when it is JSON. */
export async function callApi(url: string, token: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: jsonOrNull(text), text };
}

/** A body parsed as JSON, or null when it is empty or not JSON (an error page, a 304). */
export function jsonOrNull(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}
