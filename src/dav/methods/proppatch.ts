import type { Calendar } from '../../store/types.js';
import { DAV, clark } from '../../xml/namespaces.js';
import type { XmlElement } from '../../xml/parse.js';
import type { XmlNode } from '../../xml/write.js';
import { PropertyRefused, WRITABLE, deadPropertySetter, type PropPatch, type Setter } from '../writable-properties.js';
import { PROPERTIES } from '../live-properties.js';
import { expectRoot, readXml, sendXml, type MethodHandler } from '../context.js';
import { multistatus, propResponse } from '../multistatus.js';
import { admitted, hrefOf } from '../resources.js';

export interface PropOutcome {
  patch: PropPatch;
  /** Status per property; all 200 when the patch may be applied. */
  statuses: Map<string, number>;
}

/**
 * Applies set/remove instructions in document order to a patch (RFC 4918 §9.2). One
 * refusal fails them all: refused properties get 403, the others 424 Failed Dependency.
 */
export function applyInstructions(
  settings: Calendar['settings'], instructions: { el: XmlElement; remove: boolean }[],
  /** Properties only a creating request may set (the component set, the resource type). */
  creation: ReadonlyMap<string, Setter> = new Map(),
): PropOutcome {
  const patch: PropPatch = { settings: { ...settings } };
  const statuses = new Map<string, number>();
  for (const { el, remove } of instructions) {
    const name = clark(el.ns, el.local);
    const setter = creation.get(name) ?? WRITABLE.get(name) ?? (PROPERTIES.has(name) ? undefined : deadPropertySetter(name));
    if (!setter) {
      statuses.set(name, 403); // a protected live property (RFC 4918 cannot-modify-protected-property)
      continue;
    }
    try {
      setter(remove ? null : el, patch);
      statuses.set(name, 200);
    } catch (err) {
      if (!(err instanceof PropertyRefused)) throw err;
      statuses.set(name, 403);
    }
  }
  if ([...statuses.values()].some((s) => s !== 200)) {
    for (const [name, status] of statuses) if (status === 200) statuses.set(name, 424);
  }
  return { patch, statuses };
}

/** The <D:set>/<D:remove> instructions of a propertyupdate or mkcalendar body, in order. */
export function instructionsOf(root: XmlElement): { el: XmlElement; remove: boolean }[] {
  return root.children
    .filter((c) => c.ns === DAV && (c.local === 'set' || c.local === 'remove'))
    .flatMap((c) => c.children.filter((p) => p.ns === DAV && p.local === 'prop')
      .flatMap((p) => p.children.map((el) => ({ el, remove: c.local === 'remove' }))));
}

export function outcomeResponse(href: string, statuses: Map<string, number>): XmlNode {
  const byStatus = new Map<number, XmlNode[]>();
  for (const [name, status] of statuses) byStatus.set(status, [...(byStatus.get(status) ?? []), { name }]);
  return propResponse(href, byStatus);
}

/** PROPPATCH on a calendar: all or nothing, answered with a 207 per property. */
export const proppatch: MethodHandler = async ({ ctx, deps, user, resource }) => {
  const { calendar } = admitted(resource, 'calendar');
  const body = expectRoot(await readXml(ctx), DAV, 'propertyupdate');
  const { patch, statuses } = applyInstructions(calendar.settings, instructionsOf(body));
  if ([...statuses.values()].every((s) => s === 200)) await deps.service.updateCalendar(calendar, patch);
  sendXml(ctx, 207, multistatus([outcomeResponse(hrefOf(resource, user), statuses)]));
};
