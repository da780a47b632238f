import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstanceIndex } from '../../../src/ical/instance-index.js';
import { parseCalendar } from '../../../src/ical/parse.js';
import { objectBounds, occurrences } from '../../../src/ical/recurrence.js';
import { generateCalendar } from '../../helpers/calendar-generator/index.js';

const dir = mkdtempSync(join(tmpdir(), 'calcast-index-'));
let series: { key: string; text: string }[] = [];

beforeAll(() => {
  generateCalendar(600, dir);
  series = readdirSync(join(dir, 'events'))
    .map((f) => ({ key: f, text: readFileSync(join(dir, 'events', f), 'utf8') }))
    .filter((o) => objectBounds(parseCalendar(o.text), 'Europe/Paris').recurring);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the instance index', () => {
  it('answers exactly what expanding the series answers, for every series and many windows', () => {
    expect(series.length).toBeGreaterThan(40);
    const now = Date.UTC(2025, 5, 1);
    const index = createInstanceIndex(() => now);
    let windows = 0;
    let matches = 0;
    for (let from = Date.UTC(2023, 11, 20) / 1000; from < Date.UTC(2027, 2, 1) / 1000; from += 23 * 86_400 + 7_200) {
      const to = from + (windows % 3 === 0 ? 3_600 : (1 + (windows % 40)) * 86_400);
      for (const s of series) {
        const root = parseCalendar(s.text);
        const truth = occurrences(root, { from, to, floatingZone: 'Europe/Paris', max: 1 }).length > 0;
        const answer = index.eventOverlaps(s.key, () => parseCalendar(s.text), 'Europe/Paris', from, to);
        expect(answer, `${s.key} [${from}, ${to})`).toBe(truth);
        if (truth) matches++;
      }
      windows++;
    }
    expect(matches).toBeGreaterThan(500);
  });

  it('declines windows outside its horizon instead of guessing', () => {
    const index = createInstanceIndex(() => Date.UTC(2025, 0, 1));
    const s = series[0]!;
    const far = Date.UTC(2040, 0, 1) / 1000;
    expect(index.eventOverlaps(s.key, () => parseCalendar(s.text), 'UTC', far, far + 86_400)).toBeUndefined();
  });
});
