import { randomBytes } from 'node:crypto';

/** A random URL-safe id: `bytes` random bytes in base64url (16 bytes = 128 bits). */
export function randomId(bytes = 12): string {
  return randomBytes(bytes).toString('base64url');
}

/** Feed keys are bearer secrets in public URLs: 128 bits at least (DESIGN.md §3). */
export function feedKey(): string {
  return randomBytes(18).toString('base64url');
}
