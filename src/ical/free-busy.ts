import ICAL from 'ical.js';
import { PRODID } from './prodid.js';
import { formatValue } from './instants.js';
import { drain, occurrenceWalk } from './recurrence.js';
import { foldLine } from './serialize.js';
import { MAX_WALK, TooManyInstances } from './instance-limit.js';

// The CALDAV:free-busy-query answer (RFC 4791 §7.10): one VFREEBUSY over the requested range.
// Sources: VEVENT instances (recurrences expanded, overrides applied) and the FREEBUSY periods of
// stored VFREEBUSY components. VTODO/VJOURNAL never count; VAVAILABILITY (RFC 7953 §6) is not
// applied — its objects contribute no busy time.

type FbType = 'BUSY' | 'BUSY-TENTATIVE' | 'BUSY-UNAVAILABLE';
type Period = [number, number];

/** Output order, and the FBTYPEs a stored VFREEBUSY may contribute (FREE is not busy time). */
const FB_TYPES: readonly FbType[] = ['BUSY', 'BUSY-TENTATIVE', 'BUSY-UNAVAILABLE'];

/** RFC 4791 §7.10 table: TRANSPARENT or CANCELLED → not busy; TENTATIVE → BUSY-TENTATIVE;
 *  otherwise (CONFIRMED or no STATUS) → BUSY. */
function fbTypeOf(event: ICAL.Component): FbType | null {
  const transp = String(event.getFirstPropertyValue('transp') ?? 'OPAQUE').toUpperCase();
  if (transp === 'TRANSPARENT') return null;
  const status = String(event.getFirstPropertyValue('status') ?? '').toUpperCase();
  if (status === 'CANCELLED') return null;
  return status === 'TENTATIVE' ? 'BUSY-TENTATIVE' : 'BUSY';
}

/** Sorted, with overlapping and touching periods merged (RFC 5545 §3.8.2.6: sorted by start). */
function merge(periods: Period[]): Period[] {
  periods.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Period[] = [];
  for (const p of periods) {
    const last = out[out.length - 1];
    if (last && p[0] <= last[1]) last[1] = Math.max(last[1], p[1]);
    else out.push([p[0], p[1]]);
  }
  return out;
}

const utc = (t: number): string => formatValue(t, false, true);

/**
 * A VCALENDAR holding one VFREEBUSY for `range`: DTSTAMP = `now`, DTSTART/DTEND in UTC, one
 * FREEBUSY line per FBTYPE with its periods clipped to the range and merged. `range` and `now` are
 * unix SECONDS (not Clock milliseconds). `zone` anchors floating times (RFC 4791 §7.3).
 * Throws TooManyInstances when one object has more than `maxInstances` instances in the range:
 * cutting there would answer "free" for busy time.
 */
export function freeBusy(objects: ICAL.Component[], range: { start: number; end: number }, zone: string, now: number, maxInstances: number): string {
  return drain(freeBusyWalk(objects, range, zone, now, maxInstances));
}

/** `freeBusy` in slices (see occurrenceWalk). */
export function freeBusyWalk(
  objects: ICAL.Component[], range: { start: number; end: number }, zone: string, now: number, maxInstances: number,
): Generator<void, string> {
  return freeBusyOfSources(objects.map((object) => ({ object, zone })), range, now, maxInstances);
}

/**
 * `freeBusyWalk` over objects of several calendars, each with its own zone for floating times:
 * one user's busy time across their calendars (RFC 6638 §5 free-busy through the outbox).
 */
export function* freeBusyOfSources(
  sources: { object: ICAL.Component; zone: string }[], range: { start: number; end: number }, now: number, maxInstances: number,
): Generator<void, string> {
  const busy: Record<FbType, Period[]> = { BUSY: [], 'BUSY-TENTATIVE': [], 'BUSY-UNAVAILABLE': [] };
  const add = (type: FbType, start: number, end: number): void => {
    const s = Math.max(start, range.start);
    const e = Math.min(end, range.end);
    if (e > s) busy[type].push([s, e]); // zero-length instances take no time
  };
  for (const { object: obj, zone } of sources) {
    const found = yield* occurrenceWalk(obj, { from: range.start, to: range.end, floatingZone: zone, max: maxInstances + 1, maxWalk: MAX_WALK });
    if (found.length > maxInstances) throw new TooManyInstances(maxInstances);
    for (const occ of found) {
      if (occ.component.name !== 'vevent') continue;
      const type = fbTypeOf(occ.component); // per instance: an override may be cancelled alone
      if (type) add(type, occ.start, occ.end);
    }
    for (const vfb of obj.getAllSubcomponents('vfreebusy')) {
      for (const prop of vfb.getAllProperties('freebusy')) {
        const type = String(prop.getParameter('fbtype') ?? 'BUSY').toUpperCase() as FbType;
        if (!FB_TYPES.includes(type)) continue;
        for (const v of prop.getValues()) {
          if (!(v instanceof ICAL.Period)) continue;
          const s = v.start.toUnixTime(); // FREEBUSY is UTC by definition (RFC 5545 §3.8.2.6)
          add(type, s, v.end ? v.end.toUnixTime() : s + (v.duration?.toSeconds() ?? 0));
        }
      }
    }
  }
  const lines = [
    'BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${PRODID}`, 'BEGIN:VFREEBUSY',
    `DTSTAMP:${utc(now)}`, `DTSTART:${utc(range.start)}`, `DTEND:${utc(range.end)}`,
  ];
  for (const type of FB_TYPES) {
    const periods = merge(busy[type]);
    if (periods.length) lines.push(`FREEBUSY;FBTYPE=${type}:${periods.map(([s, e]) => `${utc(s)}/${utc(e)}`).join(',')}`);
  }
  lines.push('END:VFREEBUSY', 'END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
