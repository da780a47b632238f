/**
 * The true answer to a VEVENT time-range calendar-query, by ical.js's own expansion
 * (ICAL.Event.iterator, which applies RRULE/RDATE/EXDATE, and getOccurrenceDetails, which applies
 * RECURRENCE-ID overrides) and the RFC 4791 §9.9 test written here, with no code from src/.
 * A second opinion beside truth.py (icalendar + recurring_ical_events), and the fallback when
 * those Python modules are missing. Dates and floating times are taken in UTC.
 *
 *   node --import tsx bench/caldav/truth-icaljs.ts EVENTS_DIR 20250602T000000Z 20250609T000000Z
 *
 * Prints the same JSON as truth.py: {"count", "matches", "instances"}.
 */
import ICAL from 'ical.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, startText, endText] = process.argv.slice(2);
if (!dir || !startText || !endText) throw new Error('usage: truth-icaljs.ts EVENTS_DIR START END');
const seconds = (t: string) => Date.UTC(
  +t.slice(0, 4), +t.slice(4, 6) - 1, +t.slice(6, 8), +t.slice(9, 11), +t.slice(11, 13), +t.slice(13, 15),
) / 1000;
const start = seconds(startText);
const end = seconds(endText);
const PAD = 4 * 86400; // expand a little wider, then test exactly

/** RFC 4791 §9.9 for one VEVENT instance, in Unix seconds. */
function overlaps(s: number, e: number): boolean {
  return e > s ? start < e && end > s : start <= s && end > s;
}

const matches: string[] = [];
let instances = 0;
for (const name of readdirSync(dir).filter((n) => n.endsWith('.ics')).sort()) {
  const cal = new ICAL.Component(ICAL.parse(readFileSync(join(dir, name), 'utf8')));
  // Property values are decoded lazily, so TZID parameters resolve against zones registered here.
  for (const tz of cal.getAllSubcomponents('vtimezone')) {
    const id = String(tz.getFirstPropertyValue('tzid'));
    if (!ICAL.TimezoneService.has(id)) ICAL.TimezoneService.register(new ICAL.Timezone(tz));
  }
  const master = cal.getAllSubcomponents('vevent').find((v) => !v.hasProperty('recurrence-id'));
  if (!master) continue;
  const event = new ICAL.Event(master);
  let hit = false;
  const test = (from: ICAL.Time, to: ICAL.Time) => {
    if (overlaps(from.toUnixTime(), to.toUnixTime())) {
      instances++;
      hit = true;
    }
  };
  if (!event.isRecurring()) {
    test(event.startDate, event.endDate);
  } else {
    const it = event.iterator();
    for (let next = it.next(); next; next = it.next()) {
      if (next.toUnixTime() > end + PAD) break;
      const d = event.getOccurrenceDetails(next);
      test(d.startDate, d.endDate);
    }
  }
  if (hit) matches.push(name);
}
process.stdout.write(JSON.stringify({ count: matches.length, matches, instances }));
