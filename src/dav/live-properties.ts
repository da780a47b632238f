import { PRODID } from '../ical/prodid.js';
import { vtimezone } from '../ical/timezones.js';
import { calendarColors } from '../feeds/colors.js';
import type { User } from '../store/types.js';
import { APPLE, CALDAV, CS, DAV, clark } from '../xml/namespaces.js';
import { el, type XmlNode } from '../xml/write.js';
import { hrefOf, hrefs, type Resource } from './resources.js';
import { MAX_DATE_TIME, MAX_RESOURCE_SIZE, MIN_DATE_TIME } from './limits.js';
import { collectionEtag, syncTokenOf } from './sync-token.js';
import { deadProperty, deadPropertyNames, writtenColor } from './writable-properties.js';
import { SUPPORTED_REPORTS } from './supported-reports.js';

/** What a property getter may look at besides the resource. */
export interface PropContext {
  user: User | null;
  /** The configured CALDAV:max-instances. */
  maxInstances: number;
}

type Getter = (r: Resource, ctx: PropContext) => XmlNode['children'] | string | null;

interface PropertyDef {
  /** Returned by allprop (RFC 4918 §9.1: the live properties of RFC 4918 itself). */
  allprop: boolean;
  get: Getter;
}

const d = (local: string) => clark(DAV, local);
const c = (local: string) => clark(CALDAV, local);
const href = (h: string) => el(d('href'), h);

const isCollection = (r: Resource) => r.kind !== 'object' && r.kind !== 'inbox-item';
const calendarOf = (r: Resource) => (r.kind === 'calendar' || r.kind === 'object' ? r.calendar : null);

/** RFC 3744 §5.4: what the current user may do here. Public views are read-only. */
function privileges(r: Resource, ctx: PropContext): string[] {
  const readOnly = ctx.user === null || ((r.kind === 'calendar' || r.kind === 'object') && r.readOnly);
  const read = [d('read'), d('read-current-user-privilege-set')];
  if (readOnly || r.kind === 'root' || r.kind === 'principals' || r.kind === 'principal') return read;
  // RFC 6638 §6: who may deliver into an inbox, who may send through an outbox; messages are read and removed.
  if (r.kind === 'schedule-inbox') return [...read, c('schedule-deliver'), d('unbind')];
  if (r.kind === 'inbox-item') return [...read, d('unbind')];
  if (r.kind === 'schedule-outbox') return [...read, c('schedule-send')];
  return [...read, d('write'), d('write-properties'), d('write-content'), d('bind'), d('unbind')];
}

