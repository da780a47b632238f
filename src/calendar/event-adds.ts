import type { Calendar } from '../store/types.js';
import type { AddApp } from '../entries/links.js';
import type { ServiceDeps } from './service-deps.js';

/** Counting the "add to calendar" clicks of an event page. */
export function eventAddCommands(deps: ServiceDeps) {
  return {
    recordEventAdd: (calendar: Calendar, objectId: string, app: AddApp) =>
      deps.store.recordEventAdd(calendar.id, objectId, app, deps.clock.now()),
  };
}
