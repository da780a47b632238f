import { HttpError } from '../../errors.js';
import { DAV, clark } from '../../xml/namespaces.js';
import { child, children, type XmlElement } from '../../xml/parse.js';
import type { DavRequest } from '../context.js';
import { multistatus, namedPropsResponse } from '../multistatus.js';
import { SEARCHABLE, principalMatches, principalProperty } from '../principal-search.js';
import { hrefs } from '../resources.js';
import { propRequestOf } from './members.js';
import type { XmlNode } from '../../xml/write.js';

const invalid = (message: string, field: string) => new HttpError(400, 'VALIDATION_FAILED', message, { field });

/** The search terms of a principal-property-search body (RFC 3744 §9.4). */
function termsOf(body: XmlElement): { name: string; match: string }[] {
  const searches = children(body, DAV, 'property-search');
  if (searches.length === 0) throw invalid('a principal-property-search needs at least one property-search', 'property-search');
  return searches.flatMap((s) => {
    const match = child(s, DAV, 'match')?.text;
    const names = child(s, DAV, 'prop')?.children.map((p) => clark(p.ns, p.local)) ?? [];
    if (match === undefined || names.length === 0) throw invalid('each property-search needs a prop and a match', 'property-search');
    return names.map((name) => {
      // §9.4: a property the server cannot search is an error, not a silent non-match.
      if (!SEARCHABLE.has(name)) throw invalid(`${name} is not searchable; see principal-search-property-set`, 'prop');
      return { name, match };
    });
  });
}

/** principal-property-search on the principals collection: the users who match, with the asked-for properties. */
export async function principalPropertySearch(req: DavRequest, body: XmlElement): Promise<XmlNode> {
  const terms = termsOf(body);
  const anyOf = body.attrs.test === 'anyof';
  const wanted = propRequestOf(child(body, DAV, 'prop')).names;
  const ctx = { user: req.user, maxInstances: req.deps.config.davMaxInstances };
  const found = (await req.deps.store.listUsers()).filter((u) => principalMatches(u, terms, anyOf, ctx));
  return multistatus(found.map((user) => namedPropsResponse(hrefs.principal(user), wanted, (name) => principalProperty(name, user, ctx))));
}
