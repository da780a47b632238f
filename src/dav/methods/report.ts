import { HttpError } from '../../errors.js';
import { CALDAV, DAV } from '../../xml/namespaces.js';
import type { XmlElement } from '../../xml/parse.js';
import type { XmlNode } from '../../xml/write.js';
import { readXml, sendXml, type DavRequest, type MethodHandler } from '../context.js';
import { calendarQuery } from '../reports/calendar-query.js';
import { freeBusyQuery } from '../reports/free-busy-query.js';
import { multiget } from '../reports/multiget.js';
import { syncCollection } from '../reports/sync-collection.js';

type Report = (req: DavRequest, body: XmlElement) => Promise<XmlNode | { calendar: string }>;

/** Reports by root element (namespace + name); each is one file under dav/reports. */
const REPORTS = new Map<string, Report>([
  [`${CALDAV} calendar-multiget`, multiget],
  [`${CALDAV} calendar-query`, calendarQuery],
  [`${CALDAV} free-busy-query`, freeBusyQuery],
  [`${DAV} sync-collection`, syncCollection],
]);

export const report: MethodHandler = async (req) => {
  const body = await readXml(req.ctx);
  const handler = body ? REPORTS.get(`${body.ns} ${body.local}`) : undefined;
  if (!body || !handler) {
    throw new HttpError(403, 'FORBIDDEN', 'unsupported report', { precondition: `{${DAV}}supported-report` });
  }
  const result = await handler(req, body);
  if ('calendar' in result) {
    // free-busy-query answers an iCalendar body, not XML (RFC 4791 §7.10).
    req.ctx.status = 200;
    req.ctx.type = 'text/calendar; charset=utf-8';
    req.ctx.body = result.calendar;
    return;
  }
  sendXml(req.ctx, 207, result);
};
