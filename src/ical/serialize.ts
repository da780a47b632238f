import ICAL from 'ical.js';

const CRLF = '\r\n';
const MAX_OCTETS = 75;

/**
 * Folds one content line at 75 octets, counting the leading space of continuation lines and
 * never splitting a UTF-8 sequence (RFC 5545 §3.1). ical.js folds continuation lines to
 * 76 octets, and Google drops a whole feed over bad folding (DESIGN.md §5.1), so we fold here.
 */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line) <= MAX_OCTETS) return line;
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (octets + size > MAX_OCTETS) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join(CRLF);
}

function writeComponent(jcal: unknown[], parts: string[]): void {
  const [name, props, comps] = jcal as [string, unknown[][], unknown[][]];
  const designSet = ICAL.design.getDesignSet(name);
  parts.push(`BEGIN:${name.toUpperCase()}`);
  for (const prop of props) {
    parts.push(foldLine(ICAL.stringify.property(prop as never, designSet, true)));
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
