import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/util/secrets.js';
import {
  APPLE, CALDAV, CS, DAV, basic, dav, davErrorOf, find, findAll, multistatus, prop, vcalendar, vevent, weeklySeries, xml,
} from '../helpers/dav.js';
import { startServer, type TestServer } from '../helpers/server.js';

// The CalDAV surface over real HTTP (RFC 4918, 4791, 6578, 5397, 6764): the main regression suite.

let s: TestServer;
let calId: string;
let calPath: string;

const PROPFIND = (props: string, ns = `xmlns:D="DAV:" xmlns:C="${CALDAV}" xmlns:CS="${CS}" xmlns:A="${APPLE}"`) =>
  `<?xml version="1.0" encoding="utf-8"?><D:propfind ${ns}><D:prop>${props}</D:prop></D:propfind>`;
const SYNC = (token: string, extra = '') =>
  `<D:sync-collection xmlns:D="DAV:"><D:sync-token>${token}</D:sync-token><D:sync-level>1</D:sync-level>${extra}<D:prop><D:getetag/></D:prop></D:sync-collection>`;

async function newCalendar(title = 'Cal'): Promise<{ id: string; path: string; json: Record<string, unknown> }> {
  const json = (await s.api('POST', '/api/v1/calendars', { title, timezone: 'Europe/Paris' })).body;
  return { id: json.id, path: `/dav/calendars/admin/${json.id}/`, json };
}
async function propfind0(path: string, props: string) {
  const r = await dav(s, 'PROPFIND', path, { depth: '0', body: PROPFIND(props) });
  expect(r.status).toBe(207);
  return multistatus(r.text).responses[0]!;
}
async function tokens(path: string) {
  const r = await propfind0(path, '<D:sync-token/><CS:getctag/>');
  return { sync: prop(r, DAV, 'sync-token')!.text, ctag: prop(r, CS, 'getctag')!.text };
}
const put = (path: string, body: string, headers: Record<string, string> = {}) => dav(s, 'PUT', path, { body, headers });
async function sync(path: string, token: string, extra = '') {
  const r = await dav(s, 'REPORT', path, { body: SYNC(token, extra) });
  expect(r.status).toBe(207);
  return multistatus(r.text);
}
async function apiTitles(id: string): Promise<string[]> {
  return (await s.api('GET', `/api/v1/calendars/${id}/events?page_limit=500`)).body.data.map((e: { title: string }) => e.title).sort();
}

beforeAll(async () => {
  s = await startServer();
  ({ id: calId, path: calPath } = await newCalendar('Team'));
});
afterAll(() => s.stop());

describe('discovery, OPTIONS and auth', () => {
  it('redirects /.well-known/caldav to /dav/ for every method (RFC 6764 §5)', async () => {
    for (const method of ['PROPFIND', 'GET', 'OPTIONS']) {
      const r = await dav(s, method, '/.well-known/caldav', { auth: null });
      expect([r.status, r.headers.get('location')]).toEqual([301, '/dav/']);
    }
  });

  it('advertises DAV 1, 3, calendar-access, extended-mkcol, calendar-auto-schedule and Allow per resource', async () => {
    const allow = async (path: string) => {
      const r = await dav(s, 'OPTIONS', path);
      expect(r.status).toBe(200);
      expect(r.headers.get('dav')).toBe('1, 3, calendar-access, extended-mkcol, calendar-auto-schedule');
      return r.headers.get('allow')!.split(/,\s*/).sort();
    };
    expect(await allow('/dav/')).toEqual(['OPTIONS', 'PROPFIND']);
    expect(await allow('/dav/calendars/admin/')).toEqual(['OPTIONS', 'PROPFIND']);
    expect(await allow(calPath)).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PROPFIND', 'PROPPATCH', 'REPORT']);
    expect(await allow(`${calPath}x.ics`)).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PROPFIND', 'PUT', 'REPORT']);
    expect(await allow('/dav/calendars/admin/not-yet/')).toEqual(['MKCALENDAR', 'MKCOL', 'OPTIONS']);
    expect(await allow('/dav/scheduling/admin/outbox/')).toEqual(['OPTIONS', 'POST', 'PROPFIND']);
    expect(await allow('/dav/scheduling/admin/inbox/')).toEqual(['OPTIONS', 'PROPFIND', 'REPORT']);
    const r = await dav(s, 'PUT', calPath, { body: vcalendar(vevent('x', 'x')) });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toContain('PROPPATCH');
  });

  it('answers COPY, MOVE and LOCK with 405 and Allow, and a method it does not know with 501', async () => {
    for (const method of ['COPY', 'MOVE', 'LOCK']) {
      const r = await dav(s, method, `${calPath}x.ics`);
      expect([method, r.status]).toEqual([method, 405]);
      expect(r.headers.get('allow')).toContain('PUT');
    }
    expect((await dav(s, 'SUBSCRIBE', calPath)).status).toBe(501);
  });

  it('walks root → principal → home → calendars', async () => {
    const root = await propfind0('/dav/', '<D:current-user-principal/><C:calendar-home-set/>');
    expect(find(prop(root, DAV, 'current-user-principal'), DAV, 'href')!.text).toBe('/dav/principals/admin/');
    const principal = await propfind0('/dav/principals/admin/', '<D:resourcetype/><C:calendar-home-set/><D:principal-URL/>');
    expect(find(prop(principal, DAV, 'resourcetype'), DAV, 'principal')).toBeDefined();
    expect(find(prop(principal, CALDAV, 'calendar-home-set'), DAV, 'href')!.text).toBe('/dav/calendars/admin/');
    const home = await dav(s, 'PROPFIND', '/dav/calendars/admin/', { depth: '1', body: PROPFIND('<D:resourcetype/><D:displayname/>') });
    const cal = multistatus(home.text).byHref.get(calPath)!;
    expect(find(prop(cal, DAV, 'resourcetype'), CALDAV, 'calendar')).toBeDefined();
    expect(prop(cal, DAV, 'displayname')!.text).toBe('Team');
  });

  it('answers a wrong password with 401 and a Basic challenge', async () => {
    const r = await dav(s, 'PROPFIND', calPath, { depth: '0', auth: basic('admin', 'nope') });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Basic realm="Calcast"/);
    expect((await dav(s, 'PROPFIND', calPath, { depth: '0', auth: null })).status).toBe(401);
  });

  it("hides another user's calendars (404, not 403)", async () => {
    await s.store.createUser('bob', await hashPassword('bob-pass-123'));
    const bob = basic('bob', 'bob-pass-123');
    expect((await dav(s, 'PROPFIND', calPath, { depth: '0', auth: bob })).status).toBe(404);
    expect((await dav(s, 'GET', calPath, { auth: bob })).status).toBe(404);
    expect((await dav(s, 'PUT', `${calPath}b.ics`, { auth: bob, body: vcalendar(vevent('b', 'b')) })).status).toBe(404);
    expect((await dav(s, 'PROPFIND', '/dav/calendars/bob/', { depth: '0', auth: bob })).status).toBe(207);
  });
});

