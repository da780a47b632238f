import ICAL from 'ical.js';
import { wallOf } from './instants.js';
import type { Occurrence } from './occurrence.js';

// RFC 4791 §9.9 CALDAV:time-range, one table per component type. `from`/`to` are the range's
// start/end (unix seconds); "start" is inclusive, "end" exclusive. Occurrence.start/end are the
// instance's DTSTART and its effective end (DTEND, DTSTART+DURATION or DUE); the component tells
// which properties the instance actually has, which is what selects the row.

/** COMPLETED/CREATED are UTC by definition (RFC 5545 §3.8.2.1, §3.8.7.1). */
function utcProp(comp: ICAL.Component, name: string): number | null {
  const v = comp.getFirstPropertyValue(name);
  return v instanceof ICAL.Time ? wallOf(v) : null;
}

function vevent(occ: Occurrence, from: number, to: number): boolean {
  // Rows "DTEND", "DURATION > 0" and "DATE without end" (+P1D) all read start < END AND end > DTSTART
  // once the effective end is known; zero-length rows (DATE-TIME without end, DURATION = 0) read
  // start <= DTSTART AND end > DTSTART. A DTEND equal to DTSTART is treated as zero-length too
  // (the table's literal "start < DTEND" would make such an event unmatchable at its own start).
  if (occ.end > occ.start) return occ.start < to && occ.end > from;
  return from <= occ.start && occ.start < to;
}

function vtodo(occ: Occurrence, from: number, to: number): boolean {
  const c = occ.component;
  const hasStart = c.hasProperty('dtstart');
  const hasDue = c.hasProperty('due');
  const hasDuration = c.hasProperty('duration');
  const s = occ.start;
  const e = occ.end;
  if (hasStart && hasDuration && !hasDue) return from <= e && (to > s || to >= e);
  if (hasStart && hasDue) return (from < e || from <= s) && (to > s || to >= e);
  if (hasStart) return from <= s && to > s;
  if (hasDue) return from < e && to >= e;
  const completed = utcProp(c, 'completed');
  const created = utcProp(c, 'created');
  if (completed !== null && created !== null) {
    return (from <= created || from <= completed) && (to >= created || to >= completed);
  }
  if (completed !== null) return from <= completed && to >= completed;
  if (created !== null) return to > created;
  return true;
}

function vjournal(occ: Occurrence, from: number, to: number): boolean {
  // DATE: (start < DTSTART+P1D) AND (end > DTSTART); DATE-TIME: (start <= DTSTART) AND (end > DTSTART).
  // A VJOURNAL without DTSTART has no Occurrence at all (its row is FALSE).
  if (occ.allDay) return from < occ.end && to > occ.start;
  return from <= occ.start && to > occ.start;
}

/** RFC 4791 §9.9 time-range test for one instance of the given component type. */
export function overlapsRange(kind: 'VEVENT' | 'VTODO' | 'VJOURNAL', occ: Occurrence, from: number, to: number): boolean {
  if (kind === 'VEVENT') return vevent(occ, from, to);
  if (kind === 'VTODO') return vtodo(occ, from, to);
  return vjournal(occ, from, to);
}
