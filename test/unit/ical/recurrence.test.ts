import { describe, it, expect } from 'vitest';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import {
  BEGINNING, FOREVER, objectBounds, occurrences, overlapsRange, type Occurrence,
} from '../../../src/ical/recurrence.js';
import { CRLF, cal, comp, t, vevent } from '../../helpers/ical.js';

const iso = (s: number): string => new Date(s * 1000).toISOString().replace('.000', '');
const all = { from: BEGINNING, to: FOREVER, floatingZone: 'UTC' };
const starts = (occ: Occurrence[]): string[] => occ.map((o) => iso(o.start));

const PARIS_VTIMEZONE = (tzid: string): string => [
  'BEGIN:VTIMEZONE', `TZID:${tzid}`,
  'BEGIN:DAYLIGHT', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'TZNAME:CEST', 'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'END:DAYLIGHT',
  'BEGIN:STANDARD', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'TZNAME:CET', 'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU', 'END:STANDARD', 'END:VTIMEZONE',
].join(CRLF);

describe('zones and wall time', () => {
  it('steps a weekly BYDAY rule in New York wall time across DST (RFC 5545 §3.3.10)', () => {
    const c = cal(vevent(
      'DTSTART;TZID=America/New_York:20240301T090000', 'DTEND;TZID=America/New_York:20240301T100000',
      'RRULE:FREQ=WEEKLY;BYDAY=MO,FR;COUNT=6',
    ));
    const occ = occurrences(c, all);
    // DST starts 2024-03-10: 09:00 EST = 14:00Z before, 09:00 EDT = 13:00Z after.
    expect(starts(occ)).toEqual([
      '2024-03-01T14:00:00Z', '2024-03-04T14:00:00Z', '2024-03-08T14:00:00Z',
      '2024-03-11T13:00:00Z', '2024-03-15T13:00:00Z', '2024-03-18T13:00:00Z',
    ]);
    for (const o of occ) {
      expect(DateTime.fromSeconds(o.start, { zone: 'America/New_York' }).toFormat('HH:mm')).toBe('09:00');
      expect(o.end - o.start).toBe(3600);
      expect(o.allDay).toBe(false);
    }
    expect(occ.map((o) => o.recurrenceId)).toContain('20240311T090000');
    expect(objectBounds(c, 'UTC')).toEqual({ firstStart: t('2024-03-01T14:00:00Z'), lastEnd: t('2024-03-18T14:00:00Z'), recurring: true });
  });

  it('reads floating times and DATE values in the calendar zone', () => {
    const timed = cal(vevent('DTSTART:20240615T090000', 'DTEND:20240615T100000'));
    expect(occurrences(timed, { ...all, floatingZone: 'Asia/Tokyo' })).toMatchObject([
      { start: t('2024-06-15T00:00:00Z'), end: t('2024-06-15T01:00:00Z'), allDay: false, recurrenceId: null },
    ]);
    expect(objectBounds(timed, 'Europe/Paris')).toEqual({ firstStart: t('2024-06-15T07:00:00Z'), lastEnd: t('2024-06-15T08:00:00Z'), recurring: false });
    const allDay = cal(vevent('DTSTART;VALUE=DATE:20240615'));
    expect(objectBounds(allDay, 'America/New_York')).toEqual({ firstStart: t('2024-06-15T04:00:00Z'), lastEnd: t('2024-06-16T04:00:00Z'), recurring: false });
  });

  it('uses the embedded VTIMEZONE for custom TZIDs (Thunderbird, Outlook) and UTC for unknown ones', () => {
    const tb = '/mozilla.org/20070129_1/Europe/Paris';
    const c = cal(PARIS_VTIMEZONE(tb), vevent(`DTSTART;TZID=${tb}:20240115T093000`, `DTEND;TZID=${tb}:20240115T103000`, 'RRULE:FREQ=MONTHLY;COUNT=7'));
    expect(starts(occurrences(c, all))).toEqual([
      '2024-01-15T08:30:00Z', '2024-02-15T08:30:00Z', '2024-03-15T08:30:00Z', '2024-04-15T07:30:00Z',
      '2024-05-15T07:30:00Z', '2024-06-15T07:30:00Z', '2024-07-15T07:30:00Z',
    ]);
    // A name no IANA mapping can know: only the VTIMEZONE says it is +03:30 / +04:30.
    const office = [
      'BEGIN:VTIMEZONE', 'TZID:Zeta Office Time',
      'BEGIN:STANDARD', 'TZOFFSETFROM:+0430', 'TZOFFSETTO:+0330', 'DTSTART:19701025T030000', 'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU', 'END:STANDARD',
      'BEGIN:DAYLIGHT', 'TZOFFSETFROM:+0330', 'TZOFFSETTO:+0430', 'DTSTART:19700329T020000', 'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU', 'END:DAYLIGHT',
      'END:VTIMEZONE',
    ].join(CRLF);
    const z = cal(office, vevent('DTSTART;TZID=Zeta Office Time:20240110T120000', 'DTEND;TZID=Zeta Office Time:20240710T120000'));
    expect(objectBounds(z, 'UTC')).toEqual({ firstStart: t('2024-01-10T08:30:00Z'), lastEnd: t('2024-07-10T07:30:00Z'), recurring: false });
    const unknown = cal(vevent('DTSTART;TZID=Nowhere/Special:20240110T120000'));
    expect(objectBounds(unknown, 'Europe/Paris').firstStart).toBe(t('2024-01-10T12:00:00Z'));
  });

  it('reads skipped and repeated local times as RFC 5545 §3.3.5 says', () => {
    const gap = cal(vevent('DTSTART;TZID=America/New_York:20240310T023000'));
    expect(objectBounds(gap, 'UTC').firstStart).toBe(t('2024-03-10T07:30:00Z')); // offset before the gap
    const fold = cal(vevent('DTSTART;TZID=America/New_York:20241103T013000'));
    expect(objectBounds(fold, 'UTC').firstStart).toBe(t('2024-11-03T05:30:00Z')); // first occurrence
  });

  it('adds nominal DURATION days in wall time and exact hours in seconds (RFC 5545 §3.3.6)', () => {
    const c = cal(vevent('DTSTART;TZID=America/New_York:20240309T120000', 'DURATION:P1DT1H'));
    expect(objectBounds(c, 'UTC')).toEqual({ firstStart: t('2024-03-09T17:00:00Z'), lastEnd: t('2024-03-10T17:00:00Z'), recurring: false });
  });
});