describe('PROPFIND', () => {
  it('lists members at Depth 1 and only the resource at Depth 0', async () => {
    const { path } = await newCalendar('Depth');
    await put(`${path}a.ics`, vcalendar(vevent('depth-a', 'A', ['DTSTART:20310101T100000Z'])));
    const d0 = multistatus((await dav(s, 'PROPFIND', path, { depth: '0', body: PROPFIND('<D:getetag/>') })).text);
    expect(d0.responses.map((r) => r.href)).toEqual([path]);
    const d1 = multistatus((await dav(s, 'PROPFIND', path, { depth: '1', body: PROPFIND('<D:getetag/><D:getcontenttype/>') })).text);
    expect(d1.responses.map((r) => r.href)).toEqual([path, `${path}a.ics`]);
    expect(prop(d1.byHref.get(`${path}a.ics`), DAV, 'getcontenttype')!.text).toMatch(/^text\/calendar/);
  });

  it('answers allprop and propname, and an empty body as allprop', async () => {
    const all = await dav(s, 'PROPFIND', calPath, { depth: '0', body: '<propfind xmlns="DAV:"><allprop/></propfind>' });
    const r = multistatus(all.text).responses[0]!;
    expect(prop(r, DAV, 'resourcetype')).toBeDefined();
    expect(prop(r, DAV, 'displayname')!.text).toBe('Team');
    const empty = multistatus((await dav(s, 'PROPFIND', calPath, { depth: '0' })).text).responses[0]!;
    expect(prop(empty, DAV, 'displayname')!.text).toBe('Team');
    const names = multistatus((await dav(s, 'PROPFIND', calPath, { depth: '0', body: '<D:propfind xmlns:D="DAV:"><D:propname/></D:propfind>' })).text).responses[0]!;
    for (const key of [`{${DAV}}sync-token`, `{${CALDAV}}supported-calendar-component-set`, `{${CS}}getctag`]) {
      expect(names.props.get(key)).toMatchObject({ status: 200 });
      expect(names.props.get(key)!.el.children).toEqual([]);
      expect(names.props.get(key)!.el.text).toBe('');
    }
  });

  it('refuses Depth: infinity with propfind-finite-depth', async () => {
    for (const depth of ['infinity', undefined]) {
      const r = await dav(s, 'PROPFIND', calPath, { ...(depth ? { depth } : {}), body: PROPFIND('<D:displayname/>') });
      expect(r.status).toBe(403);
      expect(davErrorOf(r.text).condition).toBe(`{${DAV}}propfind-finite-depth`);
    }
  });

  it('reports an unknown property as a 404 propstat inside the 207', async () => {
    const r = await propfind0(calPath, '<D:displayname/><X:nonsense xmlns:X="urn:x-test"/><D:getcontentlength/>');
    expect(prop(r, DAV, 'displayname')!.text).toBe('Team');
    expect(r.props.get('{urn:x-test}nonsense')!.status).toBe(404);
    expect(r.props.get(`{${DAV}}getcontentlength`)!.status).toBe(404);
  });

  it('reads requests with any prefixes or a default namespace', async () => {
    const bodies = [
      `<zz:propfind xmlns:zz="DAV:" xmlns:q9="${CALDAV}" xmlns:c-s="${CS}"><zz:prop><zz:displayname/><q9:supported-calendar-component-set/><c-s:getctag/></zz:prop></zz:propfind>`,
      `<propfind xmlns="DAV:"><prop><displayname/><supported-calendar-component-set xmlns="${CALDAV}"/><getctag xmlns="${CS}"/></prop></propfind>`,
      `<D:propfind xmlns:D="DAV:"><D:prop xmlns="${CALDAV}"><D:displayname/><supported-calendar-component-set/><getctag xmlns="${CS}"/></D:prop></D:propfind>`,
    ];
    for (const body of bodies) {
      const r = multistatus((await dav(s, 'PROPFIND', calPath, { depth: '0', body })).text).responses[0]!;
      expect(prop(r, DAV, 'displayname')!.text).toBe('Team');
      expect(findAll(prop(r, CALDAV, 'supported-calendar-component-set'), CALDAV, 'comp').length).toBeGreaterThan(0);
      expect(prop(r, CS, 'getctag')!.text).toMatch(/^urn:calcast:sync:/);
    }
  });

  it('refuses DOCTYPE/ENTITY (400), deep nesting (400) and bodies over 1 MiB (413)', async () => {
    const doctype = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><D:propfind xmlns:D="DAV:"><D:prop><D:displayname>&a;</D:displayname></D:prop></D:propfind>';
    expect((await dav(s, 'PROPFIND', calPath, { depth: '0', body: doctype })).status).toBe(400);
    const nested = (levels: number) => `<D:propfind xmlns:D="DAV:">${'<D:x>'.repeat(levels - 1)}${'</D:x>'.repeat(levels - 1)}</D:propfind>`;
    expect((await dav(s, 'PROPFIND', calPath, { depth: '0', body: nested(64) })).status).toBe(207);
    const r = await dav(s, 'PROPFIND', calPath, { depth: '0', body: nested(65) });
    expect(r.status).toBe(400);
    xml(r.text);
    const big = PROPFIND(`<D:displayname/>${' '.repeat(1024 * 1024)}`);
    expect((await dav(s, 'PROPFIND', calPath, { depth: '0', body: big })).status).toBe(413);
    expect((await dav(s, 'PROPFIND', calPath, { depth: '0', body: '<D:propfind xmlns:D="DAV:"><D:prop>' })).status).toBe(400);
  });
});

