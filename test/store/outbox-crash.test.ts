import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The outbox row is written in the transaction of its change: a writer killed with SIGKILL
 * at any moment leaves both, or neither, and no acknowledged write is missing.
 */
const dir = mkdtempSync(join(tmpdir(), 'calcast-crash-'));
const file = join(dir, 'calcast.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until it has acknowledged `writes` writes, then kills it; returns the last one acknowledged. */
function writeThenKill(writes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'outbox-writer.ts'), file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('the writer made no progress')); }, 30_000);
    let out = '';
    let stderr = '';
    let acked = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const lines = out.split('\n').filter(Boolean);
      if (lines.length >= writes && !acked) {
        acked = lines[lines.length - 1]!;
        child.kill('SIGKILL');
      }
    });
    child.on('close', () => {
      clearTimeout(timer);
      if (acked) resolve(acked);
      else reject(new Error(`the writer exited early:\n${stderr}`));
    });
  });
}

describe('the outbox under kill -9', () => {
  it.each([25, 80, 200])('keeps each change and its outbox row together (killed after %i writes)', async (writes) => {
    const acked = await writeThenKill(writes);
    const db = new Database(file, { readonly: true });
    try {
      const changes = db.prepare(
        "SELECT c.calendar_id || ' ' || c.uri || ' ' || c.operation || ' ' || c.sync_token AS k FROM calendar_changes c ORDER BY c.id",
      ).all() as { k: string }[];
      const events = db.prepare(
        "SELECT calendar_id || ' ' || object_uri || ' ' || operation || ' ' || sync_token AS k FROM outbox WHERE object_uri IS NOT NULL ORDER BY seq",
      ).all() as { k: string }[];
      expect(events.map((e) => e.k)).toEqual(changes.map((c) => c.k));
      expect(changes.length).toBeGreaterThanOrEqual(writes * 0.8);
      // Every stored member is the version its newest outbox event announced.
      const members = db.prepare(`
        SELECT o.uri, o.etag, (SELECT new_etag FROM outbox x WHERE x.calendar_id = o.calendar_id AND x.object_uri = o.uri ORDER BY seq DESC LIMIT 1) AS announced
        FROM calendar_objects o`).all() as { uri: string; etag: string; announced: string }[];
      for (const m of members) expect(m.announced, m.uri).toBe(m.etag);
      // The last write the writer acknowledged is there.
      const [n, uri] = acked.split(' ');
      const stored = db.prepare('SELECT data FROM calendar_objects WHERE uri = ?').get(uri) as { data: string } | undefined;
      if (Number(n) % 5 === 4) expect(stored).toBeUndefined();
      else expect(stored?.data).toContain(`SUMMARY:write ${n}`);
    } finally {
      db.close();
    }
  });
});
