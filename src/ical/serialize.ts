import ICAL from 'ical.js';

const CRLF = '\r\n';
const MAX_OCTETS = 75;

/**
 * Folds one content line at 75 octets, counting the leading space of continuation lines and
 * never splitting a UTF-8 sequence (RFC 5545 §3.1). ical.js folds continuation lines to
 * 76 octets, and Google drops a whole feed over bad folding (DESIGN.md §5.1), so we fold here.
 */
export function foldLine(line: string): string {
  if (line.length <= MAX_OCTETS / 3 || Buffer.byteLength(line) <= MAX_OCTETS) return line;
  let out = '';
  let from = 0;
  let octets = 0;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    // A surrogate pair is one 4-octet code point: measure and keep it whole.
    const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < line.length;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : pair ? 4 : 3;
    if (octets + size > MAX_OCTETS) {
      out += line.slice(from, i) + CRLF + ' ';
      from = i;
      octets = 1;
    }
    octets += size;
    if (pair) i++;
  }
  return out + line.slice(from);
}

function writeComponent(jcal: unknown[], parts: string[]): void {
  const [name, props, comps] = jcal as [string, unknown[][], unknown[][]];
  const designSet = ICAL.design.getDesignSet(name);
  parts.push(`BEGIN:${name.toUpperCase()}`);
  for (const prop of props) {
    // ical.js escapes LF in TEXT but passes CR and other controls through, which would break
    // the line structure clients parse (RFC 5545 §3.1, §3.3.11): they are dropped.
    const line = ICAL.stringify.property(prop as never, designSet, true).replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '');
    parts.push(foldLine(line));
  }
  for (const child of comps) writeComponent(child, parts);
  parts.push(`END:${name.toUpperCase()}`);
}

/** A component as iCalendar text: CRLF line ends, folded, with a final CRLF. */
export function serializeComponent(component: ICAL.Component): string {
  const parts: string[] = [];
  writeComponent(component.toJSON() as unknown[], parts);
  return parts.join(CRLF) + CRLF;
}