describe('PROPPATCH and MKCALENDAR', () => {
  const PATCH = (inner: string) =>
    `<D:propertyupdate xmlns:D="DAV:" xmlns:I="${APPLE}" xmlns:C="${CALDAV}"><D:set><D:prop>${inner}</D:prop></D:set></D:propertyupdate>`;

  it('sets displayname and calendar-color, visible over DAV and the JSON API', async () => {
    const { id, path } = await newCalendar('Before');
    const before = await tokens(path);
    const r = await dav(s, 'PROPPATCH', path, { body: PATCH('<D:displayname>After</D:displayname><I:calendar-color>#FF8800FF</I:calendar-color>') });
    expect(r.status).toBe(207);
    const res = multistatus(r.text).responses[0]!;
    expect([res.props.get(`{${DAV}}displayname`)!.status, res.props.get(`{${APPLE}}calendar-color`)!.status]).toEqual([200, 200]);
    const got = await propfind0(path, '<D:displayname/><A:calendar-color/>');
    expect(prop(got, DAV, 'displayname')!.text).toBe('After');
    expect(prop(got, APPLE, 'calendar-color')!.text.toLowerCase()).toMatch(/^#ff8800/);
    expect((await s.api('GET', `/api/v1/calendars/${id}`)).body).toMatchObject({ title: 'After', color: '#ff8800' });
    const after = await tokens(path);
    expect(after.sync).not.toBe(before.sync);
    expect(after.ctag).not.toBe(before.ctag);
  });

  it('changes nothing when one property is protected: 403 for it, 424 for the others', async () => {
    const { id, path } = await newCalendar('Untouched');
    const before = await tokens(path);
    const r = await dav(s, 'PROPPATCH', path, { body: PATCH('<D:getetag>"x"</D:getetag><D:displayname>Changed</D:displayname>') });
    expect(r.status).toBe(207);
    const res = multistatus(r.text).responses[0]!;
    expect(res.props.get(`{${DAV}}getetag`)!.status).toBe(403);
    expect(res.props.get(`{${DAV}}displayname`)!.status).toBe(424);
    expect((await s.api('GET', `/api/v1/calendars/${id}`)).body.title).toBe('Untouched');
    expect(await tokens(path)).toEqual(before);
  });

  it('creates a VTODO-only calendar that advertises exactly VTODO', async () => {
    const path = '/dav/calendars/admin/tasks-only/';
    const body = `<C:mkcalendar xmlns:D="DAV:" xmlns:C="${CALDAV}"><D:set><D:prop><D:displayname>Tasks</D:displayname>
      <C:supported-calendar-component-set><C:comp name="VTODO"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>`;
    const r = await dav(s, 'MKCALENDAR', path, { body });
    expect(r.status).toBe(201);
    const got = await propfind0(path, '<D:displayname/><C:supported-calendar-component-set/><D:resourcetype/>');
    expect(prop(got, DAV, 'displayname')!.text).toBe('Tasks');
    expect(findAll(prop(got, CALDAV, 'supported-calendar-component-set'), CALDAV, 'comp').map((c) => c.attrs.name)).toEqual(['VTODO']);
    const again = await dav(s, 'MKCALENDAR', path, { body });
    expect(again.status).toBe(403);
    expect(davErrorOf(again.text).condition).toBe(`{${DAV}}resource-must-be-null`);
    // RFC 4791 §5.3.2.1: a VEVENT does not go into a VTODO-only calendar.
    const ev = await put(`${path}e.ics`, vcalendar(vevent('todo-cal-ev', 'E', ['DTSTART:20310101T100000Z'])));
    expect(ev.status).toBe(403);
    expect(davErrorOf(ev.text).condition).toBe(`{${CALDAV}}supported-calendar-component`);
    const todo = vcalendar(['BEGIN:VTODO', 'UID:todo-1', 'DTSTAMP:20300101T000000Z', 'SUMMARY:Do it', 'END:VTODO']);
    expect((await put(`${path}t.ics`, todo)).status).toBe(201);
  });

  it('reads character references: an Apple-style calendar-timezone with &#13; line ends', async () => {
    const zone = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Apple Inc.//macOS 14.4//EN', 'BEGIN:VTIMEZONE', 'TZID:America/New_York',
      'BEGIN:STANDARD', 'TZOFFSETFROM:-0400', 'TZOFFSETTO:-0500', 'DTSTART:20071104T020000', 'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU',
      'TZNAME:EST', 'END:STANDARD', 'END:VTIMEZONE', 'END:VCALENDAR', ''].join('&#13;\n');
    const path = '/dav/calendars/admin/0F3A9C52-apple/';
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<B:mkcalendar xmlns:B="${CALDAV}"><A:set xmlns:A="DAV:"><A:prop>
      <B:calendar-timezone>${zone}</B:calendar-timezone><A:displayname>Caf&#xE9; &amp; co</A:displayname>
      <D:calendar-color xmlns:D="${APPLE}" symbolic-color="custom">#711A76FF</D:calendar-color></A:prop></A:set></B:mkcalendar>`;
    const r = await dav(s, 'MKCALENDAR', path, { body, headers: { 'content-type': 'text/xml' } });
    expect(r.status).toBe(201);
    const got = await propfind0(path, '<D:displayname/><C:calendar-timezone/>');
    expect(prop(got, DAV, 'displayname')!.text).toBe('Café & co');
    expect(prop(got, CALDAV, 'calendar-timezone')!.text).toContain('TZID:America/New_York');
  });

  it('creates calendars with extended MKCOL (RFC 5689), as DAVx5 and vdirsyncer do', async () => {
    const path = '/dav/calendars/admin/from-mkcol/';
    const body = `<D:mkcol xmlns:D="DAV:" xmlns:C="${CALDAV}"><D:set><D:prop>
      <D:resourcetype><D:collection/><C:calendar/></D:resourcetype><D:displayname>From MKCOL</D:displayname>
      <C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set></D:prop></D:set></D:mkcol>`;
    expect((await dav(s, 'MKCOL', path, { body })).status).toBe(201);
    const got = await propfind0(path, '<D:displayname/><D:resourcetype/>');
    expect(prop(got, DAV, 'displayname')!.text).toBe('From MKCOL');
    expect(findAll(prop(got, DAV, 'resourcetype'), CALDAV, 'calendar')).toHaveLength(1);
    const plain = `<D:mkcol xmlns:D="DAV:"><D:set><D:prop><D:resourcetype><D:collection/></D:resourcetype></D:prop></D:set></D:mkcol>`;
    const refused = await dav(s, 'MKCOL', '/dav/calendars/admin/plain-collection/', { body: plain });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('mkcol-response');
    expect((await dav(s, 'PROPFIND', '/dav/calendars/admin/plain-collection/', { depth: '0' })).status).toBe(404);
  });

  it('keeps dead properties a client sets and returns them', async () => {
    const { path } = await newCalendar('Dead props');
    const r = await dav(s, 'PROPPATCH', path, { body: PATCH(`<C:schedule-calendar-transp><C:transparent/></C:schedule-calendar-transp><X:note xmlns:X="urn:example:x">kept</X:note>`) });
    expect(multistatus(r.text).responses[0]!.props.get(`{${CALDAV}}schedule-calendar-transp`)!.status).toBe(200);
    const got = await propfind0(path, '<C:schedule-calendar-transp/><X:note xmlns:X="urn:example:x"/>');
    expect(findAll(prop(got, CALDAV, 'schedule-calendar-transp'), CALDAV, 'transparent')).toHaveLength(1);
    expect(prop(got, 'urn:example:x', 'note')!.text).toBe('kept');
    const remove = `<D:propertyupdate xmlns:D="DAV:"><D:remove><D:prop><X:note xmlns:X="urn:example:x"/></D:prop></D:remove></D:propertyupdate>`;
    expect((await dav(s, 'PROPPATCH', path, { body: remove })).status).toBe(207);
    expect(prop(await propfind0(path, '<X:note xmlns:X="urn:example:x"/>'), 'urn:example:x', 'note')).toBeUndefined();
  });

  it('refuses VTODO in a VEVENT-only calendar (supported-calendar-component)', async () => {
    const path = '/dav/calendars/admin/events-only/';
    const body = `<C:mkcalendar xmlns:D="DAV:" xmlns:C="${CALDAV}"><D:set><D:prop>
      <C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>`;
    expect((await dav(s, 'MKCALENDAR', path, { body })).status).toBe(201);
    const todo = vcalendar(['BEGIN:VTODO', 'UID:todo-2', 'DTSTAMP:20300101T000000Z', 'SUMMARY:No', 'END:VTODO']);
    const r = await put(`${path}t.ics`, todo);
    expect(r.status).toBe(403);
    expect(davErrorOf(r.text).condition).toBe(`{${CALDAV}}supported-calendar-component`);
  });
});

