import { HttpError } from '../../errors.js';
import { StoreConflict, type ComponentType } from '../../store/types.js';
import { feedKey, randomId } from '../../util/ids.js';
import { CALDAV, DAV, clark } from '../../xml/namespaces.js';
import { el } from '../../xml/write.js';
import { PropertyRefused, componentsFrom } from '../calendar-props.js';
import { expectRoot, readXml, sendXml, type MethodHandler } from '../context.js';
import { hrefOf } from '../resources.js';
import { applyInstructions, instructionsOf, outcomeResponse } from './proppatch.js';

const COMPONENT_SET = clark(CALDAV, 'supported-calendar-component-set');

/**
 * MKCALENDAR (RFC 4791 §5.3.1) with initial properties and a component set; a collection
 * for VTODO only is advertised as such, which Apple Reminders relies on.
 */
export const mkcalendar: MethodHandler = async ({ ctx, deps, user, resource }) => {
  if (resource.kind !== 'new-calendar') {
    throw new HttpError(403, 'FORBIDDEN', 'a resource exists at this URL', { precondition: clark(DAV, 'resource-must-be-null') });
  }
  const body = await readXml(ctx);
  const instructions = body ? instructionsOf(expectRoot(body, CALDAV, 'mkcalendar')) : [];
  let components: ComponentType[] = ['VEVENT', 'VTODO', 'VJOURNAL'];
  const rest = instructions.filter((i) => clark(i.el.ns, i.el.local) !== COMPONENT_SET);
  const { patch, statuses } = applyInstructions({}, rest);
  const set = instructions.find((i) => clark(i.el.ns, i.el.local) === COMPONENT_SET);
  if (set) {
    try {
      components = componentsFrom(set.el);
      statuses.set(COMPONENT_SET, 200);
    } catch (err) {
      if (!(err instanceof PropertyRefused)) throw err;
      statuses.set(COMPONENT_SET, 403);
      for (const [name, status] of statuses) if (status === 200) statuses.set(name, 424);
    }
  }
  if ([...statuses.values()].some((s) => s !== 200)) {
    // RFC 4791 §5.3.1.2: the failure names each property; nothing is created.
    sendXml(ctx, 403, el(clark(CALDAV, 'mkcalendar-response'), ...outcomeResponse(hrefOf(resource, user), statuses).children!.slice(1)));
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
};
