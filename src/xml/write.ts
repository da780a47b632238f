import { PREFIXES, splitClark } from './namespaces.js';

/** An element to write: a Clark name, optional attributes, text or children. */
export interface XmlNode {
  name: string;
  attrs?: Record<string, string>;
  text?: string;
  children?: XmlNode[];
}

export function el(name: string, ...content: (XmlNode | string | null | undefined | false)[]): XmlNode {
  const children: XmlNode[] = [];
  let text: string | undefined;
  for (const c of content) {
    if (typeof c === 'string') text = (text ?? '') + c;
    else if (c) children.push(c);
  }
  return { name, ...(children.length ? { children } : {}), ...(text !== undefined ? { text } : {}) };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;' };
const NEEDS_ESCAPE = /[&<>"\r]/;
export const escapeXml = (s: string) => (NEEDS_ESCAPE.test(s) ? s.replace(/[&<>"\r]/g, (c) => ESCAPES[c]!) : s);

function collect(node: XmlNode, into: Set<string>): void {
  into.add(node.name);
  if (node.children) for (const c of node.children) collect(c, into);
}

/**
 * Serialises a document with every namespace declared once, on the root, so responses are
 * easy on clients with weak XML parsers. Unknown namespaces (a client's own properties,
 * echoed back in a 404 propstat) get generated prefixes. A Depth 1 PROPFIND over 10,000
 * objects writes ~100,000 elements, so tags are resolved once per name, not per element.
 */
export function renderXml(root: XmlNode): string {
  const names = new Set<string>();
  collect(root, names);
  const prefixes = new Map<string, string>();
  const tags = new Map<string, string>();
  let n = 0;
  for (const name of [...names].sort()) {
    const { ns, local } = splitClark(name);
    if (ns && !prefixes.has(ns)) prefixes.set(ns, PREFIXES.get(ns) ?? `x${n++}`);
    tags.set(name, ns ? `${prefixes.get(ns)}:${local}` : local);
  }
  const decls = [...prefixes].map(([ns, p]) => ` xmlns:${p}="${escapeXml(ns)}"`).join('');
  let out = '<?xml version="1.0" encoding="utf-8"?>\n';
  const write = (node: XmlNode, isRoot: boolean) => {
    const tag = tags.get(node.name)!;
    out += `<${tag}${isRoot ? decls : ''}`;
    if (node.attrs) for (const k in node.attrs) out += ` ${k}="${escapeXml(node.attrs[k]!)}"`;
    if (!node.children?.length && node.text === undefined) {
      out += '/>';
      return;
    }
    out += '>';
    if (node.text !== undefined) out += escapeXml(node.text);
    if (node.children) for (const c of node.children) write(c, false);
    out += `</${tag}>`;
  };
  write(root, true);
  return out;
}
