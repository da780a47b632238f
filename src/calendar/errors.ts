/**
 * What a command refuses, in domain terms. Each surface maps these once to its own format:
 * JSON codes (api), RFC 4791 preconditions (dav), plain text (feeds), a message (cli).
 */
export type DomainErrorKind = 'not-found' | 'conflict' | 'precondition-failed' | 'invalid' | 'too-large';

export interface DomainErrorDetail {
  /** The input field at fault (JSON surfaces name it). */
  field?: string;
  /**
   * The rule broken, named as RFC 4791 §5.3.2.1 names its preconditions (valid-calendar-data,
   * supported-calendar-component, no-uid-conflict, …) so DAV can answer with the element.
   */
  rule?: string;
  /** The member name that holds a clashing UID (no-uid-conflict names it). */
  existingUri?: string;
}

export class DomainError extends Error {
  constructor(readonly kind: DomainErrorKind, message: string, readonly detail: DomainErrorDetail = {}) {
    super(message);
  }
}

export const notFound = (what: string) => new DomainError('not-found', `${what} not found`);
export const invalid = (message: string, detail: DomainErrorDetail) => new DomainError('invalid', message, detail);
export const conflict = (message: string, detail: DomainErrorDetail = {}) => new DomainError('conflict', message, detail);
