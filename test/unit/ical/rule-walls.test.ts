import { describe, it, expect } from 'vitest';
import ICAL from 'ical.js';
import { ruleWalls } from '../../../src/ical/rule-walls.js';
import type { TimeValue } from '../../../src/ical/instants.js';

// Differential test of the fast-forward: restarting a rule near a far window must give exactly
// the instances that walking it from DTSTART gives.

const wall = (iso: string): number => Date.parse(`${iso}Z`) / 1000;
const text = (w: number): string => new Date(w * 1000).toISOString().slice(0, 19);

function firstAfter(walls: Generator<number>, after: number, n: number): string[] {
  const out: string[] = [];
  for (const w of walls) {
    if (w > after) out.push(text(w));
    if (out.length >= n) break;
  }
  return out;
}

const RULES = [
  'FREQ=DAILY', 'FREQ=DAILY;INTERVAL=3', 'FREQ=DAILY;BYMONTH=1,7', 'FREQ=DAILY;BYDAY=MO,WE', 'FREQ=DAILY;BYHOUR=9,15',
  'FREQ=WEEKLY', 'FREQ=WEEKLY;BYDAY=MO,WE,FR', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH', 'FREQ=WEEKLY;INTERVAL=3',
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=SU;WKST=SU', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,SU;WKST=MO',
  'FREQ=MONTHLY', 'FREQ=MONTHLY;INTERVAL=5', 'FREQ=MONTHLY;BYMONTHDAY=31', 'FREQ=MONTHLY;BYMONTHDAY=-1',
  'FREQ=MONTHLY;BYDAY=2TH', 'FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1',
  'FREQ=MONTHLY;BYDAY=5SU', 'FREQ=MONTHLY;BYMONTHDAY=1,15;BYMONTH=3,6',
  'FREQ=YEARLY', 'FREQ=YEARLY;INTERVAL=2', 'FREQ=YEARLY;BYMONTH=11;BYDAY=4TH', 'FREQ=YEARLY;BYYEARDAY=100,-1',
  'FREQ=YEARLY;BYDAY=20MO', 'FREQ=YEARLY;BYMONTH=2;BYDAY=-1MO', 'FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=31',
  'FREQ=YEARLY;INTERVAL=3;BYMONTH=1;BYDAY=MO',
];
const STARTS: TimeValue[] = [
  { wall: wall('2001-01-31T09:30:00'), isDate: false, anchor: { kind: 'floating' } },
  { wall: wall('2004-02-29T00:00:00'), isDate: true, anchor: { kind: 'floating' } },
  { wall: wall('2003-05-17T23:15:00'), isDate: false, anchor: { kind: 'utc' } },
];

const SKIPS = ['2030-06-15T12:00:00', '2012-02-29T00:00:00', '2019-11-30T23:00:00', '2025-03-31T10:00:00', '2007-01-01T00:00:00'].map(wall);

describe('ruleWalls fast-forward', () => {
  for (const rule of RULES) {
    it(`matches a walk from DTSTART: ${rule}`, () => {
      const recur = ICAL.Recur.fromString(rule);
      const last = Math.max(...SKIPS);
      for (const start of STARTS) {
        const walk: number[] = []; // one walk from DTSTART, past the last skip point
        let after = 0;
        for (const w of ruleWalls(recur, start, null)) {
          walk.push(w);
          if (w > last && ++after >= 30) break;
        }
        for (const skipTo of SKIPS) {
          const fast = firstAfter(ruleWalls(recur, start, null, skipTo), skipTo, 30);
          const slow = walk.filter((w) => w > skipTo).slice(0, 30).map(text);
          expect(fast, `${rule} from ${text(start.wall)} skipping to ${text(skipTo)}`).toEqual(slow);
          expect(fast.length).toBeGreaterThan(0);
        }
      }
    });
  }

  it('skips invalid dates instead of rolling them over (RFC 5545 §3.3.10)', () => {
    const feb29 = { wall: wall('2024-02-29T00:00:00'), isDate: true, anchor: { kind: 'floating' } } as const;
    expect(firstAfter(ruleWalls(ICAL.Recur.fromString('FREQ=YEARLY'), feb29, null), 0, 3))
      .toEqual(['2024-02-29T00:00:00', '2028-02-29T00:00:00', '2032-02-29T00:00:00']);
    const jan31 = { wall: wall('2024-01-31T10:00:00'), isDate: false, anchor: { kind: 'floating' } } as const;
    expect(firstAfter(ruleWalls(ICAL.Recur.fromString('FREQ=YEARLY;BYMONTH=1,4'), jan31, null), 0, 3))
      .toEqual(['2024-01-31T10:00:00', '2025-01-31T10:00:00', '2026-01-31T10:00:00']);
  });
});
