import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { Store } from '../../src/store/types.js';
import { systemClock } from '../../src/util/clock.js';
import { hashToken, verifyPassword } from '../../src/util/secrets.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
let dir = '';
let dbFile = '';

/** The real CLI in a child process, as `npm run calcast --` runs it. */
function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, CALCAST_DATA_DIR: dir },
    encoding: 'utf8',
    // spawnSync blocks the test's own timeout: a hung CLI is killed here instead.
    timeout: 30_000,
    killSignal: 'SIGKILL',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = createSqliteStore(dbFile, systemClock);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** One `calcast: ...` line on stderr and nothing else. */
function expectOneLineError(r: { status: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.status).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^calcast: [^\n]+\n$/);
  expect(r.stderr).toMatch(pattern);
}

const ics = (summary: string) => [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//calcast//cli test//EN',
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'BEGIN:STANDARD',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
  'BEGIN:VEVENT',
  'UID:berlin@cli.test',
  'DTSTAMP:20250101T000000Z',
  'DTSTART;TZID=Europe/Berlin:20250601T100000',
  'DTEND;TZID=Europe/Berlin:20250601T110000',
  `SUMMARY:${summary} in Berlin`,
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:utc@cli.test',
  'DTSTAMP:20250101T000000Z',
  'DTSTART:20250602T090000Z',
  'DURATION:PT1H',
  `SUMMARY:${summary} in UTC`,
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'calcast-cli-'));
  dbFile = join(dir, 'calcast.sqlite');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('calcast CLI', () => {
  it('refuses to work on a database that does not exist, without creating one', () => {
    expectOneLineError(cli('users', 'list'), /no database at .*calcast\.sqlite/);
    expect(existsSync(dbFile)).toBe(false);
  });

  it('users add creates the database and the user, printing a generated password once', async () => {
    const r = cli('users', 'add', 'alice');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^created user "alice" \(id 1\)\n/);
    const password = /^password: (\S+)$/m.exec(r.stdout)?.[1];
    expect(password).toBeDefined();
    const user = await withStore((s) => s.getUserByName('alice'));
    expect(await verifyPassword(password!, user!.passwordHash)).toBe(true);
  });

  it('users list shows the user', () => {
    const r = cli('users', 'list');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ID\s+USERNAME\s+CREATED\n1\s+alice\s+\d{4}-\d\d-\d\dT[\d:]+Z\n$/);
  });

  it('users email sets the address CalDAV scheduling knows the user by', async () => {
    const r = cli('users', 'email', 'alice', 'Alice@Example.org');
    expect(r).toMatchObject({ status: 0, stdout: 'the e-mail of "alice" is now alice@example.org\n', stderr: '' });
    expect((await withStore((s) => s.getUserByEmail('alice@example.org')))?.username).toBe('alice');
  });

  it('a duplicate users add fails with one line and exit 1', () => {
    expectOneLineError(cli('users', 'add', 'alice', '--password', 'something-long'), /a user named "alice" already exists/);
  });

  it('users passwd replaces the password hash', async () => {
    const before = (await withStore((s) => s.getUserByName('alice')))!.passwordHash;
    const r = cli('users', 'passwd', 'alice', '--password', 'new-password-1');
    expect(r).toMatchObject({ status: 0, stdout: 'changed the password of "alice"\n', stderr: '' });
    const after = (await withStore((s) => s.getUserByName('alice')))!.passwordHash;
    expect(after).not.toBe(before);
    expect(await verifyPassword('new-password-1', after)).toBe(true);
  });

  it('tokens create, list and revoke', async () => {
    const created = cli('tokens', 'create', 'alice', '--name', 'laptop');
    expect(created.status).toBe(0);
    const secret = /^token: (cc_\S+)$/m.exec(created.stdout)?.[1];
    expect(secret).toBeDefined();
    const found = await withStore((s) => s.findToken(hashToken(secret!)));
    expect(found).toMatchObject({ token: { name: 'laptop' }, user: { username: 'alice' } });
    const id = found!.token.id;
    expect(created.stdout).toContain(`created token ${id} "laptop" for "alice"`);

    const listed = cli('tokens', 'list', 'alice');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/^ID\s+CREATED\s+LAST USED\s+NAME\n/);
    expect(listed.stdout).toMatch(new RegExp(`^${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+\\S+\\s+never\\s+laptop$`, 'm'));
    expect(listed.stdout).not.toContain(secret!);

    const revoked = cli('tokens', 'revoke', 'alice', id);
    expect(revoked).toMatchObject({ status: 0, stdout: `revoked token ${id} of "alice"\n` });
    await withStore(async (s) => {
      expect(await s.findToken(hashToken(secret!))).toBeNull();
      expect(await s.listTokens(found!.user.id)).toEqual([]);
    });
  });

  it('import creates, then updates by UID; an unreadable file writes nothing', async () => {
    await withStore(async (store) => {
      const user = (await store.getUserByName('alice'))!;
      await store.createCalendar({
        id: 'cal1', ownerId: user.id, slug: 'cal1', feedKey: 'k'.repeat(24), title: 'T', description: null,
        timezone: 'UTC', color: null, weekdayBegin: null, customData: null, published: true,
        components: ['VEVENT', 'VTODO', 'VJOURNAL'], settings: {},
      });
    });
    const file = join(dir, 'events.ics');
    writeFileSync(file, ics('First'));
    expect(cli('import', 'cal1', file)).toMatchObject({ status: 0, stdout: 'created 2, updated 0\n', stderr: '' });
    const berlin = await withStore((s) => s.getObjectByUid('cal1', 'berlin@cli.test'));
    expect(berlin?.startAt).toBe(Date.UTC(2025, 5, 1, 8) / 1000); // 10:00 CEST

    writeFileSync(file, ics('Second'));
    expect(cli('import', 'cal1', file)).toMatchObject({ status: 0, stdout: 'created 0, updated 2\n', stderr: '' });
    const before = await withStore(async (s) => ({
      calendar: await s.getCalendar('cal1'),
      utc: await s.getObjectByUid('cal1', 'utc@cli.test'),
      events: await s.countObjects('cal1', 'VEVENT'),
    }));
    expect(before.utc?.data).toContain('SUMMARY:Second in UTC');
    expect(before.events).toBe(2);

    const bad = join(dir, 'bad.ics');
    writeFileSync(bad, 'this is not a calendar\n');
    expectOneLineError(cli('import', 'cal1', bad), /^calcast: .*bad\.ics: unreadable iCalendar: .*nothing was imported/);
    const after = await withStore(async (s) => ({ calendar: await s.getCalendar('cal1'), events: await s.countObjects('cal1', 'VEVENT') }));
    expect(after.calendar?.syncToken).toBe(before.calendar?.syncToken);
    expect(after.events).toBe(2);
  });

  it('backup copies the database while another connection is writing to it', async () => {
    // An open connection with an uncheckpointed write stands in for the running server.
    const server = createSqliteStore(dbFile, systemClock);
    try {
      await server.createUser('carol', 'x');
      const target = join(dir, 'backup.sqlite');
      const r = cli('backup', target);
      expect(r).toMatchObject({ status: 0, stderr: '' });
      expect(r.stdout).toBe(`backed up ${dbFile} to ${target}\n`);

      const copy = new Database(target, { readonly: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        const names = (copy.prepare('SELECT username FROM users ORDER BY username').all() as { username: string }[])
          .map((u) => u.username);
        expect(names).toEqual(['alice', 'carol']);
      } finally {
        copy.close();
      }
      expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('misuse exits 2 with usage on stderr', () => {
    const unknown = cli('frobnicate');
    expect(unknown.status).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/^calcast: unknown command "frobnicate"\n/);
    expect(unknown.stderr).toContain('usage: npm run calcast -- <command>');
    expect(unknown.stderr).toContain('tokens revoke <user> <token-id>');

    const missing = cli('tokens', 'revoke', 'alice');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(
      'calcast: tokens revoke expects <user> <token-id>\nusage: npm run calcast -- tokens revoke <user> <token-id>\n',
    );
  });
});
