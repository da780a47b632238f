import { DAV, clark } from '../xml/namespaces.js';
import { el, type XmlNode } from '../xml/write.js';

const d = (local: string) => clark(DAV, local);
const [HREF, PROPSTAT, PROP, STATUS, RESPONSE] = ['href', 'propstat', 'prop', 'status', 'response'].map(d) as [string, string, string, string, string];

export const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  412: 'Precondition Failed', 424: 'Failed Dependency', 507: 'Insufficient Storage',
};
const STATUS_LINES = new Map<number, string>();
/** `HTTP/1.1 200 OK`: a report writes one per member, so each is made once. */
export function statusLine(code: number): string {
  let line = STATUS_LINES.get(code);
  if (line === undefined) STATUS_LINES.set(code, (line = `HTTP/1.1 ${code} ${STATUS_TEXT[code] ?? ''}`.trim()));
  return line;
}

/** One <D:response> with a propstat per status that has properties (RFC 4918 §14.24). */
export function propResponse(href: string, byStatus: Iterable<[number, XmlNode[]]>): XmlNode {
  const children: XmlNode[] = [{ name: HREF, text: href }];
  for (const [status, props] of byStatus) {
    if (props.length === 0) continue;
    children.push({ name: PROPSTAT, children: [{ name: PROP, children: props }, { name: STATUS, text: statusLine(status) }] });
  }
  return { name: RESPONSE, children };
}

/** A <D:response> for the requested properties: those `valueOf` has under 200, the rest under 404 (RFC 4918 §9.1). */
export function namedPropsResponse(href: string, names: Iterable<string>, valueOf: (name: string) => XmlNode | null): XmlNode {
  const found: XmlNode[] = [];
  const missing: XmlNode[] = [];
  for (const name of names) {
    const value = valueOf(name);
    if (value) found.push(value);
    else missing.push({ name });
  }
  return propResponse(href, [[200, found], [404, missing]]);
}

/** A <D:response> carrying only a status (a missing member, a deleted one in a sync). */
export function statusResponse(href: string, status: number): XmlNode {
  return el(d('response'), el(d('href'), href), el(d('status'), statusLine(status)));
}

export function multistatus(responses: XmlNode[], ...extra: XmlNode[]): XmlNode {
  return el(d('multistatus'), ...responses, ...extra);
}
