import { HttpError } from '../../errors.js';
import { CALDAV, DAV, clark } from '../../xml/namespaces.js';
import type { XmlElement } from '../../xml/parse.js';
import type { XmlNode } from '../../xml/write.js';
import { readXml, sendXml, type DavRequest, type MethodHandler } from '../context.js';
import { calendarQuery } from '../reports/calendar-query.js';
import { freeBusyQuery } from '../reports/free-busy-query.js';
import { multiget } from '../reports/multiget.js';
import { principalPropertySearch } from '../reports/principal-property-search.js';
import { principalSearchPropertySet } from '../reports/principal-search-property-set.js';
import { syncCollection } from '../reports/sync-collection.js';
import { SUPPORTED_REPORTS } from '../supported-reports.js';

/** A multistatus, an iCalendar body (free-busy), or another XML document answered 200. */
type Report = (req: DavRequest, body: XmlElement) => Promise<XmlNode | { calendar: string } | { xml: XmlNode }>;

/** Reports by root element (Clark name); each is one file under dav/reports. */
const REPORTS = new Map<string, Report>([
  [clark(CALDAV, 'calendar-multiget'), multiget],
  [clark(CALDAV, 'calendar-query'), calendarQuery],
  [clark(CALDAV, 'free-busy-query'), freeBusyQuery],
  [clark(DAV, 'sync-collection'), syncCollection],
  [clark(DAV, 'principal-property-search'), principalPropertySearch],
  [clark(DAV, 'principal-search-property-set'), principalSearchPropertySet],
]);

export const report: MethodHandler = async (req) => {
  const body = await readXml(req.ctx);
  const name = body ? clark(body.ns, body.local) : '';
  const handler = SUPPORTED_REPORTS[req.resource.kind]?.includes(name) ? REPORTS.get(name) : undefined;
  if (!body || !handler) {
    throw new HttpError(403, 'FORBIDDEN', 'this report is not supported here', { precondition: clark(DAV, 'supported-report') });
  }
  const result = await handler(req, body);
  if ('calendar' in result) {
    // free-busy-query answers an iCalendar body, not XML (RFC 4791 §7.10).
    req.ctx.status = 200;
    req.ctx.type = 'text/calendar; charset=utf-8';
    req.ctx.body = result.calendar;
    return;
  }
  // RFC 3744 §9.5: the search property set is a plain 200 document.
  if ('xml' in result) return sendXml(req.ctx, 200, result.xml);
  sendXml(req.ctx, 207, result);
};
