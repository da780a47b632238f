import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { track } from '../helpers/children.js';
import { startSmtp } from '../helpers/smtp.js';

// The promise of the mail outbox: a server killed with SIGKILL after an event committed and
// before its invitation went out sends it after a restart, exactly once.

const TOKEN = 'cc_crash-test-token-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'calcast-mail-crash-'));
const sockets: Socket[] = [];
let blackhole: Server | undefined;
afterAll(() => {
  for (const s of sockets) s.destroy();
  blackhole?.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(smtpUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const child = track(spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env, PORT: '0', CALCAST_DATA_DIR: dir, CALCAST_ADMIN_TOKEN: TOKEN, CALCAST_ADMIN_PASSWORD: 'crash-pass-123',
      CALCAST_SMTP_URL: smtpUrl, CALCAST_MAIL_FROM: 'calendar@calcast.test', CALCAST_SMTP_TIMEOUT_SECONDS: '2',
      CALCAST_MAIL_RETRY_SECONDS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  let output = '';
  return new Promise((resolve, reject) => {
    const read = (d: Buffer) => {
      output += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m) resolve({ child, url: m[1]! });
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
}

const api = (url: string, method: string, path: string, body?: unknown) => fetch(`${url}/api/v1${path}`, {
  method, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
  ...(body ? { body: JSON.stringify(body) } : {}),
}).then(async (r) => ({ status: r.status, body: await r.json() as Record<string, unknown> }));

describe('mail outbox across a crash', () => {
  it('sends an invitation committed before a SIGKILL exactly once after the restart', async () => {
    // An SMTP server that takes the connection and never greets: the first server's worker has
    // claimed the mail and is waiting on it when the process dies.
    blackhole = createServer((socket) => sockets.push(socket));
    await new Promise<void>((r) => blackhole!.listen(0, '127.0.0.1', r));
    const first = await start(`smtp://127.0.0.1:${(blackhole.address() as AddressInfo).port}`);
    const cal = await api(first.url, 'POST', '/calendars', { title: 'Crash', timezone: 'UTC' });
    const event = await api(first.url, 'POST', `/calendars/${cal.body.id}/events`, {
      title: 'Survives', start: '2031-01-01T10:00', attendees: [{ email: 'ana@example.org', name: 'Ana' }],
    });
    expect([event.status, event.body.notifications]).toEqual([201, 'queued']);
    await new Promise((r) => setTimeout(r, 300));
    expect(sockets.length).toBe(1); // the worker was talking to the SMTP server
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const smtp = await startSmtp();
    const second = await start(smtp.url);
    try {
      const [got] = await smtp.waitFor(1, 20_000);
      expect(got!.to).toBe('ana@example.org');
      expect(got!.mail.subject).toBe('Invitation: Survives');
      await new Promise((r) => setTimeout(r, 2500));
      expect(smtp.received).toHaveLength(1);
      const mail = await api(second.url, 'GET', `/calendars/${cal.body.id}/events/${event.body.id}/mail`);
      expect(mail.body.data).toMatchObject([{ status: 'sent', message_id: got!.mail.messageId }]);
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
      await smtp.stop();
    }
  }, 40_000);
});
