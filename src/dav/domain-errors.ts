import type { DomainError } from '../calendar/errors.js';
import { HttpError } from '../errors.js';
import { httpFromDomain } from '../http/error-handler.js';
import { CALDAV, DAV, clark } from '../xml/namespaces.js';

/**
 * The precondition elements of RFC 4791 §5.3.2.1 and RFC 4918 §9.3.1 by rule: the status the
 * RFC gives each, and the element a client reads (403 for every rule a retry cannot fix,
 * 409 for no-uid-conflict, which names the resource to merge with).
 */
const RULES: Record<string, [number, string]> = {
  'valid-calendar-data': [403, clark(CALDAV, 'valid-calendar-data')],
  'valid-calendar-object-resource': [403, clark(CALDAV, 'valid-calendar-object-resource')],
  'supported-calendar-component': [403, clark(CALDAV, 'supported-calendar-component')],
  'max-resource-size': [403, clark(CALDAV, 'max-resource-size')],
  'no-uid-conflict': [409, clark(CALDAV, 'no-uid-conflict')],
  'resource-must-be-null': [403, clark(DAV, 'resource-must-be-null')],
};

/** A domain refusal as the DAV surface answers it; `memberHref` turns a member name into its href. */
export function davFromDomain(err: DomainError, memberHref: ((uri: string) => string) | null): HttpError {
  const rule = err.detail.rule ? RULES[err.detail.rule] : undefined;
  if (!rule) return httpFromDomain(err);
  const href = err.detail.existingUri && memberHref ? memberHref(err.detail.existingUri) : undefined;
  return new HttpError(rule[0], rule[0] === 409 ? 'CONFLICT' : 'FORBIDDEN', err.message, { precondition: rule[1], ...(href ? { href } : {}) });
}