describe('recurrence set', () => {
  const daily = (...extra: string[]): ICAL.Component => cal(
    vevent('DTSTART:20240101T100000Z', 'DTEND:20240101T110000Z', 'RRULE:FREQ=DAILY;COUNT=10', ...extra.filter((l) => !l.startsWith('BEGIN'))),
    ...extra.filter((l) => l.startsWith('BEGIN')),
  );

  it('removes EXDATEs from several properties, several values each, DATE ones by day', () => {
    const c = daily('EXDATE:20240102T100000Z,20240104T100000Z', 'EXDATE:20240106T100000Z', 'EXDATE;VALUE=DATE:20240108,20240110');
    expect(starts(occurrences(c, all)).map((s) => s.slice(8, 10))).toEqual(['01', '03', '05', '07', '09']);
    expect(objectBounds(c, 'UTC').lastEnd).toBe(t('2024-01-09T11:00:00Z')); // the excluded last day does not count
  });

  it('substitutes overrides: moved into a window it is returned, moved out it is not', () => {
    const moved = vevent('RECURRENCE-ID:20240105T100000Z', 'DTSTART:20240110T150000Z', 'DTEND:20240110T160000Z', 'SUMMARY:moved');
    const c = daily(moved);
    const into = occurrences(c, { from: t('2024-01-10T12:00:00Z'), to: t('2024-01-11T00:00:00Z'), floatingZone: 'UTC' });
    expect(into).toHaveLength(1);
    expect(into[0]).toMatchObject({ start: t('2024-01-10T15:00:00Z'), recurrenceId: '20240105T100000Z' });
    expect(into[0]?.component.getFirstPropertyValue('summary')).toBe('moved');
    expect(occurrences(c, { from: t('2024-01-05T00:00:00Z'), to: t('2024-01-06T00:00:00Z'), floatingZone: 'UTC' })).toEqual([]);
    expect(occurrences(c, all)).toHaveLength(10);
    // Moved before the first rule instance or after the last: the bounds follow it.
    const early = daily(vevent('RECURRENCE-ID:20240103T100000Z', 'DTSTART:20231220T080000Z', 'DTEND:20231220T090000Z'));
    expect(objectBounds(early, 'UTC').firstStart).toBe(t('2023-12-20T08:00:00Z'));
    const late = daily(vevent('RECURRENCE-ID:20240110T100000Z', 'DTSTART:20240301T080000Z', 'DTEND:20240301T090000Z'));
    expect(objectBounds(late, 'UTC')).toEqual({ firstStart: t('2024-01-01T10:00:00Z'), lastEnd: t('2024-03-01T09:00:00Z'), recurring: true });
  });

  it('returns STATUS:CANCELLED overrides (the caller decides)', () => {
    const c = daily(vevent('RECURRENCE-ID:20240103T100000Z', 'DTSTART:20240103T100000Z', 'DTEND:20240103T110000Z', 'STATUS:CANCELLED'));
    const occ = occurrences(c, { from: t('2024-01-03T00:00:00Z'), to: t('2024-01-04T00:00:00Z'), floatingZone: 'UTC' });
    expect(occ.map((o) => o.component.getFirstPropertyValue('status'))).toEqual(['CANCELLED']);
  });

  it('adds RDATEs: DATE-TIME (with TZID), PERIOD and DATE', () => {
    const c = cal(vevent(
      'DTSTART;TZID=Europe/Paris:20240101T100000', 'DTEND;TZID=Europe/Paris:20240101T110000',
      'RDATE;TZID=Europe/Paris:20240701T100000,20240801T100000',
      'RDATE;VALUE=PERIOD:20240901T080000Z/20240901T120000Z,20241001T080000Z/PT30M',
      'EXDATE;TZID=Europe/Paris:20240801T100000',
    ));
    const occ = occurrences(c, all);
    expect(occ.map((o) => [iso(o.start), (o.end - o.start) / 60])).toEqual([
      ['2024-01-01T09:00:00Z', 60], ['2024-07-01T08:00:00Z', 60], ['2024-09-01T08:00:00Z', 240], ['2024-10-01T08:00:00Z', 30],
    ]);
    expect(occ[1]?.recurrenceId).toBe('20240701T100000');
    expect(objectBounds(c, 'UTC')).toEqual({ firstStart: t('2024-01-01T09:00:00Z'), lastEnd: t('2024-10-01T08:30:00Z'), recurring: true });
    const days = cal(vevent('DTSTART;VALUE=DATE:20240101', 'RDATE;VALUE=DATE:20240301,20240401'));
    expect(occurrences(days, all).map((o) => [o.recurrenceId, o.allDay, o.end - o.start])).toEqual([
      ['20240101', true, 86400], ['20240301', true, 86400], ['20240401', true, 86400],
    ]);
  });

  it('bounds COUNT and UNTIL rules exactly (UNTIL inclusive)', () => {
    expect(objectBounds(daily(), 'UTC')).toEqual({ firstStart: t('2024-01-01T10:00:00Z'), lastEnd: t('2024-01-10T11:00:00Z'), recurring: true });
    const until = cal(vevent(
      'DTSTART;TZID=America/New_York:20240102T090000', 'DTEND;TZID=America/New_York:20240102T093000',
      'RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20240606T130000Z', // exactly the start of Thu June 6 (EDT)
    ));
    expect(objectBounds(until, 'UTC')).toEqual({ firstStart: t('2024-01-02T14:00:00Z'), lastEnd: t('2024-06-06T13:30:00Z'), recurring: true });
    expect(starts(occurrences(until, { from: t('2024-06-01T00:00:00Z'), to: t('2024-07-01T00:00:00Z'), floatingZone: 'UTC' })))
      .toEqual(['2024-06-04T13:00:00Z', '2024-06-06T13:00:00Z']);
  });

  it("accepts Evolution's DATE UNTIL on a DATE-TIME rule, the day inclusive", () => {
    const c = cal(vevent('DTSTART;TZID=Europe/Paris:20240601T180000', 'DTEND;TZID=Europe/Paris:20240601T190000', 'RRULE:FREQ=WEEKLY;UNTIL=20240629'));
    expect(starts(occurrences(c, all)).map((s) => s.slice(5, 10))).toEqual(['06-01', '06-08', '06-15', '06-22', '06-29']);
    expect(objectBounds(c, 'UTC').lastEnd).toBe(t('2024-06-29T17:00:00Z'));
  });

  it('gives unbounded rules lastEnd = FOREVER and still finds far-future instances fast', () => {
    const c = cal(vevent('DTSTART;TZID=Europe/Paris:20000101T083000', 'DURATION:PT45M', 'RRULE:FREQ=DAILY'));
    expect(objectBounds(c, 'UTC')).toEqual({ firstStart: t('2000-01-01T07:30:00Z'), lastEnd: FOREVER, recurring: true });
    const began = performance.now();
    const occ = occurrences(c, { from: t('2030-06-03T00:00:00Z'), to: t('2030-06-10T00:00:00Z'), floatingZone: 'UTC' });
    const elapsed = performance.now() - began;
    expect(starts(occ)).toEqual(['03', '04', '05', '06', '07', '08', '09'].map((d) => `2030-06-${d}T06:30:00Z`));
    expect(occ[0]?.recurrenceId).toBe('20300603T083000');
    expect(elapsed).toBeLessThan(1000); // loose for slow CI; the fast-forward makes it ~1 ms
    expect(FOREVER).toBe(t('9999-12-31T23:59:59Z'));
  });

  it('expands an all-day yearly event by date, Feb 29 only in leap years', () => {
    const c = cal(vevent('DTSTART;VALUE=DATE:19900315', 'DTEND;VALUE=DATE:19900316', 'RRULE:FREQ=YEARLY'));
    const occ = occurrences(c, { from: t('2025-01-01T00:00:00Z'), to: t('2026-12-31T00:00:00Z'), floatingZone: 'Europe/Berlin' });
    expect(occ.map((o) => [iso(o.start), iso(o.end), o.allDay, o.recurrenceId])).toEqual([
      ['2025-03-14T23:00:00Z', '2025-03-15T23:00:00Z', true, '20250315'],
      ['2026-03-14T23:00:00Z', '2026-03-15T23:00:00Z', true, '20260315'],
    ]);
    const leap = cal(vevent('DTSTART;VALUE=DATE:20240229', 'RRULE:FREQ=YEARLY'));
    expect(occurrences(leap, { from: t('2025-01-01T00:00:00Z'), to: t('2033-01-01T00:00:00Z'), floatingZone: 'UTC' }).map((o) => o.recurrenceId))
      .toEqual(['20280229', '20320229']);
  });

  it('treats overrides without a master as single instances', () => {
    const c = cal(
      vevent('RECURRENCE-ID;TZID=Europe/Paris:20240305T100000', 'DTSTART;TZID=Europe/Paris:20240306T140000', 'DTEND;TZID=Europe/Paris:20240306T150000'),
      vevent('RECURRENCE-ID;TZID=Europe/Paris:20240312T100000', 'DTSTART;TZID=Europe/Paris:20240312T100000', 'DTEND;TZID=Europe/Paris:20240312T110000'),
    );
    expect(occurrences(c, all).map((o) => [iso(o.start), o.recurrenceId])).toEqual([
      ['2024-03-06T13:00:00Z', '20240305T100000'], ['2024-03-12T09:00:00Z', '20240312T100000'],
    ]);
    expect(objectBounds(c, 'UTC')).toEqual({ firstStart: t('2024-03-06T13:00:00Z'), lastEnd: t('2024-03-12T10:00:00Z'), recurring: true });
  });

  it('stops after max instances, in start order', () => {
    const c = cal(vevent('DTSTART:20240101T100000Z', 'RRULE:FREQ=HOURLY'));
    const occ = occurrences(c, { ...all, max: 5 });
    expect(starts(occ)).toEqual(['10', '11', '12', '13', '14'].map((h) => `2024-01-01T${h}:00:00Z`));
  });
});

