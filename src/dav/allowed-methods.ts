import type { Resource } from './resources.js';

/** Which methods each kind of resource has: the Allow header, and 405 for the rest. */
const ALLOWED: Record<Resource['kind'] | 'public', string[]> = {
  root: ['OPTIONS', 'PROPFIND'],
  principals: ['OPTIONS', 'PROPFIND', 'REPORT'],
  principal: ['OPTIONS', 'PROPFIND'],
  home: ['OPTIONS', 'PROPFIND'],
  calendar: ['OPTIONS', 'GET', 'HEAD', 'PROPFIND', 'PROPPATCH', 'REPORT', 'DELETE'],
  object: ['OPTIONS', 'GET', 'HEAD', 'PUT', 'DELETE', 'PROPFIND', 'REPORT'],
  'new-calendar': ['OPTIONS', 'MKCALENDAR', 'MKCOL'],
  'schedule-inbox': ['OPTIONS', 'PROPFIND', 'REPORT'],
  'inbox-item': ['OPTIONS', 'GET', 'HEAD', 'DELETE', 'PROPFIND'],
  // RFC 6638 §5: a POST of a VFREEBUSY request asks the attendees' free-busy.
  'schedule-outbox': ['OPTIONS', 'PROPFIND', 'POST'],
  public: ['OPTIONS', 'GET', 'HEAD', 'PROPFIND', 'REPORT'],
};

/**
 * WebDAV and HTTP methods Calcast recognises but never allows (RFC 4918 §9.8–9.11 COPY, MOVE,
 * LOCK, UNLOCK; RFC 3744 ACL; POST anywhere but a schedule outbox). They answer 405 with Allow, not
 * 501, because RFC 9110 §15.6.2 keeps 501 for methods the server does not know at all.
 */
export const RECOGNISED_UNSUPPORTED = new Set(['COPY', 'MOVE', 'LOCK', 'UNLOCK', 'ACL', 'PATCH', 'SEARCH', 'BIND', 'UNBIND', 'REBIND']);

export function allowedFor(resource: Resource): string[] {
  if ((resource.kind === 'calendar' || resource.kind === 'object') && resource.readOnly) return ALLOWED.public;
  return ALLOWED[resource.kind];
}
