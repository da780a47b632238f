import { HttpError } from '../errors.js';
import { CALDAV, DAV, clark } from '../xml/namespaces.js';
import type { XmlElement } from '../xml/parse.js';
import { el } from '../xml/write.js';
import { PropertyRefused, componentsFrom, type Setter } from './writable-properties.js';
import { sendXml, type DavRequest } from './context.js';
import { applyInstructions, outcomeResponse } from './methods/proppatch.js';
import { hrefOf } from './resources.js';

const COMPONENT_SET = clark(CALDAV, 'supported-calendar-component-set');
const RESOURCE_TYPE = clark(DAV, 'resourcetype');

/** What only a creating request sets: the component set, and (extended MKCOL) the resource type. */
const CREATION: ReadonlyMap<string, Setter> = new Map<string, Setter>([
  [COMPONENT_SET, (value, patch) => { if (value) patch.components = componentsFrom(value); }],
  // RFC 5689 §3: only calendar collections are made here.
  [RESOURCE_TYPE, (value) => {
    const types = value?.children.map((c) => clark(c.ns, c.local)) ?? [];
    if (!types.includes(clark(CALDAV, 'calendar'))) throw new PropertyRefused('only calendar collections can be created');
  }],
]);

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
  const { patch, statuses } = applyInstructions({}, instructions, CREATION);
  if ([...statuses.values()].some((s) => s !== 200)) {
    const response = outcomeResponse(hrefOf(resource, user), statuses);
    sendXml(ctx, 403, el(responseRoot, ...response.children!.slice(1)));
    return;
  }
  await deps.service.createCalendar({
    ownerId: resource.user.id, slug: resource.slug,
    components: patch.components ?? ['VEVENT', 'VTODO', 'VJOURNAL'],
    title: patch.title ?? resource.slug, description: patch.description ?? null, timezone: patch.timezone ?? 'UTC',
    color: patch.color ?? null, weekdayBegin: null, customData: null, published: true, settings: patch.settings,
  });
  ctx.body = null; // before the status: Koa turns a null body into 204
  ctx.status = 201;
  ctx.set('Location', hrefOf(resource, user));
}
