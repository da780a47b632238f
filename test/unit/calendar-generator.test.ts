import ICAL from 'ical.js';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCalendar, type Manifest } from '../helpers/calendar-generator/index.js';

// The tests and benches trust the generator's data to be what it claims: the same from a seed,
// a prefix of any larger set, valid iCalendar, and with EXDATEs and overrides on real instances.
// These checks use ical.js directly, not Calcast's code, so they do not share its bugs.

const root = mkdtempSync(join(tmpdir(), 'calcast-generator-'));
const files = (dir: string) => readdirSync(join(dir, 'events')).sort();
const read = (dir: string, f: string) => readFileSync(join(dir, 'events', f), 'utf8');
let big: Manifest;

beforeAll(() => {
  big = generateCalendar(1000, join(root, 'big'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the calendar generator', () => {
  it('writes the same bytes from the same seed, and other bytes from another', () => {
    expect(generateCalendar(1000, join(root, 'again')).combined_sha256).toBe(big.combined_sha256);
    expect(generateCalendar(1000, join(root, 'other'), { seed: '43' }).combined_sha256).not.toBe(big.combined_sha256);
  });

  it('makes every smaller set, and every --first tail, out of the same event files', () => {
    generateCalendar(300, join(root, 'head'));
    generateCalendar(1000, join(root, 'tail'), { first: 300 });
    const all = files(join(root, 'big'));
    expect(all).toHaveLength(1000);
    expect([...files(join(root, 'head')), ...files(join(root, 'tail'))]).toEqual(all);
    for (const f of all.filter((_, i) => i % 37 === 0)) {
      const from = all.indexOf(f) < 300 ? 'head' : 'tail';
      expect(read(join(root, from), f)).toBe(read(join(root, 'big'), f));
    }
  });

  it('mixes every kind of event, in UTC and in zones only their VTIMEZONE defines', () => {
    expect(Object.keys(big.kinds).sort()).toEqual(['allday', 'allday-yearly', 'recurring', 'timed']);
    expect(big.kinds.recurring).toBeGreaterThan(50);
    expect(big.vevents).toBeGreaterThan(1000); // overrides are VEVENTs of their own
    expect(big.timezones).toEqual(expect.arrayContaining(['America/New_York', 'W. Europe Standard Time', 'Lakeside Office Time']));
  });

  it('writes folded CRLF lines of at most 75 octets that ical.js parses, each TZID with its VTIMEZONE', () => {
    const dir = join(root, 'big');
    for (const f of files(dir)) {
      const text = read(dir, f);
      const lines = text.split('\r\n');
      expect(lines.pop()).toBe('');
      for (const line of lines) expect(Buffer.byteLength(line), `${f}: ${line}`).toBeLessThanOrEqual(75);
      const vcalendar = new ICAL.Component(ICAL.parse(text));
      const defined = vcalendar.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'));
      const used = new Set([...text.matchAll(/;TZID=([^:;]+)/g)].map((m) => m[1]));
      expect([...used], f).toEqual(defined);
    }
  });

  it('puts every EXDATE and RECURRENCE-ID on an instance the RRULE makes', () => {
    const dir = join(root, 'big');
    let exdates = 0;
    let overrides = 0;
    for (const f of files(dir)) {
      const vcalendar = new ICAL.Component(ICAL.parse(read(dir, f)));
      for (const z of vcalendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(z);
      const [master, ...moved] = vcalendar.getAllSubcomponents('vevent');
      if (!master?.hasProperty('exdate')) continue;
      const excluded = master.getAllProperties('exdate').flatMap((p) => p.getValues() as ICAL.Time[]);
      const targets = [...excluded, ...moved.map((v) => v.getFirstPropertyValue('recurrence-id') as ICAL.Time)];
      // The instances the RRULE alone makes, EXDATEs taken away.
      master.removeAllProperties('exdate');
      const it = new ICAL.Event(master).iterator();
      const last = Math.max(...targets.map((t) => t.toUnixTime()));
      const made = new Set<number>();
      for (let t = it.next(); t && t.toUnixTime() <= last; t = it.next()) made.add(t.toUnixTime());
      for (const t of targets) expect(made.has(t.toUnixTime()), `${f}: ${t.toString()}`).toBe(true);
      exdates += excluded.length;
      overrides += moved.length;
    }
    expect(exdates).toBeGreaterThan(100);
    expect(overrides).toBeGreaterThan(10);
  });
});
