import { describe, expect, it } from 'vitest';
import { freeBusy } from '../../../src/ical/free-busy.js';
import { PRODID } from '../../../src/ical/prodid.js';
import { B1_PARSED, parsed } from '../dav/rfc4791-data.js';

const t = (s: string): number => Date.parse(s.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z')) / 1000;
const NOW = t('20250101T120000Z');
const all = B1_PARSED.map(([, c]) => c);
const wrap = (range: [string, string], ...fb: string[]): string => [
  'BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${PRODID}`, 'BEGIN:VFREEBUSY', 'DTSTAMP:20250101T120000Z',
  `DTSTART:${range[0]}`, `DTEND:${range[1]}`, ...fb, 'END:VFREEBUSY', 'END:VCALENDAR', '',
].join('\r\n');
/** Unfolded (RFC 5545 §3.1), after checking every physical line fits in 75 octets. */
function unfold(text: string): string {
  expect(text.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
  return text.replace(/\r\n /g, '');
}
const events = (...bodies: string[][]) => parsed(['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//EN',
  ...bodies.flatMap((b) => ['BEGIN:VEVENT', 'UID:e@t', ...b, 'END:VEVENT']), 'END:VCALENDAR'].join('\r\n'));

describe('freeBusy (RFC 4791 §7.10)', () => {
  it('§7.10.1 example over the Appendix B.1 data set', () => {
    const range: [string, string] = ['20060104T140000Z', '20060105T220000Z'];
    expect(unfold(freeBusy(all, { start: t(range[0]), end: t(range[1]) }, 'America/New_York', NOW, 10_000))).toBe(wrap(range,
      'FREEBUSY;FBTYPE=BUSY:20060104T190000Z/20060104T200000Z,20060105T170000Z/20060105T180000Z',
      'FREEBUSY;FBTYPE=BUSY-TENTATIVE:20060104T150000Z/20060104T160000Z',
      'FREEBUSY;FBTYPE=BUSY-UNAVAILABLE:20060105T100000Z/20060105T120000Z'));
  });

  it('an earlier range: recurrences, the moved instance left out, stored VFREEBUSY periods, folding', () => {
    const range: [string, string] = ['20060101T000000Z', '20060104T140000Z'];
    const out = freeBusy(all, { start: t(range[0]), end: t(range[1]) }, 'America/New_York', NOW, 10_000);
    expect(out).toContain('\r\n ');
    expect(unfold(out)).toBe(wrap(range,
      'FREEBUSY;FBTYPE=BUSY:20060102T150000Z/20060102T160000Z,20060102T170000Z/20060102T180000Z,'
        + '20060103T100000Z/20060103T120000Z,20060103T170000Z/20060103T180000Z,20060104T100000Z/20060104T120000Z',
      'FREEBUSY;FBTYPE=BUSY-TENTATIVE:20060102T100000Z/20060102T120000Z'));
  });

  it('merges overlapping and touching periods, clips to the range, skips TRANSPARENT and CANCELLED', () => {
    const objects = [
      events(['DTSTART:20240110T090000Z', 'DTEND:20240110T100000Z']),
      events(['DTSTART:20240110T093000Z', 'DTEND:20240110T110000Z', 'STATUS:CONFIRMED']),
      events(['DTSTART:20240110T110000Z', 'DTEND:20240110T113000Z', 'TRANSP:OPAQUE']),
      events(['DTSTART:20240110T120000Z', 'DTEND:20240110T130000Z', 'TRANSP:TRANSPARENT']),
      events(['DTSTART:20240110T140000Z', 'DTEND:20240110T150000Z', 'STATUS:CANCELLED']),
      events(['DTSTART:20240110T150000Z', 'DTEND:20240110T160000Z', 'STATUS:TENTATIVE']),
      events(['DTSTART:20240110T153000Z', 'DTEND:20240110T170000Z', 'STATUS:TENTATIVE']),
      events(['DTSTART:20240110T220000Z', 'DTEND:20240111T020000Z']), // clipped at the end
      events(['DTSTART:20240110T180000Z']), // no duration: takes no time
    ];
    const range: [string, string] = ['20240110T000000Z', '20240111T000000Z'];
    expect(unfold(freeBusy(objects, { start: t(range[0]), end: t(range[1]) }, 'UTC', NOW, 10_000))).toBe(wrap(range,
      'FREEBUSY;FBTYPE=BUSY:20240110T090000Z/20240110T113000Z,20240110T220000Z/20240111T000000Z',
      'FREEBUSY;FBTYPE=BUSY-TENTATIVE:20240110T150000Z/20240110T170000Z'));
  });

  it('applies STATUS/TRANSP per instance: a cancelled override and EXDATEs free their slots', () => {
    const series = events(
      ['DTSTART;TZID=America/New_York:20241101T090000', 'DTEND;TZID=America/New_York:20241101T100000', 'RRULE:FREQ=DAILY;COUNT=4', 'EXDATE;TZID=America/New_York:20241102T090000'],
      ['RECURRENCE-ID;TZID=America/New_York:20241103T090000', 'DTSTART;TZID=America/New_York:20241103T090000', 'DTEND;TZID=America/New_York:20241103T100000', 'STATUS:CANCELLED'],
    );
    const range: [string, string] = ['20241101T000000Z', '20241105T000000Z'];
    expect(unfold(freeBusy([series], { start: t(range[0]), end: t(range[1]) }, 'UTC', NOW, 10_000))).toBe(wrap(range,
      'FREEBUSY;FBTYPE=BUSY:20241101T130000Z/20241101T140000Z,20241104T140000Z/20241104T150000Z'));
  });

  it('an empty calendar gives a VFREEBUSY without FREEBUSY', () => {
    const range: [string, string] = ['20240110T000000Z', '20240111T000000Z'];
    expect(unfold(freeBusy([], { start: t(range[0]), end: t(range[1]) }, 'UTC', NOW, 10_000))).toBe(wrap(range));
  });
});
