import { describe, expect, it } from 'vitest';
import { parseFilter } from '../../../src/dav/filter.js';
import { prefilterOf, type CompFilter } from '../../../src/ical/query.js';
import { HttpError } from '../../../src/errors.js';
import { parseXml } from '../../../src/xml/parse.js';
import { filterXml } from './rfc4791-data.js';

const t = (iso: string): number => Date.parse(iso) / 1000;
const parse = (body: string, prefix = 'C'): CompFilter => parseFilter(parseXml(filterXml(body, prefix)));

function refusal(body: string): { status: number; precondition: string | undefined; message: string } {
  try {
    parse(body);
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    return { status: err.status, precondition: err.options.precondition, message: err.message };
  }
  throw new Error('expected the filter to be refused');
}
const VALID = '{urn:ietf:params:xml:ns:caldav}valid-filter';

describe('parseFilter (RFC 4791 §9.7)', () => {
  const body = `<C:comp-filter name="VCALENDAR"><C:comp-filter name="vevent">
      <C:time-range start="20060104T000000Z" end="20060105T000000Z"/>
      <C:prop-filter name="ATTENDEE">
        <C:text-match collation="i;octet" negate-condition="yes">
          mailto:lisa@example.com
        </C:text-match>
        <C:param-filter name="PARTSTAT"><C:text-match>NEEDS-ACTION</C:text-match></C:param-filter>
        <C:param-filter name="ROLE"><C:is-not-defined/></C:param-filter>
      </C:prop-filter>
      <C:prop-filter name="DTSTAMP"><C:time-range start="20060206T000000Z"/></C:prop-filter>
      <C:comp-filter name="VALARM"><C:is-not-defined/></C:comp-filter>
    </C:comp-filter></C:comp-filter>`;
  const expected: CompFilter = {
    name: 'VCALENDAR', isNotDefined: false, timeRange: null, propFilters: [],
    compFilters: [{
      name: 'VEVENT', isNotDefined: false,
      timeRange: { start: t('2006-01-04T00:00:00Z'), end: t('2006-01-05T00:00:00Z') },
      propFilters: [
        {
          name: 'ATTENDEE', isNotDefined: false, timeRange: null,
          textMatch: { value: 'mailto:lisa@example.com', collation: 'i;octet', negate: true },
          paramFilters: [
            { name: 'PARTSTAT', isNotDefined: false, textMatch: { value: 'NEEDS-ACTION', collation: 'i;ascii-casemap', negate: false } },
            { name: 'ROLE', isNotDefined: true, textMatch: null },
          ],
        },
        { name: 'DTSTAMP', isNotDefined: false, timeRange: { start: t('2006-02-06T00:00:00Z'), end: null }, textMatch: null, paramFilters: [] },
      ],
      compFilters: [{ name: 'VALARM', isNotDefined: true, timeRange: null, propFilters: [], compFilters: [] }],
    }],
  };

  it('reads the whole tree, whatever the prefix (C:, cal:, default namespace)', () => {
    for (const prefix of ['C', 'cal', '']) expect(parse(body, prefix)).toEqual(expected);
  });

  it('ignores elements of other namespaces (RFC 4918 extensibility)', () => {
    const f = parse('<C:comp-filter name="VCALENDAR"><x:hint xmlns:x="urn:x"/><C:comp-filter name="VTODO"/></C:comp-filter>');
    expect(f.compFilters.map((c) => c.name)).toEqual(['VTODO']);
  });

  it('refuses an unknown collation with 403 supported-collation', () => {
    const r = refusal('<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="SUMMARY"><C:text-match collation="i;basic">x</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter>');
    expect(r).toMatchObject({ status: 403, precondition: '{urn:ietf:params:xml:ns:caldav}supported-collation' });
    expect(r.message).toContain('i;basic');
  });

  it('refuses inverted, empty and malformed time ranges', () => {
    const range = (attrs: string): string => `<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range ${attrs}/></C:comp-filter></C:comp-filter>`;
    expect(refusal(range('start="20060105T000000Z" end="20060104T000000Z"'))).toMatchObject({ status: 400, precondition: VALID });
    expect(refusal(range('start="20060105T000000Z" end="20060105T000000Z"'))).toMatchObject({ status: 400, precondition: VALID });
    expect(refusal(range(''))).toMatchObject({ status: 400, precondition: VALID });
    expect(refusal(range('start="2006-01-04"'))).toMatchObject({ status: 403, precondition: VALID });
    expect(refusal(range('start="20060230T000000Z"'))).toMatchObject({ status: 403, precondition: VALID });
    // Open-ended ranges are fine (RFC 4791 §9.9), and a missing 'Z' is read as UTC.
    expect(parse(range('end="20060105T000000"')).compFilters[0]?.timeRange).toEqual({ start: null, end: t('2006-01-05T00:00:00Z') });
  });

  it('refuses structurally invalid filters with 403 valid-filter', () => {
    const bad = [
      '<C:comp-filter name="VEVENT"/>', // root must be VCALENDAR
      '<C:comp-filter name="VCALENDAR"/><C:comp-filter name="VCALENDAR"/>',
      '<C:comp-filter name="VCALENDAR"><C:comp-filter/></C:comp-filter>',
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:is-not-defined/><C:prop-filter name="UID"/></C:comp-filter></C:comp-filter>',
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="DTSTART"><C:time-range start="20060101T000000Z"/><C:text-match>x</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter>',
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:prop-filter name="X"><C:text-match negate-condition="maybe">x</C:text-match></C:prop-filter></C:comp-filter></C:comp-filter>',
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTIMEZONE"><C:time-range start="20060101T000000Z"/></C:comp-filter></C:comp-filter>',
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VALARM"><C:time-range start="20060101T000000Z"/></C:comp-filter></C:comp-filter>',
      '<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:bogus/></C:comp-filter></C:comp-filter>',
    ];
    for (const body of bad) expect(refusal(body), body).toMatchObject({ status: 403, precondition: VALID });
  });

  it('refuses a time-range on AVAILABLE with 403 supported-filter, naming it', () => {
    const r = refusal('<C:comp-filter name="VCALENDAR"><C:comp-filter name="VAVAILABILITY"><C:comp-filter name="AVAILABLE"><C:time-range start="20060101T000000Z"/></C:comp-filter></C:comp-filter></C:comp-filter>');
    expect(r).toMatchObject({ status: 403, precondition: '{urn:ietf:params:xml:ns:caldav}supported-filter' });
    expect(r.message).toContain('AVAILABLE');
  });
});

describe('prefilterOf', () => {
  it('extracts VCALENDAR > COMP[time-range]', () => {
    const f = parse('<C:comp-filter name="VCALENDAR"><C:comp-filter name="VTODO"><C:time-range start="20060104T000000Z"/><C:prop-filter name="SUMMARY"/></C:comp-filter></C:comp-filter>');
    expect(prefilterOf(f)).toEqual({ componentType: 'VTODO', range: { start: t('2006-01-04T00:00:00Z'), end: null } });
  });
  it('gives the type without a range, and nothing for other shapes', () => {
    expect(prefilterOf(parse('<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter>')))
      .toEqual({ componentType: 'VEVENT', range: null });
    expect(prefilterOf(parse('<C:comp-filter name="VCALENDAR"/>'))).toEqual({ componentType: null, range: null });
    expect(prefilterOf(parse('<C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:is-not-defined/></C:comp-filter></C:comp-filter>')))
      .toEqual({ componentType: null, range: null });
    expect(prefilterOf(parse('<C:comp-filter name="VCALENDAR"><C:comp-filter name="VFREEBUSY"><C:time-range start="20060104T000000Z"/></C:comp-filter></C:comp-filter>')))
      .toEqual({ componentType: null, range: null });
  });
});
