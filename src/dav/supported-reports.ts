import { CALDAV, DAV, clark } from '../xml/namespaces.js';
import type { Resource } from './resources.js';

/**
 * Which REPORTs each kind of resource answers (RFC 3253 §3.1.5): the supported-report-set
 * property advertises it, and REPORT refuses any other with DAV:supported-report.
 */
export const SUPPORTED_REPORTS: Partial<Record<Resource['kind'], readonly string[]>> = {
  calendar: [clark(CALDAV, 'calendar-query'), clark(CALDAV, 'calendar-multiget'), clark(CALDAV, 'free-busy-query'), clark(DAV, 'sync-collection')],
  object: [clark(CALDAV, 'calendar-query'), clark(CALDAV, 'calendar-multiget')],
  // python caldav lists an inbox's messages by sync-collection.
  'schedule-inbox': [clark(DAV, 'sync-collection')],
  // RFC 3744 §9.4–9.5, on the collection principal-collection-set names.
  principals: [clark(DAV, 'principal-property-search'), clark(DAV, 'principal-search-property-set')],
};
