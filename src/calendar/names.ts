import { invalid } from './errors.js';

/** Path separators, NUL and control characters: none may sit in one path segment. */
const UNSAFE = /[/\\\u0000-\u001f\u007f]/;

/**
 * A calendar's slug and a member's name are each one URL path segment, whatever encoding the
 * client used to send them: `.` and `..` would be resolved away by clients and proxies
 * (RFC 3986 §5.2.4), and a `/`, `\` or NUL would make an href that names another resource.
 */
export function checkSegment(name: string, field: 'slug' | 'uri'): void {
  if (name === '' || name === '.' || name === '..' || UNSAFE.test(name) || Buffer.byteLength(name) > 255) {
    throw invalid(`${JSON.stringify(name)} cannot be a name: no ".", "..", "/", "\\\\", NUL or control characters, at most 255 bytes`, { field });
  }
}
