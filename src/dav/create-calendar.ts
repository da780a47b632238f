import { HttpError } from '../errors.js';
import { StoreConflict, type ComponentType } from '../store/types.js';
import { feedKey, randomId } from '../util/ids.js';
import { CALDAV, DAV, clark } from '../xml/namespaces.js';
import type { XmlElement } from '../xml/parse.js';
import { el } from '../xml/write.js';
import { PropertyRefused, componentsFrom } from './calendar-props.js';
import { sendXml, type DavRequest } from './context.js';
import { applyInstructions, outcomeResponse } from './methods/proppatch.js';
import { hrefOf } from './resources.js';

const COMPONENT_SET = clark(CALDAV, 'supported-calendar-component-set');
const RESOURCE_TYPE = clark(DAV, 'resourcetype');

/** Reads an extended MKCOL resourcetype (RFC 5689 §3): only calendar collections are made here. */
function checkResourceType(value: XmlElement): void {
  const types = value.children.map((c) => clark(c.ns, c.local));
  if (!types.includes(clark(CALDAV, 'calendar'))) throw new PropertyRefused('only calendar collections can be created');
}

/**
 * Creates a calendar at a free URL from MKCALENDAR (RFC 4791 §5.3.1) or extended MKCOL
 * (RFC 5689) instructions, all or nothing. On failure the answer names each property in a
 * `responseRoot` (mkcalendar-response / mkcol-response) and nothing is created.
 */
export async function createCalendarAt(
  { ctx, deps, user, resource }: DavRequest, instructions: { el: XmlElement; remove: boolean }[], responseRoot: string,
): Promise<void> {
  if (resource.kind !== 'new-calendar') {
    throw new HttpError(403, 'FORBIDDEN', 'a resource exists at this URL', { precondition: clark(DAV, 'resource-must-be-null') });
  }
  const special = new Set([COMPONENT_SET, RESOURCE_TYPE]);
  const { patch, statuses } = applyInstructions({}, instructions.filter((i) => !special.has(clark(i.el.ns, i.el.local))));
  let components: ComponentType[] = ['VEVENT', 'VTODO', 'VJOURNAL'];
  for (const { el: prop } of instructions.filter((i) => special.has(clark(i.el.ns, i.el.local)))) {
    const name = clark(prop.ns, prop.local);
    try {
      if (name === COMPONENT_SET) components = componentsFrom(prop);
      else checkResourceType(prop);
      statuses.set(name, 200);
    } catch (err) {
      if (!(err instanceof PropertyRefused)) throw err;
      statuses.set(name, 403);
    }
  }
  if ([...statuses.values()].some((s) => s !== 200)) {
    for (const [name, status] of statuses) if (status === 200) statuses.set(name, 424);
    const response = outcomeResponse(hrefOf(resource, user), statuses);
    sendXml(ctx, 403, el(responseRoot, ...response.children!.slice(1)));
    return;
  }
  try {
    await deps.store.createCalendar({
      id: randomId(), ownerId: resource.user.id, slug: resource.slug, feedKey: feedKey(), components,
      title: patch.title ?? resource.slug, description: patch.description ?? null, timezone: patch.timezone ?? 'UTC',
      color: patch.color ?? null, weekdayBegin: null, customData: null, published: true, settings: patch.settings,
    });
  } catch (err) {
    if (err instanceof StoreConflict) throw new HttpError(403, 'FORBIDDEN', 'a calendar exists at this URL', { precondition: clark(DAV, 'resource-must-be-null') });
    throw err;
  }
  ctx.body = null; // before the status: Koa turns a null body into 204
  ctx.status = 201;
  ctx.set('Location', hrefOf(resource, user));
}