/** The one registry of live properties, by Clark name. */
export const PROPERTIES: ReadonlyMap<string, PropertyDef> = new Map<string, PropertyDef>([
  [d('resourcetype'), { allprop: true, get: (r) => {
    if (r.kind === 'object' || r.kind === 'inbox-item') return [];
    const types = [el(d('collection'))];
    if (r.kind === 'calendar') types.push(el(c('calendar')));
    if (r.kind === 'schedule-inbox') types.push(el(c('schedule-inbox')));
    if (r.kind === 'schedule-outbox') types.push(el(c('schedule-outbox')));
    if (r.kind === 'principal') types.push(el(d('principal')));
    return types;
  } }],
  [d('displayname'), { allprop: true, get: (r) => {
    if (r.kind === 'calendar') return r.calendar.title;
    if (r.kind === 'principal' || r.kind === 'home') return r.user.username;
    if (r.kind === 'schedule-inbox') return 'Inbox';
    if (r.kind === 'schedule-outbox') return 'Outbox';
    return null;
  } }],
  [d('getetag'), { allprop: true, get: (r) => {
    if (r.kind === 'object') return r.head ? `"${r.head.etag}"` : null;
    if (r.kind === 'inbox-item') return r.item ? `"${r.item.etag}"` : null;
    return r.kind === 'calendar' ? collectionEtag(r.calendar) : null;
  } }],
  [d('getcontenttype'), { allprop: true, get: (r) => {
    if (r.kind === 'inbox-item') return `text/calendar; charset=utf-8; method=${r.item?.method ?? 'REQUEST'}`;
    return r.kind === 'object' ? 'text/calendar; charset=utf-8; component=' + (r.head?.componentType.toLowerCase() ?? 'vevent') : null;
  } }],
  [d('getcontentlength'), { allprop: true, get: (r) => {
    if (r.kind === 'inbox-item') return r.item ? String(r.item.size) : null;
    return r.kind === 'object' && r.head ? String(r.head.size) : null;
  } }],
  [d('getlastmodified'), { allprop: true, get: (r) => {
    const at = r.kind === 'object' ? r.head?.updatedAt : r.kind === 'calendar' ? r.calendar.updatedAt
      : r.kind === 'inbox-item' ? r.item?.createdAt : undefined;
    return at === undefined ? null : new Date(at).toUTCString();
  } }],
  [d('current-user-principal'), { allprop: false, get: (_r, ctx) => (ctx.user ? [href(hrefs.principal(ctx.user))] : [el(d('unauthenticated'))]) }],
  [d('principal-URL'), { allprop: false, get: (r) => (r.kind === 'principal' ? [href(hrefs.principal(r.user))] : null) }],
  [d('principal-collection-set'), { allprop: false, get: (_r, ctx) => (ctx.user ? [href(hrefs.principals())] : null) }],
  [d('owner'), { allprop: false, get: (r, ctx) => (ctx.user && r.kind !== 'root' && r.kind !== 'principals' ? [href(hrefs.principal(ctx.user))] : null) }],
  [d('current-user-privilege-set'), { allprop: false, get: (r, ctx) => privileges(r, ctx).map((p) => el(d('privilege'), el(p))) }],
  [d('supported-report-set'), { allprop: false, get: (r) => {
    const reports = SUPPORTED_REPORTS[r.kind];
    return reports ? reports.map((name) => el(d('supported-report'), el(d('report'), el(name)))) : null;
  } }],
  // RFC 6578 §3: the token is also the collection's version for CalendarServer's getctag.
  [d('sync-token'), { allprop: false, get: (r) => (r.kind === 'calendar' ? syncTokenOf(r.calendar) : null) }],
  [clark(CS, 'getctag'), { allprop: false, get: (r) => (r.kind === 'calendar' ? syncTokenOf(r.calendar) : null) }],
  [c('calendar-home-set'), { allprop: false, get: (r, ctx) => (ctx.user && (r.kind === 'principal' || r.kind === 'root') ? [href(hrefs.home(ctx.user))] : null) }],
  // RFC 6638 §2.4.1: the user's e-mail first, as clients take the first href for ORGANIZER.
  [c('calendar-user-address-set'), { allprop: false, get: (r) => (r.kind === 'principal'
    ? [...(r.user.email ? [href(`mailto:${r.user.email}`)] : []), href(hrefs.principal(r.user))]
    : null) }],
  [c('calendar-user-type'), { allprop: false, get: (r) => (r.kind === 'principal' ? 'INDIVIDUAL' : null) }],
  [c('schedule-inbox-URL'), { allprop: false, get: (r) => (r.kind === 'principal' ? [href(hrefs.inbox(r.user))] : null) }],
  [c('schedule-outbox-URL'), { allprop: false, get: (r) => (r.kind === 'principal' ? [href(hrefs.outbox(r.user))] : null) }],
  // Apple Reminders only lists collections that advertise VTODO here.
  [c('supported-calendar-component-set'), { allprop: false, get: (r) => (r.kind === 'calendar'
    ? r.calendar.components.map((name) => ({ name: c('comp'), attrs: { name } }))
    : null) }],
  [c('supported-calendar-data'), { allprop: false, get: (r) => (r.kind === 'calendar'
    ? [{ name: c('calendar-data'), attrs: { 'content-type': 'text/calendar', version: '2.0' } }]
    : null) }],
  [c('max-resource-size'), { allprop: false, get: (r) => (r.kind === 'calendar' ? String(MAX_RESOURCE_SIZE) : null) }],
  // RFC 4791 §5.2.6–5.2.8 say these SHOULD NOT be in allprop: a client asks for them by name.
  [c('max-instances'), { allprop: false, get: (r, ctx) => (r.kind === 'calendar' ? String(ctx.maxInstances) : null) }],
  [c('min-date-time'), { allprop: false, get: (r) => (r.kind === 'calendar' ? MIN_DATE_TIME : null) }],
  [c('max-date-time'), { allprop: false, get: (r) => (r.kind === 'calendar' ? MAX_DATE_TIME : null) }],
  [c('calendar-description'), { allprop: false, get: (r) => (r.kind === 'calendar' ? r.calendar.description : null) }],
  [c('calendar-timezone'), { allprop: false, get: (r) => {
    const zone = calendarOf(r)?.timezone;
    if (!zone || r.kind !== 'calendar') return null;
    const block = vtimezone(zone);
    return `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:${PRODID}\r\n${block ? `${block}\r\n` : ''}END:VCALENDAR\r\n`;
  } }],
  [clark(APPLE, 'calendar-color'), { allprop: false, get: (r) => {
    if (r.kind !== 'calendar' || !r.calendar.color) return null;
    return writtenColor(r.calendar) ?? calendarColors(r.calendar.color)?.hex ?? null;
  } }],
  [clark(APPLE, 'calendar-order'), { allprop: false, get: (r) => {
    const order = r.kind === 'calendar' ? r.calendar.settings.order : undefined;
    return typeof order === 'number' ? String(order) : null;
  } }],
]);

/** Every property defined on this resource (for allprop and propname), dead ones included. */
export function definedProperties(r: Resource, ctx: PropContext, only: 'allprop' | 'propname'): string[] {
  const live = [...PROPERTIES].filter(([, def]) => (only === 'propname' || def.allprop) && def.get(r, ctx) !== null).map(([name]) => name);
  return r.kind === 'calendar' ? [...live, ...deadPropertyNames(r.calendar.settings)] : live;
}

/** The value node of one property, or null when the resource does not have it (404 propstat). */
export function propertyValue(name: string, r: Resource, ctx: PropContext): XmlNode | null {
  const def = PROPERTIES.get(name);
  if (!def) return r.kind === 'calendar' ? deadProperty(r.calendar.settings, name) : null;
  const value = def.get(r, ctx);
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? { name, text: value } : { name, children: value };
}

export { hrefOf, isCollection };
