import { DAV, clark } from '../../xml/namespaces.js';
import { el, type XmlNode } from '../../xml/write.js';
import { SEARCHABLE } from '../principal-search.js';

const d = (local: string) => clark(DAV, local);

/** principal-search-property-set (RFC 3744 §9.5): what principal-property-search can match; a 200, not a multistatus. */
export async function principalSearchPropertySet(): Promise<{ xml: XmlNode }> {
  return {
    xml: el(d('principal-search-property-set'), ...[...SEARCHABLE].map(([name, description]) =>
      el(d('principal-search-property'), el(d('prop'), { name }), { name: d('description'), attrs: { 'xml:lang': 'en' }, text: description }))),
  };
}
