import { PREFIXES, splitClark } from './namespaces.js';

/** An element to write: a Clark name, optional attributes, text or children. */
export interface XmlNode {
  name: string;
  attrs?: Record<string, string>;
  text?: string;
  /**
   * Text content as UTF-8 bytes: a stored calendar object, copied to the response without
   * being decoded to a string and encoded again (for a 50-member multiget that round trip
   * cost more than reading the rows).
   */
  bytes?: Buffer;
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

// CR is not escaped: calendar-data's CRLF line ends are sent as they are, as sabre/dav and
// Radicale do (XML parsers may fold them to LF, which iCalendar parsers accept). Escaping
// every CR as &#13; doubled the cost of writing a multiget. Quotes need escaping in
// attributes only, and ETags (in text) are all quotes.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escaper = (chars: RegExp, any: RegExp) => (s: string) => (any.test(s) ? s.replace(chars, (c) => ESCAPES[c]!) : s);
export const escapeText = escaper(/[&<>]/g, /[&<>]/);
export const escapeXml = escaper(/[&<>"]/g, /[&<>"]/);

/** Bytes as XML text: unchanged unless they hold & < or > (rare in iCalendar; memchr finds out). */
function escapeBytes(bytes: Buffer): Buffer {
  if (bytes.indexOf(0x26) < 0 && bytes.indexOf(0x3c) < 0 && bytes.indexOf(0x3e) < 0) return bytes;
  return Buffer.from(escapeText(bytes.toString('utf8')), 'utf8');
}

/**
 * Serialises a document to UTF-8 with every namespace declared once, on the root, so
 * responses are easy on clients with weak XML parsers. Unknown namespaces (a client's own
 * properties, echoed back in a 404 propstat) get generated prefixes. A Depth 1 PROPFIND over
 * 10,000 objects writes ~100,000 elements, so tags are resolved once per name, not per element.
 */
export function renderXml(root: XmlNode): Buffer {
  const prefixes = new Map<string, string>();
  const tags = new Map<string, Tag>();
  let generated = 0;
  const tagOf = (name: string): Tag => {
    let tag = tags.get(name);
    if (tag === undefined) {
      const { ns, local } = splitClark(name);
      let prefix = prefixes.get(ns);
      if (ns && prefix === undefined) prefixes.set(ns, (prefix = PREFIXES.get(ns) ?? `x${generated++}`));
      const t = ns ? `${prefix}:${local}` : local;
      tags.set(name, (tag = { start: `<${t}`, open: `<${t}>`, close: `</${t}>`, empty: `<${t}/>` }));
    }
    return tag;
  };
  // Markup is collected as strings and joined once per run between byte contents: long
  // chains of += over ~100,000 pieces (a Depth 1 PROPFIND of 10,000 members) cost 4x more.
  // Runs and byte contents are written into one buffer at the end.
  const parts: (string | Buffer)[] = [];
  let pieces: string[] = [];
  const flush = () => {
    if (pieces.length) parts.push(pieces.join(''));
    pieces = [];
  };
  const content = (node: XmlNode) => {
    if (node.text !== undefined) pieces.push(escapeText(node.text));
    if (node.bytes) {
      flush();
      parts.push(escapeBytes(node.bytes));
    }
    if (node.children) for (const c of node.children) render(c);
  };
  const render = (node: XmlNode): void => {
    const tag = tagOf(node.name);
    const empty = !node.children?.length && node.text === undefined && !node.bytes;
    if (node.attrs) {
      let attrs = '';
      for (const k in node.attrs) attrs += ` ${k}="${escapeXml(node.attrs[k]!)}"`;
      pieces.push(tag.start, attrs, empty ? '/>' : '>');
    } else {
      pieces.push(empty ? tag.empty : tag.open);
    }
    if (empty) return;
    content(node);
    pieces.push(tag.close);
  };
  // The root's content is rendered first, so every namespace it uses is known when the
  // root's declarations are written.
  const rootTag = tagOf(root.name);
  const empty = root.text === undefined && !root.bytes && !root.children?.length;
  if (!empty) {
    content(root);
    pieces.push(rootTag.close);
    flush();
  }
  const decls = [...prefixes].map(([ns, p]) => ` xmlns:${p}="${escapeXml(ns)}"`).join('');
  const attrs = Object.entries(root.attrs ?? {}).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  parts.unshift(`<?xml version="1.0" encoding="utf-8"?>\n${rootTag.start}${decls}${attrs}${empty ? '/>' : '>'}`);
  let size = 0;
  for (const p of parts) size += typeof p === 'string' ? Buffer.byteLength(p, 'utf8') : p.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const p of parts) at += typeof p === 'string' ? out.write(p, at, 'utf8') : p.copy(out, at);
  return out;
}

/** An element's tags, made once per name: a Depth 1 PROPFIND writes the same few 100,000 times. */
interface Tag {
  /** `<p:name`, for an element with attributes. */
  start: string;
  open: string;
  close: string;
  empty: string;
}
