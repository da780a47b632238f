import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A parsed element with its namespace resolved: clients use any prefix (RFC 4918 §8.3). */
export interface XmlElement {
  ns: string;
  local: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Why a body was refused; the DAV surface answers 400 with this message. */
export class XmlError extends Error {}

export const MAX_DEPTH = 64;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Predefined entities and character references only: DOCTYPE is refused before parsing,
  // so no entity can be declared (no billion-laughs, no external entities).
  processEntities: true,
  // fast-xml-parser decodes numeric character references (&#13;, &#x20AC;) only with this on;
  // Apple clients send calendar-timezone with every CR as &#13;. HTML's named entities
  // (&nbsp;) come along: lenient, and nothing can expand.
  htmlEntities: true,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
});

type RawNode = Record<string, unknown> & { ':@'?: Record<string, string> };

/** Nesting depth by a linear scan, so a hostile document is refused before the parser recurses. */
function depthOf(text: string): number {
  let depth = 0;
  let max = 0;
  const tag = /<(\/?)([^\s/>!?]+)[^>]*?(\/?)>/g;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    if (m[1]) depth--;
    else if (!m[3]) max = Math.max(max, ++depth);
  }
  return max;
}

function convert(node: RawNode, scope: Map<string, string>, depth: number): XmlElement | null {
  const name = Object.keys(node).find((k) => k !== ':@');
  if (!name || name.startsWith('?') || name === '#text' || name === '#comment') return null;
  if (depth > MAX_DEPTH) throw new XmlError(`the XML is nested deeper than ${MAX_DEPTH} levels`);
  const rawAttrs = node[':@'] ?? {};
  let local = scope;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawAttrs)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) {
      if (local === scope) local = new Map(scope);
      local.set(k === 'xmlns' ? '' : k.slice(6), v);
    } else {
      attrs[k.includes(':') ? k.slice(k.indexOf(':') + 1) : k] = v;
    }
  }
  const colon = name.indexOf(':');
  const prefix = colon >= 0 ? name.slice(0, colon) : '';
  const ns = local.get(prefix);
  if (ns === undefined && prefix !== '') throw new XmlError(`undeclared namespace prefix "${prefix}"`);
  const element: XmlElement = { ns: ns ?? '', local: colon >= 0 ? name.slice(colon + 1) : name, attrs, children: [], text: '' };
  for (const child of (node[name] as RawNode[]) ?? []) {
    if ('#text' in child) element.text += String(child['#text']);
    else {
      const c = convert(child, local, depth + 1);
      if (c) element.children.push(c);
    }
  }
  return element;
}

/** Parses a request body into its root element; refuses DOCTYPE, entities and deep nesting. */
export function parseXml(body: string): XmlElement {
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw new XmlError('DOCTYPE and entity declarations are not accepted');
  if (depthOf(body) > MAX_DEPTH) throw new XmlError(`the XML is nested deeper than ${MAX_DEPTH} levels`);
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new XmlError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const nodes = parser.parse(body) as RawNode[];
  for (const node of nodes) {
    const root = convert(node, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]), 1);
    if (root) return root;
  }
  throw new XmlError('the body holds no XML element');
}

/** The first child with this namespace and local name. */
export function child(el: XmlElement | undefined, ns: string, local: string): XmlElement | undefined {
  return el?.children.find((c) => c.ns === ns && c.local === local);
}

export function children(el: XmlElement | undefined, ns: string, local: string): XmlElement[] {
  return el?.children.filter((c) => c.ns === ns && c.local === local) ?? [];
}
