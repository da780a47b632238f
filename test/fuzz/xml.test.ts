import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASIC, RUNS, davErrorOk, startFuzzTarget, type FuzzTarget } from './harness.js';

// Malformed PROPFIND and REPORT bodies: reads, so nothing stored may change at all, no answer
// is a 5xx, and every error is a DAV:error body.

let t: FuzzTarget;
beforeAll(async () => {
  t = await startFuzzTarget();
  await t.s.api('POST', `/api/v1/calendars/${t.scratch.id}/events`, { title: 'r', start: '2031-01-05T10:00', rrule: 'FREQ=DAILY;COUNT=30' });
});
afterAll(() => t?.stop());

const NS = ['DAV:', 'urn:ietf:params:xml:ns:caldav', 'http://apple.com/ns/ical/', 'urn:x-fuzz', ''];
const name = fc.constantFrom('propfind', 'prop', 'allprop', 'propname', 'getetag', 'displayname', 'calendar-query', 'calendar-multiget',
  'sync-collection', 'sync-token', 'sync-level', 'filter', 'comp-filter', 'prop-filter', 'text-match', 'time-range', 'calendar-data',
  'expand', 'limit-recurrence-set', 'href', 'free-busy-query', 'principal-property-search', 'x', 'nresults', 'limit');
const attr = fc.tuple(fc.constantFrom('name', 'start', 'end', 'collation', 'negate-condition', 'test', 'xmlns:q'),
  fc.oneof(fc.constantFrom('VCALENDAR', 'VEVENT', '20310101T000000Z', '99999999T999999Z', 'garbage', 'i;octet', 'yes', 'anyof', ''), fc.string({ maxLength: 30 })))
  .map(([k, v]) => ` ${k}="${v.replace(/["<&]/g, '')}"`);
const element: fc.Arbitrary<string> = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small' },
    fc.string({ maxLength: 20 }).map((s) => s.replace(/[<&]/g, '')),
    fc.tuple(name, fc.constantFrom(...NS), fc.array(attr, { maxLength: 2 }), fc.array(tie('node'), { maxLength: 3 }))
      .map(([n, ns, attrs, kids]) => `<${n} xmlns="${ns}"${attrs.join('')}>${kids.join('')}</${n}>`)),
})).node;
const xml = fc.oneof(
  { weight: 6, arbitrary: element.map((e) => `<?xml version="1.0" encoding="utf-8"?>${e}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.nat({ max: 2000 }).map((n) => `${'<a xmlns="DAV:">'.repeat(n)}${'</a>'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.constant('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><propfind xmlns="DAV:">&b;</propfind>') },
  { weight: 1, arbitrary: element.map((e) => e.slice(0, Math.floor(e.length / 2))) },
);

describe('fuzz: CalDAV PROPFIND and REPORT bodies', () => {
  it(`answers ${RUNS} malformed XML bodies without a 5xx and changes nothing`, async () => {
    const before = [await t.snapshot(t.sentinel.id), await t.snapshot(t.scratch.id)];
    await fc.assert(fc.asyncProperty(xml, fc.constantFrom('PROPFIND', 'REPORT'), fc.constantFrom('0', '1', 'infinity', '7', ''), async (body, method, depth) => {
      const a = await t.send(method, t.scratch.davPath, body, { authorization: BASIC, 'content-type': 'application/xml', ...(depth ? { depth } : {}) });
      expect(a.status, a.body).toBeLessThan(500);
      if (a.status >= 400) expect(davErrorOk(a), a.body).toBe(true);
    }), { numRuns: RUNS, seed: 20261207 });
    expect([await t.snapshot(t.sentinel.id), await t.snapshot(t.scratch.id)]).toEqual(before);
  }, 300_000);
});
