import { DAV, clark } from '../xml/namespaces.js';
import { el, type XmlNode } from '../xml/write.js';

const d = (local: string) => clark(DAV, local);
const [HREF, PROPSTAT, PROP, STATUS, RESPONSE] = ['href', 'propstat', 'prop', 'status', 'response'].map(d) as [string, string, string, string, string];

export const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  412: 'Precondition Failed', 424: 'Failed Dependency', 507: 'Insufficient Storage',
};
export const statusLine = (code: number) => `HTTP/1.1 ${code} ${STATUS_TEXT[code] ?? ''}`.trim();

/** One <D:response> with a propstat per status that has properties (RFC 4918 §14.24). */
export function propResponse(href: string, byStatus: Iterable<[number, XmlNode[]]>): XmlNode {
  const children: XmlNode[] = [{ name: HREF, text: href }];
  for (const [status, props] of byStatus) {
    if (props.length === 0) continue;
    children.push({ name: PROPSTAT, children: [{ name: PROP, children: props }, { name: STATUS, text: statusLine(status) }] });
  }
  return { name: RESPONSE, children };
}

/** A <D:response> carrying only a status (a missing member, a deleted one in a sync). */
export function statusResponse(href: string, status: number): XmlNode {
  return el(d('response'), el(d('href'), href), el(d('status'), statusLine(status)));
}

export function multistatus(responses: XmlNode[], ...extra: XmlNode[]): XmlNode {
  return el(d('multistatus'), ...responses, ...extra);
}
