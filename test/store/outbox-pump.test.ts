import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOutboxPump } from '../../src/calendar/outbox-pump.js';
import { createCalendarService } from '../../src/calendar/service.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import type { OutboxEvent } from '../../src/store/types.js';
import { systemClock } from '../../src/util/clock.js';

/** Two processes on one database: what one writes reaches the other's consumers through the outbox. */
const dir = mkdtempSync(join(tmpdir(), 'calcast-pump-'));
const file = join(dir, 'calcast.sqlite');
const reader = createSqliteStore(file, systemClock);
const writer = createSqliteStore(file, systemClock);
afterAll(async () => {
  await reader.close();
  await writer.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the outbox pump', () => {
  it("hands another process's writes to this one's consumers, in order, each once", async () => {
    const pump = createOutboxPump(reader, { intervalMs: 50 });
    const seen: OutboxEvent[] = [];
    pump.subscribe((e) => void seen.push(e));
    await pump.kick();
    const service = createCalendarService({ store: writer, clock: systemClock, baseUrl: 'http://x', sender: null, notify: () => {} });
    const user = await service.createUser('pump', 'pump-password');
    const calendar = await service.createCalendar({
      ownerId: user.id, title: 'P', description: null, timezone: 'UTC', color: null, weekdayBegin: null,
      customData: null, published: true, components: ['VEVENT'], settings: {},
    });
    const text = (n: number) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:u\r\nDTSTAMP:20240101T000000Z\r\nSEQUENCE:${n}\r\nDTSTART:20240301T100000Z\r\nSUMMARY:${n}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n`;
    await service.putObject(calendar, { uri: 'u.ics', text: text(0) });
    const { object } = await service.putObject(calendar, { uri: 'u.ics', text: text(1) });
    await expect.poll(() => seen.length, { timeout: 2_000 }).toBe(3);
    await pump.stop();
    expect(seen.map((e) => [e.objectUri, e.operation, e.oldSequence, e.newSequence])).toEqual([
      [null, 'create', null, null], ['u.ics', 'create', null, 0], ['u.ics', 'update', 0, 1],
    ]);
    expect(seen[2]!.newEtag).toBe(object.etag);
    // A consumer that throws does not stop the others or replay the event.
    const again = createOutboxPump(reader, { intervalMs: 50 });
    const after: string[] = [];
    again.subscribe(() => { throw new Error('broken consumer'); });
    again.subscribe((e) => void after.push(e.operation));
    await again.kick();
    await service.deleteObject(calendar, { uri: 'u.ics' });
    await expect.poll(() => after, { timeout: 2_000 }).toEqual(['delete']);
    await again.stop();
  });
});
