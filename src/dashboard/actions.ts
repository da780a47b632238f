import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { calendarFields, calendarInput } from '../api/calendars.js';
import { parseInput } from '../api/validate.js';
import { feedSettingsInput, feedSettingsOf, fromInput } from '../feeds/settings.js';
import { html } from '../pages/layout.js';
import { copyField } from '../pages/subscribe-page.js';
import type { Calendar } from '../store/types.js';
import { ownedCalendar, type DashboardDeps } from './deps.js';
import { formObject } from './forms.js';
import type { DashboardState } from './session.js';
import { dashboardPage, sendDashboard } from './shell.js';

type Action = (ctx: Context, state: DashboardState, form: URLSearchParams) => Promise<void>;

// A form sends numbers as text and a checkbox only when ticked; these turn them into the API's
// JSON shapes, so the API's own schemas judge them and name the same fields.
const number = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : Number(v));
const mintInput = z.strictObject({ name: z.string().trim().min(1).max(200), email: z.email().max(254).nullish() });

/** The dashboard's POSTs: each writes through the service, then redirects (Back never re-posts). */
export function actionRoutes(router: Router, deps: DashboardDeps, guard: (action: Action) => (ctx: Context) => Promise<void>): void {
  const { store, service, basePath } = deps;
  const calendarHref = (c: Calendar) => `${basePath}/dashboard/calendars/${c.id}`;
  const back = (ctx: Context, c: Calendar, done: string) => {
    ctx.status = 303;
    ctx.redirect(`${calendarHref(c)}?done=${done}`);
  };
  const own = (ctx: Context, state: DashboardState) => ownedCalendar(store, state.user, ctx.params.id!);

  router.post('/dashboard/calendars', guard(async (ctx, { user }, form) => {
    const f = formObject(form);
    const input = parseInput(calendarInput, { title: f.title ?? '', timezone: f.timezone?.trim() || 'UTC' });
    const calendar = await service.createCalendar({ ownerId: user.id, components: ['VEVENT', 'VTODO', 'VJOURNAL'], ...calendarFields(input, {}) });
    back(ctx, calendar, 'created');
  }));

  router.post('/dashboard/calendars/:id/settings', guard(async (ctx, state, form) => {
    const calendar = await own(ctx, state);
    const f = formObject(form);
    const input = parseInput(feedSettingsInput, {
      past_days: number(f.past_days), refresh_interval_minutes: number(f.refresh_interval_minutes),
      include_reminders: f.include_reminders === 'on', include_attendees: f.include_attendees === 'on',
    });
    const feed = fromInput(input, feedSettingsOf(calendar.settings));
    await service.updateCalendar(calendar, { settings: { ...calendar.settings, feed } });
    back(ctx, calendar, 'settings');
  }));

  router.post('/dashboard/calendars/:id/publish', guard(async (ctx, state, form) => {
    const calendar = await own(ctx, state);
    const published = parseInput(z.enum(['true', 'false']), form.get('published')) === 'true';
    await service.updateCalendar(calendar, { published });
    back(ctx, calendar, published ? 'published' : 'unpublished');
  }));

  router.post('/dashboard/calendars/:id/rotate', guard(async (ctx, state) => {
    const calendar = await own(ctx, state);
    back(ctx, await service.rotateFeedKey(calendar), 'rotated');
  }));

  router.post('/dashboard/calendars/:id/subscribers', guard(async (ctx, state, form) => {
    const calendar = await own(ctx, state);
    const f = formObject(form);
    const input = parseInput(mintInput, { name: f.name ?? '', email: f.email?.trim() || null });
    const minted = await service.mintSubscriber(calendar, { name: input.name, email: input.email ?? null, client: 'unknown' });
    // The token is shown this once (only its hash is kept): never cache this answer.
    sendDashboard(ctx, 201, dashboardPage({
      basePath, title: `Personal URL for ${input.name}`, csrf: state.csrf,
      body: html`<section class="card hero" aria-labelledby="minted-heading">
<h1 id="minted-heading">Personal URL for <bdi>${input.name}</bdi></h1>
${copyField('personal-url', 'Feed URL', minted.feedUrl, html`Send it to <bdi>${input.name}</bdi> only. It is shown once; you can block or delete it from the subscriber table.`)}
${copyField('personal-webcal', 'Webcal URL', minted.webcalUrl, html`The same feed, opening Apple Calendar or Outlook directly.`)}
<p><a href="${calendarHref(calendar)}#subscribers">Back to the calendar</a></p></section>`,
    }));
  }));

  const subscriberAction = (verb: 'block' | 'unblock' | 'delete', done: string) =>
    router.post(`/dashboard/calendars/:id/subscribers/:sid/${verb}`, guard(async (ctx, state) => {
      const calendar = await own(ctx, state);
      if (verb === 'delete') await service.deleteSubscriber(calendar, ctx.params.sid!);
      else await service.updateSubscriber(calendar, ctx.params.sid!, { blocked: verb === 'block' });
      back(ctx, calendar, done);
    }));
  subscriberAction('block', 'blocked');
  subscriberAction('unblock', 'unblocked');
  subscriberAction('delete', 'deleted');
}