describe('PUT, GET and DELETE of objects', () => {
  const one = (uid: string, summary = 'One') => vcalendar(vevent(uid, summary, ['DTSTART:20310301T100000Z', 'DTEND:20310301T110000Z']));

  it('creates (201 + ETag), updates (204) and honours If-None-Match / If-Match', async () => {
    const path = `${calPath}put-1.ics`;
    const created = await put(path, one('put-1'), { 'if-none-match': '*' });
    expect(created.status).toBe(201);
    const etag = created.headers.get('etag')!;
    expect(etag).toMatch(/^"[^"]+"$/);
    expect((await put(path, one('put-1'), { 'if-none-match': '*' })).status).toBe(412);
    const updated = await put(path, one('put-1', 'One v2'), { 'if-match': etag });
    expect(updated.status).toBe(204);
    expect(updated.headers.get('etag')).not.toBe(etag);
    expect((await put(path, one('put-1', 'stale'), { 'if-match': etag })).status).toBe(412);
    const got = await dav(s, 'GET', path);
    expect([got.status, got.headers.get('etag')]).toEqual([200, updated.headers.get('etag')]);
    expect(got.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(await apiTitles(calId)).toContain('One v2');
  });

  it('refuses broken iCalendar with valid-calendar-data and changes nothing', async () => {
    const before = await tokens(calPath);
    const count = (await apiTitles(calId)).length;
    const r = await put(`${calPath}broken.ics`, 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:notadate\r\n');
    expect(r.status).toBe(403);
    expect(davErrorOf(r.text).condition).toBe(`{${CALDAV}}valid-calendar-data`);
    expect(await tokens(calPath)).toEqual(before);
    expect((await apiTitles(calId)).length).toBe(count);
    expect((await dav(s, 'GET', `${calPath}broken.ics`)).status).toBe(404);
  });

  it('refuses two UIDs in one object (valid-calendar-object-resource)', async () => {
    const r = await put(`${calPath}two.ics`, vcalendar(vevent('two-a', 'A', ['DTSTART:20310101T100000Z']), vevent('two-b', 'B', ['DTSTART:20310101T100000Z'])));
    expect(r.status).toBe(403);
    expect(davErrorOf(r.text).condition).toBe(`{${CALDAV}}valid-calendar-object-resource`);
  });

  it('refuses a UID already stored at another href with 409 no-uid-conflict naming it', async () => {
    expect((await put(`${calPath}uid-a.ics`, one('same-uid'))).status).toBe(201);
    const r = await put(`${calPath}uid-b.ics`, one('same-uid'));
    expect(r.status).toBe(409);
    expect(davErrorOf(r.text)).toEqual({ condition: `{${CALDAV}}no-uid-conflict`, hrefs: [`${calPath}uid-a.ics`] });
  });

  it('refuses objects over 1 MiB with max-resource-size', async () => {
    const huge = vcalendar(vevent('huge', 'Huge', ['DTSTART:20310101T100000Z', `DESCRIPTION:${'x'.repeat(1024 * 1024)}`]));
    const r = await put(`${calPath}huge.ics`, huge);
    expect(r.status).toBe(403);
    expect(davErrorOf(r.text).condition).toBe(`{${CALDAV}}max-resource-size`);
  });

  it('keeps the text byte for byte, X- properties included', async () => {
    const text = vcalendar(['X-WR-CALNAME:Mine'], vevent('xprops', 'X props', [
      'DTSTART:20310401T100000Z', 'X-MOZ-GENERATION:3', 'X-APPLE-TRAVEL-ADVISORY-BEHAVIOR;X-FOO="a;b":AUTOMATIC',
      'DESCRIPTION:long line that is folded by the client at a silly place to see it is kept exac',
      ' tly as sent',
    ]));
    expect((await put(`${calPath}xprops.ics`, text)).status).toBe(201);
    expect((await dav(s, 'GET', `${calPath}xprops.ics`)).text).toBe(text);
  });

  it('accepts Evolution DATE UNTIL on a DATE-TIME series, Thunderbird zones and orphan overrides', async () => {
    const { path } = await newCalendar('Quirks');
    const evolution = vcalendar(vevent('evo', 'Evolution daily', [
      'DTSTART;TZID=Europe/Paris:20310301T100000', 'DTEND;TZID=Europe/Paris:20310301T110000', 'RRULE:FREQ=DAILY;UNTIL=20310305',
    ]));
    expect((await put(`${path}evo.ics`, evolution)).status).toBe(201);
    const mozZone = '/mozilla.org/20070129_1/Europe/Paris';
    const thunderbird = vcalendar([
      'BEGIN:VTIMEZONE', `TZID:${mozZone}`, 'X-LIC-LOCATION:Europe/Paris',
      'BEGIN:DAYLIGHT', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'TZNAME:CEST', 'DTSTART:19700329T020000',
      'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3', 'END:DAYLIGHT',
      'BEGIN:STANDARD', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'TZNAME:CET', 'DTSTART:19701025T030000',
      'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10', 'END:STANDARD', 'END:VTIMEZONE',
    ], vevent('tb', 'Thunderbird', [`DTSTART;TZID=${mozZone}:20310310T100000`, `DTEND;TZID=${mozZone}:20310310T110000`]));
    expect((await put(`${path}tb.ics`, thunderbird)).status).toBe(201);
    const orphan = vcalendar(vevent('orphan', 'Orphan override', [
      'RECURRENCE-ID:20310312T090000Z', 'DTSTART:20310312T120000Z', 'DTEND:20310312T130000Z',
    ]));
    expect((await put(`${path}orphan.ics`, orphan)).status).toBe(201);

    const query = (start: string, end: string, expand = false) => `<C:calendar-query xmlns:D="DAV:" xmlns:C="${CALDAV}"><D:prop><D:getetag/>
      <C:calendar-data>${expand ? `<C:expand start="${start}" end="${end}"/>` : ''}</C:calendar-data></D:prop>
      <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="${start}" end="${end}"/></C:comp-filter></C:comp-filter></C:filter></C:calendar-query>`;
    const hrefs = async (start: string, end: string) =>
      multistatus((await dav(s, 'REPORT', path, { depth: '1', body: query(start, end) })).text).responses.map((r) => r.href.slice(path.length)).sort();
    expect(await hrefs('20310305T000000Z', '20310306T000000Z')).toEqual(['evo.ics']);
    expect(await hrefs('20310306T000000Z', '20310307T000000Z')).toEqual([]);
    expect(await hrefs('20310310T085000Z', '20310310T091000Z')).toEqual(['tb.ics']); // 10:00 Paris = 09:00Z
    expect(await hrefs('20310312T115000Z', '20310312T121000Z')).toEqual(['orphan.ics']);
    const expanded = multistatus((await dav(s, 'REPORT', path, { depth: '1', body: query('20310301T000000Z', '20310310T000000Z', true) })).text);
    const data = prop(expanded.byHref.get(`${path}evo.ics`), CALDAV, 'calendar-data')!.text;
    expect(data.match(/^DTSTART:[^\r\n]+/gm)).toEqual(['20310301', '20310302', '20310303', '20310304', '20310305'].map((d) => `DTSTART:${d}T090000Z`));
    expect(data).not.toContain('RRULE');
  });

  it('GETs the collection as one VCALENDAR with every event', async () => {
    const { path } = await newCalendar('Whole');
    await put(`${path}a.ics`, one('whole-a', 'Whole A'));
    await put(`${path}b.ics`, one('whole-b', 'Whole B'));
    const r = await dav(s, 'GET', path);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(r.text.match(/^BEGIN:VCALENDAR/gm)).toHaveLength(1);
    expect(r.text.match(/^UID:[^\r\n]+/gm)!.sort()).toEqual(['UID:whole-a', 'UID:whole-b']);
  });

  it('DELETEs an object (If-Match honoured) and a whole calendar', async () => {
    const { id, path } = await newCalendar('Doomed');
    const etag = (await put(`${path}d.ics`, one('doomed'))).headers.get('etag')!;
    expect((await dav(s, 'DELETE', `${path}d.ics`, { headers: { 'if-match': '"stale"' } })).status).toBe(412);
    expect((await dav(s, 'DELETE', `${path}d.ics`, { headers: { 'if-match': etag } })).status).toBe(204);
    expect((await dav(s, 'GET', `${path}d.ics`)).status).toBe(404);
    expect((await dav(s, 'DELETE', `${path}d.ics`)).status).toBe(404);
    expect((await dav(s, 'DELETE', path)).status).toBe(204);
    expect((await dav(s, 'PROPFIND', path, { depth: '0' })).status).toBe(404);
    expect((await s.api('GET', `/api/v1/calendars/${id}`)).status).toBe(404);
  });
});

describe('REPORT', () => {
  let path: string;
  beforeAll(async () => {
    ({ path } = await newCalendar('Reports'));
    await put(`${path}weekly.ics`, weeklySeries('weekly'));
    await put(`${path}single.ics`, vcalendar(vevent('single', 'Single', ['DTSTART:20310120T120000Z', 'DTEND:20310120T130000Z'])));
    await put(`${path}feb.ics`, vcalendar(vevent('feb', 'February', ['DTSTART:20310215T120000Z', 'DTEND:20310215T130000Z'])));
  });
  const query = (start: string, end: string, data = '') => `<C:calendar-query xmlns:D="DAV:" xmlns:C="${CALDAV}">
    <D:prop><D:getetag/>${data}</D:prop>
    <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"><C:time-range start="${start}" end="${end}"/></C:comp-filter></C:comp-filter></C:filter>
  </C:calendar-query>`;
  const names = async (start: string, end: string) =>
    multistatus((await dav(s, 'REPORT', path, { depth: '1', body: query(start, end) })).text).responses.map((r) => r.href.slice(path.length)).sort();

  it('calendar-query time-range honours RRULE, EXDATE and moved instances', async () => {
    expect(await names('20310106T075000Z', '20310106T081000Z')).toEqual(['weekly.ics']); // 09:00 Paris
    expect(await names('20310120T000000Z', '20310121T000000Z')).toEqual(['single.ics']); // 20th excluded
    expect(await names('20310127T000000Z', '20310128T000000Z')).toEqual([]); // 27th moved away
    expect(await names('20310128T000000Z', '20310129T000000Z')).toEqual(['weekly.ics']); // moved here
    expect(await names('20310210T000000Z', '20310211T000000Z')).toEqual(['weekly.ics']); // 6th and last
    expect(await names('20310217T000000Z', '20310218T000000Z')).toEqual([]); // COUNT=6 is over
    expect(await names('20310201T000000Z', '20310301T000000Z')).toEqual(['feb.ics', 'weekly.ics']);
  });

  it('expand returns the instances, the moved one with its own summary', async () => {
    const r = await dav(s, 'REPORT', path, { depth: '1', body: query('20310101T000000Z', '20310201T000000Z', '<C:calendar-data><C:expand start="20310101T000000Z" end="20310201T000000Z"/></C:calendar-data>') });
    const data = prop(multistatus(r.text).byHref.get(`${path}weekly.ics`), CALDAV, 'calendar-data')!.text;
    expect(data.match(/^DTSTART:[^\r\n]+/gm)).toEqual(['DTSTART:20310106T080000Z', 'DTSTART:20310113T080000Z', 'DTSTART:20310128T130000Z']);
    expect(data.match(/^SUMMARY:[^\r\n]+/gm)).toEqual(['SUMMARY:Standup', 'SUMMARY:Standup', 'SUMMARY:Standup (moved)']);
    expect(data).not.toMatch(/RRULE|EXDATE/);
  });

  it('calendar-multiget answers found members and a 404 per missing href', async () => {
    const body = `<C:calendar-multiget xmlns:D="DAV:" xmlns:C="${CALDAV}"><D:prop><D:getetag/><C:calendar-data/></D:prop>
      <D:href>${path}single.ics</D:href><D:href>${s.url}${path}feb.ics</D:href><D:href>${path}missing.ics</D:href></C:calendar-multiget>`;
    const r = await dav(s, 'REPORT', path, { depth: '1', body });
    expect(r.status).toBe(207);
    const ms = multistatus(r.text);
    expect(prop(ms.byHref.get(`${path}single.ics`), CALDAV, 'calendar-data')!.text).toContain('UID:single');
    expect(prop(ms.byHref.get(`${s.url}${path}feb.ics`) ?? ms.byHref.get(`${path}feb.ics`), CALDAV, 'calendar-data')!.text).toContain('UID:feb');
    expect(ms.byHref.get(`${path}missing.ics`)!.status).toBe(404);
  });

  it('reports carry the stored text exactly: markup, ampersands and non-ASCII included', async () => {
    const { path: cal } = await newCalendar('Escapes');
    const text = vcalendar(vevent('escapes', 'Fish & chips <b>café</b> 東京 ☕', [
      'DTSTART:20310301T120000Z', 'DTEND:20310301T130000Z', 'DESCRIPTION:a > b && c < d; ]]> end',
    ]));
    await put(`${cal}escapes.ics`, text);
    const plain = vcalendar(vevent('plain', 'Été à Zürich', ['DTSTART:20310302T120000Z', 'DTEND:20310302T130000Z']));
    await put(`${cal}plain.ics`, plain);
    const body = `<C:calendar-multiget xmlns:D="DAV:" xmlns:C="${CALDAV}"><D:prop><D:getetag/><C:calendar-data/></D:prop>
      <D:href>${cal}escapes.ics</D:href><D:href>${cal}plain.ics</D:href></C:calendar-multiget>`;
    const lf = (t: string) => t.replace(/\r\n/g, '\n'); // XML parsers fold CRLF to LF (XML 1.0 §2.11)
    for (const r of [
      await dav(s, 'REPORT', cal, { depth: '1', body }),
      await dav(s, 'REPORT', cal, { depth: '1', body: query('20310301T000000Z', '20310303T000000Z', '<C:calendar-data/>') }),
    ]) {
      const ms = multistatus(r.text);
      expect(prop(ms.byHref.get(`${cal}escapes.ics`), CALDAV, 'calendar-data')!.text).toBe(lf(text));
      expect(prop(ms.byHref.get(`${cal}plain.ics`), CALDAV, 'calendar-data')!.text).toBe(lf(plain));
    }
  });

  it('free-busy-query answers a VFREEBUSY with the busy instances', async () => {
    const body = `<C:free-busy-query xmlns:C="${CALDAV}"><C:time-range start="20310101T000000Z" end="20310201T000000Z"/></C:free-busy-query>`;
    const r = await dav(s, 'REPORT', path, { depth: '1', body });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text = r.text.replace(/\r\n[ \t]/g, '');
    expect(text).toContain('FREEBUSY;FBTYPE=BUSY:20310106T080000Z/20310106T083000Z,20310113T080000Z/20310113T083000Z,'
      + '20310120T120000Z/20310120T130000Z,20310128T130000Z/20310128T133000Z\r\n');
    // DTSTAMP is now, in seconds (a milliseconds clock once made it year 58860).
    expect(Number(/^DTSTAMP:(\d{4})/m.exec(text)![1])).toBe(new Date().getUTCFullYear());
  });

  it('refuses an unknown report with supported-report', async () => {
    const r = await dav(s, 'REPORT', path, { body: '<X:whatever xmlns:X="urn:x"/>' });
    expect(r.status).toBe(403);
    expect(davErrorOf(r.text).condition).toBe(`{${DAV}}supported-report`);
  });
});

describe('sync-collection and change tokens', () => {
  const ev = (uid: string, summary: string) => vcalendar(vevent(uid, summary, ['DTSTART:20310501T100000Z']));

  it('syncs initial, unchanged, created, updated and deleted members', async () => {
    const { path } = await newCalendar('Sync');
    await put(`${path}a.ics`, ev('sync-a', 'A'));
    await put(`${path}b.ics`, ev('sync-b', 'B'));
    const initial = await sync(path, '');
    expect(initial.responses.map((r) => r.href).sort()).toEqual([`${path}a.ics`, `${path}b.ics`]);
    expect(prop(initial.byHref.get(`${path}a.ics`), DAV, 'getetag')!.text).toMatch(/^"/);
    const token = initial.syncToken!;
    expect(token).toBe((await tokens(path)).sync);

    const same = await sync(path, token);
    expect([same.responses, same.syncToken]).toEqual([[], token]);

    await put(`${path}c.ics`, ev('sync-c', 'C'));
    await put(`${path}a.ics`, ev('sync-a', 'A v2'));
    await dav(s, 'DELETE', `${path}b.ics`);
    const changed = await sync(path, token);
    expect(changed.syncToken).not.toBe(token);
    expect(changed.responses.map((r) => [r.href, r.status ?? 200]).sort()).toEqual([
      [`${path}a.ics`, 200], [`${path}b.ics`, 404], [`${path}c.ics`, 200],
    ]);
    expect((await sync(path, changed.syncToken!)).responses).toEqual([]);
  });

  it('truncates at nresults with a 507 for the collection and a token that resumes', async () => {
    const { id, path } = await newCalendar('Paged');
    for (const n of [1, 2, 3, 4, 5]) await put(`${path}p${n}.ics`, ev(`paged-${n}`, `P${n}`));
    const seen = new Set<string>();
    let token = '';
    for (let round = 0; round < 5; round++) {
      const page = await sync(path, token, '<D:limit><D:nresults>2</D:nresults></D:limit>');
      const truncated = page.byHref.get(path);
      for (const r of page.responses) if (r.href !== path) seen.add(r.href);
      token = page.syncToken!;
      if (!truncated) break;
      expect(truncated.status).toBe(507);
      expect(page.responses.length).toBe(3);
    }
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5].map((n) => `${path}p${n}.ics`));
    // An import writes its events under one token; a page never splits them, or loses one.
    const imported = vcalendar(...[6, 7, 8].map((n) => vevent(`paged-${n}`, `P${n}`, ['DTSTART:20310601T100000Z'])));
    expect((await s.api('POST', `/api/v1/calendars/${id}/import`, imported, { 'content-type': 'text/calendar' })).status).toBe(200);
    const after = await sync(path, token, '<D:limit><D:nresults>2</D:nresults></D:limit>');
    const members = after.responses.filter((r) => r.href !== path);
    expect(members).toHaveLength(3);
    expect(members.every((r) => prop(r, DAV, 'getetag'))).toBe(true);
    expect(after.byHref.get(path)).toBeUndefined();
    expect((await sync(path, after.syncToken!)).responses).toEqual([]);
  });

  it('refuses a token it did not issue with valid-sync-token', async () => {
    for (const bad of ['urn:calcast:sync:other:1', 'http://example.com/sync/1', `urn:calcast:sync:${calId}:999999`]) {
      const r = await dav(s, 'REPORT', calPath, { body: SYNC(bad) });
      expect(r.status).toBe(403);
      expect(davErrorOf(r.text).condition).toBe(`{${DAV}}valid-sync-token`);
    }
  });

  it('changes getctag and sync-token on every write: create, update, delete, PROPPATCH', async () => {
    const { path } = await newCalendar('Tokens');
    const seen = [await tokens(path)];
    const step = async () => {
      const t = await tokens(path);
      for (const before of seen) {
        expect(t.sync).not.toBe(before.sync);
        expect(t.ctag).not.toBe(before.ctag);
      }
      seen.push(t);
    };
    await put(`${path}t.ics`, ev('tok', 'T'));
    await step();
    await put(`${path}t.ics`, ev('tok', 'T2'));
    await step();
    await dav(s, 'DELETE', `${path}t.ics`);
    await step();
    await dav(s, 'PROPPATCH', path, { body: `<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>Renamed</D:displayname></D:prop></D:set></D:propertyupdate>` });
    await step();
  });
});

describe('the public view', () => {
  const DAVX5 = 'DAVx5/4.3.16-gplay (2024/04/14; dav4jvm; okhttp/4.12.0) Android/14';
  let pub: string;
  let id: string;
  beforeAll(async () => {
    const cal = await newCalendar('Published');
    id = cal.id;
    expect(cal.json.caldav_public_url).toMatch(/^http:\/\/calcast\.test\/dav\/public\/[^/]+\/$/);
    pub = new URL(cal.json.caldav_public_url as string).pathname;
    await s.api('POST', `/api/v1/calendars/${id}/events`, { title: 'Public talk', start: '2031-01-06T10:00:00Z' });
  });
  const anon = { auth: null, headers: { 'user-agent': DAVX5 } };

  it('reads without auth: PROPFIND, REPORT, GET', async () => {
    const pf = await dav(s, 'PROPFIND', pub, { ...anon, depth: '1', body: PROPFIND('<D:displayname/><D:getetag/><D:current-user-privilege-set/>') });
    expect(pf.status).toBe(207);
    const ms = multistatus(pf.text);
    expect(prop(ms.byHref.get(pub), DAV, 'displayname')!.text).toBe('Published');
    const privileges = findAll(prop(ms.byHref.get(pub), DAV, 'current-user-privilege-set'), DAV, 'privilege').map((p) => p.children[0]!.local);
    expect(privileges).not.toContain('write');
    const member = ms.responses.find((r) => r.href !== pub)!;
    expect(member.href.startsWith(pub)).toBe(true);
    const got = await dav(s, 'GET', member.href, anon);
    expect([got.status, got.text.includes('SUMMARY:Public talk')]).toEqual([200, true]);
    const rep = await dav(s, 'REPORT', pub, { ...anon, body: SYNC('') });
    expect(multistatus(rep.text).responses.map((r) => r.href)).toEqual([member.href]);
    expect((await dav(s, 'GET', pub, anon)).text).toContain('SUMMARY:Public talk');
  });

  it('refuses writes with 403 need-privileges', async () => {
    const attempts = [
      dav(s, 'PUT', `${pub}new.ics`, { ...anon, body: vcalendar(vevent('pub-new', 'No', ['DTSTART:20310101T100000Z'])) }),
      dav(s, 'DELETE', pub, anon),
      dav(s, 'PROPPATCH', pub, { ...anon, body: '<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><D:displayname>x</D:displayname></D:prop></D:set></D:propertyupdate>' }),
    ];
    for (const r of await Promise.all(attempts)) {
      expect(r.status).toBe(403);
      expect(davErrorOf(r.text).condition).toBe(`{${DAV}}need-privileges`);
    }
    expect(await apiTitles(id)).toEqual(['Public talk']);
  });

  it('counts reads as syncs of an anonymous subscriber, classified by User-Agent', async () => {
    await dav(s, 'PROPFIND', pub, { ...anon, depth: '0', body: PROPFIND('<D:getetag/>') });
    await s.recorder.flush();
    const subs = (await s.api('GET', `/api/v1/calendars/${id}/subscribers`)).body.data;
    expect(subs).toEqual([expect.objectContaining({ kind: 'anonymous', client: 'davx5' })]);
    expect(subs[0].sync_count).toBeGreaterThanOrEqual(4);
  });

  it('answers 404 for an unknown key', async () => {
    expect((await dav(s, 'PROPFIND', '/dav/public/nope-nope-nope/', { ...anon, depth: '0' })).status).toBe(404);
  });
});
