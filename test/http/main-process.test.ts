import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCalendar } from '../helpers/calendar-generator/index.js';
import { exited, MAIN, startInstance } from '../helpers/instance.js';
import { run, type RunResult } from '../helpers/run.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'calcast-main-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A start that must stop by itself; a hang is killed after 30 s and fails the test. */
const startToStop = (env: Record<string, string>) => run(process.execPath, MAIN, { env: { PORT: '0', ...env }, timeoutMs: 30_000 });

/** Stopped with exit 1 and one line, `calcast: …`, that contains each of `named`: no stack trace. */
function expectOneLineStop(r: RunResult, ...named: string[]): void {
  expect(r.timedOut, `hung instead of stopping (${named.join(', ')})`).toBe(false);
  expect(r.status, r.stderr).toBe(1);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^calcast: /);
  for (const n of named) expect(lines[0]).toContain(n);
}

/** A port something else listens on, held until `release`. */
async function takenPort(): Promise<{ port: number; release: () => Promise<void> }> {
  const holder = createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', r));
  return { port: (holder.address() as AddressInfo).port, release: () => new Promise((r) => holder.close(() => r())) };
}

describe('npm start', () => {
  it('stops with a one-line message naming a bad setting', async () => {
    const bad = [['PORT', 'eighty'], ['CALCAST_BASE_URL', 'not a url'], ['CALCAST_SYNC_LOG_DAYS', '3'], ['HOST', '999.1.1.1'], ['CALCAST_FEED_CACHE_MB', '0']] as const;
    const results = await Promise.all(bad.map(([name, value]) => startToStop({ CALCAST_DATA_DIR: tempDir(), [name]: value })));
    results.forEach((r, i) => expectOneLineStop(r, bad[i]![0], bad[i]![1]));
  }, 60_000);

  it('stops with one line when the port is taken or the data folder cannot be made, and creates no admin', async () => {
    const taken = await takenPort();
    const dir = tempDir();
    try {
      const [inUse, proc] = await Promise.all([
        startToStop({ CALCAST_DATA_DIR: dir, PORT: String(taken.port) }),
        // procfs answers ENOENT to mkdir, on which Node's recursive mkdir loops forever.
        startToStop({ CALCAST_DATA_DIR: '/proc/nope' }),
      ]);
      expectOneLineStop(inUse, 'PORT', String(taken.port), 'in use');
      expectOneLineStop(proc, 'CALCAST_DATA_DIR', '/proc/nope');
    } finally {
      await taken.release();
    }
    // The admin's generated password is shown once: a start that stopped must not have used it up.
    const next = await startInstance({ CALCAST_DATA_DIR: dir });
    try {
      expect(next.output()).toMatch(/API token: \S+/);
    } finally {
      next.child.kill('SIGTERM');
      await exited(next.child);
    }
  }, 60_000);

  it('creates the admin on first start, prints the URL and credentials once, and finishes requests on SIGTERM', async () => {
    const dir = tempDir();
    const first = await startInstance({ CALCAST_DATA_DIR: dir });
    const token = /API token: (\S+)/.exec(first.output())![1]!;
    expect(first.output()).toMatch(/password: {2}\S{12,}/);
    const auth = { authorization: `Bearer ${token}` };
    const cal = await (await fetch(`${first.url}/api/v1/calendars`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Kept' }),
    })).json() as { id: string };
    // An import of 2,000 events takes a while: SIGTERM arrives while it runs.
    const gen = tempDir();
    generateCalendar(2000, gen);
    const importing = fetch(`${first.url}/api/v1/calendars/${cal.id}/import`, {
      method: 'POST', headers: { ...auth, 'content-type': 'text/calendar' }, body: readFileSync(join(gen, 'calendar.ics')),
    });
    await new Promise((r) => setTimeout(r, 150));
    const code = exited(first.child);
    first.child.kill('SIGTERM');
    const answer = await importing;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ created: 2000, updated: 0 });
    expect(await code).toBe(0);

    const second = await startInstance({ CALCAST_DATA_DIR: dir });
    try {
      expect(second.output()).not.toContain('API token:');
      const list = await (await fetch(`${second.url}/api/v1/calendars/${cal.id}`, { headers: auth })).json() as { events_total: number };
      expect(list.events_total).toBe(2000);
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  });
});
