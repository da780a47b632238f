import { SaxesParser, type SaxesTagNS } from 'saxes';

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

/**
 * Parses a request body into its root element; refuses DOCTYPE, entities and deep nesting.
 *
 * saxes checks well-formedness and resolves namespaces in one streaming pass (no recursion,
 * so a hostile nesting cannot overflow the stack before the depth check). It decodes the
 * predefined entities and character references (Apple sends calendar-timezone with every CR
 * as &#13;) and refuses any other entity, so nothing can expand (no billion laughs, no
 * external entities).
 */
export function parseXml(body: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  parser.on('doctype', () => {
    throw new XmlError('DOCTYPE and entity declarations are not accepted');
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (stack.length >= MAX_DEPTH) throw new XmlError(`the XML is nested deeper than ${MAX_DEPTH} levels`);
    const attrs: Record<string, string> = {};
    for (const name in tag.attributes) {
      const a = tag.attributes[name]!;
      if (a.prefix !== 'xmlns' && a.name !== 'xmlns') attrs[a.local] = a.value;
    }
    const element: XmlElement = { ns: tag.uri, local: tag.local, attrs, children: [], text: '' };
    if (stack.length) stack[stack.length - 1]!.children.push(element);
    else root = element;
    stack.push(element);
  });
  // Also emitted for self-closing tags.
  parser.on('closetag', () => stack.pop());
  const addText = (text: string) => {
    if (stack.length) stack[stack.length - 1]!.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  try {
    parser.write(body).close();
  } catch (err) {
    if (err instanceof XmlError) throw err;
    throw new XmlError(`malformed XML: ${(err as Error).message}`);
  }
  if (!root) throw new XmlError('the body holds no XML element');
  return root;
}

/** The first child with this namespace and local name. */
export function child(el: XmlElement | undefined, ns: string, local: string): XmlElement | undefined {
  return el?.children.find((c) => c.ns === ns && c.local === local);
}

export function children(el: XmlElement | undefined, ns: string, local: string): XmlElement[] {
  return el?.children.filter((c) => c.ns === ns && c.local === local) ?? [];
}