describe('RFC 4791 §9.9 time ranges', () => {
  const one = (c: ICAL.Component, floatingZone = 'UTC'): Occurrence => occurrences(c, { ...all, floatingZone })[0] as Occurrence;

  it('VEVENT: intervals are half-open, zero-length events match at their start', () => {
    const o = one(cal(vevent('DTSTART:20240101T100000Z', 'DTEND:20240101T110000Z')));
    expect(overlapsRange('VEVENT', o, t('2024-01-01T11:00:00Z'), t('2024-01-02T00:00:00Z'))).toBe(false);
    expect(overlapsRange('VEVENT', o, t('2024-01-01T00:00:00Z'), t('2024-01-01T10:00:00Z'))).toBe(false);
    expect(overlapsRange('VEVENT', o, t('2024-01-01T10:59:00Z'), t('2024-01-02T00:00:00Z'))).toBe(true);
    const point = one(cal(vevent('DTSTART:20240101T100000Z')));
    expect(point.end).toBe(point.start);
    expect(overlapsRange('VEVENT', point, t('2024-01-01T10:00:00Z'), t('2024-01-01T10:00:01Z'))).toBe(true);
    expect(overlapsRange('VEVENT', point, t('2024-01-01T09:00:00Z'), t('2024-01-01T10:00:00Z'))).toBe(false);
  });

  it('VTODO: no dates matches everything, DUE alone matches (start < DUE <= end), COMPLETED/CREATED rows', () => {
    const open = cal(comp('VTODO', 'SUMMARY:someday'));
    expect(objectBounds(open, 'UTC')).toEqual({ firstStart: BEGINNING, lastEnd: FOREVER, recurring: false });
    expect(occurrences(open, { from: t('2030-01-01T00:00:00Z'), to: t('2030-01-02T00:00:00Z'), floatingZone: 'UTC' })).toHaveLength(1);
    const due = one(cal(comp('VTODO', 'DUE:20240101T100000Z')));
    expect([due.start, due.end]).toEqual([t('2024-01-01T10:00:00Z'), t('2024-01-01T10:00:00Z')]);
    expect(overlapsRange('VTODO', due, t('2024-01-01T09:00:00Z'), t('2024-01-01T10:00:00Z'))).toBe(true);
    expect(overlapsRange('VTODO', due, t('2024-01-01T10:00:00Z'), t('2024-01-01T11:00:00Z'))).toBe(false);
    const done = occurrences(cal(comp('VTODO', 'COMPLETED:20240105T000000Z')), all)[0] as Occurrence;
    expect(overlapsRange('VTODO', done, t('2024-01-01T00:00:00Z'), t('2024-01-05T00:00:00Z'))).toBe(true);
    expect(overlapsRange('VTODO', done, t('2024-01-06T00:00:00Z'), t('2024-01-07T00:00:00Z'))).toBe(false);
    const span = one(cal(comp('VTODO', 'DTSTART:20240101T100000Z', 'DUE:20240103T100000Z')));
    expect(overlapsRange('VTODO', span, t('2024-01-02T00:00:00Z'), t('2024-01-02T01:00:00Z'))).toBe(true);
  });

  it('VJOURNAL: a DATE covers its day, a DATE-TIME is a point, no DTSTART matches nothing', () => {
    const day = cal(comp('VJOURNAL', 'DTSTART;VALUE=DATE:20240101'));
    const o = one(day);
    expect(overlapsRange('VJOURNAL', o, t('2024-01-01T23:00:00Z'), t('2024-01-02T05:00:00Z'))).toBe(true);
    expect(overlapsRange('VJOURNAL', o, t('2024-01-02T00:00:00Z'), t('2024-01-03T00:00:00Z'))).toBe(false);
    const none = cal(comp('VJOURNAL', 'SUMMARY:undated'));
    expect(occurrences(none, all)).toEqual([]);
    expect(objectBounds(none, 'UTC')).toEqual({ firstStart: BEGINNING, lastEnd: BEGINNING, recurring: false });
  });
});
