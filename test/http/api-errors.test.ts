import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';

let s: TestServer;
let cal: string;

beforeAll(async () => {
  s = await startServer();
  cal = (await s.api('POST', '/api/v1/calendars', { title: 'Errors' })).body.id;
});
afterAll(() => s.stop());

const expectError = (r: { status: number; body: { error: Record<string, unknown> } }, status: number, code: string, field?: string) => {
  expect(r.status).toBe(status);
  expect(r.body.error.code).toBe(code);
  expect(typeof r.body.error.message).toBe('string');
  if (field) expect(r.body.error.field).toBe(field);
  expect(JSON.stringify(r.body)).not.toMatch(/at .+\.ts:\d+/);
};

describe('error responses', () => {
  it('401 UNAUTHORIZED without or with a wrong token, with WWW-Authenticate', async () => {
    for (const auth of [undefined, 'Bearer nope', 'Basic YWRtaW46eA==']) {
      const r = await s.api('GET', '/api/v1/calendars', undefined, auth ? { authorization: auth } : { authorization: '' });
      expectError(r, 401, 'UNAUTHORIZED');
      expect(r.headers.get('www-authenticate')).toBe('Bearer realm="Calcast"');
    }
  });

  it('400 VALIDATION_FAILED for malformed JSON, unknown fields, missing and invalid values', async () => {
    expectError(await s.api('POST', '/api/v1/calendars', '{"title": ', { 'content-type': 'application/json' }), 400, 'VALIDATION_FAILED', 'body');
    expectError(await s.api('POST', '/api/v1/calendars', { title: 'x', colour: 'red' }), 400, 'VALIDATION_FAILED', 'colour');
    expectError(await s.api('POST', '/api/v1/calendars', {}), 400, 'VALIDATION_FAILED', 'title');
    expectError(await s.api('POST', '/api/v1/calendars', [1, 2]), 400, 'VALIDATION_FAILED');
    const ev = (body: object) => s.api('POST', `/api/v1/calendars/${cal}/events`, body);
    expectError(await ev({ title: 'x' }), 400, 'VALIDATION_FAILED', 'start');
    expectError(await ev({ title: 'x', start: '2024-02-30' }), 400, 'VALIDATION_FAILED', 'start');
    expectError(await ev({ title: 'x', start: '13/45/2024' }), 400, 'VALIDATION_FAILED', 'start');
    expectError(await ev({ title: 'x', start: '2024-01-01', rrule: 'FREQ=WEEKY' }), 400, 'VALIDATION_FAILED', 'rrule');
    expectError(await ev({ title: 'x', start: '2024-01-01', exdates: ['nope'] }), 400, 'VALIDATION_FAILED', 'exdates.0');
    expectError(await ev({ title: 'x', start: '2024-01-01', organizer: { name: 'Only a name' } }), 400, 'VALIDATION_FAILED', 'organizer.email');
    expectError(await ev({ title: 'x', start: '2024-01-01', attendees: [{ email: 'a@example.com', rsvp_status: 'MAYBE' }] }), 400, 'VALIDATION_FAILED', 'attendees.0.rsvp_status');
    expectError(await ev({ title: 'x', start: '2024-01-01', custom_data: { big: 'x'.repeat(5000) } }), 400, 'VALIDATION_FAILED', 'custom_data');
    expectError(await ev({ title: 'x', start: '2024-01-01', timezone: 'Nowhere/City' }), 400, 'VALIDATION_FAILED', 'timezone');
  });

  it('400 INVALID_TIME_RANGE when the end is before the start', async () => {
    const r = await s.api('POST', `/api/v1/calendars/${cal}/events`, { title: 'x', start: '2024-01-02T10:00', end: '2024-01-02T09:00' });
    expectError(r, 400, 'INVALID_TIME_RANGE', 'end');
  });

  it('404 NOT_FOUND for unknown ids and paths', async () => {
    expectError(await s.api('GET', '/api/v1/calendars/nope'), 404, 'NOT_FOUND');
    expectError(await s.api('GET', `/api/v1/calendars/${cal}/events/nope`), 404, 'NOT_FOUND');
    expectError(await s.api('GET', '/api/v1/nothing-here'), 404, 'NOT_FOUND');
  });

  it('409 CONFLICT when a client id is already used by another kind of entry', async () => {
    await s.api('POST', `/api/v1/calendars/${cal}/todos`, { id: 'shared-id', title: 'todo' });
    const r = await s.api('POST', `/api/v1/calendars/${cal}/events`, { id: 'shared-id', title: 'event', start: '2024-01-01' });
    expectError(r, 409, 'CONFLICT', 'id');
  });

  it('413 PAYLOAD_TOO_LARGE over 1 MiB', async () => {
    const r = await s.api('POST', `/api/v1/calendars/${cal}/events`, { title: 'x', start: '2024-01-01', description: 'x'.repeat(1_100_000) });
    expectError(r, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('415 UNSUPPORTED_MEDIA_TYPE for a wrong content type', async () => {
    const r = await s.api('POST', '/api/v1/calendars', 'title=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expectError(r, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type');
    const ics = await s.api('POST', `/api/v1/calendars/${cal}/import`, { title: 'json is not ics' });
    expectError(ics, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('405 METHOD_NOT_ALLOWED on a known path', async () => {
    expectError(await s.api('PUT', '/api/v1/calendars', { title: 'x' }), 405, 'METHOD_NOT_ALLOWED');
  });

  it('leaves nothing half-written after a failed request', async () => {
    const before = await s.api('GET', `/api/v1/calendars/${cal}/events?page_limit=500`);
    await s.api('POST', `/api/v1/calendars/${cal}/events`, { title: 'x', start: '2024-01-01', rrule: 'FREQ=NOPE' });
    await s.api('POST', `/api/v1/calendars/${cal}/import`, 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:2024', { 'content-type': 'text/calendar' });
    const after = await s.api('GET', `/api/v1/calendars/${cal}/events?page_limit=500`);
    expect(after.body.data).toEqual(before.body.data);
  });
});
