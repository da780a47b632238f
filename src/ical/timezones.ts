import { IANAZone } from 'luxon';

/** The canonical IANA name for a zone name, or null when it is not a zone we can resolve. */
export function canonicalTimezone(name: string): string | null {
  if (/^(UTC|GMT|Etc\/UTC|Z)$/i.test(name)) return 'UTC';
  return IANAZone.isValidZone(name) ? name : null;
}
