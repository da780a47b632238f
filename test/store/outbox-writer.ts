/**
 * A writer for the crash test: CalDAV-style writes through the calendar service as fast as
 * it can, printing each acknowledged write, until it is killed.
 */
import { createCalendarService } from '../../src/calendar/service.js';
import { createSqliteStore } from '../../src/store/sqlite/index.js';
import { systemClock } from '../../src/util/clock.js';

const store = createSqliteStore(process.argv[2]!, systemClock);
const service = createCalendarService({ store, clock: systemClock, baseUrl: 'http://calcast.test', sender: null, notify: () => {} });
const user = (await store.getUserByName('writer')) ?? (await service.createUser('writer', 'writer-password'));
const calendar = (await store.getCalendarBySlug(user.id, 'crash'))
  ?? (await service.createCalendar({
    ownerId: user.id, slug: 'crash', title: 'Crash', description: null, timezone: 'UTC', color: null,
    weekdayBegin: null, customData: null, published: true, components: ['VEVENT'], settings: {},
  }));

const text = (uid: string, n: number) => [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//crash//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20240101T000000Z',
  `SEQUENCE:${n}`, `SUMMARY:write ${n}`, 'DTSTART:20240301T100000Z', 'DTEND:20240301T110000Z', 'END:VEVENT', 'END:VCALENDAR', '',
].join('\r\n');

for (let n = 0; ; n++) {
  const uri = `m${n % 7}.ics`;
  if (n % 5 === 4) await service.deleteObject(calendar, { uri }).catch(() => undefined);
  else await service.putObject(calendar, { uri, text: text(`uid-${n % 7}`, n) });
  process.stdout.write(`${n} ${uri}\n`);
}
