import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/util/secrets.js';
import { CALDAV, DAV, basic, dav, find, findAll, multistatus, prop, xml } from '../helpers/dav.js';
import { startServer, type TestServer } from '../helpers/server.js';

// RFC 3744 §9.4–9.5 on the principals collection, as python caldav and Apple's attendee lookup use them.

let s: TestServer;

const SEARCH = (terms: string, test = '') => `<?xml version="1.0" encoding="utf-8"?>
<D:principal-property-search xmlns:D="DAV:" xmlns:C="${CALDAV}"${test}>${terms}
  <D:prop><D:displayname/><C:calendar-user-address-set/><C:calendar-home-set/></D:prop>
</D:principal-property-search>`;
const term = (prop: string, match: string) => `<D:property-search><D:prop>${prop}</D:prop><D:match>${match}</D:match></D:property-search>`;

async function search(body: string, auth?: string) {
  const r = await dav(s, 'REPORT', '/dav/principals/', { depth: '0', body, auth });
  expect(r.status).toBe(207);
  return multistatus(r.text).responses;
}

beforeAll(async () => {
  s = await startServer();
  await s.store.createUser('bob.martin', await hashPassword('bob-pass-123'));
  await s.store.createUser('alice', await hashPassword('alice-pass-123'));
});
afterAll(() => s.stop());

describe('principal search', () => {
  it('advertises both reports on the principals collection', async () => {
    const r = await dav(s, 'PROPFIND', '/dav/principals/', {
      depth: '0', body: '<D:propfind xmlns:D="DAV:"><D:prop><D:supported-report-set/></D:prop></D:propfind>',
    });
    const set = prop(multistatus(r.text).responses[0], DAV, 'supported-report-set');
    const reports = findAll(set, DAV, 'supported-report').map((x) => find(x, DAV, 'report')!.children[0]!.local);
    expect(reports).toEqual(['principal-property-search', 'principal-search-property-set']);
  });

  it('finds principals by a caseless part of the display name, with what others may see', async () => {
    const found = await search(SEARCH(term('<D:displayname/>', 'MART')));
    expect(found.map((r) => r.href)).toEqual(['/dav/principals/bob.martin/']);
    expect(prop(found[0], DAV, 'displayname')!.text).toBe('bob.martin');
    expect(find(prop(found[0], CALDAV, 'calendar-user-address-set'), DAV, 'href')!.text).toBe('/dav/principals/bob.martin/');
    // Another user's calendar home is not the searcher's business.
    expect(found[0]!.props.get(`{${CALDAV}}calendar-home-set`)!.status).toBe(404);
  });

  it('matches the address set, combines terms with allof by default and anyof on request, and finds nobody for no match', async () => {
    expect((await search(SEARCH(term('<C:calendar-user-address-set/>', 'principals/alice')))).map((r) => r.href)).toEqual(['/dav/principals/alice/']);
    const both = term('<D:displayname/>', 'alice') + term('<D:displayname/>', 'bob');
    expect(await search(SEARCH(both))).toEqual([]);
    expect((await search(SEARCH(both, ' test="anyof"'))).map((r) => r.href).sort()).toEqual(['/dav/principals/alice/', '/dav/principals/bob.martin/']);
    expect(await search(SEARCH(term('<D:displayname/>', 'nobody-here')))).toEqual([]);
  });

  it('shows the searcher their own calendar home, and answers other users the same search', async () => {
    const own = await search(SEARCH(term('<D:displayname/>', 'alice')), basic('alice', 'alice-pass-123'));
    expect(find(prop(own[0], CALDAV, 'calendar-home-set'), DAV, 'href')!.text).toBe('/dav/calendars/alice/');
  });

  it('lists the searchable properties (a 200 document, §9.5)', async () => {
    const r = await dav(s, 'REPORT', '/dav/principals/', { depth: '0', body: '<D:principal-search-property-set xmlns:D="DAV:"/>' });
    expect(r.status).toBe(200);
    const root = xml(r.text);
    expect(`{${root.ns}}${root.local}`).toBe('{DAV:}principal-search-property-set');
    expect(findAll(root, DAV, 'principal-search-property').map((p) => find(p, DAV, 'prop')!.children[0]!.local)).toEqual(['displayname', 'calendar-user-address-set']);
  });

  it('refuses a malformed or unsearchable search with 400 and the field, and strangers with 401', async () => {
    for (const [body, field] of [
      ['<D:principal-property-search xmlns:D="DAV:"><D:prop><D:displayname/></D:prop></D:principal-property-search>', 'property-search'],
      [SEARCH('<D:property-search><D:prop><D:displayname/></D:prop></D:property-search>'), 'property-search'],
      [SEARCH(term('<D:getetag/>', 'x')), 'prop'],
    ] as const) {
      const r = await dav(s, 'REPORT', '/dav/principals/', { depth: '0', body });
      expect(r.status).toBe(400);
      expect(r.text).toContain(field);
    }
    expect((await dav(s, 'REPORT', '/dav/principals/', { depth: '0', body: SEARCH(term('<D:displayname/>', 'a')), auth: null })).status).toBe(401);
    const wrongPlace = await dav(s, 'REPORT', '/dav/principals/admin/', { depth: '0', body: SEARCH(term('<D:displayname/>', 'a')) });
    expect(wrongPlace.status).toBe(405);
  });
});
