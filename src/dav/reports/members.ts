import { clark, CALDAV } from '../../xml/namespaces.js';
import type { XmlElement } from '../../xml/parse.js';
import type { XmlNode } from '../../xml/write.js';
import { renderCalendarData, parseCalendarDataSpec, type CalendarDataSpec } from '../../ical/calendar-data.js';
import type { Calendar, ObjectHead, User } from '../../store/types.js';
import { propResponse } from '../multistatus.js';
import { propertyValue } from '../properties.js';
import { publicHead, publicText } from '../public-view.js';
import { hrefs, type Resource } from '../resources.js';

const CALENDAR_DATA = clark(CALDAV, 'calendar-data');

/** The <D:prop> a report asks for: property names, and the calendar-data spec if requested. */
export interface PropRequest {
  names: string[];
  calendarData: CalendarDataSpec | null;
}

export function propRequestOf(prop: XmlElement | undefined): PropRequest {
  const els = prop?.children ?? [];
  const data = els.find((e) => e.ns === CALDAV && e.local === 'calendar-data');
  return { names: els.map((e) => clark(e.ns, e.local)), calendarData: data ? parseCalendarDataSpec(data) : null };
}

/** The href of a member as the requester sees it (owner path or public path). */
export function memberHref(calendar: Calendar, readOnly: boolean, user: User | null, uri: string): string {
  return hrefs.object(calendar, readOnly ? null : user!.username, uri);
}

/** A member as a report has it: always its head; its text when calendar-data was asked for. */
export type Member = ObjectHead & { data?: string };

/** One member's <D:response>: its properties, calendar-data rendered per the request. */
export function memberResponse(
  calendar: Calendar, readOnly: boolean, user: User | null, object: Member, req: PropRequest,
): XmlNode {
  const head = readOnly ? publicHead(object, calendar) : object;
  const resource: Resource = { kind: 'object', calendar, readOnly, uri: object.uri, head };
  const found: XmlNode[] = [];
  const missing: XmlNode[] = [];
  for (const name of req.names) {
    if (name === CALENDAR_DATA) {
      if (object.data === undefined) throw new Error('calendar-data requested for a member read without its text');
      const text = readOnly ? publicText(object.data, calendar) : object.data;
      found.push({ name, text: renderCalendarData(text, req.calendarData!, calendar.timezone) });
      continue;
    }
    const value = propertyValue(name, resource, { user });
    if (value) found.push(value);
    else missing.push({ name });
  }
  return propResponse(memberHref(calendar, readOnly, user, object.uri), [[200, found], [404, missing]]);
}
