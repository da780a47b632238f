import type Router from '@koa/router';
import type ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { matchingInstances } from '../entries/instances.js';
import { eventPublicId, isAddApp, type AddApp } from '../entries/links.js';
import { eventMapping } from '../entries/event.js';
import { presentEntry } from '../entries/present.js';
import { parseCalendar } from '../ical/parse.js';
import { recurrenceText } from '../ical/rrule-text.js';
import { zoneOf } from '../ical/zone-cache.js';
import type { Calendar, CalendarObject } from '../store/types.js';
import { eventPage } from './event-page.js';
import { sendPage } from './layout.js';
import { PageNotFound, publishedEvent } from './lookup.js';
import type { PageDeps } from './page-deps.js';

type Links = Record<'ics' | 'google' | 'outlook' | 'office365' | 'yahoo', string>;

/** Where each app's button leads: the `.ics` for desktop apps, else the provider's template. */
function addTarget(app: AddApp, links: Links, icsHref: string): string {
  switch (app) {
    case 'apple': case 'outlook': return icsHref;
    case 'outlookcom': return links.outlook;
    case 'google': case 'office365': case 'yahoo': return links[app];
  }
}

/** The rule in words, UNTIL in the event's zone; "" for a one-off, null for a rule without words. */
function repeats(main: ICAL.Component, start: DateTime): string | null {
  const rule = main.getFirstPropertyValue('rrule') as ICAL.Recur | null;
  if (!rule) return '';
  const until = rule.until
    ? DateTime.fromSeconds(rule.until.toUnixTime(), { zone: rule.until.isDate ? 'UTC' : start.zone }).setLocale('en-GB').toFormat('d MMMM yyyy')
    : null;
  return recurrenceText(rule, { weekday: start.weekday, day: start.day, month: start.month }, until);
}

function render(deps: PageDeps, basePath: string, calendar: Calendar, object: CalendarObject): string {
  const root = parseCalendar(object.data);
  const view = presentEntry({ baseUrl: deps.config.baseUrl }, calendar, eventMapping, object, undefined, root);
  const zone = String(view.timezone);
  const now = Math.floor(deps.clock.now() / 1000);
  const [first] = matchingInstances(root, calendar.timezone, {}, 1);
  const [upcoming] = first ? matchingInstances(root, calendar.timezone, { endAfter: now }, 1) : [];
  const shown = upcoming ?? first;
  if (!shown) throw new PageNotFound(); // every instance excluded: nothing to show
  const pid = eventPublicId(calendar.id, object.id);
  return eventPage({
    calendar, zone, shown, next: first !== undefined && shown.start !== first.start,
    title: String(view.title) || 'Untitled event',
    description: view.description as string | null, location: view.location as string | null,
    repeats: repeats(shown.component, DateTime.fromSeconds(first!.start, { zone: zoneOf(zone) })),
    cancelled: String(view.status ?? '').toUpperCase() === 'CANCELLED',
    addHref: (app) => `${basePath}/e/${pid}/add/${app}`,
    subscribeHref: `${basePath}/c/${calendar.feedKey}`,
  });
}

/**
 * An event's own page and its buttons: GET /e/:id (HTML), /e/:id.ics (that one event, to
 * import), and /e/:id/add/:app, which counts the click and sends the browser on.
 */
export function eventRoutes(router: Router, deps: PageDeps, basePath: string): void {
  const { store } = deps;

  router.get('/e/:file', async (ctx) => {
    const file = ctx.params.file ?? '';
    const ics = file.endsWith('.ics');
    const { calendar, object } = await publishedEvent(store, ics ? file.slice(0, -4) : file);
    if (!ics) {
      sendPage(ctx, 200, render(deps, basePath, calendar, object));
      ctx.set('Cache-Control', 'no-cache');
      return;
    }
    const body = await deps.feeds.single(calendar, object.id);
    if (!body) throw new PageNotFound();
    ctx.type = 'text/calendar; charset=utf-8';
    // A one-off import, unlike a feed: here an attachment is what the browser should get.
    ctx.set('Content-Disposition', `attachment; filename="${object.id}.ics"`);
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = body;
  });

  router.get('/e/:id/add/:app', async (ctx) => {
    const app = ctx.params.app ?? '';
    if (!isAddApp(app)) throw new PageNotFound();
    const { calendar, object } = await publishedEvent(store, ctx.params.id ?? '');
    const view = presentEntry({ baseUrl: deps.config.baseUrl }, calendar, eventMapping, object);
    const links = view.links as Links | null;
    if (!links) throw new PageNotFound();
    await deps.service.recordEventAdd(calendar, object.id, app);
    // Each click is a count: never cached, never indexed. 303 so Back does not repeat it.
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Robots-Tag', 'noindex');
    ctx.status = 303;
    ctx.redirect(addTarget(app, links, `${basePath}/e/${eventPublicId(calendar.id, object.id)}.ics`));
  });
}
