import { describe, it, expect } from 'vitest';
import { generateCalendar } from '../../helpers/calendar-generator/index.js';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { objectBounds, occurrences, overlapsRange } from '../../../src/ical/recurrence.js';
import { cal, comp, t, vevent } from '../../helpers/ical.js';

// DESIGN §3: SQL prefilters with first_start/last_end, code then checks exactly. These tests prove
// the prefilter `first_start <= :to AND last_end >= :from` never drops an object with a match.


describe('bounds never drop a true match (the SQL prefilter property)', () => {
  /** Deterministic PRNG (mulberry32) so a failure can be replayed. */
  function rng(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let x = Math.imul(a ^ (a >>> 15), 1 | a);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
  }
  const kindOf = (c: ICAL.Component): 'VEVENT' | 'VTODO' | 'VJOURNAL' =>
    (c.getAllSubcomponents().find((s) => s.name !== 'vtimezone')?.name.toUpperCase() ?? 'VEVENT') as 'VEVENT';

  /** Every instance lies inside the bounds, and the prefilter `first_start <= to AND last_end >= from`
   *  keeps every object with a match. Also: a windowed expansion equals a full one cut to the window. */
  function checkWindow(c: ICAL.Component, floatingZone: string, from: number, to: number): number {
    const b = objectBounds(c, floatingZone);
    const occ = occurrences(c, { from, to, floatingZone, max: 100_000 });
    for (const o of occ) {
      expect(o.start).toBeGreaterThanOrEqual(b.firstStart);
      expect(o.end).toBeLessThanOrEqual(b.lastEnd);
      expect(b.firstStart <= to && b.lastEnd >= from).toBe(true);
    }
    const reference = occurrences(c, { from: Math.min(from, b.firstStart) - 1, to: to + 2 * 86400, floatingZone, max: 100_000 })
      .filter((o) => overlapsRange(kindOf(c), o, from, to));
    expect(occ.map((o) => [o.start, o.end])).toEqual(reference.map((o) => [o.start, o.end]));
    return occ.length;
  }

  it('holds for hand-written objects over random windows', () => {
    const objects = [
      cal(vevent('DTSTART;TZID=America/New_York:20240301T090000', 'DTEND;TZID=America/New_York:20240301T100000', 'RRULE:FREQ=WEEKLY;BYDAY=MO,FR')),
      cal(vevent('DTSTART;TZID=Europe/Paris:20240601T180000', 'DURATION:PT2H', 'RRULE:FREQ=WEEKLY;UNTIL=20250629', 'EXDATE;TZID=Europe/Paris:20240615T180000'),
        vevent('RECURRENCE-ID;TZID=Europe/Paris:20240622T180000', 'DTSTART;TZID=Europe/Paris:20230101T100000', 'DTEND;TZID=Europe/Paris:20230101T110000'),
        vevent('RECURRENCE-ID;TZID=Europe/Paris:20240629T180000', 'DTSTART;TZID=Europe/Paris:20280101T100000', 'DTEND;TZID=Europe/Paris:20280101T110000')),
      cal(vevent('DTSTART;VALUE=DATE:19900315', 'DTEND;VALUE=DATE:19900318', 'RRULE:FREQ=YEARLY')),
      cal(vevent('DTSTART:20240131T230000', 'RRULE:FREQ=MONTHLY;COUNT=40', 'RDATE:20300101T000000')),
      cal(vevent('DTSTART;TZID=Australia/Sydney:20200105T020000', 'DTEND;TZID=Australia/Sydney:20200105T030000', 'RRULE:FREQ=DAILY;INTERVAL=3;BYMONTH=4,10')),
      cal(comp('VTODO', 'DTSTART:20240101T090000Z', 'DUE:20240101T170000Z', 'RRULE:FREQ=WEEKLY;COUNT=100')),
      cal(comp('VTODO', 'DUE;VALUE=DATE:20250301')),
      cal(comp('VJOURNAL', 'DTSTART;VALUE=DATE:20240105', 'RRULE:FREQ=MONTHLY;BYDAY=1FR')),
      cal(vevent('DTSTART:20240101T100000Z', 'RRULE:FREQ=HOURLY;INTERVAL=5;UNTIL=20270101T000000Z')),
    ];
    const random = rng(4791);
    const lo = t('2019-01-01T00:00:00Z');
    const hi = t('2032-01-01T00:00:00Z');
    let matched = 0;
    for (let i = 0; i < 45; i++) {
      const from = Math.floor(lo + random() * (hi - lo));
      const to = from + Math.floor(random() < 0.5 ? random() * 3 * 86400 : random() * 400 * 86400);
      const zone = ['UTC', 'Pacific/Auckland', 'America/Los_Angeles'][i % 3] as string;
      for (const c of objects) matched += checkWindow(c, zone, from, to);
    }
    expect(matched).toBeGreaterThan(500);
  });

  it('holds for every object of a generated calendar (test/helpers/calendar-generator), and bounds are tight', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calcast-recurrence-'));
    const registered: string[] = [];
    try {
      generateCalendar(300, dir);
      const files = readdirSync(join(dir, 'events'));
      expect(files.length).toBe(300);
      const objects = files.map((f) => new ICAL.Component(ICAL.parse(readFileSync(join(dir, 'events', f), 'utf8'))));
      // Independent oracle: ical.js's own expansion, with these VTIMEZONEs registered globally.
      for (const c of objects) {
        for (const vtz of c.getAllSubcomponents('vtimezone')) {
          const tz = new ICAL.Timezone(vtz);
          if (!ICAL.TimezoneService.has(tz.tzid)) { ICAL.TimezoneService.register(tz); registered.push(tz.tzid); }
        }
      }
      const from = t('2023-12-01T00:00:00Z');
      const to = t('2027-03-01T00:00:00Z'); // the generator spans 2024-01-01 + 1096 days
      let instances = 0;
      let tight = 0;
      for (const c of objects) {
        const b = objectBounds(c, 'UTC');
        const occ = occurrences(c, { from, to, floatingZone: 'UTC', max: 100_000 });
        instances += checkWindow(c, 'UTC', from, to);
        expect(occ.length).toBeGreaterThan(0);
        if (b.lastEnd < to && b.firstStart >= from) {
          expect([b.firstStart, b.lastEnd]).toEqual([Math.min(...occ.map((o) => o.start)), Math.max(...occ.map((o) => o.end))]);
          tight++;
        }
        const vevents = c.getAllSubcomponents('vevent');
        const master = vevents.find((v) => !v.hasProperty('recurrence-id')) as ICAL.Component;
        const event = new ICAL.Event(master, { exceptions: vevents.filter((v) => v !== master) });
        const expected: number[] = [];
        const iter = event.iterator();
        for (let next: ICAL.Time | null = iter.next(); next; next = event.isRecurring() ? iter.next() : null) {
          const d = event.getOccurrenceDetails(next);
          const s = d.startDate.toUnixTime();
          if (s >= to) break;
          if (d.endDate.toUnixTime() > from) expected.push(s);
        }
        expect(occ.map((o) => o.start)).toEqual(expected.sort((a, b) => a - b));
      }
      expect(instances).toBeGreaterThan(1000);
      expect(tight).toBeGreaterThan(250);
    } finally {
      for (const tzid of registered) ICAL.TimezoneService.remove(tzid);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
