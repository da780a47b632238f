import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEARER, RUNS, jsonErrorCode, startFuzzTarget, type FuzzTarget } from './harness.js';

// Generated malformed bodies against the JSON API's writes: never a 5xx, every error with its
// code, and a refused write changes nothing.

let t: FuzzTarget;
let eventPath: string;
beforeAll(async () => {
  t = await startFuzzTarget();
  const e = await t.s.api('POST', `/api/v1/calendars/${t.scratch.id}/events`, { title: 'target', start: '2031-01-01T10:00' });
  eventPath = `/api/v1/calendars/${t.scratch.id}/events/${e.body.id}`;
});
afterAll(() => t?.stop());

const odd = fc.oneof(
  fc.string(), fc.string({ unit: 'grapheme', maxLength: 300 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null),
  fc.constantFrom('2031-02-30', '0000-01-01', '10000-01-01', '2031-01-01T25:00', '31/12/2031', 'FREQ=DAILY;BYSETPOS=400',
    'FREQ=SECONDLY', 'Nowhere/Land', 'a\u0000b', '\u202Eevil', 'x'.repeat(70_000), '#zzzzzz', 'not-an-email'),
  fc.array(fc.anything(), { maxLength: 5 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.anything(), { maxKeys: 4 }),
);
const FIELDS = ['title', 'start', 'end', 'timezone', 'all_day', 'rrule', 'exdates', 'reminders', 'attendees', 'organizer',
  'status', 'color', 'categories', 'custom_data', 'id', 'location', 'url', 'due', 'priority', 'published', 'feed', 'description',
  'participants_notification'];
const objectBody = fc.dictionary(fc.constantFrom(...FIELDS, 'bogus'), odd, { maxKeys: 6 }).map((o) => JSON.stringify(o));
const deep = fc.tuple(fc.integer({ min: 60, max: 3000 }), fc.constantFrom('[', '{"a":')).map(([n, open]) =>
  open.repeat(n) + (open === '[' ? ']'.repeat(n) : `1${'}'.repeat(n)}`));
const body = fc.oneof(
  { weight: 5, arbitrary: objectBody },
  { weight: 2, arbitrary: fc.json() },
  { weight: 2, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: objectBody.map((s) => s.slice(0, Math.max(1, s.length - 3))) },
);
const target = fc.constantFrom(
  ['POST', () => `/api/v1/calendars/${t.scratch.id}/events`], ['PATCH', () => eventPath],
  ['POST', () => `/api/v1/calendars/${t.scratch.id}/todos`], ['PATCH', () => `/api/v1/calendars/${t.scratch.id}`],
  ['POST', () => `/api/v1/calendars/${t.scratch.id}/subscribers`], ['POST', () => '/api/v1/tokens'],
) as fc.Arbitrary<[string, () => string]>;
const contentType = fc.constantFrom('application/json', 'application/json', 'application/merge-patch+json', 'text/plain', 'application/json; charset=latin1');

describe('fuzz: JSON API', () => {
  it(`answers ${RUNS} malformed bodies with 4xx and a code, changing nothing it refused`, async () => {
    const sentinel = await t.snapshot(t.sentinel.id);
    await fc.assert(fc.asyncProperty(target, body, contentType, async ([method, path], text, type) => {
      const before = await t.s.store.getCalendar(t.scratch.id);
      const a = await t.send(method, path(), text, { authorization: BEARER, 'content-type': type });
      expect(a.status, a.body).toBeLessThan(500);
      if (a.status >= 400) {
        expect(jsonErrorCode(a), a.body).not.toBeNull();
        expect((await t.s.store.getCalendar(t.scratch.id))?.syncToken).toBe(before?.syncToken);
      }
    }), { numRuns: RUNS, seed: 20261207 });
    expect(await t.snapshot(t.sentinel.id)).toEqual(sentinel);
  }, 300_000);
});
