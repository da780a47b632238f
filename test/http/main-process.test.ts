import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCalendar } from '../helpers/calendar-generator/index.js';

/** The real entry point, as `npm start` runs it, in its own process. */
const MAIN = ['--import', 'tsx', 'src/main.ts'];
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'calcast-main-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function start(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, MAIN, { env: { ...process.env, PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${output}`)), 20_000);
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

const exited = (child: ChildProcess) => new Promise<number | null>((r) => child.on('exit', (code) => r(code)));

describe('npm start', () => {
  it('stops with a one-line message naming a bad setting', () => {
    for (const [name, value] of [['PORT', 'eighty'], ['CALCAST_BASE_URL', 'not a url'], ['CALCAST_SYNC_LOG_DAYS', '3']] as const) {
      const r = spawnSync(process.execPath, MAIN, { env: { ...process.env, CALCAST_DATA_DIR: tempDir(), [name]: value }, encoding: 'utf8' });
      expect(r.status, name).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toContain(name);
    }
  });

  it('creates the admin on first start, prints the URL and credentials once, and finishes requests on SIGTERM', async () => {
    const dir = tempDir();
    const first = await start({ CALCAST_DATA_DIR: dir });
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

    const second = await start({ CALCAST_DATA_DIR: dir });
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
